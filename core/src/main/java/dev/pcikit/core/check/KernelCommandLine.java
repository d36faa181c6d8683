package dev.pcikit.core.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kernel command line as parameters. Later occurrences win, as in the kernel's parse_args for
 * single-valued options. Quoted values are unquoted.
 */
record KernelCommandLine(String text, Map<String, String> params) {

  public static KernelCommandLine parse(String text) {
    Map<String, String> p = new LinkedHashMap<>();
    for (String token : tokens(text)) {
      int eq = token.indexOf('=');
      String key = eq < 0 ? token : token.substring(0, eq);
      String value = eq < 0 ? "" : token.substring(eq + 1);
      // The kernel treats '-' and '_' in parameter names alike (parameq in kernel/params.c).
      p.put(key.replace('-', '_'), value);
    }
    return new KernelCommandLine(text, p);
  }

  private static List<String> tokens(String text) {
    List<String> out = new java.util.ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (char c : text.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (Character.isWhitespace(c) && !quoted) {
        if (cur.length() > 0) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(c);
      }
    }
    if (cur.length() > 0) {
      out.add(cur.toString());
    }
    return out;
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(params.get(name.replace('-', '_')));
  }

  public boolean has(String name) {
    return params.containsKey(name.replace('-', '_'));
  }

  /** Whether a comma-separated option list ({@code intel_iommu=on,sm_on}) contains a value. */
  public boolean listContains(String name, String value) {
    return get(name).map(v -> List.of(v.split(",")).contains(value)).orElse(false);
  }

  /** The parameters that matter for passthrough, as they appear, in order. */
  public List<String> relevant() {
    return params.entrySet().stream()
        .filter(e -> isRelevant(e.getKey()))
        .map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue())
        .toList();
  }

  private static boolean isRelevant(String key) {
    return key.equals("intel_iommu")
        || key.equals("amd_iommu")
        || key.equals("iommu")
        || key.equals("intremap")
        || key.equals("nointremap")
        || key.equals("iommu.passthrough")
        || key.equals("iommu.strict")
        || key.startsWith("vfio")
        || key.equals("pcie_acs_override")
        || key.equals("disable_ddw");
  }
}
