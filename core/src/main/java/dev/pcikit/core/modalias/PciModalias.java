package dev.pcikit.core.modalias;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.Optional;

/**
 * A PCI device's modalias: the sysfs {@code modalias} attribute, or, when a (recorded or simulated)
 * tree lacks it, the same string built from the ID attributes the way the kernel builds it ({@code
 * pci_uevent()} in drivers/pci/pci-driver.c: {@code pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X}).
 *
 * @param value the modalias
 * @param synthesized whether it was built from the ID attributes
 */
public record PciModalias(String value, boolean synthesized) {

  /** The kernel's format. */
  public static String format(int vendor, int device, int subVendor, int subDevice, int classCode) {
    return String.format(
        "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X",
        vendor,
        device,
        subVendor,
        subDevice,
        (classCode >> 16) & 0xff,
        (classCode >> 8) & 0xff,
        classCode & 0xff);
  }

  /**
   * Reads {@code bus/pci/devices/BDF/modalias}, or builds it from {@code vendor}, {@code device},
   * {@code subsystem_vendor}, {@code subsystem_device} and {@code class}.
   *
   * @throws PcikitException NOT_FOUND when the device does not exist, BAD_INPUT when neither the
   *     modalias nor the ID attributes can be read
   */
  public static PciModalias read(Sysfs sysfs, String bdf) {
    String dir = "bus/pci/devices/" + bdf;
    if (!sysfs.exists(dir)) {
      throw new PcikitException(Failure.NOT_FOUND, bdf + ": no such PCI device");
    }
    if (sysfs.exists(dir + "/modalias")) {
      try {
        String m = sysfs.readText(dir + "/modalias").strip();
        if (!m.isEmpty()) {
          return new PciModalias(m, false);
        }
      } catch (IOException e) {
        // fall back to the ID attributes below
      }
    }
    Optional<Integer> vendor = hex(sysfs, dir + "/vendor");
    Optional<Integer> device = hex(sysfs, dir + "/device");
    Optional<Integer> subVendor = hex(sysfs, dir + "/subsystem_vendor");
    Optional<Integer> subDevice = hex(sysfs, dir + "/subsystem_device");
    Optional<Integer> cls = hex(sysfs, dir + "/class");
    if (vendor.isEmpty()
        || device.isEmpty()
        || subVendor.isEmpty()
        || subDevice.isEmpty()
        || cls.isEmpty()) {
      throw new PcikitException(
          Failure.BAD_INPUT,
          bdf
              + ": no readable modalias, and vendor/device/subsystem_vendor/subsystem_device/class"
              + " are not all readable either");
    }
    return new PciModalias(
        format(vendor.get(), device.get(), subVendor.get(), subDevice.get(), cls.get()), true);
  }

  private static Optional<Integer> hex(Sysfs sysfs, String path) {
    return sysfs
        .attr(path)
        .flatMap(
            v -> {
              String t = v.startsWith("0x") ? v.substring(2) : v;
              try {
                return Optional.of(Integer.parseUnsignedInt(t, 16));
              } catch (NumberFormatException e) {
                return Optional.empty();
              }
            });
  }
}
