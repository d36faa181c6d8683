package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.io.InputFiles;
import dev.pcikit.core.model.PciAddress;
import java.io.ByteArrayOutputStream;

/** Path and query values: percent-decoding, bounds, and the typed parameters routes take. */
final class Paths {
  private Paths() {}

  /**
   * Percent-decodes one path segment (RFC 3986 section 2.1); a malformed escape, invalid UTF-8, a
   * control character or a '/' in the result is INVALID_ARGUMENT: a parameter never names a path.
   */
  static String decodeSegment(String raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
    for (int i = 0; i < raw.length(); i++) {
      char c = raw.charAt(i);
      if (c == '%') {
        if (i + 2 >= raw.length()) {
          throw bad("malformed percent escape in path");
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw bad("malformed percent escape in path");
        }
        out.write(hi * 16 + lo);
        i += 2;
      } else {
        out.write(c > 0x7f ? '?' : c);
      }
    }
    String s =
        InputFiles.strictUtf8(out.toByteArray()).orElseThrow(() -> bad("path is not valid UTF-8"));
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || c == '/' || c == '\\') {
        throw bad("path parameter contains a control character, '/' or '\\'");
      }
    }
    return bounded("path parameter", s);
  }

  static String bounded(String what, String v) {
    if (v.length() > Limits.PARAM_CHARS) {
      throw bad(what + " is longer than " + Limits.PARAM_CHARS + " characters");
    }
    return v;
  }

  /** A PCI address parameter ({@code 0000:03:00.0} or {@code 03:00.0}). */
  static PciAddress address(String name, String v) {
    try {
      return PciAddress.parse(v);
    } catch (IllegalArgumentException e) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT, name + ": not a PCI address: " + Problems.quote(v));
    }
  }

  private static PcikitException bad(String message) {
    return new PcikitException(Failure.INVALID_ARGUMENT, message);
  }
}
