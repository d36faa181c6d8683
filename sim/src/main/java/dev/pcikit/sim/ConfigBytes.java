package dev.pcikit.sim;

import java.util.Arrays;

/**
 * Reads the few config-space fields the simulated kernel needs (IDs, header, bridge buses, PCIe
 * type, ACS control, SR-IOV capability), with the register offsets of
 * include/uapi/linux/pci_regs.h. Short or absent data reads as zero.
 */
public final class ConfigBytes {
  public static final int CAP_EXP = 0x10;
  public static final int EXT_CAP_ACS = 0x000d;
  public static final int EXT_CAP_SRIOV = 0x0010;

  /** PCI_ACS_SV | PCI_ACS_RR | PCI_ACS_CR | PCI_ACS_UF: REQ_ACS_FLAGS of drivers/iommu/iommu.c. */
  public static final int REQ_ACS_FLAGS = 0x01 | 0x04 | 0x08 | 0x10;

  private final byte[] b;

  public ConfigBytes(byte[] bytes) {
    this.b = bytes;
  }

  public byte[] bytes() {
    return b;
  }

  public int u8(int off) {
    return off >= 0 && off < b.length ? b[off] & 0xff : 0;
  }

  public int u16(int off) {
    return u8(off) | u8(off + 1) << 8;
  }

  public int u32(int off) {
    return u16(off) | u16(off + 2) << 16;
  }

  public int vendor() {
    return u16(0);
  }

  public int device() {
    return u16(2);
  }

  public int revision() {
    return u8(8);
  }

  public int classCode() {
    return u8(9) | u8(10) << 8 | u8(11) << 16;
  }

  public int headerType() {
    return u8(0x0e) & 0x7f;
  }

  public boolean multifunction() {
    return (u8(0x0e) & 0x80) != 0;
  }

  public boolean isBridge() {
    return headerType() == 1;
  }

  public int subsystemVendor() {
    return headerType() == 0 ? u16(0x2c) : 0;
  }

  public int subsystemDevice() {
    return headerType() == 0 ? u16(0x2e) : 0;
  }

  public int secondaryBus() {
    return isBridge() ? u8(0x19) : -1;
  }

  public int subordinateBus() {
    return isBridge() ? u8(0x1a) : -1;
  }

  public int interruptPin() {
    return u8(0x3d);
  }

  /** Offset of a standard capability, or -1. */
  public int capability(int id) {
    if ((u16(6) & 0x10) == 0) {
      return -1;
    }
    int pos = u8(0x34) & ~3;
    for (int ttl = 48; pos >= 0x40 && ttl > 0; ttl--) {
      if (u8(pos) == id) {
        return pos;
      }
      pos = u8(pos + 1) & ~3;
    }
    return -1;
  }

  /** Offset of an extended capability, or -1 (conventional config space has none). */
  public int extCapability(int id) {
    if (b.length <= 256) {
      return -1;
    }
    int pos = 0x100;
    for (int ttl = 480; pos >= 0x100 && ttl > 0; ttl--) {
      int header = u32(pos);
      if (header == 0 || header == -1) {
        return -1;
      }
      if ((header & 0xffff) == id) {
        return pos;
      }
      pos = (header >>> 20) & 0xffc;
    }
    return -1;
  }

  public boolean isPcie() {
    return capability(CAP_EXP) >= 0;
  }

  /** PCIe device/port type (PCI_EXP_FLAGS_TYPE), or -1 for conventional PCI. */
  public int pcieType() {
    int c = capability(CAP_EXP);
    return c < 0 ? -1 : (u16(c + 2) >> 4) & 0xf;
  }

  public boolean flr() {
    int c = capability(CAP_EXP);
    return c >= 0 && (u32(c + 4) & (1 << 28)) != 0;
  }

  /** ACS control register, or -1 without an ACS capability. */
  public int acsControl() {
    int c = extCapability(EXT_CAP_ACS);
    return c < 0 ? -1 : u16(c + 6);
  }

  public boolean acsFlagsEnabled() {
    int ctl = acsControl();
    return ctl >= 0 && (ctl & REQ_ACS_FLAGS) == REQ_ACS_FLAGS;
  }

  public int sriovTotalVfs() {
    int c = extCapability(EXT_CAP_SRIOV);
    return c < 0 ? 0 : u16(c + 0x0e);
  }

  public int sriovOffset() {
    int c = extCapability(EXT_CAP_SRIOV);
    return c < 0 ? 0 : u16(c + 0x14);
  }

  public int sriovStride() {
    int c = extCapability(EXT_CAP_SRIOV);
    return c < 0 ? 0 : u16(c + 0x16);
  }

  public int sriovVfDevice() {
    int c = extCapability(EXT_CAP_SRIOV);
    return c < 0 ? 0 : u16(c + 0x1a);
  }

  public boolean hasSriov() {
    return extCapability(EXT_CAP_SRIOV) >= 0;
  }

  /**
   * The config space a VF of this PF reads: vendor/device all-ones (a VF does not implement them;
   * the kernel takes them from the PF), the SR-IOV capability unlinked, the NumVFs kept out.
   */
  public byte[] vfConfig() {
    byte[] v = Arrays.copyOf(b, b.length);
    Arrays.fill(v, 0, 4, (byte) 0xff);
    v[0x0e] = (byte) (v[0x0e] & 0x7f);
    v[0x3c] = 0;
    v[0x3d] = 0;
    for (int bar = 0x10; bar < 0x28; bar++) {
      v[bar] = 0;
    }
    int sriov = extCapability(EXT_CAP_SRIOV);
    if (sriov >= 0) {
      int header = u32(sriov);
      int next = (header >>> 20) & 0xffc;
      if (sriov == 0x100) {
        // the first extended capability cannot be unlinked: leave a null capability (ID 0)
        // that chains to the rest, as devices without extended capabilities at 0x100 do
        putInt(v, 0x100, next << 20);
      } else {
        int pos = 0x100;
        for (int ttl = 480; ttl > 0; ttl--) {
          int h = u32(pos);
          int n = (h >>> 20) & 0xffc;
          if (n == sriov) {
            putInt(v, pos, (h & 0x000fffff) | (next << 20));
            break;
          }
          if (n == 0) {
            break;
          }
          pos = n;
        }
      }
      Arrays.fill(v, sriov + 4, Math.min(v.length, sriov + 0x40), (byte) 0);
    }
    return v;
  }

  private static void putInt(byte[] v, int off, int value) {
    v[off] = (byte) value;
    v[off + 1] = (byte) (value >> 8);
    v[off + 2] = (byte) (value >> 16);
    v[off + 3] = (byte) (value >> 24);
  }
}
