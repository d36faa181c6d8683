package dev.pcikit.cli;

import dev.pcikit.core.check.CheckReport;
import dev.pcikit.core.check.DeviceReport;
import dev.pcikit.core.check.Finding;
import dev.pcikit.core.check.Verdict;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.formats.CheckJson;
import dev.pcikit.formats.Documents;
import dev.pcikit.formats.FindingWording;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Host readiness for passthrough, and why each device can or cannot be assigned. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check the host for passthrough (IOMMU, interrupt remapping, vfio modules,"
          + " allow_unsafe_interrupts) and whether devices can be assigned, with every reason"
          + " and its fix.",
      "Without DEV every endpoint is listed; the exit code is 10 when a host finding is"
          + " blocking. With DEV, it is 10 also when a named device cannot be assigned."
    })
final class CheckCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(
      paramLabel = "DEV",
      arity = "0..*",
      description = "Devices to check: [[domain:]bus:]slot[.func] (lspci -s syntax)")
  List<String> devices = new ArrayList<>();

  @picocli.CommandLine.Mixin OutputOption output;

  @Option(
      names = {"-v", "--verbose"},
      description = "Also list the device checks that passed")
  boolean verbose;

  @Override
  public Integer call() {
    GlobalOptions global = GlobalOptions.of(spec);
    Inventory inv = HostAccess.inventory(global, InventoryReader.Detail.FULL);
    List<PciDevice> selected = inv.selectEach(devices);
    CheckReport report = global.host().checker().run(inv, selected, !devices.isEmpty());
    DeviceNames names = HostAccess.names(global, inv);
    PrintWriter out = spec.commandLine().getOut();
    if (output.format == OutputFormat.table) {
      print(report, inv, names, out);
    } else {
      Documents.write(
          CheckJson.document(
              report,
              inv,
              names,
              global
                  .host()
                  .fingerprints(inv.devices())
                  .readEach(report.devices().stream().map(d -> d.address()).toList()),
              global.host().holders()),
          output.format.document(),
          out);
    }
    out.flush();
    HostAccess.reportProblems(inv, spec.commandLine().getErr());
    return blocking(report) ? ExitCode.BLOCKING.code() : 0;
  }

  private boolean blocking(CheckReport r) {
    boolean host = r.host().stream().anyMatch(Finding::blocking);
    return host || (!devices.isEmpty() && r.devices().stream().anyMatch(d -> !d.assignable()));
  }

  private void print(CheckReport r, Inventory inv, DeviceNames names, PrintWriter out) {
    out.println("Host");
    for (Finding f : r.host()) {
      finding(out, "  ", f, true);
    }
    out.println();
    out.println("Devices");
    int assignable = 0;
    int warned = 0;
    for (DeviceReport d : r.devices()) {
      String name =
          inv.device(d.address()).map(p -> names.shortName(p.vendor(), p.device())).orElse("");
      String state =
          switch (d.verdict()) {
            case OK -> "assignable";
            case WARNING -> "assignable, with warnings";
            case BLOCKING -> "NOT assignable";
          };
      if (d.verdict() == Verdict.OK) {
        assignable++;
      } else if (d.verdict() == Verdict.WARNING) {
        warned++;
      }
      out.println("  " + d.address() + "  " + name + "  [" + state + "]");
      for (Finding f : d.findings()) {
        if (verbose || f.verdict() != Verdict.OK) {
          finding(out, "    ", f, false);
        }
      }
    }
    int blocked = r.devices().size() - assignable - warned;
    out.println();
    long hostBlocking = r.host().stream().filter(Finding::blocking).count();
    out.println(
        r.devices().size()
            + " device(s): "
            + assignable
            + " assignable, "
            + warned
            + " assignable with warnings, "
            + blocked
            + " not assignable; host: "
            + (hostBlocking == 0 ? "ready" : hostBlocking + " blocking finding(s)"));
  }

  private static void finding(PrintWriter out, String indent, Finding f, boolean withSubject) {
    String tag = String.format(Locale.ROOT, "%-9s", f.verdict().name().toLowerCase(Locale.ROOT));
    String subject =
        withSubject && !f.subject().equals("host") && !f.message().startsWith(f.subject())
            ? f.subject() + ": "
            : "";
    String message = FindingWording.message(f);
    out.println(indent + tag + subject + message);
    String fix = FindingWording.fix(f);
    if (!fix.isEmpty() && f.verdict() != Verdict.OK) {
      out.println(indent + "         fix: " + fix);
    }
  }
}
