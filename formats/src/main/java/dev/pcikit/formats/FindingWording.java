package dev.pcikit.formats;

import dev.pcikit.core.check.Finding;
import dev.pcikit.core.check.FixAction;

/**
 * A {@link Finding}'s message and fix in pcikit's command-line words: where the core says what to
 * do in domain terms and types it as a {@link FixAction}, this names the {@code pcikit} command
 * that does it. The text {@code pcikit check} prints and the {@code message}/{@code fix} fields of
 * {@value CheckJson#SCHEMA} documents.
 */
public final class FindingWording {
  private FindingWording() {}

  /**
   * The message, with the command that changes what it reports where there is one.
   *
   * @param f the finding
   * @return one line
   */
  public static String message(Finding f) {
    if (f.action().kind() == FixAction.Kind.BIND_DEVICE && f.fix().isEmpty()) {
      return f.message() + " ('pcikit vfio bind' moves it to vfio-pci)";
    }
    return f.message();
  }

  /**
   * The fix, naming the command that does it; empty when nothing is needed.
   *
   * @param f the finding
   * @return one line, or ""
   */
  public static String fix(Finding f) {
    FixAction a = f.action();
    return switch (a.kind()) {
      case BIND_GROUP -> f.fix() + ": pcikit vfio bind --group " + a.devices().get(0);
      case BIND_ALSO -> f.fix().replace("(bound to vfio-pci too)", "(pcikit vfio bind them too)");
      case CHECK_ON_HOST, CHECK_AS_ROOT -> "run pcikit " + f.fix();
      case BIND_DEVICE, NONE -> f.fix();
    };
  }
}
