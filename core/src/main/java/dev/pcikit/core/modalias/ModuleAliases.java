package dev.pcikit.core.modalias;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.error.Remedy;
import dev.pcikit.core.io.InputFiles;
import dev.pcikit.core.sysfs.SystemRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads the module aliases of a kernel release the way kmod sees them.
 *
 * <p>kmod answers from the binary indexes depmod writes ({@code modules.alias.bin}, …); pcikit
 * reads the text files depmod writes next to them from the same data and in the same order: {@code
 * modules.alias} (one {@code alias PATTERN MODULE} line per alias, modules in {@code
 * modules.order}), {@code modules.builtin.modinfo} (what depmod turns into {@code
 * modules.builtin.alias.bin}), {@code modules.dep} and {@code modules.builtin} (module names),
 * {@code modules.symbols} (read on first {@code symbol:} lookup).
 */
public final class ModuleAliases {

  private ModuleAliases() {}

  /**
   * The aliases of {@code release} under {@code root} ({@code ROOT/lib/modules/RELEASE}) with the
   * root's modprobe.d configuration.
   */
  public static AliasIndex load(SystemRoot root, String release) {
    return load(root.modules().resolve(release), ModprobeConfig.defaultPaths(root.root()), release);
  }

  /**
   * The aliases in {@code modulesDir} with the configuration in {@code configPaths} (kmod's {@code
   * -C}: replaces the default search path; an empty list means no configuration).
   *
   * @throws PcikitException NOT_FOUND when modules.alias is missing, BAD_INPUT when it cannot be
   *     read
   */
  public static AliasIndex load(Path modulesDir, List<Path> configPaths, String release) {
    Warnings warnings = new Warnings();
    Path aliasFile = modulesDir.resolve("modules.alias");
    if (!Files.isRegularFile(aliasFile)) {
      String hint =
          Files.exists(modulesDir.resolve("modules.alias.bin"))
              ? " (only modules.alias.bin is there; pcikit reads the text file depmod writes"
                  + " with it: run depmod)"
              : Files.isDirectory(modulesDir)
                  ? " (run depmod " + release + ")"
                  : " (no module directory for kernel " + release + ")";
      throw new PcikitException(Failure.NOT_FOUND, aliasFile + ": not found" + hint);
    }
    staleCheck(aliasFile, modulesDir.resolve("modules.alias.bin"), warnings);
    PatternTrie aliases;
    try {
      aliases = readAliasFile(aliasFile, warnings);
    } catch (IOException e) {
      throw new PcikitException(
          Failure.BAD_INPUT, aliasFile + ": cannot read: " + e.getMessage(), e);
    }
    PatternTrie builtin = readBuiltinAliases(modulesDir, warnings);
    Set<String> names = readModuleNames(modulesDir.resolve("modules.dep"), true, warnings);
    Set<String> builtinNames =
        readModuleNames(modulesDir.resolve("modules.builtin"), false, warnings);
    ModprobeConfig config = ModprobeConfig.load(configPaths, modulesDir, warnings);
    Lazy<PatternTrie> symbols =
        new Lazy<>(
            () -> {
              Path f = modulesDir.resolve("modules.symbols");
              if (!Files.isRegularFile(f)) {
                return new PatternTrie(List.of(), new int[0]);
              }
              try {
                return readAliasFile(f, new Warnings());
              } catch (IOException e) {
                throw new PcikitException(
                    Failure.BAD_INPUT, f + ": cannot read: " + e.getMessage(), e);
              }
            });
    return new AliasIndex(
        modulesDir,
        release,
        config,
        aliases,
        builtin,
        names,
        builtinNames,
        symbols,
        warnings.list());
  }

  /**
   * The release of the running kernel of {@code root}: {@code ROOT/proc/sys/kernel/osrelease} (what
   * {@code uname -r} prints).
   */
  public static String runningRelease(SystemRoot root) {
    Path f = root.proc().resolve("sys/kernel/osrelease");
    String r;
    try {
      r = new String(InputFiles.read(f, 4096, "kernel release file"), StandardCharsets.US_ASCII);
    } catch (PcikitException e) {
      throw new PcikitException(
          e.failure(),
          Remedy.NAME_KERNEL_RELEASE,
          "cannot read the kernel release: " + e.getMessage());
    }
    r = r.strip();
    if (r.isEmpty() || r.contains("/") || r.length() > 256) {
      throw new PcikitException(
          Failure.BAD_INPUT,
          f + ": not a kernel release: '" + dev.pcikit.core.text.SafeText.field(r) + "'");
    }
    return r;
  }

