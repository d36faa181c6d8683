package dev.pcikit.core.config;

/**
 * PCIe Link Capabilities and Link Status. Speeds use the register encoding (1 = 2.5 GT/s, 2 = 5, 3
 * = 8, 4 = 16, 5 = 32, 6 = 64); widths are lane counts.
 */
public record PcieLink(
    int portNumber,
    int maxSpeed,
    int maxWidth,
    int aspmSupport,
    int speed,
    int width,
    boolean dataLinkLayerActive) {

  /** "8GT/s" etc., as lspci prints it; "unknown" for reserved encodings. */
  public static String speedName(int code) {
    return switch (code) {
      case 1 -> "2.5GT/s";
      case 2 -> "5GT/s";
      case 3 -> "8GT/s";
      case 4 -> "16GT/s";
      case 5 -> "32GT/s";
      case 6 -> "64GT/s";
      default -> "unknown";
    };
  }

  public String maxSpeedName() {
    return speedName(maxSpeed);
  }

  public String speedName() {
    return speedName(speed);
  }
}
