package dev.pcikit.core.error;

/**
 * What kind of failure a {@link PcikitException} reports, in domain terms. Front ends map it to
 * their own form (the CLI to an exit code, a service to a status); an embedder switches on it.
 */
public enum Failure {
  /** The request itself is malformed: a bad address, selector, count or option combination. */
  INVALID_ARGUMENT,
  /** A named device, file, host or kernel release does not exist. */
  NOT_FOUND,
  /** Input could not be read: a corrupt, truncated or newer-version snapshot, spec or XML. */
  BAD_INPUT,
  /** A safety rule refused the operation; nothing was changed. */
  REFUSED,
  /** The kernel refused a write; what had changed was rolled back (or the journal was kept). */
  KERNEL_REFUSED,
  /** Another process holds the host lock and did not release it in time. */
  LOCKED,
  /** Something that should not happen: a bug, or pcikit's own state could not be saved. */
  INTERNAL
}
