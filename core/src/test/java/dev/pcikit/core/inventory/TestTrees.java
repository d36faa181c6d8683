package dev.pcikit.core.inventory;

import dev.pcikit.core.sysfs.MemorySysfs;

/** Minimal sysfs shapes for reader tests (the full host builder lives in the sim module). */
final class TestTrees {
  private TestTrees() {}

  /** A device dir under devices/pci0000:00/[bridge/]bdf with the bus/pci/devices link. */
  static String device(MemorySysfs fs, String parentPath, String bdf, byte[] config) {
    String dir = parentPath + "/" + bdf;
    fs.mkdirs(dir);
    fs.putLink("bus/pci/devices/" + bdf, "../../../" + dir);
    fs.putFile(dir + "/config", config);
    return dir;
  }

  static byte[] config(int vendor, int device, int classCode, int headerType) {
    byte[] c = new byte[256];
    c[0] = (byte) vendor;
    c[1] = (byte) (vendor >> 8);
    c[2] = (byte) device;
    c[3] = (byte) (device >> 8);
    c[9] = (byte) classCode;
    c[10] = (byte) (classCode >> 8);
    c[11] = (byte) (classCode >> 16);
    c[14] = (byte) headerType;
    return c;
  }

  static void ids(MemorySysfs fs, String dir, int vendor, int device, int classCode) {
    fs.putText(dir + "/vendor", String.format("0x%04x%n", vendor));
    fs.putText(dir + "/device", String.format("0x%04x%n", device));
    fs.putText(dir + "/class", String.format("0x%06x%n", classCode));
  }
}
