package dev.pcikit.core.draw;

import java.util.List;

/**
 * One box of a topology picture: a root bus, a bridge, a device, or a collapsed run of VFs.
 *
 * @param id a stable identifier (BDF, root bus name, or "vfs:FIRST-LAST")
 * @param lines the text of the box, first line first
 * @param group the region the box is shaded with (an IOMMU group, or a run label); null for none
 * @param viaVfLink whether the edge from the parent is a PF→VF link rather than a bus
 * @param peer a box drawn in a second column on the same row and linked to this one (the host
 *     device a planned guest device comes from); null for none
 */
public record TreeNode(
    String id,
    List<String> lines,
    NodeStyle style,
    Region group,
    boolean viaVfLink,
    List<TreeNode> children,
    Peer peer) {

  public TreeNode {
    lines = List.copyOf(lines);
    children = List.copyOf(children);
  }

  public TreeNode(
      String id,
      List<String> lines,
      NodeStyle style,
      Region group,
      boolean viaVfLink,
      List<TreeNode> children) {
    this(id, lines, style, group, viaVfLink, children, null);
  }

  /** The box in the second column. */
  public record Peer(String id, List<String> lines, NodeStyle style) {
    public Peer {
      lines = List.copyOf(lines);
    }
  }

  /**
   * A shaded region: one IOMMU group (key "g12"), or the groups of a collapsed VF run each alone in
   * its group (key "vfs:..."), with the label shown beside it.
   */
  public record Region(String key, String label) {}

  /** Every node of the subtree, depth first, this one first. */
  public void forEach(java.util.function.Consumer<TreeNode> f) {
    f.accept(this);
    for (TreeNode c : children) {
      c.forEach(f);
    }
  }
}
