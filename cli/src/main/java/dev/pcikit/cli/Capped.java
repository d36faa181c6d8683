package dev.pcikit.cli;

import java.io.PrintWriter;
import java.util.List;

/**
 * Prints per-item messages on stderr with a cap: a file with 100,000 bad entries gives the first
 * {@value #MAX} messages and one summary line, not 100,000 lines.
 */
final class Capped {
  static final int MAX = 20;

  private Capped() {}

  /** Prints "pcikit: PREFIX message" for the first MAX messages, then "... and N more". */
  static void print(PrintWriter err, String prefix, List<String> messages, String what) {
    int n = messages.size();
    for (int i = 0; i < Math.min(n, MAX); i++) {
      err.println("pcikit: " + prefix + messages.get(i));
    }
    if (n > MAX) {
      err.println(
          "pcikit: " + prefix + "... and " + (n - MAX) + " more " + what + " (" + n + " in all)");
    }
    err.flush();
  }
}
