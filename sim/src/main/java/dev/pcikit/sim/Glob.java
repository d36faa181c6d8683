package dev.pcikit.sim;

/** fnmatch(3) subset used by modules.alias patterns: {@code *}, {@code ?} and {@code [...]}. */
final class Glob {
  private Glob() {}

  static boolean matches(String pattern, String text) {
    return match(pattern, 0, text, 0);
  }

  private static boolean match(String p, int pi, String t, int ti) {
    while (pi < p.length()) {
      char c = p.charAt(pi);
      if (c == '*') {
        for (int k = ti; k <= t.length(); k++) {
          if (match(p, pi + 1, t, k)) {
            return true;
          }
        }
        return false;
      }
      if (ti >= t.length()) {
        return false;
      }
      if (c == '[') {
        int end = p.indexOf(']', pi + 1);
        if (end < 0) {
          return false;
        }
        String set = p.substring(pi + 1, end);
        if (!inSet(set, t.charAt(ti))) {
          return false;
        }
        pi = end + 1;
        ti++;
        continue;
      }
      if (c != '?' && c != t.charAt(ti)) {
        return false;
      }
      pi++;
      ti++;
    }
    return ti == t.length();
  }

  private static boolean inSet(String set, char ch) {
    for (int i = 0; i < set.length(); i++) {
      if (i + 2 < set.length() && set.charAt(i + 1) == '-') {
        if (ch >= set.charAt(i) && ch <= set.charAt(i + 2)) {
          return true;
        }
        i += 2;
      } else if (set.charAt(i) == ch) {
        return true;
      }
    }
    return false;
  }
}
