package dev.pcikit.core.modalias;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.PciAttributes;
import dev.pcikit.core.sysfs.Sysfs;
import java.io.IOException;
import java.util.OptionalInt;

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
    return PciAttributes.modalias(vendor, device, subVendor, subDevice, classCode);
  }

  /**
   * Reads {@code bus/pci/devices/BDF/modalias}, or builds it from {@code vendor}, {@code device},
   * {@code subsystem_vendor}, {@code subsystem_device} and {@code class}.
   *
   * @throws PcikitException NOT_FOUND when the device does not exist, BAD_INPUT when neither the
   *     modalias nor the ID attributes can be read
   */
  public static PciModalias read(Sysfs sysfs, PciAddress a) {
    String bdf = a.toString();
    String dir = PciAttributes.dir(a);
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
    PciAttributes attrs = new PciAttributes(sysfs);
    OptionalInt vendor = attrs.hex(a, "vendor");
    OptionalInt device = attrs.hex(a, "device");
    OptionalInt subVendor = attrs.hex(a, "subsystem_vendor");
    OptionalInt subDevice = attrs.hex(a, "subsystem_device");
    OptionalInt cls = attrs.hex(a, "class");
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
        format(
            vendor.getAsInt(),
            device.getAsInt(),
            subVendor.getAsInt(),
            subDevice.getAsInt(),
            cls.getAsInt()),
        true);
  }
}
