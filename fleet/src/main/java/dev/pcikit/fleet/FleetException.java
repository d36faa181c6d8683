package dev.pcikit.fleet;

/** A fleet operation that cannot go on, with one line saying why (bad input, database refused). */
public final class FleetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What kind of failure: the CLI maps each to an exit code. */
  public enum Kind {
    /** Malformed document, selector or argument. */
    INVALID_INPUT,
    /** The database cannot be reached or refused the operation. */
    DATABASE,
    /** No such host or fingerprint in the fleet. */
    NOT_FOUND
  }

  private final Kind kind;

  public FleetException(String message) {
    this(Kind.DATABASE, message);
  }

  public FleetException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  public FleetException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
