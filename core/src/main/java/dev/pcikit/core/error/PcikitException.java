package dev.pcikit.core.error;

/** An error meant for the user: one clear line and an exit code. */
public class PcikitException extends RuntimeException {
  private final ExitCode exitCode;

  public PcikitException(ExitCode exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public PcikitException(ExitCode exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public ExitCode exitCode() {
    return exitCode;
  }
}
