package dev.pcikit.core.modalias;

import java.util.Optional;

/**
 * kmod's name normalisations, ported from kmod's {@code shared/util.c}.
 *
 * <p>{@code alias_normalize()} turns every {@code -} outside a bracket expression into {@code _}
 * (so {@code vfio-pci:…} becomes {@code vfio_pci:…}) and rejects a {@code ]} without {@code [} or a
 * {@code [} without {@code ]}. kmod applies it to the alias being looked up and depmod applies it
 * to every pattern it puts into {@code modules.alias.bin}; {@code underscores()}, the same rule, is
 * applied to {@code alias} lines of modprobe.d files.
 */
public final class KmodNames {

  /** kmod copies aliases into a {@code PATH_MAX} buffer; longer input is truncated there. */
  public static final int MAX_ALIAS = 4095;

  private KmodNames() {}

  /**
   * {@code alias_normalize()}: dashes outside brackets become underscores; empty when a bracket is
   * unmatched (kmod answers EINVAL).
   */
  public static Optional<String> normalizeAlias(String alias) {
    StringBuilder b = null;
    int n = alias.length();
    for (int i = 0; i < n; i++) {
      char c = alias.charAt(i);
      if (c == '-') {
        if (b == null) {
          b = new StringBuilder(alias);
        }
        b.setCharAt(i, '_');
      } else if (c == ']') {
        return Optional.empty();
      } else if (c == '[') {
        int close = alias.indexOf(']', i + 1);
        if (close < 0) {
          return Optional.empty();
        }
        i = close;
      }
    }
    return Optional.of(b == null ? alias : b.toString());
  }

  /**
   * The module name of a {@code modules.dep} / {@code modules.builtin} path: the file name up to
   * its first dot, dashes turned into underscores (kmod's {@code path_to_modname()}).
   */
  public static String moduleNameOfPath(String path) {
    return normalizeModuleName(path.substring(path.lastIndexOf('/') + 1));
  }

  /** {@code modname_normalize()}: up to the first dot, dashes become underscores. */
  public static String normalizeModuleName(String name) {
    int dot = name.indexOf('.');
    return (dot >= 0 ? name.substring(0, dot) : name).replace('-', '_');
  }
}
