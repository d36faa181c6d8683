package dev.pcikit.core.modalias;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The module aliases of one kernel release plus the modprobe.d configuration, answering as kmod's
 * {@code modprobe -R} does. Built by {@link ModuleAliases#load}; immutable and safe to share
 * between threads once built.
 */
public final class AliasIndex {

  static final String PCI_PREFIX = "pci:";
  static final String VFIO_PREFIX = "vfio_pci:";

  private final Path modulesDir;
  private final String release;
  private final ModprobeConfig config;
  private final PatternTrie aliases;
  private final PatternTrie builtinAliases;
  private final Set<String> moduleNames;
  private final Set<String> builtinModules;
  private final Supplier<PatternTrie> symbols;
  private final List<String> warnings;

  AliasIndex(
      Path modulesDir,
      String release,
      ModprobeConfig config,
      PatternTrie aliases,
      PatternTrie builtinAliases,
      Set<String> moduleNames,
      Set<String> builtinModules,
      Supplier<PatternTrie> symbols,
      List<String> warnings) {
    this.modulesDir = modulesDir;
    this.release = release;
    this.config = config;
    this.aliases = aliases;
    this.builtinAliases = builtinAliases;
    this.moduleNames = Set.copyOf(moduleNames);
    this.builtinModules = Set.copyOf(builtinModules);
    this.symbols = symbols;
    this.warnings = List.copyOf(warnings);
  }

  /**
   * The modules (loadable or built in) with a {@code vfio_pci:} alias: the VFIO PCI variant drivers
   * (PCI_DRIVER_OVERRIDE_DEVICE_VFIO in their ID table makes modpost emit that prefix,
   * scripts/mod/file2alias.c) and, since 5.15, none other.
   */
  public Set<String> vfioPciModules() {
    Set<String> out = new java.util.TreeSet<>(aliases.modulesWithPrefix(VFIO_PREFIX));
    out.addAll(builtinAliases.modulesWithPrefix(VFIO_PREFIX));
    return out;
  }

  /** {@code lib/modules/RELEASE} of the kernel these aliases belong to. */
  public Path modulesDir() {
    return modulesDir;
  }

  public String release() {
    return release;
  }

  public ModprobeConfig config() {
    return config;
  }

  /** Number of alias lines read from modules.alias. */
  public int aliasCount() {
    return aliases.size();
  }

  /** Problems met while reading (file:line: message); empty when everything was read cleanly. */
  public List<String> warnings() {
    return warnings;
  }

  /** What {@code modprobe -R ALIAS} prints: module names in kmod's order, duplicates kept. */
  public List<String> modulesFor(String modalias) {
    return lookup(modalias).modules();
  }

  /**
   * Resolves an alias exactly as libkmod's {@code kmod_module_new_from_lookup()}: normalise, then
   * ask in turn the modprobe.d aliases, modules.dep (names without ':'), modules.symbols ({@code
   * symbol:} names), install/remove commands, modules.alias, modules.builtin and the built-in
   * aliases; the first with an answer wins.
   *
   * @throws PcikitException BAD_INPUT for strings kmod refuses (unmatched bracket, longer than
   *     PATH_MAX) or whose answer would depend on kmod's index layout (wildcard characters in the
   *     looked-up string)
   */
  public Lookup lookup(String modalias) {
    String alias = normalize(modalias);
    List<AliasEntry> found = config.matching(alias);
    if (!found.isEmpty()) {
      return new Lookup(modalias, alias, Lookup.Source.CONFIG, found);
    }
    if (alias.indexOf(':') < 0 && moduleNames.contains(alias)) {
      return single(modalias, alias, Lookup.Source.MODULE_NAME, "modules.dep");
    }
    if (alias.startsWith("symbol:")) {
      found = symbols.get().lookup(alias);
      if (!found.isEmpty()) {
        return new Lookup(modalias, alias, Lookup.Source.SYMBOL, found);
      }
    }
    Optional<AliasEntry> command = config.install(alias);
    if (command.isPresent()) {
      return new Lookup(modalias, alias, Lookup.Source.COMMAND, List.of(command.get()));
    }
    found = aliases.lookup(alias);
    if (!found.isEmpty()) {
      return new Lookup(modalias, alias, Lookup.Source.MODULES_ALIAS, found);
    }
    if (builtinModules.contains(alias)) {
      return single(modalias, alias, Lookup.Source.BUILTIN_MODULE, "modules.builtin");
    }
    found = builtinAliases.lookup(alias);
    if (!found.isEmpty()) {
      return new Lookup(modalias, alias, Lookup.Source.BUILTIN_ALIAS, found);
    }
    return new Lookup(modalias, alias, Lookup.Source.NONE, List.of());
  }

  private Lookup single(String input, String alias, Lookup.Source source, String file) {
    AliasEntry e = new AliasEntry(alias, alias, modulesDir.resolve(file).toString(), 0);
    return new Lookup(input, alias, source, List.of(e));
  }

  private static String normalize(String modalias) {
    if (modalias.length() > KmodNames.MAX_ALIAS) {
      throw new PcikitException(
          Failure.BAD_INPUT,
          "alias of "
              + modalias.length()
              + " characters is longer than kmod accepts ("
              + KmodNames.MAX_ALIAS
              + ")");
    }
    for (int i = 0; i < modalias.length(); i++) {
      char c = modalias.charAt(i);
      if (c == '*' || c == '?' || c == '[') {
        throw new PcikitException(
            Failure.BAD_INPUT,
            "'"
                + modalias
                + "' contains the wildcard '"
                + c
                + "': kernel modaliases never do, and kmod's answer for such a string depends on"
                + " the layout of its index");
      }
    }
    return KmodNames.normalizeAlias(modalias)
        .orElseThrow(
            () ->
                new PcikitException(
                    Failure.BAD_INPUT, "'" + modalias + "': unmatched bracket (kmod: EINVAL)"));
  }

  /**
   * The VFIO driver for a device (see {@link VfioChoice} for the rule and its sources).
   *
   * @param modalias the device's modalias ({@code pci:v…}); a {@code vfio_pci:} / {@code vfio-pci:}
   *     form is accepted as well
   * @param userDriver a driver the user named; it wins over the rule
   */
  public VfioChoice chooseVfio(String modalias, Optional<String> userDriver) {
    String normalized = normalize(modalias);
    Optional<String> vfioAlias;
    if (normalized.startsWith(PCI_PREFIX)) {
      vfioAlias = Optional.of(VFIO_PREFIX + normalized.substring(PCI_PREFIX.length()));
    } else if (normalized.startsWith(VFIO_PREFIX)) {
      vfioAlias = Optional.of(normalized);
    } else {
      vfioAlias = Optional.empty();
    }
    List<AliasEntry> candidates = vfioAlias.map(a -> lookup(a).matches()).orElse(List.of());
    AliasEntry best = null;
    boolean tie = false;
    for (AliasEntry c : candidates) {
      if (best == null || c.wildcards() < best.wildcards()) {
        best = c;
        tie = false;
      } else if (c.wildcards() == best.wildcards() && !c.module().equals(best.module())) {
        tie = true;
      }
    }
    if (userDriver.isPresent()) {
      String user = userDriver.get();
      String why = "named by the user";
      if (best != null && !best.module().equals(KmodNames.normalizeModuleName(user))) {
        why += "; the fewest-wildcards rule would pick " + best.module();
      }
      if (candidates.stream().noneMatch(c -> c.module().equals(KmodNames.normalizeModuleName(user)))
          && !candidates.isEmpty()) {
        why += "; no vfio_pci alias of " + user + " matches this device";
      }
      return new VfioChoice(
          modalias, vfioAlias, candidates, Optional.of(user), why, true, tie, false);
    }
    if (vfioAlias.isEmpty()) {
      return new VfioChoice(
          modalias,
          vfioAlias,
          candidates,
          Optional.empty(),
          "not a PCI modalias (no pci: prefix)",
          false,
          false,
          false);
    }
    if (best == null) {
      if (moduleNames.contains("vfio_pci") || builtinModules.contains("vfio_pci")) {
        return new VfioChoice(
            modalias,
            vfioAlias,
            candidates,
            Optional.of("vfio_pci"),
            "no vfio_pci: alias matches (kernels before 5.15 publish none); the kernel has the"
                + " generic vfio_pci module",
            false,
            false,
            true);
      }
      return new VfioChoice(
          modalias,
          vfioAlias,
          candidates,
          Optional.empty(),
          "no vfio_pci: alias matches and this kernel has no vfio_pci module",
          false,
          false,
          false);
    }
    return new VfioChoice(
        modalias,
        vfioAlias,
        candidates,
        Optional.of(best.module()),
        reason(best, candidates, tie),
        false,
        tie,
        false);
  }

  private static String reason(AliasEntry best, List<AliasEntry> candidates, boolean tie) {
    if (candidates.size() == 1) {
      return "the only matching vfio_pci alias: " + best.pattern();
    }
    List<String> others = new ArrayList<>();
    for (AliasEntry c : candidates) {
      if (c != best) {
        others.add(c.module() + " " + c.wildcards());
      }
    }
    String text =
        "fewest '*' among the matching vfio_pci aliases: "
            + best.pattern()
            + " has "
            + best.wildcards()
            + " (others: "
            + String.join(", ", others)
            + ")";
    if (tie) {
      text += "; tie broken by modules.alias order (first wins)";
    }
    return text;
  }
}
