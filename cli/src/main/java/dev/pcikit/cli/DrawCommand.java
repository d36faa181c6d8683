package dev.pcikit.cli;

import dev.pcikit.core.draw.HostPicture;
import dev.pcikit.core.draw.PlanPicture;
import dev.pcikit.core.draw.PlanViews;
import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.plan.ExistingDomain;
import dev.pcikit.core.plan.GuestSpec;
import dev.pcikit.core.plan.InventoryHostFacts;
import dev.pcikit.core.plan.Plan;
import dev.pcikit.core.plan.Planner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Pictures: the host's PCI topology (and, with the planner, a guest plan). */
@Command(
    name = "draw",
    mixinStandardHelpOptions = true,
    description = "Draw pictures as plain SVG, or DOT text for Graphviz.",
    subcommands = {DrawCommand.Host.class, DrawCommand.PlanPic.class})
final class DrawCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "say what to draw: host or plan");
  }

  enum Format {
    svg,
    dot
  }

  /** Options every picture takes. */
  static final class Output {
    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Write to FILE (default: standard output)")
    Path file;

    @Option(
        names = {"-o", "--output", "--format"},
        paramLabel = "FORMAT",
        description = "svg or dot (default: from the --out file name; svg)")
    Format format;

    Format format() {
      if (format != null) {
        return format;
      }
      if (file != null) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".dot") || n.endsWith(".gv")) {
          return Format.dot;
        }
      }
      return Format.svg;
    }

    void write(String text, PrintWriter out) {
      if (file == null || file.toString().equals("-")) {
        out.print(text);
        out.flush();
        return;
      }
      try {
        Files.writeString(file, text, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new PcikitException(
            Failure.NOT_FOUND, "cannot write " + file + ": " + e.getMessage());
      }
    }
  }

  @Command(
      name = "host",
      mixinStandardHelpOptions = true,
      description = {
        "Draw the host's PCI tree: root buses, bridges and devices, IOMMU groups as shaded bands,"
            + " each device's driver (VFIO-bound highlighted) and NUMA node, PF→VF links.",
        "Runs of VFs with the same driver are collapsed into one 'N × VF' box unless"
            + " --expand-vfs."
      })
  static final class Host implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin Output output;

    @Option(names = "--expand-vfs", description = "One box per VF instead of 'N × VF' runs")
    boolean expandVfs;

    @Option(names = "--title", paramLabel = "TEXT", description = "Title of the picture")
    String title;

    @Override
    public Integer call() {
      GlobalOptions global = GlobalOptions.of(spec);
      // Full detail: boot VGA is only read then (a listing skips it).
      Inventory inv = HostAccess.inventory(global, InventoryReader.Detail.FULL);
      DeviceNames names = HostAccess.names(global, inv);
      HostPicture pic =
          new HostPicture(
              title != null ? title : defaultTitle(global),
              inv,
              d -> names.shortName(d.vendor(), d.device()),
              expandVfs);
      PrintWriter out = spec.commandLine().getOut();
      output.write(output.format() == Format.dot ? pic.dot() : pic.svg(), out);
      return HostAccess.reportProblems(inv, spec.commandLine().getErr());
    }

    private static String defaultTitle(GlobalOptions global) {
      if (global.hostSpec().isPresent()) {
        return "PCI topology of " + global.hostSpec().get();
      }
      Path hn = global.systemRoot().resolve("/proc/sys/kernel/hostname");
      try {
        return "PCI topology of "
            + dev.pcikit.core.io.InputFiles.readUtf8(hn, 4096, "hostname file").strip();
      } catch (RuntimeException e) {
        return "PCI topology";
      }
    }
  }

  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description = {
        "Draw a guest plan (the same spec as 'pcikit plan'): the guest's PHBs or root ports with"
            + " EEH and extended-config marks and spares, the devices on each, each linked to the"
            + " host function it comes from."
      })
  static final class PlanPic implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin Output output;

    @CommandLine.Parameters(
        index = "0",
        paramLabel = "GUEST.yaml",
        description = "Guest spec (YAML or JSON)")
    Path specFile;

    @Option(
        names = "--domain",
        paramLabel = "DOM.xml",
        description = "Existing libvirt domain: keep its controllers and addresses")
    Path domain;

    @Option(names = "--title", paramLabel = "TEXT", description = "Title of the picture")
    String title;

    @Override
    public Integer call() {
      GlobalOptions global = GlobalOptions.of(spec);
      GuestSpec guest = PlanInputs.guest(specFile);
      Optional<ExistingDomain> existing = PlanInputs.existing(domain);
      Inventory inv = HostAccess.inventory(global, InventoryReader.Detail.FULL);
      Plan plan = Planner.plan(guest, InventoryHostFacts.of(inv, global.sysfs()), existing);
      DeviceNames names = HostAccess.names(global, inv);
      PlanPicture pic =
          new PlanPicture(
              title != null ? title : PlanPicture.title(plan), PlanViews.of(plan, inv, names));
      output.write(
          output.format() == Format.dot ? pic.dot() : pic.svg(), spec.commandLine().getOut());
      return 0;
    }
  }
}
