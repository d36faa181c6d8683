package dev.pcikit.core.config;

/** The COMMAND register (offset 0x04). */
public record CommandRegister(int value) {
  public boolean ioSpace() {
    return (value & 0x001) != 0;
  }

  public boolean memorySpace() {
    return (value & 0x002) != 0;
  }

  public boolean busMaster() {
    return (value & 0x004) != 0;
  }

  public boolean specialCycles() {
    return (value & 0x008) != 0;
  }

  public boolean memoryWriteInvalidate() {
    return (value & 0x010) != 0;
  }

  public boolean vgaSnoop() {
    return (value & 0x020) != 0;
  }

  public boolean parityErrorResponse() {
    return (value & 0x040) != 0;
  }

  public boolean stepping() {
    return (value & 0x080) != 0;
  }

  public boolean serr() {
    return (value & 0x100) != 0;
  }

  public boolean fastBackToBack() {
    return (value & 0x200) != 0;
  }

  public boolean intxDisabled() {
    return (value & 0x400) != 0;
  }

  /**
   * Whether memory decoding is really off. A VF's Memory Space Enable bit is hard-wired to 0 (PCIe
   * SR-IOV spec 3.4.1.3): its BARs are enabled by the PF's SR-IOV Control VF MSE bit instead, so a
   * VF never counts as disabled here.
   */
  public boolean memoryDecodingOff(boolean virtualFunction) {
    return !virtualFunction && !memorySpace();
  }
}
