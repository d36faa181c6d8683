package dev.pcikit.core.export;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes a document tree as block-style YAML. Strings are always double-quoted (JSON escapes are
 * valid YAML), so no value can turn into a number, a boolean or null on the way in ("0x0000",
 * "yes", "08"); keys are written plain only when they cannot be read as anything but a string.
 */
public final class YamlText {
  private YamlText() {}

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_./-]*");
  private static final Pattern YAML11_WORDS =
      Pattern.compile("(?i)y|n|yes|no|on|off|true|false|null|~");

  /** One document, without the "---" marker. */
  public static String write(Object doc) {
    StringBuilder b = new StringBuilder();
    if (doc instanceof Map<?, ?> m && !m.isEmpty()) {
      map(b, m, 0);
    } else if (doc instanceof List<?> l && !l.isEmpty()) {
      list(b, l, 0);
    } else {
      b.append(inline(doc)).append('\n');
    }
    return b.toString();
  }

  /** Comment lines ("# ...") for the text, one per line. */
  public static String comment(String text) {
    StringBuilder b = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      b.append(line.isEmpty() ? "#" : "# " + line).append('\n');
    }
    return b.toString();
  }

  private static void map(StringBuilder b, Map<?, ?> m, int indent) {
    for (Map.Entry<?, ?> e : m.entrySet()) {
      b.append("  ".repeat(indent)).append(key((String) e.getKey())).append(':');
      child(b, e.getValue(), indent + 1, false);
    }
  }

  private static void list(StringBuilder b, List<?> l, int indent) {
    for (Object o : l) {
      b.append("  ".repeat(indent)).append('-');
      child(b, o, indent + 1, true);
    }
  }

  /** The value after "key:" or "-": inline scalars and empty collections, else a block. */
  private static void child(StringBuilder b, Object v, int indent, boolean inList) {
    if (isFlowPair(v)) {
      Map.Entry<?, ?> e = ((Map<?, ?>) v).entrySet().iterator().next();
      b.append(" {").append(key((String) e.getKey())).append(": ");
      b.append(inline(e.getValue())).append("}\n");
    } else if (v instanceof Map<?, ?> m && !m.isEmpty()) {
      if (inList) {
        // "- first: x" then the other keys aligned under it
        StringBuilder inner = new StringBuilder();
        map(inner, m, indent);
        b.append(' ').append(inner.substring(2 * indent));
      } else {
        b.append('\n');
        map(b, m, indent);
      }
    } else if (v instanceof List<?> l && !l.isEmpty()) {
      b.append('\n');
      list(b, l, indent);
    } else {
      b.append(' ').append(inline(v)).append('\n');
    }
  }

  /** A map of one scalar ({string: "x"}, a typed DRA attribute) reads best on one line. */
  private static boolean isFlowPair(Object v) {
    if (v instanceof Map<?, ?> m && m.size() == 1) {
      Object only = m.values().iterator().next();
      return !(only instanceof Map<?, ?>) && !(only instanceof List<?>);
    }
    return false;
  }

  private static String inline(Object v) {
    if (v instanceof Map<?, ?>) {
      return "{}";
    }
    if (v instanceof List<?>) {
      return "[]";
    }
    return JsonText.scalar(v);
  }

  static String key(String k) {
    if (PLAIN_KEY.matcher(k).matches() && !YAML11_WORDS.matcher(k).matches()) {
      return k;
    }
    return JsonText.string(k);
  }
}
