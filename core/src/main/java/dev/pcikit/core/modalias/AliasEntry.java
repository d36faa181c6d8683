package dev.pcikit.core.modalias;

/**
 * One alias: a pattern (already normalised the way depmod / kmod normalise it) and the module it
 * names, with the file and line it came from.
 */
public record AliasEntry(String pattern, String module, String file, int line) {

  /** The number of {@code *} in the pattern: the measure of the VFIO variant choice. */
  public int wildcards() {
    int n = 0;
    for (int i = 0; i < pattern.length(); i++) {
      if (pattern.charAt(i) == '*') {
        n++;
      }
    }
    return n;
  }

  /** {@code file:line}, for messages. */
  public String origin() {
    return file + ":" + line;
  }
}
