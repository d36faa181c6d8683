package dev.pcikit.core.plan.render;

import java.util.Locale;

/** XML text helpers for the renderers. */
final class Xml {
  private Xml() {}

  static String escape(String s) {
    return dev.pcikit.core.text.SafeText.xml(s);
  }

  static String hex2(int v) {
    return String.format(Locale.ROOT, "0x%02x", v);
  }
}
