package dev.pcikit.sim;

import dev.pcikit.core.model.PciAddress;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The structure of a PCI sysfs tree, laid out as Linux 6.1 lays it out: device directories under
 * {@code devices/pciDDDD:BB/...}, relative links from {@code bus/pci/devices}, {@code
 * bus/pci/drivers/X}, {@code kernel/iommu_groups/N/devices}, and each device's {@code driver},
 * {@code iommu_group}, {@code subsystem}, {@code iommu} links. Used by the host builder, the
 * snapshot loader and the simulated kernel, so that all three make the same shape.
 */
public final class DeviceTree {
  public static final String BUS = "bus/pci";
  public static final String DEVICES = "bus/pci/devices";
  public static final String DRIVERS = "bus/pci/drivers";
  public static final String GROUPS = "kernel/iommu_groups";
  public static final String MODULES = "module";

  private final HostSysfs fs;

  public DeviceTree(HostSysfs fs) {
    this.fs = fs;
  }

  public HostSysfs fs() {
    return fs;
  }

  // ---- reading ------------------------------------------------------------------------------

  public List<String> bdfs() {
    try {
      return fs.exists(DEVICES) ? fs.list(DEVICES) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  public boolean exists(String bdf) {
    return fs.exists(DEVICES + "/" + bdf);
  }

  /**
   * The device's canonical directory, e.g. {@code devices/pci0000:00/0000:00:02.0/0000:01:00.0}.
   */
  public String dir(String bdf) {
    return fs.realDir(DEVICES + "/" + bdf);
  }

  public Optional<String> attr(String bdf, String name) {
    return fs.attr(DEVICES + "/" + bdf + "/" + name);
  }

  public byte[] config(String bdf) {
    try {
      return fs.readBytes(dir(bdf) + "/config", 4096);
    } catch (IOException e) {
      return new byte[0];
    }
  }

  public Optional<String> driver(String bdf) {
    return fs.linkName(DEVICES + "/" + bdf + "/driver");
  }

  public OptionalInt group(String bdf) {
    Optional<String> g = fs.linkName(DEVICES + "/" + bdf + "/iommu_group");
    return g.isPresent() ? OptionalInt.of(Integer.parseInt(g.get())) : OptionalInt.empty();
  }

  public List<String> groupDevices(int group) {
    try {
      String d = GROUPS + "/" + group + "/devices";
      return fs.exists(d) ? fs.list(d) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  public List<Integer> groups() {
    List<Integer> out = new ArrayList<>();
    try {
      if (fs.exists(GROUPS)) {
        for (String n : fs.list(GROUPS)) {
          out.add(Integer.parseInt(n));
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not a group directory
    }
    out.sort(null);
    return out;
  }

  public Optional<String> physfn(String bdf) {
    return fs.linkName(DEVICES + "/" + bdf + "/physfn");
  }

  /**
   * The VFs of a PF in virtfnN order. A VF removed on its own (its {@code remove} attribute) leaves
   * a gap: sriov_numvfs still counts it.
   */
  public List<String> virtfns(String bdf) {
    List<String> out = new ArrayList<>();
    int n = Integer.parseInt(attr(bdf, "sriov_numvfs").orElse("0"));
    for (int i = 0; i < n; i++) {
      fs.linkName(DEVICES + "/" + bdf + "/virtfn" + i).ifPresent(out::add);
    }
    return out;
  }

  public boolean driverLoaded(String driver) {
    return fs.exists(DRIVERS + "/" + driver);
  }

  public List<String> driverDevices(String driver) {
    List<String> out = new ArrayList<>();
    try {
      for (String n : fs.list(DRIVERS + "/" + driver)) {
        if (PciAddress.isAddress(n) && n.length() > 8) {
          out.add(n);
        }
      }
    } catch (IOException e) {
      // not loaded
    }
    return out;
  }

  // ---- building -----------------------------------------------------------------------------

  /** bus/pci with its attributes, kernel/iommu_groups (empty). Idempotent. */
  public void ensureSkeleton() {
    if (fs.exists(BUS + "/drivers_probe")) {
      return;
    }
    fs.mkdirs(DEVICES).mkdirs(DRIVERS).mkdirs(BUS + "/slots").mkdirs(GROUPS);
    fs.putSpecial(BUS + "/drivers_probe", SpecialFile.writeOnly());
    fs.putSpecial(BUS + "/rescan", SpecialFile.writeOnly());
    fs.putSpecial(BUS + "/uevent", SpecialFile.writeOnly());
    fs.putText(BUS + "/drivers_autoprobe", "1\n");
    fs.putText(BUS + "/resource_alignment", "\n");
  }

  /** {@code devices/pciDDDD:BB}: the directory of a root bus (host bridge). */
  public String ensureRootBus(int domain, int bus) {
    String d = String.format(Locale.ROOT, "devices/pci%04x:%02x", domain, bus);
    if (!fs.exists(d)) {
      fs.mkdirs(d + String.format(Locale.ROOT, "/pci_bus/%04x:%02x", domain, bus));
      fs.putText(d + "/uevent", "");
      fs.putText(d + "/waiting_for_supplier", "0\n");
    }
    return d;
  }

  /** Creates a device directory and its bus/pci/devices link. */
  public void addDevice(String parentDir, PciAddress a, DeviceSpec s) {
    String bdf = a.toString();
    String dir = parentDir + "/" + bdf;
    ConfigBytes c = s.cfg();
    fs.mkdirs(dir);
    fs.putFile(dir + "/config", s.config);
    put(s, dir, "vendor", String.format(Locale.ROOT, "0x%04x", s.vendorId()));
    put(s, dir, "device", String.format(Locale.ROOT, "0x%04x", s.deviceId()));
    put(s, dir, "subsystem_vendor", String.format(Locale.ROOT, "0x%04x", c.subsystemVendor()));
    put(s, dir, "subsystem_device", String.format(Locale.ROOT, "0x%04x", c.subsystemDevice()));
    put(s, dir, "class", String.format(Locale.ROOT, "0x%06x", c.classCode()));
    put(s, dir, "revision", String.format(Locale.ROOT, "0x%02x", c.revision()));
    put(s, dir, "irq", Integer.toString(s.irq));
    put(s, dir, "modalias", s.modalias());
    put(s, dir, "numa_node", Integer.toString(s.numaNode));
    put(s, dir, "local_cpulist", "0-3");
    put(s, dir, "enable", "0");
    put(s, dir, "driver_override", "(null)");
    put(s, dir, "broken_parity_status", "0");
    put(s, dir, "msi_bus", "1");
    put(s, dir, "d3cold_allowed", "1");
    put(s, dir, "power_state", "D0");
    put(s, dir, "dma_mask_bits", "32");
    put(s, dir, "consistent_dma_mask_bits", "32");
    if (c.isPcie()) {
      put(s, dir, "ari_enabled", "0");
    }
    if (!s.missing.contains("resource")) {
      // resource_show: 13 lines (BARs, ROM, IOV BARs), 17 for bridges (plus windows)
      int lines = c.isBridge() ? 17 : 13;
      fs.putText(
          dir + "/resource",
          "0x0000000000000000 0x0000000000000000 0x0000000000000000\n".repeat(lines));
    }
    if (s.bootVga != null) {
      put(s, dir, "boot_vga", s.bootVga ? "1" : "0");
    }
    String reset = s.resetMethod != null ? s.resetMethod : (c.flr() ? "flr" : "");
    if (!reset.isEmpty() && !s.missing.contains("reset_method")) {
      put(s, dir, "reset_method", reset);
      fs.putSpecial(dir + "/reset", SpecialFile.stat("--w-------", 4096));
    }
    fs.putSpecial(dir + "/remove", SpecialFile.stat("--w--w----", 4096));
    fs.putSpecial(dir + "/rescan", SpecialFile.stat("--w-------", 4096));
    if (c.isBridge()) {
      fs.mkdirs(
          dir + String.format(Locale.ROOT, "/pci_bus/%04x:%02x", a.domain(), c.secondaryBus()));
    }
    if (c.hasSriov()) {
      put(s, dir, "sriov_totalvfs", Integer.toString(c.sriovTotalVfs()));
      put(s, dir, "sriov_numvfs", "0");
      put(s, dir, "sriov_offset", Integer.toString(c.sriovOffset()));
      put(s, dir, "sriov_stride", Integer.toString(c.sriovStride()));
      put(s, dir, "sriov_vf_device", Integer.toHexString(c.sriovVfDevice()));
      put(s, dir, "sriov_drivers_autoprobe", "1");
      put(s, dir, "sriov_vf_total_msix", "0");
    }
    for (Map.Entry<String, String> e : s.extra.entrySet()) {
      put(s, dir, e.getKey(), e.getValue());
    }
    fs.putLink(dir + "/subsystem", SysfsPaths.relative(dir, BUS));
    if (!s.iommu.isEmpty()) {
      fs.putLink(dir + "/iommu", SysfsPaths.relative(dir, "devices/virtual/iommu/" + s.iommu));
      fs.mkdirs("devices/virtual/iommu/" + s.iommu);
    }
    ensureSkeleton();
    fs.putLink(DEVICES + "/" + bdf, SysfsPaths.relative(DEVICES, dir));
    writeUevent(bdf);
  }

  private void put(DeviceSpec s, String dir, String name, String value) {
    if (!s.missing.contains(name)) {
      fs.putText(dir + "/" + name, value + "\n");
    }
  }

  /** Removes a device directory and every link to it. */
  public void removeDevice(String bdf) {
    String dir = dir(bdf);
    setDriver(bdf, null);
    leaveGroup(bdf);
    fs.remove(DEVICES + "/" + bdf);
    fs.remove(dir);
  }

  public void setAttr(String bdf, String name, String value) {
    fs.putText(dir(bdf) + "/" + name, value + "\n");
  }

  /** Binds (links both ways and updates uevent) or unbinds ({@code driver == null}). */
  public void setDriver(String bdf, String driver) {
    String dir = dir(bdf);
    Optional<String> old = driver(bdf);
    if (old.isPresent()) {
      fs.remove(dir + "/driver");
      fs.remove(DRIVERS + "/" + old.get() + "/" + bdf);
    }
    if (driver != null) {
      String dd = DRIVERS + "/" + driver;
      fs.putLink(dir + "/driver", SysfsPaths.relative(dir, dd));
      fs.putLink(dd + "/" + bdf, SysfsPaths.relative(dd, dir));
    }
    writeUevent(bdf);
  }

  private void writeUevent(String bdf) {
    String dir = dir(bdf);
    if (!fs.exists(dir + "/modalias") || !fs.exists(dir + "/class")) {
      return;
    }
    StringBuilder u = new StringBuilder();
    driver(bdf).ifPresent(d -> u.append("DRIVER=").append(d).append('\n'));
    String cls = attr(bdf, "class").orElse("0x0").substring(2);
    String ven = attr(bdf, "vendor").orElse("0x0").substring(2).toUpperCase(Locale.ROOT);
    String dev = attr(bdf, "device").orElse("0x0").substring(2).toUpperCase(Locale.ROOT);
    String sv = attr(bdf, "subsystem_vendor").orElse("0x0").substring(2).toUpperCase(Locale.ROOT);
    String sd = attr(bdf, "subsystem_device").orElse("0x0").substring(2).toUpperCase(Locale.ROOT);
    u.append("PCI_CLASS=")
        .append(Integer.toHexString(Integer.parseInt(cls, 16)).toUpperCase(Locale.ROOT));
    u.append("\nPCI_ID=").append(ven).append(':').append(dev);
    u.append("\nPCI_SUBSYS_ID=").append(sv).append(':').append(sd);
    u.append("\nPCI_SLOT_NAME=").append(bdf);
    u.append("\nMODALIAS=").append(attr(bdf, "modalias").orElse("")).append('\n');
    fs.putText(dir + "/uevent", u.toString());
  }

  /** Puts a device in an IOMMU group, creating the group directory when needed. */
  public void setGroup(String bdf, int group, String type) {
    leaveGroup(bdf);
    String gd = GROUPS + "/" + group;
    if (!fs.exists(gd)) {
      fs.mkdirs(gd + "/devices");
      fs.putText(gd + "/type", type + "\n");
      fs.putText(gd + "/reserved_regions", "0x00000000fee00000 0x00000000feefffff msi\n");
    }
    String dir = dir(bdf);
    fs.putLink(gd + "/devices/" + bdf, SysfsPaths.relative(gd + "/devices", dir));
    fs.putLink(dir + "/iommu_group", SysfsPaths.relative(dir, gd));
  }

  /** Takes a device out of its group; an emptied group disappears, as in the kernel. */
  public void leaveGroup(String bdf) {
    OptionalInt g = group(bdf);
    if (g.isEmpty()) {
      return;
    }
    String gd = GROUPS + "/" + g.getAsInt();
    fs.remove(gd + "/devices/" + bdf);
    fs.remove(dir(bdf) + "/iommu_group");
    if (groupDevices(g.getAsInt()).isEmpty()) {
      fs.remove(gd);
    }
  }

  /** The lowest group number not in use (the kernel's ida allocator). */
  public int freeGroupNumber() {
    List<Integer> used = groups();
    int n = 0;
    while (used.contains(n)) {
      n++;
    }
    return n;
  }

  /**
   * Makes a driver appear under bus/pci/drivers (module loaded or built in): bind, unbind, new_id,
   * remove_id, uevent, and the module link with module/M/drivers/pci:X back.
   */
  public void loadDriver(DriverSpec d, Map<String, String> params) {
    String dd = DRIVERS + "/" + d.name();
    if (fs.exists(dd)) {
      return;
    }
    ensureSkeleton();
    fs.mkdirs(dd);
    for (String f : List.of("bind", "unbind", "new_id", "remove_id", "uevent")) {
      fs.putSpecial(dd + "/" + f, SpecialFile.writeOnly());
    }
    String md = MODULES + "/" + (d.builtin() ? d.name() : d.module());
    fs.mkdirs(md + "/drivers");
    fs.putLink(dd + "/module", SysfsPaths.relative(dd, md));
    fs.putLink(md + "/drivers/pci:" + d.name(), SysfsPaths.relative(md + "/drivers", dd));
    for (Map.Entry<String, String> p : params.entrySet()) {
      if (!fs.exists(md + "/parameters/" + p.getKey())) {
        fs.putText(md + "/parameters/" + p.getKey(), p.getValue() + "\n");
      }
    }
  }
}
