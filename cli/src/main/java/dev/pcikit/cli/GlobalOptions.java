package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.host.Host;
import dev.pcikit.core.host.SystemHost;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.core.sysfs.SystemRoot;
import dev.pcikit.sim.SimulatedHost;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Options every command takes: which host to look at, and how to report. Declared once, as a mixin
 * of the root command {@link Main} with inherited scope, so they work before or after any
 * subcommand. Subcommands must NOT add {@code @Mixin GlobalOptions} (picocli would report a
 * duplicate option); they call {@link #of(CommandLine.Model.CommandSpec)} with their {@code @Spec}.
 */
public final class GlobalOptions {

  @Option(
      names = "--root",
      paramLabel = "DIR",
      scope = CommandLine.ScopeType.INHERIT,
      description = "System root to inspect (sysfs is DIR/sys). Default: /")
  Path root = Path.of("/");

  @Option(
      names = "--host",
      paramLabel = "FILE|demo:NAME",
      scope = CommandLine.ScopeType.INHERIT,
      description =
          "Run on a recorded or demo host instead of this machine; writes go to the simulated"
              + " kernel and are saved back.")
  String host;

  @Option(
      names = "--pci-ids",
      paramLabel = "FILE",
      scope = CommandLine.ScopeType.INHERIT,
      description = "pci.ids file for names (default: the system's hwdata/misc copies)")
  Path pciIds;

  @Option(
      names = "--stacktrace",
      scope = CommandLine.ScopeType.INHERIT,
      description = "Print the stack trace of an error")
  boolean stacktrace;

  @Option(
      names = "--no-color",
      scope = CommandLine.ScopeType.INHERIT,
      description = "No colour (also when NO_COLOR is set or output is not a terminal)")
  boolean noColor;

  public SystemRoot systemRoot() {
    return new SystemRoot(root);
  }

  /** The --host argument, when given. */
  public Optional<String> hostSpec() {
    return Optional.ofNullable(host);
  }

  private Host opened;

  /**
   * The host every command works on, chosen once: the recorded or demo host given with --host (on
   * the simulated kernel), else the system root given with --root (default /).
   */
  public Host host() {
    if (opened == null) {
      if (host != null) {
        if (!root.equals(Path.of("/"))) {
          throw new PcikitException(
              Failure.INVALID_ARGUMENT, "--root and --host cannot be used together");
        }
        opened = SimulatedHost.open(host);
      } else {
        opened = SystemHost.of(root);
      }
    }
    return opened;
  }

  /** The sysfs of {@link #host()}. */
  public Sysfs sysfs() {
    return host().sysfs();
  }

  /**
   * Saves the --host state back (atomically) if a write reached it outside a locked write (those
   * save before releasing the lock). No-op without --host.
   */
  public void saveHost() {
    if (opened instanceof SimulatedHost s) {
      s.save();
    }
  }

  public boolean color() {
    return !noColor && System.getenv("NO_COLOR") == null && System.console() != null;
  }

  /**
   * The global options of the command line that runs a command. They are declared once, on the root
   * command, with inherited scope: picocli accepts them before or after any subcommand and sets
   * them on this one instance.
   */
  public static GlobalOptions of(CommandLine.Model.CommandSpec spec) {
    return ((Main) spec.root().userObject()).global;
  }

  static boolean stacktraceRequested(CommandLine.ParseResult pr) {
    for (CommandLine.ParseResult p = pr; p != null; p = p.subcommand()) {
      if (p.hasMatchedOption("--stacktrace")) {
        return true;
      }
    }
    return false;
  }
}
