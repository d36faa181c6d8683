package dev.pcikit.sim;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the sysfs directory of one PCI function is made from: its config bytes plus the attributes
 * that are not in config space (NUMA node, reset methods, IRQ, extra platform attributes). Mutable
 * settings for {@link HostBuilder}; {@link DeviceTree#addDevice} turns it into files.
 */
public final class DeviceSpec {
  byte[] config;
  Integer vendor;
  Integer device;
  int numaNode = -1;
  int irq;
  String resetMethod; // null: derived from config (flr for PCIe with FLR, else pm/bus as given)
  Boolean bootVga;
  String iommu = "";
  final Map<String, String> extra = new LinkedHashMap<>();
  final Set<String> missing = new LinkedHashSet<>();

  DeviceSpec(byte[] config) {
    this.config = config.clone();
  }

  ConfigBytes cfg() {
    return new ConfigBytes(config);
  }

  int vendorId() {
    return vendor != null ? vendor : cfg().vendor();
  }

  int deviceId() {
    return device != null ? device : cfg().device();
  }

  /** The modalias the kernel prints (drivers/pci/pci-sysfs.c modalias_show). */
  String modalias() {
    ConfigBytes c = cfg();
    int cls = c.classCode();
    return String.format(
        Locale.ROOT,
        "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X",
        vendorId(),
        deviceId(),
        c.subsystemVendor(),
        c.subsystemDevice(),
        cls >> 16,
        (cls >> 8) & 0xff,
        cls & 0xff);
  }
}
