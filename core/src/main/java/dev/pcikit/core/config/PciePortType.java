package dev.pcikit.core.config;

/**
 * Device/port type from the PCI Express Capabilities register (bits 7:4), with the names lspci
 * prints after "Express" (pciutils ls-caps.c cap_express).
 */
public enum PciePortType {
  ENDPOINT(0x0, "Endpoint"),
  LEGACY_ENDPOINT(0x1, "Legacy Endpoint"),
  ROOT_PORT(0x4, "Root Port"),
  UPSTREAM_PORT(0x5, "Upstream Port"),
  DOWNSTREAM_PORT(0x6, "Downstream Port"),
  PCIE_TO_PCI_BRIDGE(0x7, "PCI-Express to PCI/PCI-X Bridge"),
  PCI_TO_PCIE_BRIDGE(0x8, "PCI/PCI-X to PCI-Express Bridge"),
  ROOT_COMPLEX_INTEGRATED_ENDPOINT(0x9, "Root Complex Integrated Endpoint"),
  ROOT_COMPLEX_EVENT_COLLECTOR(0xa, "Root Complex Event Collector"),
  UNKNOWN(-1, "Unknown type");

  private final int code;
  private final String lspciName;

  PciePortType(int code, String lspciName) {
    this.code = code;
    this.lspciName = lspciName;
  }

  /** The 4-bit register value; -1 for {@link #UNKNOWN}. */
  public int code() {
    return code;
  }

  /** The name lspci -vvv prints, e.g. "Root Port". */
  public String lspciName() {
    return lspciName;
  }

  public static PciePortType of(int code) {
    for (PciePortType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    return UNKNOWN;
  }

  /** Ports that own a link below them (root and downstream switch ports). */
  public boolean isDownstreamFacing() {
    return this == ROOT_PORT || this == DOWNSTREAM_PORT;
  }
}