  private static void staleCheck(Path text, Path bin, Warnings warnings) {
    try {
      if (Files.exists(bin)) {
        FileTime t = Files.getLastModifiedTime(text);
        FileTime b = Files.getLastModifiedTime(bin);
        if (t.toMillis() > b.toMillis() + 2000) {
          warnings.add(
              text
                  + ": newer than modules.alias.bin; kmod answers from the .bin, so the two may"
                  + " disagree until depmod runs");
        }
      }
    } catch (IOException e) {
      // the comparison is advisory
    }
  }

  /**
   * Reads a depmod alias file ({@code modules.alias}, {@code modules.symbols}): lines {@code alias
   * PATTERN MODULE}, the module being the last space-separated token (patterns may contain spaces).
   * Each module's priority is its rank among the modules in file order, which is depmod's module
   * order and so the priority depmod stores in the .bin index.
   */
  static PatternTrie readAliasFile(Path file, Warnings warnings) throws IOException {
    AliasLines lines = new AliasLines(file.toString(), warnings);
    BoundedLines.read(file, lines::add, warnings);
    return lines.trie();
  }

  /**
   * The aliases of a kernel given as {@code modules.alias} lines rather than files: a simulated
   * host's driver catalogue. No modprobe.d configuration, no built-in aliases.
   *
   * @param origin how to name the source in warnings and lookups
   * @param release the kernel release the aliases belong to
   * @param lines {@code alias PATTERN MODULE} lines in module order
   */
  public static AliasIndex ofAliasLines(String origin, String release, List<String> lines) {
    Warnings warnings = new Warnings();
    AliasLines parsed = new AliasLines(origin, warnings);
    for (int i = 0; i < lines.size(); i++) {
      parsed.add(i + 1, lines.get(i));
    }
    Set<String> names = new HashSet<>();
    for (String l : lines) {
      names.add(l.substring(l.lastIndexOf(' ') + 1));
    }
    return new AliasIndex(
        Path.of(origin),
        release,
        ModprobeConfig.empty(),
        parsed.trie(),
        new PatternTrie(List.of(), new int[0]),
        names,
        Set.of(),
        () -> new PatternTrie(List.of(), new int[0]),
        warnings.list());
  }

  /**
   * Lines of a depmod alias file ({@code alias PATTERN MODULE}), the module being the last
   * space-separated token (patterns may contain spaces). Each module's priority is its rank among
   * the modules in file order, which is depmod's module order and so the priority depmod stores in
   * the .bin index.
   */
  private static final class AliasLines {
    private final String file;
    private final Warnings warnings;
    private final List<AliasEntry> entries = new ArrayList<>();
    private final List<Integer> prio = new ArrayList<>();
    private final Map<String, Integer> rank = new HashMap<>();

    AliasLines(String file, Warnings warnings) {
      this.file = file;
      this.warnings = warnings;
    }

    void add(int number, String line) {
      if (line.isEmpty() || line.charAt(0) == '#') {
        return;
      }
      if (!line.startsWith("alias ")) {
        warnings.add(file + ":" + number + ": not an 'alias PATTERN MODULE' line; ignored");
        return;
      }
      int last = line.lastIndexOf(' ');
      String module = line.substring(last + 1);
      String raw = line.substring("alias ".length(), Math.max(last, "alias ".length()));
      if (last < "alias ".length() || raw.isEmpty() || module.isEmpty()) {
        warnings.add(file + ":" + number + ": alias line without pattern or module; ignored");
        return;
      }
      Optional<String> pattern = KmodNames.normalizeAlias(raw);
      if (pattern.isEmpty()) {
        // depmod: "Unmatched bracket" and the alias is left out of the index
        warnings.add(
            file + ":" + number + ": unmatched bracket in '" + raw + "'; ignored (as depmod)");
        return;
      }
      if (pattern.get().length() > KmodNames.MAX_ALIAS) {
        warnings.add(file + ":" + number + ": pattern longer than PATH_MAX; ignored");
        return;
      }
      Integer r = rank.computeIfAbsent(module, m -> rank.size());
      entries.add(new AliasEntry(pattern.get(), module, file, number));
      prio.add(r);
    }

    PatternTrie trie() {
      int[] p = new int[prio.size()];
      for (int i = 0; i < p.length; i++) {
        p[i] = prio.get(i);
      }
      return new PatternTrie(entries, p);
    }
  }

