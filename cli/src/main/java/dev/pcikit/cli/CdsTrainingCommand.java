package dev.pcikit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/**
 * Runs the everyday commands once, in-process, on a demo host, so that the launcher can record the
 * classes they load and dump a class-data-sharing archive that covers them (bin/pcikit does this on
 * first use). Hidden: not a user command.
 */
@Command(name = "cds-training", hidden = true)
final class CdsTrainingCommand implements Callable<Integer> {
  private static final List<List<String>> RUNS =
      List.of(
          List.of("--version"),
          List.of("list"),
          List.of("list", "-o", "json"),
          List.of("list", "-o", "yaml", "--tree"),
          List.of("groups"),
          List.of("show", "0000:01:00.0"),
          List.of("vfio", "bind", "--dry-run", "0000:03:00.0"),
          List.of("vfio", "status"),
          List.of("nosuchcommand"));

  /** show on an SR-IOV PF and one of its VFs: their capabilities and the PF links. */
  private static final List<List<String>> SRIOV_RUNS =
      List.of(List.of("show", "0000:17:00.0"), List.of("show", "0000:17:01.0", "-o", "json"));

  /**
   * The read commands again on the same host materialized as a sysfs tree ({@code --root}): that is
   * the path a real host takes (DirectorySysfs, SystemHost), which the simulated host does not.
   */
  private static final List<List<String>> ROOT_RUNS =
      List.of(
          List.of("list"),
          List.of("list", "-o", "json"),
          List.of("show", "0000:01:00.0"),
          List.of("show", "0000:01:00.0", "-o", "json"),
          List.of("groups"));

  @Override
  public Integer call() throws IOException {
    Path state = Files.createTempDirectory("pcikit-cds");
    String before = System.getProperty("pcikit.stateDir");
    System.setProperty("pcikit.stateDir", state.toString());
    try {
      PrintWriter sink = new PrintWriter(Writer.nullWriter());
      for (List<String> args : RUNS) {
        run(sink, Stream.of("--host", "demo:x86-workstation"), args);
      }
      for (List<String> args : SRIOV_RUNS) {
        run(sink, Stream.of("--host", "demo:nic-farm"), args);
      }
      Path root = state.resolve("root");
      run(
          sink,
          Stream.of(),
          List.of(
              "snapshot", "materialize", "demo:x86-workstation", root.resolve("sys").toString()));
      for (List<String> args : ROOT_RUNS) {
        run(sink, Stream.of("--root", root.toString()), args);
      }
    } finally {
      if (before == null) {
        System.clearProperty("pcikit.stateDir");
      } else {
        System.setProperty("pcikit.stateDir", before);
      }
      try (Stream<Path> s = Files.walk(state)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    return 0;
  }

  private static void run(PrintWriter sink, Stream<String> global, List<String> args) {
    Main.run(sink, sink, Stream.concat(global, args.stream()).toArray(String[]::new));
  }
}
