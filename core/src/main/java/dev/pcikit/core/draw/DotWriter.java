package dev.pcikit.core.draw;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a topology tree as Graphviz DOT text: one node per box, IOMMU groups as filled clusters,
 * bus edges solid, PF→VF edges dashed. For users who lay pictures out with their own Graphviz.
 */
public final class DotWriter {
  private DotWriter() {}

  public static String write(String title, List<TreeNode> roots) {
    StringBuilder s = new StringBuilder();
    s.append("digraph pcikit {\n");
    s.append("  label=").append(quote(title)).append(";\n  labelloc=t;\n");
    s.append("  rankdir=LR;\n");
    s.append(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"monospace\", fontsize=11];\n");
    s.append("  edge [arrowhead=none];\n");
    Map<String, List<TreeNode>> clusters = new LinkedHashMap<>();
    Map<String, String> labels = new LinkedHashMap<>();
    List<TreeNode> loose = new ArrayList<>();
    for (TreeNode r : roots) {
      r.forEach(
          n -> {
            if (n.group() != null) {
              clusters.computeIfAbsent(n.group().key(), k -> new ArrayList<>()).add(n);
              labels.putIfAbsent(n.group().key(), n.group().label());
            } else {
              loose.add(n);
            }
          });
    }
    for (TreeNode n : loose) {
      node(s, "  ", n);
    }
    int i = 0;
    for (Map.Entry<String, List<TreeNode>> c : clusters.entrySet()) {
      s.append("  subgraph ").append(quote("cluster_" + c.getKey())).append(" {\n");
      s.append("    label=").append(quote(labels.get(c.getKey()))).append(";\n");
      s.append("    style=\"rounded,filled\";\n");
      s.append("    fillcolor=\"").append(i++ % 2 == 0 ? "#d8efd3" : "#d6e6f7").append("\";\n");
      for (TreeNode n : c.getValue()) {
        node(s, "    ", n);
      }
      s.append("  }\n");
    }
    for (TreeNode r : roots) {
      r.forEach(
          n -> {
            if (n.peer() != null) {
              TreeNode p =
                  new TreeNode(
                      n.peer().id(), n.peer().lines(), n.peer().style(), null, false, List.of());
              node(s, "  ", p);
              s.append("  ")
                  .append(quote(n.id()))
                  .append(" -> ")
                  .append(quote(n.peer().id()))
                  .append(" [style=bold, color=\"#c45f00\", constraint=false];\n");
            }
          });
      edges(s, r);
    }
    s.append("}\n");
    return s.toString();
  }

  private static void node(StringBuilder s, String indent, TreeNode n) {
    String fill =
        switch (n.style()) {
          case PLATFORM -> "#e6ebf2";
          case HOST_DRIVER -> "#ffffff";
          case VFIO -> "#ffd9a0";
          case NO_DRIVER -> "#f5f5f5";
          case NOT_RESPONDING -> "#ffd0d0";
        };
    s.append(indent)
        .append(quote(n.id()))
        .append(" [label=")
        .append(quote(String.join("\n", n.lines())))
        .append(", fillcolor=\"")
        .append(fill)
        .append('"');
    if (n.style() == NodeStyle.VFIO) {
      s.append(", color=\"#c45f00\", penwidth=2.5");
    } else if (n.style() == NodeStyle.NO_DRIVER) {
      s.append(", style=\"rounded,filled,dashed\"");
    } else if (n.style() == NodeStyle.NOT_RESPONDING) {
      s.append(", color=\"#b00020\", penwidth=2.5");
    }
    s.append("];\n");
  }

  private static void edges(StringBuilder s, TreeNode n) {
    for (TreeNode c : n.children()) {
      s.append("  ").append(quote(n.id())).append(" -> ").append(quote(c.id()));
      if (c.viaVfLink()) {
        s.append(" [style=dashed, color=\"#7b3fa0\", label=\"VF\"]");
      }
      s.append(";\n");
      edges(s, c);
    }
  }

  /** A DOT double-quoted string: backslash and quote escaped, newlines as \n (centred lines). */
  static String quote(String text) {
    StringBuilder b = new StringBuilder("\"");
    for (char ch : text.toCharArray()) {
      switch (ch) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> {}
        default -> b.append(ch);
      }
    }
    return b.append('"').toString();
  }
}
