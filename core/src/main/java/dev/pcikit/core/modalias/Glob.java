package dev.pcikit.core.modalias;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A compiled {@code fnmatch(3)} pattern with flags 0, as glibc evaluates it in the C locale (kmod
 * never calls setlocale): {@code *} matches any run of characters, {@code ?} any one character,
 * {@code [...]} one character of a set ({@code !} or {@code ^} negates, ranges by code point, the
 * POSIX classes such as {@code [:digit:]}), a backslash makes the next character literal. '/' and a
 * leading '.' are ordinary characters (no FNM_PATHNAME, no FNM_PERIOD). A {@code [} without its
 * closing {@code ]} is an ordinary character, as in glibc.
 *
 * <p>Consecutive literal characters are kept as one token, so a {@code *} followed by a literal
 * jumps with {@link String#indexOf(String, int)} instead of trying every position.
 */
final class Glob {

  private static final int LITERAL = 0;
  private static final int ANY = 1;
  private static final int SET = 2;
  private static final int STAR = 3;

  /** A trailing backslash: glibc's fnmatch never matches such a pattern. */
  private static final int NEVER = 4;

  private final int[] kinds;
  private final String[] literals;
  private final BitSet[] sets;
  private final boolean[] negated;

  /** Characters any match needs. */
  private final int minLength;

  /**
   * The literal a match must end with (the last token, when a star precedes it), for a quick
   * rejection: PCI class patterns such as {@code *d*sv*sd*bc01sc08i02} fail on most devices here.
   */
  private final String anchoredSuffix;

  private Glob(List<Object[]> tokens) {
    int n = tokens.size();
    kinds = new int[n];
    literals = new String[n];
    sets = new BitSet[n];
    negated = new boolean[n];
    int min = 0;
    boolean star = false;
    for (int i = 0; i < n; i++) {
      Object[] t = tokens.get(i);
      kinds[i] = (Integer) t[0];
      if (kinds[i] == LITERAL) {
        literals[i] = (String) t[1];
        min += literals[i].length();
      } else if (kinds[i] == SET) {
        sets[i] = (BitSet) t[1];
        negated[i] = (Boolean) t[2];
        min++;
      } else if (kinds[i] == ANY) {
        min++;
      } else if (kinds[i] == STAR) {
        star = true;
      }
    }
    minLength = min;
    anchoredSuffix = star && n > 0 && kinds[n - 1] == LITERAL ? literals[n - 1] : null;
  }

  /** Compiles {@code pattern.substring(from)}. */
  static Glob compile(String pattern, int from) {
    List<Object[]> tokens = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int n = pattern.length();
    int i = from;
    while (i < n) {
      char c = pattern.charAt(i);
      if (c == '*') {
        flush(tokens, lit);
        // consecutive stars are one star
        if (tokens.isEmpty() || (Integer) tokens.get(tokens.size() - 1)[0] != STAR) {
          tokens.add(new Object[] {STAR});
        }
        i++;
      } else if (c == '?') {
        flush(tokens, lit);
        tokens.add(new Object[] {ANY});
        i++;
      } else if (c == '[') {
        int end = parseSet(pattern, i, tokens, lit);
        if (end < 0) {
          lit.append('[');
          i++;
        } else {
          i = end;
        }
      } else if (c == '\\') {
        if (i + 1 >= n) {
          flush(tokens, lit);
          tokens.add(new Object[] {NEVER});
          i++;
        } else {
          lit.append(pattern.charAt(i + 1));
          i += 2;
        }
      } else {
        lit.append(c);
        i++;
      }
    }
    flush(tokens, lit);
    return new Glob(tokens);
  }

  private static void flush(List<Object[]> tokens, StringBuilder lit) {
    if (lit.length() > 0) {
      tokens.add(new Object[] {LITERAL, lit.toString()});
      lit.setLength(0);
    }
  }

  /**
   * Parses a bracket expression starting at {@code open}; adds a SET token and returns the index
   * after its {@code ]}, or -1 when it is not terminated (then '[' is literal).
   */
  private static int parseSet(String p, int open, List<Object[]> tokens, StringBuilder lit) {
    int n = p.length();
    int i = open + 1;
    boolean neg = false;
    if (i < n && (p.charAt(i) == '!' || p.charAt(i) == '^')) {
      neg = true;
      i++;
    }
    BitSet set = new BitSet();
    boolean first = true;
    while (true) {
      if (i >= n) {
        return -1;
      }
      char c = p.charAt(i);
      if (c == ']' && !first) {
        i++;
        break;
      }
      first = false;
      if (c == '[' && i + 1 < n && p.charAt(i + 1) == ':') {
        int close = p.indexOf(":]", i + 2);
        if (close < 0) {
          return -1;
        }
        if (!addClass(p.substring(i + 2, close), set)) {
          return -1;
        }
        i = close + 2;
        continue;
      }
      if (c == '\\') {
        if (i + 1 >= n) {
          return -1;
        }
        c = p.charAt(++i);
      }
      i++;
      char lo = c;
      char hi = c;
      if (i + 1 < n && p.charAt(i) == '-' && p.charAt(i + 1) != ']') {
        char e = p.charAt(i + 1);
        i += 2;
        if (e == '\\') {
          if (i >= n) {
            return -1;
          }
          e = p.charAt(i++);
        }
        hi = e;
      }
      if (lo <= hi) {
        set.set(lo, hi + 1);
      }
    }
    flush(tokens, lit);
    tokens.add(new Object[] {SET, set, neg});
    return i;
  }

  private static boolean addClass(String name, BitSet set) {
    for (int ch = 0; ch < 128; ch++) {
      boolean in;
      switch (name) {
        case "alnum" -> in = Character.isLetterOrDigit(ch);
        case "alpha" -> in = Character.isLetter(ch);
        case "blank" -> in = ch == ' ' || ch == '\t';
        case "cntrl" -> in = ch < 32 || ch == 127;
        case "digit" -> in = ch >= '0' && ch <= '9';
        case "graph" -> in = ch > 32 && ch < 127;
        case "lower" -> in = ch >= 'a' && ch <= 'z';
        case "print" -> in = ch >= 32 && ch < 127;
        case "punct" -> in = ch > 32 && ch < 127 && !Character.isLetterOrDigit(ch);
        case "space" -> in = ch == ' ' || (ch >= 9 && ch <= 13);
        case "upper" -> in = ch >= 'A' && ch <= 'Z';
        case "xdigit" -> in = Character.digit(ch, 16) >= 0;
        default -> {
          return false;
        }
      }
      if (in) {
        set.set(ch);
      }
    }
    return true;
  }

  /** Whether {@code s.substring(from)} matches this pattern. */
  boolean matches(String s, int from) {
    int n = s.length();
    if (n - from < minLength || (anchoredSuffix != null && !s.endsWith(anchoredSuffix))) {
      return false;
    }
    int t = 0;
    int i = from;
    int starT = -1;
    int starI = -1;
    int tokens = kinds.length;
    while (true) {
      if (t < tokens) {
        int kind = kinds[t];
        if (kind == STAR) {
          if (t + 1 == tokens) {
            return true;
          }
          starT = t;
          // jump to the next place the following literal occurs
          if (kinds[t + 1] == LITERAL) {
            int at = s.indexOf(literals[t + 1], i);
            if (at < 0) {
              return false;
            }
            i = at;
          }
          starI = i;
          t++;
          continue;
        }
        if (kind == LITERAL) {
          String lit = literals[t];
          if (s.startsWith(lit, i)) {
            i += lit.length();
            t++;
            continue;
          }
        } else if (kind == ANY) {
          if (i < n) {
            i++;
            t++;
            continue;
          }
        } else if (kind == SET) {
          if (i < n && sets[t].get(s.charAt(i)) != negated[t]) {
            i++;
            t++;
            continue;
          }
        }
        // NEVER, or a mismatch: fall through to backtracking
      } else if (i == n) {
        return true;
      }
      if (starT < 0 || starI >= n) {
        return false;
      }
      starI++;
      i = starI;
      t = starT + 1;
      if (kinds[t] == LITERAL) {
        int at = s.indexOf(literals[t], i);
        if (at < 0) {
          return false;
        }
        i = at;
        starI = at;
      }
    }
  }
}
