package dev.pcikit.core.config;

/**
 * A problem or notable condition met while decoding config space. Decoding never throws: every
 * problem becomes a finding and decoding goes on with what is trustworthy.
 *
 * @param kind what happened
 * @param offset config-space offset concerned, or -1
 * @param message one human-readable sentence
 */
public record ConfigFinding(Kind kind, int offset, String message) {

  /** Severity of a finding. */
  public enum Severity {
    INFO,
    WARNING,
    ERROR
  }

  /** The kinds of findings. */
  public enum Kind {
    NOT_RESPONDING(Severity.ERROR),
    TRUNCATED(Severity.ERROR),
    NEEDS_ROOT(Severity.INFO),
    IDS_ALL_ONES(Severity.INFO),
    PARTIAL(Severity.WARNING),
    EXTENDED_NOT_READABLE(Severity.INFO),
    UNKNOWN_HEADER_TYPE(Severity.WARNING),
    CAP_POINTER_INTO_HEADER(Severity.ERROR),
    CAP_PAST_END(Severity.ERROR),
    CAP_LOOP(Severity.ERROR),
    CAP_CHAIN_BROKEN(Severity.ERROR),
    CAP_TOO_MANY(Severity.ERROR),
    CAP_TRUNCATED(Severity.WARNING),
    EXT_CAP_POINTER_INVALID(Severity.ERROR),
    EXT_CAP_PAST_END(Severity.ERROR),
    EXT_CAP_LOOP(Severity.ERROR),
    EXT_CAP_TOO_MANY(Severity.ERROR),
    EXT_CAP_TRUNCATED(Severity.WARNING);

    private final Severity severity;

    Kind(Severity severity) {
      this.severity = severity;
    }

    public Severity severity() {
      return severity;
    }
  }

  public ConfigFinding {
    java.util.Objects.requireNonNull(kind);
    java.util.Objects.requireNonNull(message);
  }

  public Severity severity() {
    return kind.severity();
  }
}
