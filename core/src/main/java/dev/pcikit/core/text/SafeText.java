package dev.pcikit.core.text;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place text from outside (sysfs attributes, snapshots, specs, anything typed) is made safe
 * for where it goes: a terminal, a shell line, an XML document. A driver name or a driver_override
 * holding an ESC sequence must not recolour, retitle or rewrite the admin's terminal; a NUL must
 * not cut a line short; a value must not become a second shell command.
 */
public final class SafeText {
  private static final Pattern SHELL_PLAIN = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

  private SafeText() {}

  /**
   * Whether a code point must not reach a terminal raw: C0 controls (tab and newline excepted),
   * DEL, C1 controls (0x80-0x9f; some terminals take 0x9b as CSI) and the Unicode bidi controls
   * that reorder what is displayed.
   */
  public static boolean unsafeForTerminal(int cp) {
    return (cp < 0x20 && cp != '\t' && cp != '\n')
        || (cp >= 0x7f && cp <= 0x9f)
        || (cp >= 0x202a && cp <= 0x202e)
        || (cp >= 0x2066 && cp <= 0x2069)
        || cp == 0x200e
        || cp == 0x200f
        || cp == 0x061c;
  }

  /**
   * The code point as shown instead: backslash-x and two hex digits for ASCII (ESC is shown as
   * x1b), backslash-u and four hex digits above (bash's dollar-quote reads both back, the second in
   * the locale's charset).
   */
  public static String escaped(int cp) {
    return cp < 0x80
        ? String.format(Locale.ROOT, "\\x%02x", cp)
        : String.format(Locale.ROOT, "\\u%04x", cp);
  }

  /** Text for a terminal line: unsafe code points escaped, everything else unchanged. */
  public static String terminal(String s) {
    if (s == null) {
      return null;
    }
    int i = 0;
    while (i < s.length() && !unsafeForTerminal(s.codePointAt(i))) {
      i += Character.charCount(s.codePointAt(i));
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 8).append(s, 0, i);
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (unsafeForTerminal(cp)) {
        b.append(escaped(cp));
      } else {
        b.appendCodePoint(cp);
      }
    }
    return b.toString();
  }

  /** As {@link #terminal}, and a newline or tab escaped too: for one field of one line. */
  public static String field(String s) {
    if (s == null) {
      return null;
    }
    return terminal(s).replace("\n", "\\x0a").replace("\t", "\\x09");
  }

  /**
   * A word for a POSIX shell line, quoted only when needed: plain words as they are, others in
   * single quotes, and any control character as bash's {@code $'\xNN'} (inside single quotes it
   * would reach the terminal raw when the line is printed).
   */
  public static String shell(String s) {
    if (!s.isEmpty() && SHELL_PLAIN.matcher(s).matches()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 2);
    boolean quoted = false;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (unsafeForTerminal(cp) || cp == '\n' || cp == '\t') {
        if (quoted) {
          b.append('\'');
          quoted = false;
        }
        b.append("$'").append(escaped(cp)).append('\'');
      } else if (cp == '\'') {
        if (quoted) {
          b.append('\'');
          quoted = false;
        }
        b.append("\\'");
      } else {
        if (!quoted) {
          b.append('\'');
          quoted = true;
        }
        b.appendCodePoint(cp);
      }
    }
    if (quoted) {
      b.append('\'');
    }
    return b.length() == 0 ? "''" : b.toString();
  }

  /**
   * Whether XML 1.0 allows the code point at all (not even a character reference can hold others).
   */
  public static boolean xmlAllowed(int cp) {
    return cp == 0x9
        || cp == 0xA
        || cp == 0xD
        || (cp >= 0x20 && cp <= 0xD7FF)
        || (cp >= 0xE000 && cp <= 0xFFFD)
        || (cp >= 0x10000 && cp <= 0x10FFFF);
  }

  /**
   * Escapes {@code & < > " '} for XML text and attributes; code points XML 1.0 does not allow
   * become U+FFFD (the replacement character), so the document stays well-formed.
   */
  public static String xml(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      switch (cp) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        default -> {
          if (xmlAllowed(cp)) {
            b.appendCodePoint(cp);
          } else {
            b.append('\uFFFD');
          }
        }
      }
    }
    return b.toString();
  }
}
