package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.sim.HostSession;
import dev.pcikit.sim.HostSysfs;
import dev.pcikit.sim.demo.DemoHosts;
import dev.pcikit.sim.snapshot.Snapshots;
import dev.pcikit.sim.snapshot.SysfsRecorder;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** pcikit snapshot: record a host; materialize a recording; demo host state. */
@Command(
    name = "snapshot",
    description = {
      "Record this host's PCI sysfs (or the --host one) into a snapshot file.",
      "Format: docs/snapshot-format.md; scripts/pcikit-record.sh writes the same without Java."
    },
    subcommands = {
      SnapshotCommand.Materialize.class,
      SnapshotCommand.Demos.class,
      SnapshotCommand.ResetDemo.class
    })
final class SnapshotCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the snapshot to FILE (atomically); default: standard output")
  Path output;

  /** -o names an output format elsewhere; a snapshot has one format. */
  @Option(
      names = {"-o", "--output"},
      hidden = true,
      paramLabel = "FORMAT")
  String format;

  @Override
  public Integer call() throws IOException {
    if (format != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "-o names an output format, and a snapshot has one: to write a file, use --out "
              + dev.pcikit.core.text.SafeText.field(format));
    }
    GlobalOptions global = GlobalOptions.of(spec);
    if (output == null) {
      spec.commandLine().getOut().print(SysfsRecorder.recordChecked(global.sysfs()));
      spec.commandLine().getOut().flush();
    } else {
      Snapshots.save(global.sysfs(), output);
      spec.commandLine().getErr().println("pcikit: snapshot written to " + output);
    }
    return 0;
  }

  static HostSysfs open(String source) {
    if (source.startsWith("demo:")) {
      return HostSession.open(source).kernel().host();
    }
    return Snapshots.load(Path.of(source));
  }

  @Command(
      name = "materialize",
      description =
          "Write a snapshot as a sysfs-shaped tree that tools read, e.g."
              + " lspci -A linux-sysfs -O sysfs.path=DIR/bus/pci")
  static final class Materialize implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE|demo:NAME", description = "Snapshot to write out")
    String source;

    @Parameters(index = "1", paramLabel = "DIR", description = "New or empty directory")
    Path dir;

    @Override
    public Integer call() throws IOException {
      HostSysfs fs = open(source);
      dev.pcikit.core.io.InputFiles.requireDirectoryPath(dir, "target directory");
      if (Files.exists(dir)) {
        try (var entries = Files.list(dir)) {
          if (entries.findAny().isPresent()) {
            throw new PcikitException(
                Failure.REFUSED, dir + " is not empty; materialize into a new or empty directory");
          }
        }
      }
      TreeMaterializer.materialize(fs, dir);
      spec.commandLine()
          .getOut()
          .println("lspci -A linux-sysfs -O sysfs.path=" + dir.toAbsolutePath().resolve("bus/pci"));
      return 0;
    }
  }

  @Command(name = "demos", description = "List the demo hosts usable with --host demo:NAME")
  static final class Demos implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      for (String n : DemoHosts.NAMES) {
        spec.commandLine().getOut().println("demo:" + n);
      }
      return 0;
    }
  }

  @Command(
      name = "reset-demo",
      description = "Forget a demo host's saved state (the next command starts afresh)")
  static final class ResetDemo implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws IOException {
      boolean had = HostSession.resetDemo(name, System.getenv());
      spec.commandLine()
          .getOut()
          .println(had ? "demo:" + name + " reset" : "demo:" + name + " had no saved state");
      return 0;
    }
  }
}
