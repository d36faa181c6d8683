package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.PciAttributes;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Reads {@link DeviceFacts} and bindings for the binding engine, through {@link PciAttributes} (the
 * one parser of per-device attributes the inventory uses too).
 */
public final class DeviceReader {
  private final Sysfs sysfs;
  private final PciAttributes attrs;

  public DeviceReader(Sysfs sysfs) {
    this.sysfs = sysfs;
    this.attrs = new PciAttributes(sysfs);
  }

  public static String dir(PciAddress a) {
    return PciAttributes.dir(a);
  }

  public boolean exists(PciAddress a) {
    return attrs.exists(a);
  }

  /** The device's attributes, parsed as everywhere. */
  public PciAttributes attributes() {
    return attrs;
  }

  /** "8086:1539": the vendor and device IDs as lspci -n prints them ("ffff" when unreadable). */
  public String ids(PciAddress a) {
    return String.format(
        Locale.ROOT,
        "%04x:%04x",
        attrs.hex(a, "vendor").orElse(-1) & 0xffff,
        attrs.hex(a, "device").orElse(-1) & 0xffff);
  }

  /** All PCI devices, sorted. */
  public List<PciAddress> all() throws IOException {
    List<PciAddress> out = new ArrayList<>();
    if (!sysfs.exists("bus/pci/devices")) {
      return out;
    }
    for (String n : sysfs.list("bus/pci/devices")) {
      if (PciAddress.isAddress(n)) {
        out.add(PciAddress.parse(n));
      }
    }
    out.sort(null);
    return out;
  }

  /** The current driver and override: the {@code driver} link and {@code driver_override}. */
  public Binding binding(PciAddress a) {
    String d = dir(a);
    String driver = sysfs.linkName(d + "/driver").orElse(null);
    return new Binding(driver, override(sysfs.attr(d + "/driver_override")));
  }

  static String override(Optional<String> raw) {
    // An unset driver_override reads "(null)" (the kernel prints the NULL pointer with %s).
    return raw.filter(s -> !s.isEmpty() && !s.equals("(null)")).orElse(null);
  }

  public Optional<Integer> group(PciAddress a) {
    OptionalInt g = attrs.iommuGroup(a);
    return g.isPresent() ? Optional.of(g.getAsInt()) : Optional.empty();
  }

  public List<PciAddress> groupMembers(int group) throws IOException {
    String p = "kernel/iommu_groups/" + group + "/devices";
    List<PciAddress> out = new ArrayList<>();
    if (sysfs.exists(p)) {
      for (String n : sysfs.list(p)) {
        if (PciAddress.isAddress(n)) {
          out.add(PciAddress.parse(n));
        }
      }
    }
    out.sort(null);
    return out;
  }

  public DeviceFacts read(PciAddress a) throws IOException {
    String d = dir(a);
    if (!sysfs.exists(d)) {
      throw new dev.pcikit.core.sysfs.SysfsException(
          dev.pcikit.core.sysfs.Errno.ENODEV, d, "no such PCI device");
    }
    Integer group = group(a).orElse(null);
    List<PciAddress> members = group == null ? List.of(a) : groupMembers(group);
    List<PciAddress> vfs = new ArrayList<>(new TreeSet<>(attrs.virtfns(a).values()));
    return new DeviceFacts(
        a,
        attrs.hex(a, "vendor").orElse(0),
        attrs.hex(a, "device").orElse(0),
        attrs.hex(a, "class").orElse(0),
        binding(a),
        group,
        members,
        attrs.text(a, "boot_vga").map(s -> s.equals("1")).orElse(false),
        attrs.dec(a, "sriov_numvfs").orElse(0),
        vfs,
        attrs.physfn(a).orElse(null));
  }
}
