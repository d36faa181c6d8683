package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@link DeviceFacts} through the sysfs port (kept small, to be swapped for the inventory).
 */
public final class DeviceReader {
  private final Sysfs sysfs;

  public DeviceReader(Sysfs sysfs) {
    this.sysfs = sysfs;
  }

  public static String dir(PciAddress a) {
    return "bus/pci/devices/" + a;
  }

  public boolean exists(PciAddress a) {
    return sysfs.exists(dir(a));
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
    return sysfs.linkName(dir(a) + "/iommu_group").flatMap(DeviceReader::parseInt);
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
    List<PciAddress> vfs = new ArrayList<>();
    for (String n : sysfs.list(d)) {
      if (n.startsWith("virtfn")) {
        sysfs
            .linkName(d + "/" + n)
            .filter(PciAddress::isAddress)
            .map(PciAddress::parse)
            .ifPresent(vfs::add);
      }
    }
    vfs.sort(null);
    PciAddress physfn =
        sysfs
            .linkName(d + "/physfn")
            .filter(PciAddress::isAddress)
            .map(PciAddress::parse)
            .orElse(null);
    return new DeviceFacts(
        a,
        hex(sysfs.attr(d + "/vendor")),
        hex(sysfs.attr(d + "/device")),
        hex(sysfs.attr(d + "/class")),
        binding(a),
        group,
        members,
        sysfs.attr(d + "/boot_vga").map(s -> s.equals("1")).orElse(false),
        sysfs.attr(d + "/sriov_numvfs").flatMap(DeviceReader::parseInt).orElse(0),
        vfs,
        physfn);
  }

  private static int hex(Optional<String> s) {
    try {
      return s.map(v -> Integer.parseInt(v.startsWith("0x") ? v.substring(2) : v, 16)).orElse(0);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static Optional<Integer> parseInt(String s) {
    try {
      return Optional.of(Integer.parseInt(s.strip()));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
