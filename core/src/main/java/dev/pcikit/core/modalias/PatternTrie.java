package dev.pcikit.core.modalias;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The alias patterns of one kmod index ({@code modules.alias.bin}, {@code
 * modules.builtin.alias.bin}, {@code modules.symbols.bin}), searched the way libkmod's {@code
 * index_searchwild()} searches them, without scanning every pattern.
 *
 * <p>kmod walks its trie along the looked-up string while the pattern characters are literal, and
 * from a pattern's first wildcard ({@code * ? [}) on it calls {@code fnmatch()} on the rest. This
 * class keeps a trie of those literal prefixes only; each pattern hangs at the node of its literal
 * prefix with its remainder compiled as a {@link Glob}. A lookup walks the trie once along the
 * string and tests only the patterns hanging on that path (for a PCI modalias: the few dozen
 * patterns of its vendor and device, plus the class-only ones).
 *
 * <p>Order of the answer, as libkmod builds it: every value carries a priority (depmod writes the
 * module's position in {@code modules.order}, 0 for builtin aliases) and each match is inserted
 * before the first value of equal or higher priority, so the answer is sorted by priority and,
 * within equal priority, is the reverse of the order the trie walk met the values. That walk order
 * is reproduced by {@link #walkOrder}.
 */
final class PatternTrie {

  private static final char[] NO_KEYS = new char[0];
  private static final Node[] NO_KIDS = new Node[0];
  private static final int[] NO_ENTRIES = new int[0];

  private final AliasEntry[] entries;
  private final int[] priorities;
  private final int[] literalLengths;
  private final Glob[] remainders;
  private final Node root = new Node();

  private static final class Node {
    char[] keys = NO_KEYS;
    Node[] kids = NO_KIDS;
    int[] entries = NO_ENTRIES;

    Node child(char c) {
      char[] k = keys;
      for (int i = 0; i < k.length; i++) {
        if (k[i] == c) {
          return kids[i];
        }
      }
      return null;
    }

    Node addChild(char c) {
      Node n = child(c);
      if (n == null) {
        n = new Node();
        int len = keys.length;
        keys = Arrays.copyOf(keys, len + 1);
        kids = Arrays.copyOf(kids, len + 1);
        keys[len] = c;
        kids[len] = n;
      }
      return n;
    }

    void addEntry(int e) {
      int len = entries.length;
      entries = Arrays.copyOf(entries, len + 1);
      entries[len] = e;
    }
  }

  /**
   * @param entries the patterns in the order they were inserted into kmod's index
   * @param priorities each entry's kmod priority (same length)
   */
  PatternTrie(List<AliasEntry> entries, int[] priorities) {
    int n = entries.size();
    this.entries = entries.toArray(new AliasEntry[0]);
    this.priorities = priorities.clone();
    this.literalLengths = new int[n];
    this.remainders = new Glob[n];
    // most remainders repeat ("*sd*bc*sc*i*" for every PCI device alias): compile each once
    java.util.HashMap<String, Glob> compiled = new java.util.HashMap<>();
    for (int i = 0; i < n; i++) {
      String p = this.entries[i].pattern();
      int lit = literalLength(p);
      literalLengths[i] = lit;
      remainders[i] = compiled.computeIfAbsent(p.substring(lit), r -> Glob.compile(r, 0));
      Node node = root;
      for (int j = 0; j < lit; j++) {
        node = node.addChild(p.charAt(j));
      }
      node.addEntry(i);
    }
  }

  /**
   * The length of the pattern's literal prefix: up to its first {@code *}, {@code ?} or {@code [}.
   */
  static int literalLength(String p) {
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '*' || c == '?' || c == '[') {
        return i;
      }
    }
    return p.length();
  }

  int size() {
    return entries.length;
  }

  /** The modules with a pattern starting with {@code prefix} (literally). */
  java.util.Set<String> modulesWithPrefix(String prefix) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (AliasEntry e : entries) {
      if (e.pattern().startsWith(prefix)) {
        out.add(e.module());
      }
    }
    return out;
  }

  /** The same patterns, all with one priority (built-in aliases: depmod gives them 0). */
  PatternTrie withPriority(int priority) {
    int[] p = new int[entries.length];
    java.util.Arrays.fill(p, priority);
    return new PatternTrie(List.of(entries), p);
  }

  /**
   * The entries matching {@code key} (a normalised alias without {@code * ? [}), in libkmod's
   * answer order.
   */
  List<AliasEntry> lookup(String key) {
    int[] found = new int[8];
    int count = 0;
    Node node = root;
    int depth = 0;
    int len = key.length();
    while (true) {
      for (int e : node.entries) {
        if (remainders[e].matches(key, depth)) {
          if (count == found.length) {
            found = Arrays.copyOf(found, count * 2);
          }
          found[count++] = e;
        }
      }
      if (depth == len) {
        break;
      }
      node = node.child(key.charAt(depth));
      if (node == null) {
        break;
      }
      depth++;
    }
    if (count == 0) {
      return List.of();
    }
    // insertion sort: the matches are few
    for (int i = 1; i < count; i++) {
      int v = found[i];
      int j = i - 1;
      while (j >= 0 && answerOrder(found[j], v) > 0) {
        found[j + 1] = found[j];
        j--;
      }
      found[j + 1] = v;
    }
    List<AliasEntry> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(entries[found[i]]);
    }
    return out;
  }

  /** Priority ascending; within one priority, the reverse of the walk order. */
  private int answerOrder(int a, int b) {
    int c = Integer.compare(priorities[a], priorities[b]);
    if (c != 0) {
      return c;
    }
    return -walkOrder(a, b);
  }

  /**
   * The order in which libkmod's {@code index_mm_searchwild()} meets two matching values. At each
   * trie node on the literal path it first visits the subtrees under the wildcard children {@code
   * *}, {@code ?}, {@code [} (in that order), each depth first with children in ascending character
   * order and a node's own values after its children; then it descends along the string. So a
   * pattern whose first wildcard comes earlier is met first; with the first wildcard at the same
   * place, the rest of the patterns decide (ascending, a longer pattern before its own prefix).
   * Values of one node are met as depmod wrote them, newest first.
   *
   * <p>This is the path of modprobe and udev, which map the indexes ({@code
   * kmod_load_resources()}). When one index cannot be mapped (an empty {@code modules.builtin.bin},
   * written when {@code modules.builtin} was missing), libkmod falls back to reading the files,
   * whose reader reverses each node's values: then built-in aliases sharing one pattern come in the
   * other order.
   */
  private int walkOrder(int a, int b) {
    int wa = literalLengths[a];
    int wb = literalLengths[b];
    if (wa != wb) {
      return Integer.compare(wa, wb);
    }
    String pa = entries[a].pattern();
    String pb = entries[b].pattern();
    int la = pa.length();
    int lb = pb.length();
    for (int i = wa; i < la && i < lb; i++) {
      char ca = pa.charAt(i);
      char cb = pb.charAt(i);
      if (ca != cb) {
        return Character.compare(ca, cb);
      }
    }
    if (la != lb) {
      return la > lb ? -1 : 1;
    }
    return Integer.compare(b, a);
  }
}
