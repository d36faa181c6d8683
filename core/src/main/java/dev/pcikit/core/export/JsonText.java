package dev.pcikit.core.export;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a document tree (maps with string keys in insertion order, lists, strings, numbers,
 * booleans and null) as indented JSON. Core has no dependencies, so the export renderers build
 * plain trees and this turns them into text.
 */
public final class JsonText {
  private JsonText() {}

  public static String write(Object doc) {
    StringBuilder b = new StringBuilder();
    value(b, doc, 0);
    return b.append('\n').toString();
  }

  private static void value(StringBuilder b, Object v, int depth) {
    if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        b.append("{}");
        return;
      }
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(first ? "\n" : ",\n").append("  ".repeat(depth + 1));
        b.append(string((String) e.getKey())).append(": ");
        value(b, e.getValue(), depth + 1);
        first = false;
      }
      b.append('\n').append("  ".repeat(depth)).append('}');
    } else if (v instanceof List<?> l) {
      if (l.isEmpty()) {
        b.append("[]");
        return;
      }
      b.append('[');
      boolean first = true;
      for (Object o : l) {
        b.append(first ? "\n" : ",\n").append("  ".repeat(depth + 1));
        value(b, o, depth + 1);
        first = false;
      }
      b.append('\n').append("  ".repeat(depth)).append(']');
    } else {
      b.append(scalar(v));
    }
  }

  /** A scalar as JSON: null, true/false, an integer, or a quoted string. */
  static String scalar(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      return v.toString();
    }
    return string(v.toString());
  }

  /** A JSON string literal; also a valid YAML double-quoted scalar. */
  public static String string(String s) {
    StringBuilder o = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        // a whole supplementary character is printable in both JSON and YAML: kept as it is
        o.append(c).append(s.charAt(++i));
        continue;
      }
      switch (c) {
        case '"' -> o.append("\\\"");
        case '\\' -> o.append("\\\\");
        case '\n' -> o.append("\\n");
        case '\r' -> o.append("\\r");
        case '\t' -> o.append("\\t");
        default -> {
          if (notYamlPrintable(c) || c == 0x2028 || c == 0x2029) {
            o.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
          } else {
            o.append(c);
          }
        }
      }
    }
    return o.append('"').toString();
  }

  /**
   * YAML 1.2's printable set (section 5.1: tab, line breaks, 0x20-0x7E, 0x85, 0xA0-0xD7FF,
   * 0xE000-0xFFFD, supplementary pairs) is narrower than JSON's: C1 controls, 0xFFFE/0xFFFF and
   * lone surrogates must be escaped, or a YAML reader refuses the document ("special characters are
   * not allowed").
   */
  private static boolean notYamlPrintable(char c) {
    return c < 0x20
        || c == 0x7f
        || (c >= 0x80 && c <= 0x9f && c != 0x85)
        || Character.isSurrogate(c)
        || c == 0xfeff // a byte-order mark inside a document
        || c == 0xfffe
        || c == 0xffff;
  }

  /** One line, no indentation: for values embedded in other formats (nova.conf). */
  public static String compact(Object v) {
    StringBuilder b = new StringBuilder();
    compact(b, v);
    return b.toString();
  }

  private static void compact(StringBuilder b, Object v) {
    if (v instanceof Map<?, ?> m) {
      b.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        b.append(first ? "" : ", ").append(string((String) e.getKey())).append(": ");
        compact(b, e.getValue());
        first = false;
      }
      b.append('}');
    } else if (v instanceof List<?> l) {
      b.append('[');
      boolean first = true;
      for (Object o : l) {
        b.append(first ? "" : ", ");
        compact(b, o);
        first = false;
      }
      b.append(']');
    } else {
      b.append(scalar(v));
    }
  }
}
