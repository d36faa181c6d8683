package dev.pcikit.core.plan.render;

import dev.pcikit.core.export.JsonText;
import java.util.List;

/** A minimal JSON writer (core has no dependencies). */
final class Json {
  private final StringBuilder b = new StringBuilder();
  private boolean needComma;
  private int depth;

  /** One JSON string writer for all of core: the export package's (it also escapes for YAML). */
  static String string(String s) {
    return JsonText.string(s);
  }

  private boolean afterKey;

  /** Separator and indentation before a member or element (not after a key). */
  private void sep() {
    if (afterKey) {
      afterKey = false;
      return;
    }
    if (needComma) {
      b.append(',');
    }
    if (depth > 0) {
      b.append('\n').append("  ".repeat(depth));
    }
  }

  Json key(String k) {
    sep();
    b.append(string(k)).append(": ");
    afterKey = true;
    return this;
  }

  private Json value(String raw) {
    sep();
    b.append(raw);
    needComma = true;
    return this;
  }

  Json str(String k, String v) {
    return key(k).value(string(v));
  }

  Json num(String k, long v) {
    return key(k).value(Long.toString(v));
  }

  Json bool(String k, boolean v) {
    return key(k).value(Boolean.toString(v));
  }

  Json nul(String k) {
    return key(k).value("null");
  }

  Json strings(String k, List<String> vs) {
    key(k).begin('[');
    for (String v : vs) {
      value(string(v));
    }
    return end(']');
  }

  Json ints(String k, List<Integer> vs) {
    key(k).begin('[');
    for (int v : vs) {
      value(Integer.toString(v));
    }
    return end(']');
  }

  Json begin(char c) {
    sep();
    b.append(c);
    depth++;
    needComma = false;
    return this;
  }

  Json end(char c) {
    depth--;
    if (needComma) {
      b.append('\n').append("  ".repeat(depth));
    }
    b.append(c);
    needComma = true;
    return this;
  }

  @Override
  public String toString() {
    return b + "\n";
  }
}
