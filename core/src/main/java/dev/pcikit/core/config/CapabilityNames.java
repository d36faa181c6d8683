package dev.pcikit.core.config;

import java.util.Locale;

/** Capability names as pciutils' lspci prints them (ls-caps.c show_caps, ls-ecaps.c). */
final class CapabilityNames {
  private CapabilityNames() {}

  public static String standard(int id) {
    return switch (id) {
      case 0x00 -> "Null";
      case 0x01 -> "Power Management";
      case 0x02 -> "AGP";
      case 0x03 -> "Vital Product Data";
      case 0x04 -> "Slot ID";
      case 0x05 -> "MSI";
      case 0x06 -> "CompactPCI hot-swap";
      case 0x07 -> "PCI-X";
      case 0x08 -> "HyperTransport";
      case 0x09 -> "Vendor Specific Information";
      case 0x0a -> "Debug port";
      case 0x0b -> "CompactPCI central resource control";
      case 0x0c -> "Hot-plug capable";
      case 0x0d -> "Subsystem";
      case 0x0e -> "AGP3";
      case 0x0f -> "Secure device";
      case 0x10 -> "Express";
      case 0x11 -> "MSI-X";
      case 0x12 -> "SATA HBA";
      case 0x13 -> "PCI Advanced Features";
      case 0x14 -> "Enhanced Allocation";
      default -> String.format(Locale.ROOT, "Capability ID %#x", id);
    };
  }

  public static String extended(int id) {
    return switch (id) {
      case 0x00 -> "Null";
      case 0x01 -> "Advanced Error Reporting";
      case 0x02, 0x09 -> "Virtual Channel";
      case 0x03 -> "Device Serial Number";
      case 0x04 -> "Power Budgeting";
      case 0x05 -> "Root Complex Link";
      case 0x06 -> "Root Complex Internal Link";
      case 0x07 -> "Root Complex Event Collector Endpoint Association";
      case 0x08 -> "Multi-Function Virtual Channel";
      case 0x0a -> "Root Complex Register Block";
      case 0x0b -> "Vendor Specific Information";
      case 0x0d -> "Access Control Services";
      case 0x0e -> "Alternative Routing-ID Interpretation (ARI)";
      case 0x0f -> "Address Translation Service (ATS)";
      case 0x10 -> "Single Root I/O Virtualization (SR-IOV)";
      case 0x11 -> "Multi-Root I/O Virtualization";
      case 0x12 -> "Multicast";
      case 0x13 -> "Page Request Interface (PRI)";
      case 0x15 -> "Physical Resizable BAR";
      case 0x16 -> "Dynamic Power Allocation";
      case 0x17 -> "Transaction Processing Hints";
      case 0x18 -> "Latency Tolerance Reporting";
      case 0x19 -> "Secondary PCI Express";
      case 0x1a -> "Protocol Multiplexing";
      case 0x1b -> "Process Address Space ID (PASID)";
      case 0x1c -> "LN Requester";
      case 0x1d -> "Downstream Port Containment";
      case 0x1e -> "L1 PM Substates";
      case 0x1f -> "Precision Time Measurement";
      case 0x20 -> "PCI Express over M_PHY";
      case 0x21 -> "FRS Queueing";
      case 0x22 -> "Readiness Time Reporting";
      case 0x23 -> "Designated Vendor-Specific";
      case 0x24 -> "Virtual Resizable BAR";
      case 0x25 -> "Data Link Feature";
      case 0x26 -> "Physical Layer 16.0 GT/s";
      case 0x27 -> "Lane Margining at the Receiver";
      case 0x28 -> "Hierarchy ID";
      case 0x29 -> "Native PCIe Enclosure Management";
      case 0x2e -> "Data Object Exchange";
      default -> String.format(Locale.ROOT, "Extended Capability ID %#x", id);
    };
  }
}
