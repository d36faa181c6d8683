package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.plan.ExistingDomain;
import dev.pcikit.core.plan.GuestSpec;
import dev.pcikit.core.plan.Plan;
import dev.pcikit.core.plan.Planner;
import dev.pcikit.core.plan.render.LibvirtRenderer;
import dev.pcikit.core.plan.render.QemuRenderer;
import dev.pcikit.core.plan.render.SummaryRenderer;
import dev.pcikit.formats.DocumentFormat;
import dev.pcikit.formats.Documents;
import dev.pcikit.formats.PlanJson;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code pcikit plan GUEST.yaml}: where each host device lands in the guest, and why. */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description = {
      "Plan a guest's PCI topology from the host's real IOMMU groups, NUMA nodes and config"
          + " space: pseries one PHB per PE (+ spare PHBs), q35/virt one root port per PCIe"
          + " device, s390x zPCI uid/fid.",
      "With --domain, everything the domain already has stays exactly where it is."
    },
    subcommands = {PlanHotplugCommand.class})
final class PlanCommand implements Runnable {
  enum Output {
    summary,
    libvirt,
    fragments,
    qemu,
    json,
    yaml
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "GUEST.yaml",
      description = "Guest spec (YAML or JSON)")
  Path specFile;

  @Option(
      names = "--domain",
      paramLabel = "DOM.xml",
      description =
          "Existing libvirt domain: keep its controllers and addresses, add only new devices")
  Path domain;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description =
          "summary (default), libvirt (whole domain), fragments (<controller>/<hostdev> only),"
              + " qemu (-device arguments), json or yaml (the pcikit/plan/v1 document)")
  Output output = Output.summary;

  @Override
  public void run() {
    if (specFile == null) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "plan needs a guest spec (pcikit plan GUEST.yaml) or 'hotplug'");
    }
    GuestSpec guest = PlanInputs.guest(specFile);
    Optional<ExistingDomain> existing = PlanInputs.existing(domain);
    Plan plan = Planner.plan(guest, PlanInputs.host(GlobalOptions.of(spec)), existing);
    spec.commandLine().getOut().print(render(plan, output));
  }

  static String render(Plan plan, Output output) {
    return switch (output) {
      case summary -> SummaryRenderer.render(plan);
      case libvirt -> LibvirtRenderer.domain(plan);
      case fragments -> LibvirtRenderer.fragments(plan);
      case qemu -> QemuRenderer.render(plan);
      case json -> Documents.printed(PlanJson.document(plan), DocumentFormat.JSON);
      case yaml -> Documents.printed(PlanJson.document(plan), DocumentFormat.YAML);
    };
  }
}
