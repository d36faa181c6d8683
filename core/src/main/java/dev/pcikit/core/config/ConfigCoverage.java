package dev.pcikit.core.config;

/** How much of a function's configuration space could be read, and so what could be decoded. */
public enum ConfigCoverage {
  /**
   * The header reads all ones (vendor ID 0xffff and every other header byte 0xff): the device is
   * gone, or frozen (EEH on POWER). Nothing decoded. A VF, whose IDs alone read 0xffff, is decoded.
   */
  NOT_RESPONDING,
  /** Fewer than 64 bytes: not even the header. Nothing decoded. */
  TRUNCATED,
  /**
   * Exactly 64 bytes (128 for a CardBus bridge): what the kernel gives non-root readers of sysfs
   * {@code config} (drivers/pci/pci-sysfs.c pci_read_config), so capabilities need root.
   */
  HEADER_ONLY,
  /** Between 64 and 256 bytes: header and whatever capabilities fit. */
  PARTIAL,
  /** 256 bytes: conventional space; extended capabilities were not readable. */
  CONVENTIONAL,
  /** 4096 bytes: extended (PCI Express) configuration space. */
  EXTENDED;

  /** Whether the header was decoded. */
  public boolean hasHeader() {
    return this != NOT_RESPONDING && this != TRUNCATED;
  }
}
