package dev.pcikit.core.error;

/** The documented exit codes of every pcikit command (docs/exit-codes.md). */
public enum ExitCode {
  OK(0, "success"),
  INTERNAL(1, "internal error (a bug: run again with --stacktrace and report it)"),
  USAGE(2, "usage error: unknown option, bad argument"),
  NOT_FOUND(3, "a named device, file or host does not exist"),
  BAD_INPUT(4, "input could not be read: corrupt snapshot, spec or XML"),
  REFUSED(5, "refused by a safety rule (see the message; --force overrides where allowed)"),
  KERNEL_REFUSED(6, "the kernel refused a write; every change was rolled back"),
  LOCKED(7, "another pcikit holds the lock and did not release it in time"),
  PARTIAL(8, "inventory is incomplete: some devices or attributes could not be read"),
  BLOCKING(10, "check found a blocking problem"),
  IDENTITY_MISMATCH(
      11,
      "a persisted binding was not applied: another device is at its recorded address, the"
          + " device moved (with --on-move refuse), or it cannot be told apart");

  private final int code;
  private final String meaning;

  ExitCode(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}
