package dev.pcikit.core.draw;

import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import java.util.List;
import java.util.function.Function;

/** The picture of a host: its PCI tree with IOMMU groups, drivers, NUMA nodes and VFs. */
public final class HostPicture {
  private final String title;
  private final List<TreeNode> tree;

  public HostPicture(
      String title, Inventory inv, Function<PciDevice, String> names, boolean expandVfs) {
    this.title = title;
    this.tree = new HostTreeBuilder(inv, names, expandVfs).build();
  }

  public List<TreeNode> tree() {
    return tree;
  }

  public Layout layout() {
    return TreeLayout.layout(title, tree);
  }

  public String svg() {
    return SvgWriter.write(layout());
  }

  public String dot() {
    return DotWriter.write(title, tree);
  }
}
