package dev.pcikit.cli;

import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.inventory.GroupStatus;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.IommuGroup;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.formats.Documents;
import dev.pcikit.formats.InventoryJson;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** IOMMU groups with their members and whether each group can go to VFIO as it is. */
@Command(
    name = "groups",
    description =
        "List IOMMU groups (PEs on POWER) with members, drivers and whether the group is"
            + " vfio-viable, host-owned or mixed; -s / -d: the groups of those devices.")
final class GroupsCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @picocli.CommandLine.Mixin OutputOption output;

  @Mixin SelectionOptions selection;

  @Override
  public Integer call() {
    GlobalOptions global = GlobalOptions.of(spec);
    Inventory inv = HostAccess.inventory(global);
    // -s / -d: the groups that hold a selected device
    Set<PciAddress> selected = new HashSet<>();
    selection.select(inv).forEach(d -> selected.add(d.address()));
    List<IommuGroup> groups =
        inv.groups().values().stream()
            .filter(g -> g.members().stream().anyMatch(selected::contains))
            .toList();
    DeviceNames names = HostAccess.names(global, inv);
    PrintWriter out = spec.commandLine().getOut();
    if (output.format != OutputFormat.table) {
      Documents.write(InventoryJson.groups(inv, groups, names), output.format.document(), out);
    } else {
      if (inv.groups().isEmpty()) {
        out.println("no IOMMU groups: the IOMMU is off or absent (see `pcikit check`)");
      }
      for (IommuGroup g : groups) {
        GroupStatus st = GroupStatus.of(g, inv);
        out.println("group " + g.id() + "  " + describe(st));
        for (PciAddress a : g.members()) {
          var d = inv.device(a);
          String name = d.map(x -> names.vendorDeviceText(x.vendor(), x.device())).orElse("?");
          String driver = d.flatMap(x -> x.driver()).orElse("-");
          String role = d.map(x -> x.isBridge() ? "  (bridge)" : "").orElse("");
          out.println("  " + a + "  " + name + "  driver=" + driver + role);
        }
      }
    }
    out.flush();
    return HostAccess.reportProblems(inv, spec.commandLine().getErr());
  }

  static String describe(GroupStatus st) {
    String shape = st.allEndpoints() ? "all endpoints" : "with bridges";
    return switch (st.kind()) {
      case VFIO_VIABLE -> "[vfio-viable, " + shape + "]";
      case HOST -> "[host, " + shape + "]";
      case MIXED ->
          "[mixed: not viable until "
              + st.blockers().stream().map(d -> d.address().toString()).toList()
              + " leave their host drivers, "
              + shape
              + "]";
    };
  }
}
