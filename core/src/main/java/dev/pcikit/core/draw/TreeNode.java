package dev.pcikit.core.draw;

import java.util.List;

/**
 * One box of a topology picture: a root bus, a bridge, a device, or a collapsed run of VFs.
 *
 * @param id a stable identifier (BDF, root bus name, or "vfs:FIRST-LAST")
 * @param lines the text of the box, first line first
 * @param group the region the box is shaded with (an IOMMU group, or a run label); null for none
 * @param viaVfLink whether the edge from the parent is a PF→VF link rather than a bus
 */
public record TreeNode(
    String id,
    List<String> lines,
    NodeStyle style,
    Region group,
    boolean viaVfLink,
    List<TreeNode> children) {

  public TreeNode {
    lines = List.copyOf(lines);
    children = List.copyOf(children);
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
