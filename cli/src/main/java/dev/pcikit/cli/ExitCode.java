package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import java.util.ArrayList;
import java.util.List;

/**
 * The exit codes of every pcikit command: the one place they are defined. {@code pcikit --help}
 * lists {@link #helpLines()}; docs/exit-codes.md is checked against {@link #markdownTable()}
 * ({@code -Dpcikit.regenerate=true} rewrites it). The core reports a {@link Failure}; {@link
 * #of(Failure)} is the CLI's mapping.
 */
public enum ExitCode {
  OK(0, "success", "success"),
  INTERNAL(
      1,
      "internal error (run again with --stacktrace and report it)",
      "internal error — a bug: run again with `--stacktrace` and report it (also any "
          + "JVM `Error`, e.g. out of memory: still one line)"),
  USAGE(
      2,
      "usage error",
      "usage error: unknown option, bad argument, malformed selector or BDF (lspci's "
          + "grammar, strictly), or a selector a write command refuses (empty, `*`, wider "
          + "than a slot or a device model, or taking every device: see docs/vfio.md), "
          + "`--driver` naming a driver that is not a VFIO driver; a count out of range "
          + "(`--vfs 99999`, `--lock-timeout -1`), a device that is not what the command "
          + "needs (not an SR-IOV PF), a file where a directory is expected (`--state-dir`, "
          + "`materialize DIR`)"),
  NOT_FOUND(
      3,
      "a named device, file or host does not exist",
      "a named device, file or host does not exist (also: `--root` is not a sysfs tree)"),
  BAD_INPUT(
      4,
      "input could not be read (corrupt snapshot, spec or XML)",
      "input could not be read: corrupt, truncated or newer-version snapshot, spec or "
          + "XML; a persisted binding naming a driver that is not a VFIO driver; a file that "
          + "is not a regular file (FIFO, device node, directory) or larger than its bound; a "
          + "corrupt journal, binding-record or persisted-bindings file (the message names "
          + "the file and how to get out)"),
  REFUSED(
      5,
      "refused by a safety rule",
      "refused by a safety rule (the message says which; `--force` overrides where allowed)"),
  KERNEL_REFUSED(
      6,
      "the kernel refused a write; changes were rolled back",
      "the kernel refused a write; every change was rolled back"),
  LOCKED(
      7,
      "another pcikit holds the lock",
      "another pcikit holds the lock and did not release it in time"),
  PARTIAL(
      8,
      "inventory incomplete: some devices or attributes unreadable",
      "inventory incomplete: some devices or attributes could not be read (listed on stderr; the"
          + " rest is still printed)"),
  BLOCKING(
      10,
      "check found a blocking problem",
      "`pcikit check` found a blocking problem; `pcikit export`: a host finding blocks "
          + "passthrough (the empty document is printed all the same)"),
  IDENTITY_MISMATCH(
      11,
      "a persisted binding was not applied (another device, moved, ambiguous)",
      "`vfio apply-persisted`: a persisted binding was not applied because another device is at"
          + " its recorded address, the device moved (with `--on-move refuse`), or it cannot be"
          + " told apart from another; the others were applied");

  private final int code;
  private final String help;
  private final String meaning;

  ExitCode(int code, String help, String meaning) {
    this.code = code;
    this.help = help;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  /** The documented meaning (docs/exit-codes.md). */
  public String meaning() {
    return meaning;
  }

  /** The exit code of a core failure. */
  public static ExitCode of(Failure f) {
    return switch (f) {
      case INVALID_ARGUMENT -> USAGE;
      case NOT_FOUND -> NOT_FOUND;
      case BAD_INPUT -> BAD_INPUT;
      case REFUSED -> REFUSED;
      case KERNEL_REFUSED -> KERNEL_REFUSED;
      case LOCKED -> LOCKED;
      case INTERNAL -> INTERNAL;
    };
  }

  /** The footer of {@code pcikit --help}. */
  static String[] helpLines() {
    List<String> out = new ArrayList<>();
    for (ExitCode c : values()) {
      String code = String.valueOf(c.code);
      // "  %-2d %s" without a Formatter: this footer is built on every call (the root's usage)
      out.add("  " + code + (code.length() < 2 ? " " : "") + " " + c.help);
    }
    return out.toArray(String[]::new);
  }

  /** The table of docs/exit-codes.md. */
  static String markdownTable() {
    StringBuilder sb = new StringBuilder("| code | meaning |\n|---|---|\n");
    for (ExitCode c : values()) {
      sb.append("| ").append(c.code).append(" | ").append(c.meaning).append(" |\n");
    }
    return sb.toString();
  }
}
