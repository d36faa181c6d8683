package dev.pcikit.core.error;

/**
 * A failure meant for the user: one clear sentence in domain terms, the {@link Failure} kind, and
 * the {@link Remedy} a caller can apply. Front ends word the remedy for their users (the CLI names
 * its flags); the message itself names no front end's options.
 */
public class PcikitException extends RuntimeException {
  private final Failure failure;
  private final Remedy remedy;

  public PcikitException(Failure failure, String message) {
    this(failure, Remedy.NONE, message, null);
  }

  public PcikitException(Failure failure, String message, Throwable cause) {
    this(failure, Remedy.NONE, message, cause);
  }

  public PcikitException(Failure failure, Remedy remedy, String message) {
    this(failure, remedy, message, null);
  }

  public PcikitException(Failure failure, Remedy remedy, String message, Throwable cause) {
    super(message, cause);
    this.failure = failure;
    this.remedy = remedy;
  }

  /** What kind of failure this is. */
  public Failure failure() {
    return failure;
  }

  /** What the caller can do about it; {@link Remedy#NONE} when the message says all. */
  public Remedy remedy() {
    return remedy;
  }
}
