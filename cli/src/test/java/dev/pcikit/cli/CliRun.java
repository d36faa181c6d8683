package dev.pcikit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * One in-process `pcikit` run, as the launcher would make it: {@link Main#run} with its own stdout
 * and stderr, so a test sees the exit code and both streams. The cli tests share this one helper
 * instead of each keeping a copy.
 */
public final class CliRun {
  private CliRun() {}

  /** What one run ended with: its exit code and what it printed. */
  public record Run(int code, String out, String err) {}

  /** `pcikit ARGS`. */
  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  /** `pcikit --root ROOT ARGS`: a simulated host under a directory tree. */
  public static Run runIn(Path root, String... args) {
    return run(prefixed(List.of("--root", root.toString()), args));
  }

  /** `pcikit ARGS` through a command tree a test has added to (see {@link Main#commandLine}). */
  static Run run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(cl, new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  /** PREFIX followed by ARGS, as one argument array. */
  public static String[] prefixed(List<String> prefix, String... args) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(List.of(args));
    return all.toArray(String[]::new);
  }
}
