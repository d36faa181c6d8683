package dev.pcikit.cli;

import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.error.Remedy;
import dev.pcikit.core.vfio.Refusal;
import dev.pcikit.core.vfio.RefusedException;
import java.util.stream.Collectors;

/**
 * The terminal wording of the core's typed failures: the core says what happened and what kind of
 * remedy applies ({@link Remedy}); this class names the flag or command that applies it.
 */
final class Messages {
  private Messages() {}

  private static final String NOT_OVERRIDABLE_CORE = " (cannot be overridden)";
  private static final String NOT_OVERRIDABLE_CLI = " (--force does not override this)";

  /** The one line printed after "pcikit: " for a failure. */
  static String line(PcikitException e) {
    String text =
        e instanceof RefusedException r
            ? "refused to "
                + r.operation().word()
                + ": "
                + r.refusals().stream().map(Messages::refusal).collect(Collectors.joining("; "))
            : String.valueOf(e.getMessage()).replace(NOT_OVERRIDABLE_CORE, NOT_OVERRIDABLE_CLI);
    return prefix(e.remedy()) + text + remedy(e.remedy());
  }

  /** What names the subject, before the message: the flag that gave the bad value. */
  private static String prefix(Remedy r) {
    return r == Remedy.NAME_VFIO_DRIVER ? "--driver: " : "";
  }

  /** One refusal, with whether --force overrides it. */
  static String refusal(Refusal r) {
    return r.address() + ": " + r.reason() + (r.rule().forceable() ? "" : NOT_OVERRIDABLE_CLI);
  }

  private static String remedy(Remedy r) {
    return switch (r) {
      case NONE -> "";
      case OVERRIDE_SAFETY_RULES -> " (--force overrides, at your own risk)";
      case INCLUDE_WHOLE_GROUP ->
          ". Add --group to bind the whole group (all or nothing), or name those devices too";
      case RECOVER_LATER -> ": run 'pcikit recover' once the cause is fixed";
      case WAIT_LONGER -> " (or raise --lock-timeout)";
      case NAME_KERNEL_RELEASE -> "; give --kernel-release";
      case NAME_VFIO_DRIVER -> "";
      case NAME_NODE -> " (use --node)";
    };
  }
}
