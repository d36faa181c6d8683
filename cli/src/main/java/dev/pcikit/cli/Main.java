package dev.pcikit.cli;

import dev.pcikit.core.error.ExitCode;
import dev.pcikit.core.error.PcikitException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: builds the command tree and maps every failure to one line and an exit code. */
@Command(
    name = "pcikit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Safe, explainable PCI passthrough for Linux virtualization hosts.",
    subcommands = {
      CommandLine.HelpCommand.class,
      ListCommand.class,
      ShowCommand.class,
      GroupsCommand.class,
      CheckCommand.class,
      ExportCommand.class,
      DrawCommand.class,
      SnapshotCommand.class,
      PlanCommand.class,
      DriversCommand.class,
      VfioCommand.class,
      RecoverCommand.class,
      SriovCommand.class,
      CompletionCommand.class,
      CdsTrainingCommand.class,
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0  success",
      "  1  internal error (run again with --stacktrace and report it)",
      "  2  usage error",
      "  3  a named device, file or host does not exist",
      "  4  input could not be read (corrupt snapshot, spec or XML)",
      "  5  refused by a safety rule",
      "  6  the kernel refused a write; changes were rolled back",
      "  7  another pcikit holds the lock",
      "  8  inventory incomplete: some devices or attributes unreadable",
      "  10 check found a blocking problem",
    })
public final class Main implements Runnable {

  @CommandLine.Mixin GlobalOptions global;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    addHelpOptions(cl);
    cl.setExecutionExceptionHandler(Main::handleExecutionException);
    cl.setParameterExceptionHandler(Main::handleParameterException);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    return cl;
  }

  /** Every command and subcommand answers -h/--help and -V/--version. */
  private static void addHelpOptions(CommandLine cl) {
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (!sub.getCommandSpec().mixinStandardHelpOptions()) {
        sub.getCommandSpec().mixinStandardHelpOptions(true);
      }
      addHelpOptions(sub);
    }
  }

  /** Runs pcikit with the given streams; returns the exit code. Used by tests and main(). */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = commandLine();
    cl.setOut(out);
    cl.setErr(err);
    int code = cl.execute(args);
    try {
      // --host: whatever the command wrote to the simulated kernel (also when it failed part-way)
      // is saved back, atomically; a no-op when nothing was written
      ((Main) cl.getCommand()).global.saveHost();
    } catch (PcikitException e) {
      err.println("pcikit: " + e.getMessage());
      code = code == 0 ? e.exitCode().code() : code;
    }
    out.flush();
    err.flush();
    return code;
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, false);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
  }

  private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("pcikit: " + e.getMessage());
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    return ExitCode.USAGE.code();
  }

  private static int handleExecutionException(
      Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    boolean trace = GlobalOptions.stacktraceRequested(parseResult);
    if (e instanceof PcikitException pe) {
      err.println("pcikit: " + pe.getMessage());
      if (trace) {
        pe.printStackTrace(err);
      }
      err.flush();
      return pe.exitCode().code();
    }
    err.println("pcikit: internal error: " + e + (trace ? "" : " (run with --stacktrace)"));
    if (trace) {
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCode.INTERNAL.code();
  }
}
