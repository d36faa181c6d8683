package dev.pcikit.core.testhosts;

/** Config-space bytes for synthetic hosts: header, optionally a PCIe capability. */
public final class Configs {
  private Configs() {}

  /** A 64-byte header (what a non-root reader sees). */
  public static byte[] header(int vendor, int device, int classCode, int headerType) {
    byte[] c = new byte[64];
    fill(c, vendor, device, classCode, headerType);
    return c;
  }

  /**
   * A full config space: 256 bytes for conventional PCI (no PCIe capability), 4096 with a PCIe
   * endpoint capability at 0x40 whose DevCap advertises FLR when asked.
   */
  public static byte[] full(int vendor, int device, int classCode, boolean express, boolean flr) {
    byte[] c = new byte[express ? 4096 : 256];
    fill(c, vendor, device, classCode, 0);
    if (express) {
      c[0x06] = 0x10; // status: capability list
      c[0x34] = 0x40;
      c[0x40] = 0x10; // PCI Express
      c[0x41] = 0x00;
      c[0x42] = 0x02; // version 2, endpoint
      if (flr) {
        c[0x44 + 3] = 0x10; // DevCap bit 28: FLR
      }
    }
    return c;
  }

  /** PCIe with only the first 256 bytes readable (no extended config access on the host). */
  public static byte[] expressTruncated(int vendor, int device, int classCode) {
    return java.util.Arrays.copyOf(full(vendor, device, classCode, true, true), 256);
  }

  public static byte[] allOnes() {
    byte[] c = new byte[256];
    java.util.Arrays.fill(c, (byte) 0xff);
    return c;
  }

  private static void fill(byte[] c, int vendor, int device, int classCode, int headerType) {
    c[0] = (byte) vendor;
    c[1] = (byte) (vendor >> 8);
    c[2] = (byte) device;
    c[3] = (byte) (device >> 8);
    c[9] = (byte) classCode;
    c[10] = (byte) (classCode >> 8);
    c[11] = (byte) (classCode >> 16);
    c[14] = (byte) headerType;
  }
}
