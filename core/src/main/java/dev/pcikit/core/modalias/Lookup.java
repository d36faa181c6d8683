package dev.pcikit.core.modalias;

import java.util.ArrayList;
import java.util.List;

/**
 * The answer to one alias lookup, as {@code modprobe -R} gives it, with where it came from.
 *
 * @param input the string asked for
 * @param alias the string after kmod's normalisation (dashes outside brackets → underscores)
 * @param source the kmod lookup that answered (the first one with an answer wins)
 * @param matches the matching alias lines in kmod's order; a module appears once per matching line
 */
public record Lookup(String input, String alias, Source source, List<AliasEntry> matches) {

  /** The kmod lookups, in the order libkmod's {@code kmod_module_new_from_lookup()} tries them. */
  public enum Source {
    /** an {@code alias} line in modprobe.d */
    CONFIG,
    /** the string is a module name in {@code modules.dep} */
    MODULE_NAME,
    /** a {@code symbol:} alias in {@code modules.symbols} */
    SYMBOL,
    /** an {@code install}/{@code remove} line in modprobe.d names exactly this string */
    COMMAND,
    /** {@code modules.alias} */
    MODULES_ALIAS,
    /** the string is a built-in module's name ({@code modules.builtin}) */
    BUILTIN_MODULE,
    /** an alias of a built-in module ({@code modules.builtin.modinfo}) */
    BUILTIN_ALIAS,
    /** nothing matched */
    NONE
  }

  public Lookup {
    matches = List.copyOf(matches);
  }

  /** The module names, in kmod's order, duplicates kept: what {@code modprobe -R} prints. */
  public List<String> modules() {
    List<String> out = new ArrayList<>(matches.size());
    for (AliasEntry e : matches) {
      out.add(e.module());
    }
    return out;
  }
}
