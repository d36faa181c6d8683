package dev.pcikit.core.inventory;

/**
 * Something the inventory could not read or found wrong, reported as a value so that the rest of
 * the inventory is still listed.
 *
 * @param subject a BDF, a path or "host"
 * @param severity NOTE (informational, e.g. config needs root), WARNING or ERROR (data missing)
 */
public record Problem(String subject, Severity severity, String message) {
  /** How much a problem matters: a note, a warning, or data that could not be read. */
  public enum Severity {
    NOTE,
    WARNING,
    ERROR
  }

  public static Problem error(String subject, String message) {
    return new Problem(subject, Severity.ERROR, message);
  }

  public static Problem warning(String subject, String message) {
    return new Problem(subject, Severity.WARNING, message);
  }

  public static Problem note(String subject, String message) {
    return new Problem(subject, Severity.NOTE, message);
  }

  @Override
  public String toString() {
    return subject + ": " + message;
  }
}
