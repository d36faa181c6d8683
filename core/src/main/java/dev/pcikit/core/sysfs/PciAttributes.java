package dev.pcikit.core.sysfs;

import dev.pcikit.core.model.PciAddress;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A PCI function's sysfs attributes ({@code bus/pci/devices/BDF/...}), read and parsed one way for
 * every reader: the inventory, the binding engine, SR-IOV pools, modaliases and fingerprints. Reads
 * go through {@link Sysfs} (whose backends bound them); an attribute that is missing, unreadable or
 * not a number is empty here, never an exception. A reader that reports each problem (the
 * inventory) reads the text itself and parses it with {@link #number}.
 */
public final class PciAttributes {
  /** Where the kernel lists every PCI function. */
  public static final String DEVICES = "bus/pci/devices";

  private final Sysfs sysfs;

  /**
   * Attributes read through {@code sysfs}.
   *
   * @param sysfs the sysfs to read
   */
  public PciAttributes(Sysfs sysfs) {
    this.sysfs = sysfs;
  }

  /**
   * The device's directory.
   *
   * @param a the device
   * @return {@code bus/pci/devices/BDF}
   */
  public static String dir(PciAddress a) {
    return DEVICES + "/" + a;
  }

  /**
   * A sysfs number: an optional '-', then digits in {@code radix}, or hex digits after {@code 0x}
   * (the kernel prints IDs as {@code 0x8086}, {@code sriov_vf_device} as plain hex, counts and
   * {@code numa_node} in decimal, {@code -1} for none). At most 32 bits.
   *
   * @param text the attribute text (surrounding white space ignored)
   * @param radix the radix without a prefix: 16 or 10
   * @return the value, or empty when the text is not such a number
   */
  public static OptionalInt number(String text, int radix) {
    String t = text.strip();
    boolean negative = t.startsWith("-");
    if (negative) {
      t = t.substring(1);
    }
    if (t.startsWith("0x") || t.startsWith("0X")) {
      t = t.substring(2);
      radix = 16;
    }
    if (t.isEmpty() || t.length() > 10) {
      return OptionalInt.empty();
    }
    try {
      long v = Long.parseLong(t, radix);
      if (v > 0xffffffffL) {
        return OptionalInt.empty();
      }
      return OptionalInt.of((int) (negative ? -v : v));
    } catch (NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  /**
   * The modalias the kernel publishes for these IDs: {@code pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02X
   * i%02X} (drivers/pci/pci-sysfs.c modalias_show, pci-driver.c pci_uevent). An unknown subsystem
   * ID (negative) is 0.
   *
   * @param vendor the vendor ID
   * @param device the device ID
   * @param subVendor the subsystem vendor ID
   * @param subDevice the subsystem device ID
   * @param classCode the 24-bit class code
   * @return the modalias
   */
  public static String modalias(
      int vendor, int device, int subVendor, int subDevice, int classCode) {
    return String.format(
        Locale.ROOT,
        "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X",
        vendor,
        device,
        Math.max(0, subVendor),
        Math.max(0, subDevice),
        (classCode >> 16) & 0xff,
        (classCode >> 8) & 0xff,
        classCode & 0xff);
  }

  /**
   * Whether the device is there.
   *
   * @param a the device
   * @return whether its directory exists
   */
  public boolean exists(PciAddress a) {
    return sysfs.exists(dir(a));
  }

  /**
   * An attribute's trimmed text.
   *
   * @param a the device
   * @param attr the attribute name
   * @return the text, empty when absent or unreadable
   */
  public Optional<String> text(PciAddress a, String attr) {
    return sysfs.attr(dir(a) + "/" + attr);
  }

  /**
   * A hex attribute ({@code vendor}, {@code device}, {@code class}, {@code sriov_vf_device}).
   *
   * @param a the device
   * @param attr the attribute name
   * @return the value, empty when absent, unreadable or not a number
   */
  public OptionalInt hex(PciAddress a, String attr) {
    return text(a, attr).map(t -> number(t, 16)).orElse(OptionalInt.empty());
  }

  /**
   * A decimal attribute ({@code sriov_numvfs}, {@code numa_node}); a {@code 0x} prefix is hex.
   *
   * @param a the device
   * @param attr the attribute name
   * @return the value, empty when absent, unreadable or not a number
   */
  public OptionalInt dec(PciAddress a, String attr) {
    return text(a, attr).map(t -> number(t, 10)).orElse(OptionalInt.empty());
  }

  /**
   * The last element of a link's target ({@code driver} → {@code nvme}).
   *
   * @param a the device
   * @param link the link name
   * @return the name, empty when there is no such link
   */
  public Optional<String> link(PciAddress a, String link) {
    return sysfs.linkName(dir(a) + "/" + link);
  }

  /**
   * The IOMMU group: the {@code iommu_group} link's last element.
   *
   * @param a the device
   * @return the group number, empty when the device has none
   */
  public OptionalInt iommuGroup(PciAddress a) {
    return link(a, "iommu_group").map(g -> number(g, 10)).orElse(OptionalInt.empty());
  }

  /**
   * The PF of a VF: the {@code physfn} link.
   *
   * @param a the device
   * @return the PF, empty for a device that is not a VF (or whose PF this kernel cannot see)
   */
  public Optional<PciAddress> physfn(PciAddress a) {
    return link(a, "physfn").filter(PciAddress::isAddress).map(PciAddress::parse);
  }

  /**
   * A PF's VFs: its {@code virtfnN} links by N. Entries that are not {@code virtfn} and a decimal
   * index, or whose target is not a PCI address, are skipped.
   *
   * @param pf the device
   * @return the VFs by index, empty for a device without VFs
   * @throws IOException when the device's directory cannot be listed
   */
  public SortedMap<Integer, PciAddress> virtfns(PciAddress pf) throws IOException {
    SortedMap<Integer, PciAddress> out = new TreeMap<>();
    String d = dir(pf);
    for (String n : sysfs.list(d)) {
      OptionalInt index = virtfnIndex(n);
      if (index.isPresent()) {
        sysfs
            .linkName(d + "/" + n)
            .filter(PciAddress::isAddress)
            .ifPresent(t -> out.put(index.getAsInt(), PciAddress.parse(t)));
      }
    }
    return out;
  }

  /**
   * The N of a {@code virtfnN} entry name.
   *
   * @param entry a directory entry name
   * @return N, empty when the name is not {@code virtfn} and a decimal number
   */
  public static OptionalInt virtfnIndex(String entry) {
    if (!entry.startsWith("virtfn") || entry.length() == 6 || entry.length() > 12) {
      return OptionalInt.empty();
    }
    for (int i = 6; i < entry.length(); i++) {
      if (entry.charAt(i) < '0' || entry.charAt(i) > '9') {
        return OptionalInt.empty();
      }
    }
    return OptionalInt.of(Integer.parseInt(entry.substring(6)));
  }
}
