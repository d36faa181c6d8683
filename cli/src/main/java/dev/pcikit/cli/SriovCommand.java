package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sriov.DetachedVf;
import dev.pcikit.core.sriov.PfStatus;
import dev.pcikit.core.sriov.SriovPools;
import dev.pcikit.formats.Documents;
import dev.pcikit.formats.StatusJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pcikit sriov status|enable|disable}: VF pools. */
@Command(
    mixinStandardHelpOptions = true,
    name = "sriov",
    description =
        "SR-IOV VF pools: VFs created with host autoprobe off and bound to VFIO in one batch.",
    subcommands = {
      SriovCommand.Status.class,
      SriovCommand.Enable.class,
      SriovCommand.Disable.class
    })
final class SriovCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  static PciAddress address(String s) {
    try {
      return PciAddress.parse(s);
    } catch (IllegalArgumentException e) {
      throw new PcikitException(Failure.INVALID_ARGUMENT, e.getMessage());
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "status",
      description = "Per PF: total, enabled, autoprobe, driver, and each VF.")
  static final class Status implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin VfioOptions vfio;

    @Parameters(paramLabel = "PF", arity = "0..*", description = "PFs (default: all)")
    List<String> pfs = new ArrayList<>();

    @picocli.CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() throws IOException {
      GlobalOptions global = GlobalOptions.of(spec);
      PrintWriter out = spec.commandLine().getOut();
      List<PciAddress> which = pfs.stream().map(SriovCommand::address).toList();
      SriovPools pools = new SriovPools(LockedWork.host(global, vfio).vfioEnvironment());
      List<PfStatus> all = pools.status(which);
      List<DetachedVf> detached = pools.detachedVfs(which);
      if (output.format != OutputFormat.table) {
        Documents.write(StatusJson.sriov(all, detached), output.format.document(), out);
        return 0;
      }
      if (all.isEmpty() && detached.isEmpty()) {
        out.println("no SR-IOV PFs or VFs");
      }
      for (PfStatus pf : all) {
        out.printf(
            Locale.ROOT,
            "%s  %d/%d VFs  autoprobe %s  driver %s%n",
            pf.address(),
            pf.numVfs(),
            pf.totalVfs(),
            pf.autoprobe() ? "on" : "off",
            pf.driver() == null ? "-" : pf.driver());
        for (PfStatus.VfStatus vf : pf.vfs()) {
          out.printf(
              Locale.ROOT,
              "  virtfn%-3d %s  %s  group %s%s%n",
              vf.index(),
              vf.address(),
              vf.driver() == null ? "-" : vf.driver(),
              vf.group() == null ? "-" : vf.group(),
              vf.heldBy().isEmpty() ? "" : "  open by " + String.join(", ", vf.heldBy()));
        }
      }
      for (DetachedVf vf : detached) {
        // s390x zPCI: the PF belongs to another LPAR (or is not configured in this one)
        out.printf(
            Locale.ROOT,
            "%s  VF (vfn %d)  PF not visible  driver %s  group %s%s%n",
            vf.address(),
            vf.vfn(),
            vf.driver() == null ? "-" : vf.driver(),
            vf.group() == null ? "-" : vf.group(),
            vf.heldBy().isEmpty() ? "" : "  open by " + String.join(", ", vf.heldBy()));
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "enable",
      description =
          "Enable N VFs. --for vfio (default): autoprobe off, then every VF bound to VFIO in one"
              + " transaction; --for host: autoprobe on. A different count goes through 0 and is"
              + " refused while a VF is in use.")
  static final class Enable implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin VfioOptions vfio;

    @Parameters(paramLabel = "PF")
    String pf;

    @Option(names = "--vfs", required = true, paramLabel = "N")
    int vfs;

    @Option(names = "--for", paramLabel = "vfio|host", description = "default: ${DEFAULT-VALUE}")
    String target = "vfio";

    @Option(
        names = "--driver",
        paramLabel = "NAME",
        description = "VFIO driver for the VFs: vfio-pci or a VFIO variant driver")
    String driver;

    @Mixin WriteOptions write;

    @Override
    public Integer call() throws java.io.IOException {
      if (!target.equals("vfio") && !target.equals("host")) {
        throw new PcikitException(Failure.INVALID_ARGUMENT, "--for takes vfio or host");
      }
      GlobalOptions global = GlobalOptions.of(spec);
      PrintWriter out = spec.commandLine().getOut();
      if (write.dryRun) {
        new SriovPools(LockedWork.host(global, vfio).vfioEnvironment())
            .dryRunEnable(address(pf), vfs, target.equals("vfio"), driver)
            .forEach(out::println);
        out.flush();
        return 0;
      }
      List<PciAddress> made =
          LockedWork.run(
              global,
              vfio,
              spec.commandLine().getErr(),
              host -> host.sriov().enable(address(pf), vfs, target.equals("vfio"), driver));
      out.println(
          pf
              + ": "
              + made.size()
              + " VFs enabled"
              + (target.equals("vfio") ? ", bound to VFIO" : ""));
      out.flush();
      return 0;
    }
  }

  @Command(
      mixinStandardHelpOptions = true,
      name = "disable",
      description =
          "Disable the VFs (VFIO ones released first). Refused while a VF's group is open, or a VF"
              + " is on a host driver (--force overrides the latter).")
  static final class Disable implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @Mixin VfioOptions vfio;

    @Parameters(paramLabel = "PF")
    String pf;

    @Option(names = "--force")
    boolean force;

    @Mixin WriteOptions write;

    @Override
    public Integer call() throws java.io.IOException {
      GlobalOptions global = GlobalOptions.of(spec);
      if (write.dryRun) {
        new SriovPools(LockedWork.host(global, vfio).vfioEnvironment())
            .dryRunDisable(address(pf), force)
            .forEach(spec.commandLine().getOut()::println);
        spec.commandLine().getOut().flush();
        return 0;
      }
      LockedWork.run(
          global,
          vfio,
          spec.commandLine().getErr(),
          host -> {
            host.sriov().disable(address(pf), force);
            return null;
          });
      spec.commandLine().getOut().println(pf + ": VFs disabled");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }
}
