package dev.pcikit.core.identity;

/** How well a fingerprint tells one physical device from another, strongest first. */
public enum Strength {
  /** A serial the hardware carries: PCIe Device Serial Number or the VPD serial. */
  SERIAL("serial"),
  /**
   * A place firmware names: a physical slot, a POWER location code or an s390x zPCI UID. Follows
   * the slot, not the card: two identical cards swapped between slots are swapped identities.
   */
  SLOT("slot"),
  /**
   * Only the path of device/function numbers from the root complex: stable when bus numbers shift,
   * blind to identical cards swapped between the same positions.
   */
  PATH_ONLY("path only");

  private final String label;

  Strength(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static Strength parse(String s) {
    for (Strength v : values()) {
      if (v.label.equals(s.replace('-', ' ')) || v.name().equalsIgnoreCase(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown fingerprint strength: " + s);
  }
}
