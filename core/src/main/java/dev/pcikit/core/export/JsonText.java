package dev.pcikit.core.export;

import java.util.List;
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
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> o.append("\\\"");
        case '\\' -> o.append("\\\\");
        case '\n' -> o.append("\\n");
        case '\r' -> o.append("\\r");
        case '\t' -> o.append("\\t");
        default -> {
          // also what YAML does not allow unescaped (C1 controls, BOM, U+FFFE/FFFF, lone
          // surrogates): the same text is a valid YAML double-quoted scalar
          if (c < 0x20
              || (c >= 0x7f && c <= 0x9f)
              || Character.isSurrogate(c)
              || c == 0x2028
              || c == 0x2029
              || c == 0xfeff
              || c >= 0xfffe) {
            o.append(String.format("\\u%04x", (int) c));
          } else {
            o.append(c);
          }
        }
      }
    }
    return o.append('"').toString();
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