  /**
   * Built-in modules' aliases: {@code modules.builtin.modinfo} holds NUL-terminated {@code
   * module.key=value} records; depmod indexes the {@code alias} ones with priority 0. A text {@code
   * modules.builtin.alias} (same format as modules.alias) is used when modinfo is absent.
   */
  private static PatternTrie readBuiltinAliases(Path modulesDir, Warnings warnings) {
    Path modinfo = modulesDir.resolve("modules.builtin.modinfo");
    Path text = modulesDir.resolve("modules.builtin.alias");
    List<AliasEntry> entries = new ArrayList<>();
    if (Files.isRegularFile(modinfo)) {
      try {
        readModinfo(modinfo, entries, warnings);
      } catch (IOException e) {
        warnings.add(
            modinfo
                + ": cannot read ("
                + e.getMessage()
                + "); aliases of built-in modules unknown");
      }
    } else if (Files.isRegularFile(text)) {
      try {
        PatternTrie t = readAliasFile(text, warnings);
        return t.withPriority(0);
      } catch (IOException e) {
        warnings.add(
            text + ": cannot read (" + e.getMessage() + "); aliases of built-in modules unknown");
      }
    } else if (Files.exists(modulesDir.resolve("modules.builtin.alias.bin"))) {
      warnings.add(
          modulesDir
              + ": modules.builtin.alias.bin without modules.builtin.modinfo; aliases of built-in"
              + " modules unknown");
    }
    if (!entries.isEmpty() && !Files.exists(modulesDir.resolve("modules.builtin"))) {
      warnings.add(
          modulesDir
              + ": modules.builtin is missing, so kmod reads its indexes unmapped and may list"
              + " built-in modules that share one alias pattern in the opposite order");
    }
    return new PatternTrie(entries, new int[entries.size()]);
  }

  private static void readModinfo(Path file, List<AliasEntry> entries, Warnings warnings)
      throws IOException {
    long size = Files.size(file);
    if (size > 64L << 20) {
      warnings.add(file + ": larger than 64 MiB; aliases of built-in modules not read");
      return;
    }
    byte[] all;
    try {
      all = InputFiles.read(file, 64 << 20, "modules.builtin.modinfo");
    } catch (PcikitException e) {
      warnings.add(e.getMessage() + "; aliases of built-in modules not read");
      return;
    }
    int start = 0;
    int record = 0;
    String name = file.toString();
    for (int i = 0; i <= all.length; i++) {
      if (i < all.length && all[i] != 0) {
        continue;
      }
      if (i > start) {
        record++;
        String r = new String(all, start, i - start, StandardCharsets.ISO_8859_1);
        int dot = r.indexOf('.');
        int eq = dot < 0 ? -1 : r.indexOf('=', dot);
        if (dot <= 0 || eq < 0) {
          warnings.add(name + ": record " + record + " is not module.key=value; ignored");
        } else if (r.startsWith("alias=", dot + 1) && eq + 1 < r.length()) {
          String module = r.substring(0, dot);
          String raw = r.substring(eq + 1);
          Optional<String> pattern = KmodNames.normalizeAlias(raw);
          if (pattern.isEmpty()) {
            warnings.add(name + ": record " + record + ": unmatched bracket; ignored (as depmod)");
          } else {
            entries.add(new AliasEntry(pattern.get(), module, name, record));
          }
        }
      }
      start = i + 1;
    }
  }

  /**
   * Module names from modules.dep ({@code path: deps}) or modules.builtin ({@code path}), as kmod
   * derives them from the path.
   */
  private static Set<String> readModuleNames(Path file, boolean dep, Warnings warnings) {
    Set<String> names = new HashSet<>();
    if (!Files.isRegularFile(file)) {
      return names;
    }
    try {
      BoundedLines.read(
          file,
          (number, line) -> {
            if (line.isEmpty() || line.charAt(0) == '#') {
              return;
            }
            String path = line;
            if (dep) {
              int colon = line.indexOf(':');
              if (colon < 0) {
                warnings.add(file + ":" + number + ": no ':' in a modules.dep line; ignored");
                return;
              }
              path = line.substring(0, colon);
            }
            names.add(KmodNames.moduleNameOfPath(path.strip()));
          },
          warnings);
    } catch (IOException e) {
      warnings.add(file + ": cannot read (" + e.getMessage() + "); module names from it unknown");
    }
    return names;
  }

  /** A value computed once, on first use, thread-safely. */
  private static final class Lazy<T> implements java.util.function.Supplier<T> {
    private final java.util.function.Supplier<T> compute;
    private volatile T value;

    Lazy(java.util.function.Supplier<T> compute) {
      this.compute = compute;
    }

    @Override
    public T get() {
      T v = value;
      if (v == null) {
        synchronized (this) {
          v = value;
          if (v == null) {
            v = compute.get();
            value = v;
          }
        }
      }
      return v;
    }
  }
}
