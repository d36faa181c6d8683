package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.inventory.GroupStatus;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.inventory.Problem;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.text.Hex;
import dev.pcikit.formats.DeviceJson;
import dev.pcikit.formats.Documents;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ObjectNode;

/** Everything pcikit knows about one device. */
@Command(name = "show", description = "Show everything about one device, capabilities decoded.")
final class ShowCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DEV", description = "Device: [[domain:]bus:]slot.func")
  String device;

  @picocli.CommandLine.Mixin OutputOption output;

  @Override
  public Integer call() {
    GlobalOptions global = GlobalOptions.of(spec);
    DeviceSelector sel;
    try {
      // a malformed address is a usage error, found before anything is read
      sel = DeviceSelector.slot(device);
    } catch (IllegalArgumentException e) {
      throw new PcikitException(Failure.INVALID_ARGUMENT, e.getMessage());
    }
    // everything about the device(s) named, of the others only what its group status and reset
    // blast radius look at (a slot selector matches on the address alone)
    DeviceSelector named = sel;
    Inventory inv =
        InventoryReader.focused(global.sysfs(), a -> named.matches(a, -1, -1, -1)).read();
    List<PciDevice> matches = inv.devices().stream().filter(d -> d.matches(sel)).toList();
    if (matches.isEmpty()) {
      throw new PcikitException(Failure.NOT_FOUND, "no PCI device " + device);
    }
    if (matches.size() != 1) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "'"
              + device
              + "' matches "
              + matches.size()
              + " devices ("
              + matches.get(0).address()
              + ", "
              + matches.get(1).address()
              + (matches.size() > 2 ? ", …" : "")
              + "); name one BDF");
    }
    PciDevice d = matches.get(0);
    DeviceNames names = HostAccess.names(global, inv);
    PrintWriter out = spec.commandLine().getOut();
    if (output.format != OutputFormat.table) {
      ObjectNode doc = DeviceJson.document(inv, d, names, DeviceExtras.of(global, inv, d));
      Documents.write(doc, output.format.document(), out);
    } else {
      print(global, d, inv, names, HostAccess.aliases(global, spec.commandLine().getErr()), out);
    }
    out.flush();
    boolean bad = d.problems().stream().anyMatch(p -> p.severity() != Problem.Severity.NOTE);
    return bad ? ExitCode.PARTIAL.code() : 0;
  }

  private static void print(
      GlobalOptions global,
      PciDevice d,
      Inventory inv,
      DeviceNames names,
      java.util.Optional<dev.pcikit.core.modalias.AliasIndex> aliases,
      PrintWriter out) {
    out.println(
        d.address()
            + " "
            + (d.classCode() < 0 ? "?" : names.classText(d.classCode()))
            + ": "
            + names.vendorDeviceText(d.vendor(), d.device()));
    if (d.subsystemVendor() >= 0) {
      out.println(
          "  Subsystem:       "
              + names.subVendorText(d.subsystemVendor())
              + " "
              + names.subDeviceText(
                  d.vendor(), d.device(), d.subsystemVendor(), d.subsystemDevice()));
    }
    kv(out, "Revision", d.revision() < 0 ? "?" : Hex.pad(d.revision(), 2));
    kv(out, "Modalias", d.modalias().orElse("-"));
    kv(
        out,
        "Driver",
        d.driver()
            .map(x -> x + d.driverModule().map(m -> " (module " + m + ")").orElse(""))
            .orElse("none"));
    kv(out, "Driver override", d.driverOverride().orElse("none"));
    if (aliases.isPresent() && d.modalias().isPresent()) {
      List<String> mods = HostAccess.modules(aliases, d);
      kv(out, "Kernel modules", mods.isEmpty() ? "none" : String.join(", ", mods));
      var vfio = aliases.get().chooseVfio(d.modalias().get(), java.util.Optional.empty());
      kv(out, "VFIO driver", vfio.chosen().orElse("none") + " (" + vfio.reason() + ")");
    }
    String group =
        d.iommuGroup()
            .map(
                g ->
                    g
                        + "  members: "
                        + inv.groupOf(d).map(x -> x.members().toString()).orElse("?")
                        + "  "
                        + inv.groupOf(d)
                            .map(x -> GroupsCommand.describe(GroupStatus.of(x, inv)))
                            .orElse(""))
            .orElse("none (IOMMU off or absent)");
    kv(out, "IOMMU group", group);
    kv(out, "NUMA node", d.numaNode() >= 0 ? String.valueOf(d.numaNode()) : "none");
    kv(out, "Parent", d.parent().map(PciAddress::toString).orElse(d.rootBus()));
    kv(out, "Sysfs path", d.devicePath());
    if (d.physfn().isPresent()) {
      kv(out, "SR-IOV", "VF of " + d.physfn().get());
    } else if (d.isDetachedVirtualFunction()) {
      kv(out, "SR-IOV", "VF " + d.zpciVfn() + ", PF not visible to this kernel (detached VF)");
    }
    d.sriov()
        .ifPresent(
            s ->
                kv(
                    out,
                    "SR-IOV",
                    "PF: total "
                        + s.totalVfs()
                        + ", enabled "
                        + s.numVfs()
                        + (s.autoprobeKnown() ? ", autoprobe " + s.driversAutoprobe() : "")
                        + (s.offset() >= 0 ? ", offset " + s.offset() : "")
                        + (s.stride() >= 0 ? ", stride " + s.stride() : "")
                        + (s.vfDevice() >= 0 ? ", VF device " + Hex.pad(s.vfDevice(), 4) : "")));
    if (!d.virtfns().isEmpty()) {
      kv(out, "VFs", d.virtfns().toString());
    }
    kv(
        out,
        "Reset methods",
        d.resetMethods().map(r -> r.isEmpty() ? "none" : String.join(" ", r)).orElse("unknown"));
    d.bootVga().ifPresent(b -> kv(out, "Boot VGA", b ? "yes" : "no"));
    d.enabled().ifPresent(b -> kv(out, "Enabled", b ? "yes" : "no"));
    kv(out, "Config space", d.config().length + " bytes readable");
    DeviceExtras.print(DeviceExtras.of(global, inv, d), out);
    List<String> caps = DeviceJson.capabilities(d);
    if (!caps.isEmpty()) {
      out.println("  Capabilities:");
      caps.forEach(c -> out.println("    " + c));
    }
    for (Problem p : d.problems()) {
      out.println(
          "  " + p.severity().name().toLowerCase(java.util.Locale.ROOT) + ": " + p.message());
    }
  }

  private static void kv(PrintWriter out, String k, String v) {
    out.println("  " + (k + ":" + " ".repeat(17)).substring(0, 17) + v);
  }
}
