package dev.pcikit.core.inventory;

/** Parsing of sysfs numbers: "0x8086", "8086", "-1", "1". */
final class Hex {
  private Hex() {}

  /** Parses a number with an optional 0x prefix in the given default radix; null if invalid. */
  static Integer parse(String text, int radix) {
    String t = text.strip();
    boolean negative = t.startsWith("-");
    if (negative) {
      t = t.substring(1);
    }
    if (t.startsWith("0x") || t.startsWith("0X")) {
      t = t.substring(2);
      radix = 16;
    }
    if (t.isEmpty() || t.length() > 10) {
      return null;
    }
    try {
      long v = Long.parseLong(t, radix);
      if (v > 0xffffffffL) {
        return null;
      }
      return (int) (negative ? -v : v);
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
