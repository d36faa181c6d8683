package dev.pcikit.core.export;

import java.util.List;

/** The comment an export starts with: what it is, for which node, and each function left out. */
final class ExportComment {
  private ExportComment() {}

  /** "pcikit export FORMAT: WHAT for NODE: N assignable PCI function(s)", then the left out. */
  static String of(String format, String what, ExportHost host, List<LeftOut> out) {
    return withLeftOut(
        "pcikit export "
            + format
            + ": "
            + what
            + " for "
            + host.node()
            + ": "
            + host.assignable().size()
            + " assignable PCI function(s)",
        out);
  }

  /** The heading, then a "left out" line per function. */
  static String withLeftOut(String heading, List<LeftOut> out) {
    StringBuilder c = new StringBuilder(heading);
    for (LeftOut l : out) {
      c.append("\nleft out ").append(l);
    }
    return c.toString();
  }
}
