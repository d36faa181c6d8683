package dev.pcikit.cli;

import dev.pcikit.core.check.CheckReport;
import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.export.CloudStackGpuDiscovery;
import dev.pcikit.core.export.DraOptions;
import dev.pcikit.core.export.DraResourceSlices;
import dev.pcikit.core.export.Export;
import dev.pcikit.core.export.ExportHost;
import dev.pcikit.core.export.K8sNames;
import dev.pcikit.core.export.KubeVirtHostDevices;
import dev.pcikit.core.export.LeftOut;
import dev.pcikit.core.export.NovaPciConfig;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pcikit export FORMAT}: the host's assignable devices in the format a scheduler reads. The
 * documents are computed in core (dev.pcikit.core.export) from the inventory and the readiness
 * check; this command only gathers those, picks the renderer and prints.
 */
@Command(
    name = "export",
    description = {
      "Print the host's assignable PCI functions in the format a scheduler reads: Kubernetes DRA"
          + " ResourceSlices, OpenStack Nova [pci] config and provider.yaml, KubeVirt"
          + " permittedHostDevices, Apache CloudStack GPU discovery JSON.",
      "Only functions `pcikit check` finds assignable are exported; what is left out, and why, is"
          + " listed on stderr (and in comments where the format has them). See docs/exports.md.",
      "The exit code is 10 when a host finding blocks passthrough (the document, then empty, is"
          + " printed all the same)."
    },
    subcommands = {
      ExportCommand.Dra.class,
      ExportCommand.Nova.class,
      ExportCommand.KubeVirt.class,
      ExportCommand.CloudStack.class
    })
