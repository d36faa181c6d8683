package dev.pcikit.core.draw;

/** XML text and attribute escaping for the SVG writer. */
final class Xml {
  private Xml() {}

  /** Escapes &amp; &lt; &gt; " and ', and drops characters XML 1.0 does not allow. */
  static String escape(String s) {
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
          boolean allowed =
              cp == 0x9
                  || cp == 0xA
                  || cp == 0xD
                  || (cp >= 0x20 && cp <= 0xD7FF)
                  || (cp >= 0xE000 && cp <= 0xFFFD)
                  || (cp >= 0x10000 && cp <= 0x10FFFF);
          if (allowed) {
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
