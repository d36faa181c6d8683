package dev.pcikit.core.config;

/**
 * ACS capability or control bits (same layout in both registers, PCIe Base spec 7.7.8): what the
 * kernel's IOMMU grouping checks (drivers/pci/pci.c pci_acs_enabled wants SV, RR, CR, UF).
 */
public record AcsFlags(int bits) {
  public static final int SV = 0x01;
  public static final int TB = 0x02;
  public static final int RR = 0x04;
  public static final int CR = 0x08;
  public static final int UF = 0x10;
  public static final int EC = 0x20;
  public static final int DT = 0x40;

  /** Source Validation. */
  public boolean sourceValidation() {
    return (bits & SV) != 0;
  }

  /** Translation Blocking. */
  public boolean translationBlocking() {
    return (bits & TB) != 0;
  }

  /** P2P Request Redirect. */
  public boolean requestRedirect() {
    return (bits & RR) != 0;
  }

  /** P2P Completion Redirect. */
  public boolean completionRedirect() {
    return (bits & CR) != 0;
  }

  /** Upstream Forwarding. */
  public boolean upstreamForwarding() {
    return (bits & UF) != 0;
  }

  /** P2P Egress Control. */
  public boolean egressControl() {
    return (bits & EC) != 0;
  }

  /** Direct Translated P2P. */
  public boolean directTranslated() {
    return (bits & DT) != 0;
  }

  public boolean has(int mask) {
    return (bits & mask) == mask;
  }
}
