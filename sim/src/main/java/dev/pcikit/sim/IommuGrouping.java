package dev.pcikit.sim;

import dev.pcikit.core.model.PciAddress;
import java.util.OptionalInt;

/**
 * Decides which IOMMU group a new device joins, following pci_device_group() of Linux 6.1
 * (drivers/iommu/iommu.c): a conventional device behind a PCIe-to-PCI bridge shares the bridge's
 * group (DMA alias); a device below a bridge whose path to the root lacks ACS (SV, RR, CR, UF)
 * shares its parent bridge's group; a multifunction device without ACS shares the group of its
 * sibling functions without ACS; otherwise it gets a new group. pci_acs_enabled() decides per
 * device type; a device property {@code acs_quirk} stands for the kernel's ACS quirks (e.g. Intel
 * RCiEPs treated as isolated).
 */
public final class IommuGrouping {
  private static final int ROOT_PORT = 0x4;
  private static final int DOWNSTREAM = 0x6;
  private static final int PCIE_TO_PCI = 0x7;
  private static final int PCI_TO_PCIE = 0x8;

  private final DeviceTree tree;

  public IommuGrouping(DeviceTree tree) {
    this.tree = tree;
  }

  /** The existing group a device must join, or empty when it gets a group of its own. */
  public OptionalInt groupToJoin(String bdf) {
    String dir = tree.dir(bdf);
    ConfigBytes cfg = new ConfigBytes(tree.config(bdf));
    if (!cfg.isPcie()) {
      for (String p = SysfsPaths.parent(dir); isDeviceDir(p); p = SysfsPaths.parent(p)) {
        if (new ConfigBytes(tree.config(SysfsPaths.name(p))).pcieType() == PCIE_TO_PCI) {
          OptionalInt g = tree.group(SysfsPaths.name(p));
          if (g.isPresent()) {
            return g;
          }
        }
      }
    }
    String parent = SysfsPaths.parent(dir);
    if (isDeviceDir(parent)) {
      for (String p = parent; isDeviceDir(p); p = SysfsPaths.parent(p)) {
        if (!acsEnabled(SysfsPaths.name(p))) {
          return tree.group(SysfsPaths.name(parent));
        }
      }
    }
    if (cfg.multifunction() && !acsEnabled(bdf)) {
      PciAddress a = PciAddress.parse(bdf);
      for (String other : tree.bdfs()) {
        PciAddress o = PciAddress.parse(other);
        if (!other.equals(bdf)
            && o.domain() == a.domain()
            && o.bus() == a.bus()
            && o.device() == a.device()
            && !acsEnabled(other)
            && tree.group(other).isPresent()) {
          return tree.group(other);
        }
      }
    }
    return OptionalInt.empty();
  }

  /** Joins the group pci_device_group() picks, or a new lowest-numbered one. */
  public int assign(String bdf, String type) {
    OptionalInt g = groupToJoin(bdf);
    int n = g.isPresent() ? g.getAsInt() : tree.freeGroupNumber();
    tree.setGroup(bdf, n, type);
    return n;
  }

  /** pci_acs_enabled(pdev, REQ_ACS_FLAGS) of drivers/pci/pci.c, quirks as a property. */
  public boolean acsEnabled(String bdf) {
    if (tree.fs().props(bdf).containsKey("acs_quirk")) {
      return true;
    }
    ConfigBytes c = new ConfigBytes(tree.config(bdf));
    if (!c.isPcie()) {
      return false;
    }
    return switch (c.pcieType()) {
      case ROOT_PORT, DOWNSTREAM, PCIE_TO_PCI, PCI_TO_PCIE -> c.acsFlagsEnabled();
      case 0x0, 0x1, 0x5, 0x9 -> !c.multifunction() || c.acsFlagsEnabled();
      default -> true;
    };
  }

  private static boolean isDeviceDir(String dir) {
    String n = SysfsPaths.name(dir);
    return n.length() == 12 && PciAddress.isAddress(n);
  }
}
