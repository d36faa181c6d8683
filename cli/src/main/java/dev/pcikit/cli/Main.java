package dev.pcikit.cli;

import dev.pcikit.core.error.PcikitException;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: builds the command tree and maps every failure to one line and an exit code.
 *
 * <p>The subcommands are not listed in the annotation but added by {@link #commandLine()}: picocli
 * builds a command's model (reflection over every option of every class) when it is added, and for
 * all subcommands that was most of a cold start. {@link #commandLine(String...)} adds only the one
 * the arguments name.
 */
@Command(
    name = "pcikit",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Safe, explainable PCI passthrough for Linux virtualization hosts.",
    footerHeading = "%nExit codes:%n")
public final class Main implements Runnable {

  @CommandLine.Mixin GlobalOptions global;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The subcommands, in the order --help lists them. */
  static final List<String> SUBCOMMANDS =
      List.of(
          "help",
          "list",
          "show",
          "groups",
          "check",
          "export",
          "draw",
          "snapshot",
          "plan",
          "drivers",
          "vfio",
          "recover",
          "sriov",
          "agent",
          "fleet",
          "completion",
          "cds-training");

  /** Subcommands that need the whole tree: help and completion describe every command. */
  private static final Set<String> NEED_ALL = Set.of("help", "completion");

  private static Object newSubcommand(String name) {
    // a switch, not a list of classes: only the command that runs is loaded
    return switch (name) {
      case "help" -> new CommandLine.HelpCommand();
      case "list" -> new ListCommand();
      case "show" -> new ShowCommand();
      case "groups" -> new GroupsCommand();
      case "check" -> new CheckCommand();
      case "export" -> new ExportCommand();
      case "draw" -> new DrawCommand();
      case "snapshot" -> new SnapshotCommand();
      case "plan" -> new PlanCommand();
      case "drivers" -> new DriversCommand();
      case "vfio" -> new VfioCommand();
      case "recover" -> new RecoverCommand();
      case "sriov" -> new SriovCommand();
      case "agent" -> new AgentCommand();
      case "fleet" -> new FleetCommand();
      case "completion" -> new CompletionCommand();
      case "cds-training" -> new CdsTrainingCommand();
      default -> throw new IllegalArgumentException(name);
    };
  }

  /** The whole command tree (help, completion, man pages, tests). */
  public static CommandLine commandLine() {
    return configure(root(), SUBCOMMANDS);
  }

  /**
   * The tree that running {@code args} needs: the root and only the subcommand the arguments name.
   * The whole tree when they name none (the root's usage lists every command), an unknown one (the
   * error suggests the close ones), help or completion, or when they use an {@code @file}. {@code
   * pcikit --version} alone gets no subcommand.
   */
  public static CommandLine commandLine(String... args) {
    CommandLine cl = root();
    return configure(cl, subcommandsFor(cl.getCommandSpec(), args));
  }

  static List<String> subcommandsFor(CommandLine.Model.CommandSpec rootSpec, String... args) {
    Set<String> takesValue = new HashSet<>();
    for (CommandLine.Model.OptionSpec o : rootSpec.options()) {
      if (o.arity().max() > 0) {
        takesValue.addAll(List.of(o.names()));
      }
    }
    boolean versionOnly = args.length > 0;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.startsWith("@") || a.equals("--")) {
        return SUBCOMMANDS;
      }
      if (a.startsWith("-")) {
        versionOnly &= a.equals("--version") || a.equals("-V");
        if (takesValue.contains(a)) {
          i++; // the option's value; picocli refuses one that is a subcommand's name
          if (i < args.length && SUBCOMMANDS.contains(args[i])) {
            return SUBCOMMANDS;
          }
        }
        continue;
      }
      return SUBCOMMANDS.contains(a) && !NEED_ALL.contains(a) ? List.of(a) : SUBCOMMANDS;
    }
    return versionOnly ? List.of() : SUBCOMMANDS;
  }

  /**
   * Converters picocli need not register: every CommandLine it makes looks up the java.time and
   * java.sql types by reflection to register a converter each (picocli's
   * registerBuiltInConverters); no pcikit option takes one. A value the user set is kept.
   */
  static final String CONVERTER_EXCLUDES = "java\\.time\\..*,java\\.sql\\..*";

  private static CommandLine root() {
    if (System.getProperty("picocli.converters.excludes") == null) {
      System.setProperty("picocli.converters.excludes", CONVERTER_EXCLUDES);
    }
    CommandLine cl = new CommandLine(new Main());
    cl.getCommandSpec().usageMessage().footer(ExitCode.helpLines());
    return cl;
  }

  private static CommandLine configure(CommandLine cl, List<String> subcommands) {
    for (String name : subcommands) {
      cl.addSubcommand(name, newSubcommand(name));
    }
    addHelpOptions(cl);
    cl.setExecutionExceptionHandler(Main::handleExecutionException);
    cl.setParameterExceptionHandler(Main::handleParameterException);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // no ANSI styles in help either: everything printed goes through the terminal-safe writer,
    // which would show picocli's escape sequences as text
    cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
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
  public static int run(PrintWriter rawOut, PrintWriter rawErr, String... args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      // what picocli prints for --version, without building a command model: scripts ask for
      // the version to decide what to call (MainTest compares the two)
      for (String line : new VersionProvider().getVersion()) {
        rawOut.println(line);
      }
      rawOut.flush();
      return 0;
    }
    return run(commandLine(args), rawOut, rawErr, args);
  }

  /** As {@link #run(PrintWriter, PrintWriter, String...)} on a given command tree (tests). */
  static int run(CommandLine cl, PrintWriter rawOut, PrintWriter rawErr, String... args) {
    PrintWriter out = new PrintWriter(new TerminalSafeWriter(rawOut), false);
    PrintWriter err = new PrintWriter(new TerminalSafeWriter(rawErr), true);
    cl.setOut(out);
    cl.setErr(err);
    int code;
    try {
      code = cl.execute(args);
      try {
        // --host: whatever the command wrote to the simulated kernel (also when it failed
        // part-way) is saved back, atomically; a no-op when nothing was written
        ((Main) cl.getCommand()).global.saveHost();
      } catch (PcikitException e) {
        err.println("pcikit: " + Messages.line(e));
        code = code == 0 ? ExitCode.of(e.failure()).code() : code;
      }
    } catch (Throwable t) {
      // picocli hands only Exceptions to the handler: an Error (OutOfMemoryError on a hostile
      // input, StackOverflowError) would otherwise end the JVM with a stack trace
      code = internalError(t, Arrays.asList(args).contains("--stacktrace"), err);
    }
    out.flush();
    err.flush();
    return code;
  }

  /** One line for a failure that is a bug (or an Error); the trace only under --stacktrace. */
  private static int internalError(Throwable thrown, boolean trace, PrintWriter err) {
    Throwable t =
        thrown instanceof CommandLine.ExecutionException && thrown.getCause() != null
            ? thrown.getCause()
            : thrown;
    if (t instanceof OutOfMemoryError) {
      err.println(
          "pcikit: internal error: out of memory (an input larger than its bound should have been"
              + " refused; run with --stacktrace and report it)");
    } else {
      err.println("pcikit: internal error: " + t + (trace ? "" : " (run with --stacktrace)"));
    }
    if (trace) {
      t.printStackTrace(err);
    }
    err.flush();
    return ExitCode.INTERNAL.code();
  }

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, false);
    PrintWriter err = new PrintWriter(System.err, true);
    System.exit(run(out, err, args));
  }

  private static int handleParameterException(CommandLine.ParameterException e, String[] args) {
    CommandLine cl = e.getCommandLine();
    PrintWriter err = cl.getErr();
    err.println("pcikit: " + FormatNames.message(e));
    err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for more information.");
    return ExitCode.USAGE.code();
  }

  private static int handleExecutionException(
      Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
    PrintWriter err = cl.getErr();
    boolean trace = GlobalOptions.stacktraceRequested(parseResult);
    if (e instanceof PcikitException pe) {
      err.println("pcikit: " + Messages.line(pe));
      if (trace) {
        pe.printStackTrace(err);
      }
      err.flush();
      return ExitCode.of(pe.failure()).code();
    }
    return internalError(e, trace, err);
  }
}
