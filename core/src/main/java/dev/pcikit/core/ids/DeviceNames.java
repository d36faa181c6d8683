package dev.pcikit.core.ids;

import dev.pcikit.core.text.Hex;

/**
 * lspci's name strings with numbers (-nn, PCI_LOOKUP_MIXED) as lib/names.c formats them, so that
 * pcikit's listing reads like the tool admins know.
 */
public final class DeviceNames {
  private final PciIds ids;

  public DeviceNames(PciIds ids) {
    this.ids = ids;
  }

  public PciIds ids() {
    return ids;
  }

  /** "Ethernet controller [0200]" or "Class [0200]" (lspci -nn). */
  public String classText(int classCode) {
    String num = Hex.pad(classCode >> 8, 4);
    return ids.className(classCode).map(n -> n + " [" + num + "]").orElse("Class [" + num + "]");
  }

  /** "Intel Corporation [8086]" or "Vendor [8086]"... as lspci -vmm -nn prints Vendor. */
  public String vendorText(int vendor) {
    String num = Hex.pad(vendor, 4);
    return ids.vendor(vendor).map(n -> n + " [" + num + "]").orElse("Vendor [" + num + "]");
  }

  /** "82574L Gigabit Network Connection [10d3]" or "Device [10d3]". */
  public String deviceText(int vendor, int device) {
    String num = Hex.pad(device, 4);
    return ids.device(vendor, device).map(n -> n + " [" + num + "]").orElse("Device [" + num + "]");
  }

  public String subVendorText(int subVendor) {
    String num = Hex.pad(subVendor, 4);
    return ids.vendor(subVendor)
        .map(n -> n + " [" + num + "]")
        .orElse("Unknown vendor [" + num + "]");
  }

  public String subDeviceText(int vendor, int device, int subVendor, int subDevice) {
    String num = Hex.pad(subDevice, 4);
    return ids.subsystem(vendor, device, subVendor, subDevice)
        .map(n -> n + " [" + num + "]")
        .orElse("Device [" + num + "]");
  }

  /** "Intel Corporation 82574L Gigabit Network Connection [8086:10d3]" (format_name_pair). */
  public String vendorDeviceText(int vendor, int device) {
    String num = Hex.pad(vendor, 4) + ":" + Hex.pad(device, 4);
    var v = ids.vendor(vendor);
    var d = ids.device(vendor, device);
    if (v.isPresent() && d.isPresent()) {
      return v.get() + " " + d.get() + " [" + num + "]";
    }
    if (v.isEmpty()) {
      return "Device [" + num + "]";
    }
    return v.get() + " Device [" + num + "]";
  }

  /** Vendor and device names without numbers, for compact tables. */
  public String shortName(int vendor, int device) {
    var v = ids.vendor(vendor);
    var d = ids.device(vendor, device);
    if (v.isPresent() && d.isPresent()) {
      return v.get() + " " + d.get();
    }
    return v.map(s -> s + " Device").orElse("Device");
  }
}
