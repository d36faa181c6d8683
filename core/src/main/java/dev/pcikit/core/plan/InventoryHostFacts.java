package dev.pcikit.core.plan;

import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigSpace;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.sysfs.Sysfs;
import java.util.ArrayList;
import java.util.List;

/** The planner's host facts, taken from the inventory (read with full detail). */
public final class InventoryHostFacts {
  private InventoryHostFacts() {}

  /**
   * @param sysfs the same host's sysfs, asked only when a non-root reader got 64 config bytes: then
   *     a {@code max_link_speed} attribute (published for PCIe functions only) tells PCIe.
   */
  public static HostTopology of(Inventory inventory, Sysfs sysfs) {
    List<HostFunction> out = new ArrayList<>();
    for (PciDevice d : inventory.devices()) {
      out.add(function(d, sysfs));
    }
    return new HostTopology(out);
  }

  static HostFunction function(PciDevice d, Sysfs sysfs) {
    byte[] cfg = d.config();
    boolean pcie;
    int configSize;
    if (cfg.length >= 256) {
      ConfigSpace cs = ConfigDecoder.decode(cfg);
      pcie = cs.express().isPresent();
      configSize = cfg.length >= 4096 ? 4096 : 256;
    } else {
      // an unprivileged reader gets 64 bytes: assume what the kernel gives each kind
      pcie = sysfs.exists("bus/pci/devices/" + d.address() + "/max_link_speed");
      configSize = pcie ? 4096 : 256;
    }
    boolean multifunction = cfg.length > 0x0e && (cfg[0x0e] & 0x80) != 0;
    return new HostFunction(
        d.address(),
        Math.max(0, d.vendor()),
        Math.max(0, d.device()),
        Math.max(0, d.classCode()),
        d.iommuGroup().orElse(HostFunction.NO_GROUP),
        d.numaNode() < 0 ? HostFunction.NO_NODE : d.numaNode(),
        pcie,
        configSize,
        multifunction,
        d.physfn());
  }
}
