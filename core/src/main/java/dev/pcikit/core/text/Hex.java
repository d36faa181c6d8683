package dev.pcikit.core.text;

/**
 * Lower-case, zero-padded hexadecimal, as {@code String.format(Locale.ROOT, "%0Nx", value)} prints
 * an {@code int} (a negative value as its 32-bit two's complement), without a {@link
 * java.util.Formatter}: the listing paths print a few thousand of these, and in a cold JVM each
 * format call costs a Formatter, its parsing and boxing (docs/benchmarks-inventory.md, cold start).
 */
public final class Hex {
  private Hex() {}

  /**
   * The value in lower-case hexadecimal, left-padded with zeros to at least {@code digits}.
   *
   * @param value the value
   * @param digits the minimum number of digits
   * @return e.g. {@code pad(0x8086, 4)} is {@code "8086"}, {@code pad(3, 2)} is {@code "03"}
   */
  public static String pad(int value, int digits) {
    String s = Integer.toHexString(value);
    if (s.length() >= digits) {
      return s;
    }
    StringBuilder sb = new StringBuilder(digits);
    for (int i = s.length(); i < digits; i++) {
      sb.append('0');
    }
    return sb.append(s).toString();
  }
}
