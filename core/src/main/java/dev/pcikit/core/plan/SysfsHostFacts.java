package dev.pcikit.core.plan;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A small, stand-alone reader of the host facts the planner needs, straight from the Sysfs port
 * ({@code bus/pci/devices/*}: vendor, device, class, iommu_group, numa_node, config, physfn). It
 * stays separate so that the inventory can replace it.
 */
public final class SysfsHostFacts {
  private static final String DEVICES = "bus/pci/devices";
  private static final int CAP_EXP = 0x10;

  private SysfsHostFacts() {}

  public static HostTopology read(Sysfs sysfs) throws IOException {
    List<HostFunction> out = new ArrayList<>();
    for (String name : sysfs.list(DEVICES)) {
      if (!PciAddress.isAddress(name)) {
        continue;
      }
      out.add(function(sysfs, PciAddress.parse(name), DEVICES + "/" + name));
    }
    return new HostTopology(out);
  }

  static HostFunction function(Sysfs sysfs, PciAddress a, String dir) throws IOException {
    byte[] cfg =
        sysfs.exists(dir + "/config") ? sysfs.readBytes(dir + "/config", 4096) : new byte[0];
    boolean pcie = cfg.length >= 256 ? hasExpressCap(cfg) : sysfs.exists(dir + "/max_link_speed");
    int configSize;
    if (cfg.length >= 4096) {
      configSize = 4096;
    } else if (cfg.length >= 256) {
      configSize = 256;
    } else {
      // unprivileged readers get only 64 bytes; assume what the kernel gives each kind
      configSize = pcie ? 4096 : 256;
    }
    boolean multifunction = cfg.length > 0x0e && (cfg[0x0e] & 0x80) != 0;
    int group =
        sysfs
            .linkName(dir + "/iommu_group")
            .map(SysfsHostFacts::intOrNone)
            .orElse(HostFunction.NO_GROUP);
    int numa =
        sysfs.attr(dir + "/numa_node").map(SysfsHostFacts::intOrNone).orElse(HostFunction.NO_NODE);
    Optional<PciAddress> physfn =
        sysfs.linkName(dir + "/physfn").filter(PciAddress::isAddress).map(PciAddress::parse);
    return new HostFunction(
        a,
        hex(sysfs.attr(dir + "/vendor")),
        hex(sysfs.attr(dir + "/device")),
        hex(sysfs.attr(dir + "/class")),
        group,
        numa,
        pcie,
        configSize,
        multifunction,
        physfn);
  }

  /** Walks the standard capability list (bounded, as lspci does) for the PCIe capability. */
  static boolean hasExpressCap(byte[] cfg) {
    if ((cfg[0x06] & 0x10) == 0) {
      return false;
    }
    int pos = cfg[0x34] & 0xfc;
    for (int i = 0; i < 48 && pos >= 0x40 && pos + 1 < cfg.length; i++) {
      if ((cfg[pos] & 0xff) == CAP_EXP) {
        return true;
      }
      pos = cfg[pos + 1] & 0xfc;
    }
    return false;
  }

  private static int hex(Optional<String> v) {
    try {
      return v.map(s -> Integer.parseInt(s.startsWith("0x") ? s.substring(2) : s, 16)).orElse(0);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static int intOrNone(String s) {
    try {
      return Integer.parseInt(s.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
