package dev.pcikit.cli;

import dev.pcikit.core.plan.DeviceRequest;
import dev.pcikit.core.plan.Plan;
import dev.pcikit.core.plan.Planner;
import dev.pcikit.core.plan.Policies;
import dev.pcikit.core.plan.render.LibvirtRenderer;
import dev.pcikit.core.plan.render.QemuRenderer;
import dev.pcikit.core.plan.render.SummaryRenderer;
import dev.pcikit.formats.DocumentFormat;
import dev.pcikit.formats.Documents;
import dev.pcikit.formats.PlanJson;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pcikit plan hotplug --domain DOM.xml DEV…}: hot-add into the spare capacity. */
@Command(
    name = "hotplug",
    mixinStandardHelpOptions = true,
    description = {
      "Place devices into a running domain's spare capacity (pseries: an empty spare PHB per PE;"
          + " q35/virt: an empty root port; s390x: free zPCI ids) and print the XML for"
          + " 'virsh attach-device' and the QMP device_add commands. Creates no controller; says"
          + " so when no spare is left (exit 5)."
    })
final class PlanHotplugCommand implements Runnable {
  enum Output {
    summary,
    libvirt,
    qmp,
    json,
    yaml
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--domain",
      required = true,
      paramLabel = "DOM.xml",
      description = "The running domain's XML (virsh dumpxml)")
  Path domain;

  @Parameters(arity = "1..*", paramLabel = "DEV", description = "BDF, IDs (vvvv:dddd) or group:N")
  List<String> devices;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description =
          "summary (default: all of it), libvirt (<hostdev> per device), qmp, json or yaml (the pcikit/plan/v1 document)")
  Output output = Output.summary;

  @Option(names = "--managed", description = "Let libvirt bind the devices (managed='yes')")
  boolean managed;

  @Override
  public void run() {
    Policies d = Policies.defaults();
    Policies pol =
        new Policies(
            d.sharePhbs(),
            d.keepMultifunction(),
            d.numa(),
            !managed,
            d.extendedConfig(),
            d.wholeGroups());
    Plan plan =
        Planner.hotplug(
            PlanInputs.domain(domain),
            devices.stream().map(DeviceRequest::of).toList(),
            PlanInputs.host(GlobalOptions.of(spec)),
            pol);
    StringBuilder b = new StringBuilder();
    switch (output) {
      case summary -> {
        b.append(SummaryRenderer.render(plan));
        b.append("\nvirsh attach-device <domain> FILE --live, one FILE per <hostdev>:\n");
        LibvirtRenderer.hostdevs(plan).forEach(b::append);
        b.append("\nQMP (in this order):\n");
        QemuRenderer.qmpDeviceAdd(plan).forEach(l -> b.append(l).append('\n'));
      }
      case libvirt -> LibvirtRenderer.hostdevs(plan).forEach(b::append);
      case qmp -> QemuRenderer.qmpDeviceAdd(plan).forEach(l -> b.append(l).append('\n'));
      case json -> b.append(Documents.printed(PlanJson.document(plan), DocumentFormat.JSON));
      case yaml -> b.append(Documents.printed(PlanJson.document(plan), DocumentFormat.YAML));
    }
    spec.commandLine().getOut().print(b);
  }
}
