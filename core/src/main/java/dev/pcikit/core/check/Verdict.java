package dev.pcikit.core.check;

/** How much a finding matters, in increasing order. */
public enum Verdict {
  /** Fine as it is (reported so the user sees what was checked). */
  OK,
  /** Works, but with a cost or a risk the user should know about. */
  WARNING,
  /** Passthrough will not work (or would break the host) until this is fixed. */
  BLOCKING;

  public static Verdict worst(Iterable<Finding> findings) {
    Verdict w = OK;
    for (Finding f : findings) {
      if (f.verdict().ordinal() > w.ordinal()) {
        w = f.verdict();
      }
    }
    return w;
  }
}