final class ExportCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a format: dra, nova, kubevirt or cloudstack");
  }

  /** Options every format takes. */
  static final class Common {
    @Option(
        names = "--node",
        paramLabel = "NAME",
        description =
            "The host's name as the scheduler knows it (default: the demo host's name, or the"
                + " root's kernel hostname)")
    String node;

    @Option(
        names = "--db",
        paramLabel = "URL",
        description =
            "Export a fleet host from the fleet database (pcikit fleet) instead of this host")
    String db;

    @Option(
        names = "--host-name",
        paramLabel = "HOST",
        description = "With --db: the fleet host (needed when the fleet has more than one)")
    String hostName;
  }

  /** Inventory, check and names of the host the global options name. */
  static ExportHost host(CommandLine.Model.CommandSpec spec, Common common) {
    if (common.db != null) {
      return FleetExport.host(spec, common); // its own class: nothing of fleet loads otherwise
    }
    if (common.hostName != null) {
      throw new PcikitException(Failure.INVALID_ARGUMENT, "--host-name needs --db");
    }
    GlobalOptions global = GlobalOptions.of(spec);
    Inventory inv = HostAccess.inventory(global, InventoryReader.Detail.FULL);
    CheckReport check = global.host().checker().run(inv, inv.devices(), false);
    String node = common.node != null ? common.node : defaultNode(global);
    String name = K8sNames.nodeName(node);
    if (name.isEmpty() || (common.node != null && !name.equals(common.node))) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "node name '" + node + "' is not a DNS subdomain; give one with --node NAME");
    }
    HostAccess.reportProblems(inv, spec.commandLine().getErr());
    return new ExportHost(inv, check, name, HostAccess.names(global, inv));
  }

  /** demo:NAME → NAME; a recording → its file name; this machine → ROOT's kernel hostname. */
  static String defaultNode(GlobalOptions global) {
    if (global.hostSpec().isPresent()) {
      String h = global.hostSpec().get();
      if (h.startsWith("demo:")) {
        return h.substring("demo:".length());
      }
      String file = Path.of(h).getFileName().toString();
      return file.replaceFirst("\\.[^.]*$", "");
    }
    Path p = global.systemRoot().proc().resolve("sys/kernel/hostname");
    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
      try (InputStream in = Files.newInputStream(p)) {
        // a hostname is at most 64 bytes (HOST_NAME_MAX); read no more than a page
        return new String(in.readNBytes(4096), StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        // fall through: no name
      }
    }
    throw new PcikitException(
        Failure.INVALID_ARGUMENT,
        "cannot read the host name from " + p + "; give one with --node NAME");
  }

  /** Prints the document on stdout, what was left out and the notes on stderr. */
  static int print(CommandLine.Model.CommandSpec spec, ExportHost host, Export e) {
    PrintWriter out = spec.commandLine().getOut();
    out.print(e.text());
    out.flush();
    PrintWriter err = spec.commandLine().getErr();
    // capped like every per-item message (the document's comments keep the whole list)
    Capped.print(
        err, "left out ", e.leftOut().stream().map(LeftOut::toString).toList(), "left out");
    List<String> notes = new java.util.ArrayList<>(host.hostWarnings());
    notes.addAll(e.notes());
    Capped.print(err, "note: ", notes, "notes");
    err.flush();
    // like check: the document is printed either way, the exit code says passthrough is blocked
    return host.hostBlocked() ? ExitCode.BLOCKING.code() : 0;
  }

  /** One format's command: gathers the host, renders the export, prints it. */
  abstract static class FormatCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Common common = new Common();

    /** The document of this format for the host. */
    abstract Export export(ExportHost host);

    @Override
    public Integer call() {
      ExportHost host = host(spec, common);
      return print(spec, host, export(host));
    }
  }

  enum DraFormat {
    yaml,
    json
  }

  @Command(
      name = "dra",
      description = {
        "Kubernetes Dynamic Resource Allocation: resource.k8s.io/v1 ResourceSlices of one"
            + " node-local pool, one device per assignable PCI function, at most 128 per slice.",
        "Standard attributes resource.kubernetes.io/pciBusID, pcieRoot and numaNode; pcikit's"
            + " own (IOMMU group, driver, PF, IDs, check verdict) under pcikit.dev/."
      })
  static final class Dra extends FormatCommand {

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        description = "yaml (default: one document per slice) or json (a v1 List)")
    DraFormat output = DraFormat.yaml;

    @Option(
        names = "--driver",
        paramLabel = "NAME",
        description = "DRA driver name, spec.driver (default: ${DEFAULT-VALUE})")
    String driver = DraOptions.PCIKIT_DOMAIN;

    @Option(names = "--pool", paramLabel = "NAME", description = "Pool name (default: the node)")
    String pool;

    @Option(
        names = "--generation",
        paramLabel = "N",
        description =
            "Pool generation (default: ${DEFAULT-VALUE}); raise it each time a changed pool is"
                + " published")
    long generation = 1;

    @Override
    Export export(ExportHost host) {
      DraOptions opts = new DraOptions(driver, pool != null ? pool : host.node(), generation);
      return output == DraFormat.json
          ? DraResourceSlices.json(host, opts)
          : DraResourceSlices.yaml(host, opts);
    }
  }

  enum NovaFormat {
    conf,
    provider,
    json
  }

  @Command(
      name = "nova",
      description = {
        "OpenStack Nova: [pci] device_spec and alias lines for nova.conf (-o conf, the default),"
            + " or a provider.yaml with Placement traits for the compute node (-o provider),"
            + " or both as JSON (-o json)."
      })
  static final class Nova extends FormatCommand {

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        description = "conf (default), provider or json")
    NovaFormat output = NovaFormat.conf;

    @Override
    Export export(ExportHost host) {
      return switch (output) {
        case conf -> NovaPciConfig.conf(host);
        case provider -> NovaPciConfig.providerYaml(host);
        case json -> NovaPciConfig.json(host);
      };
    }
  }

  @Command(
      name = "kubevirt",
      description = {
        "KubeVirt: spec.configuration.permittedHostDevices.pciHostDevices of the KubeVirt CR as a"
            + " merge patch, one entry per vendor:device of the assignable functions."
      })
  static final class KubeVirt extends FormatCommand {

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        description = "yaml (default) or json")
    DraFormat output = DraFormat.yaml;

    @Option(
        names = "--resource-prefix",
        paramLabel = "DOMAIN",
        description = "Domain of the resource names, DOMAIN/vvvv-pppp (default: ${DEFAULT-VALUE})")
    String prefix = DraOptions.PCIKIT_DOMAIN;

    @Option(
        names = "--external",
        description =
            "Set externalResourceProvider: another device plugin (SR-IOV, a GPU operator) offers"
                + " the devices")
    boolean external;

    @Override
    Export export(ExportHost host) {
      KubeVirtHostDevices.Options opts = new KubeVirtHostDevices.Options(prefix, external);
      return output == DraFormat.json
          ? KubeVirtHostDevices.json(host, opts)
          : KubeVirtHostDevices.yaml(host, opts);
    }
  }

  enum JsonOnly {
    json
  }

  @Command(
      name = "cloudstack",
      description = {
        "Apache CloudStack: the JSON the KVM agent's GPU discovery script (gpudiscovery.sh)"
            + " prints, for the assignable GPUs (3D, display and processing-accelerator"
            + " controllers) and their VFs."
      })
  static final class CloudStack extends FormatCommand {

    @Option(
        names = {"-o", "--output"},
        paramLabel = "FORMAT",
        description = "json (the only format the agent reads)")
    JsonOnly output = JsonOnly.json;

    @Override
    Export export(ExportHost host) {
      return CloudStackGpuDiscovery.json(host);
    }
  }
}
