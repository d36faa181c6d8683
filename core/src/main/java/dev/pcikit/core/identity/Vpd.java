package dev.pcikit.core.identity;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A device's Vital Product Data as decoded by {@link VpdParser}.
 *
 * @param productName the identifier string (large resource 0x82), bytes as Latin-1 characters
 * @param readOnly VPD-R keywords (0x90) in order of appearance: {@code SN}, {@code PN}, {@code
 *     EC}..., values as Latin-1 characters ({@code RV} is kept as its raw bytes, too)
 * @param readWrite VPD-W keywords (0x91)
 * @param checksumGood the {@code RV} checksum: all bytes up to and including RV's first value byte
 *     sum to 0 (PCI Local Bus 3.0 I.3.1.1); empty when there is no RV keyword
 * @param endTag whether the small end tag (0x78) was reached
 * @param findings everything malformed, one sentence each; empty for clean VPD
 */
public record Vpd(
    Optional<String> productName,
    Map<String, String> readOnly,
    Map<String, String> readWrite,
    Optional<Boolean> checksumGood,
    boolean endTag,
    List<String> findings) {

  public Vpd {
    readOnly = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(readOnly));
    readWrite = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(readWrite));
    findings = List.copyOf(findings);
  }

  /**
   * The serial number ({@code SN} in VPD-R) when it says something: not blank, not all '0', not all
   * 0xff/'F' (unprogrammed EEPROMs read so). Trailing blanks and NULs are dropped.
   */
  public Optional<String> serial() {
    String sn = readOnly.get("SN");
    if (sn == null) {
      return Optional.empty();
    }
    String s = sn.replaceAll("[\\s\\x00]+$", "");
    if (s.isEmpty() || s.chars().allMatch(c -> c == '0' || c == 0xff || c == 'F' || c == 'f')) {
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /**
   * A string as lspci prints it (pciutils ls-vpd.c print_vpd_string): backslash doubled, control
   * characters and DEL as {@code \xNN}, everything else as is.
   */
  public static String lspciEscape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        sb.append("\\\\");
      } else if (c < 32 || c == 127) {
        sb.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
