package dev.pcikit.core.draw;

/** XML text and attribute escaping for the SVG writer. */
final class Xml {
  private Xml() {}

  /** Escapes &amp; &lt; &gt; " and ', and drops characters XML 1.0 does not allow. */
  static String escape(String s) {
    return dev.pcikit.core.text.SafeText.xml(s);
  }
}
