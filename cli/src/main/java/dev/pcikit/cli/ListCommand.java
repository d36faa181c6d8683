package dev.pcikit.cli;

import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.formats.Documents;
import dev.pcikit.formats.InventoryJson;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One line per PCI function: what it is, its driver, IOMMU group, NUMA node, SR-IOV role. */
@Command(
    name = "list",
    description = "List PCI devices with driver, IOMMU group, NUMA node and SR-IOV role.")
final class ListCommand implements Callable<Integer> {
  @Mixin SelectionOptions selection;
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--tree", description = "Show the bus hierarchy (bridges and what is below)")
  boolean tree;

  @Option(
      names = {"-k", "--modules"},
      description = "Also show the kernel modules that can drive each device (like lspci -k)")
  boolean modules;

  @picocli.CommandLine.Mixin OutputOption output;

  @Override
  public Integer call() {
    GlobalOptions global = GlobalOptions.of(spec);
    Inventory inv = HostAccess.inventory(global);
    DeviceNames names = HostAccess.names(global, inv);
    HostAccess.noteMissingNames(global, spec.commandLine().getErr());
    List<PciDevice> shown = selection.select(inv);
    PrintWriter out = spec.commandLine().getOut();
    var aliases =
        modules
            ? HostAccess.aliases(global, spec.commandLine().getErr())
            : java.util.Optional.<dev.pcikit.core.modalias.AliasIndex>empty();
    if (output.format != OutputFormat.table) {
      var doc =
          InventoryJson.list(
              inv,
              shown,
              names,
              // identity from what the inventory read (not read again)
              global.host().fingerprints(inv.devices()),
              global.host().holders(),
              modules ? d -> HostAccess.modules(aliases, d) : null);
      Documents.write(doc, output.format.document(), out);
    } else if (tree) {
      printTree(shown, names, out);
    } else {
      Table t =
          modules
              ? new Table("BDF", "CLASS", "DEVICE", "DRIVER", "GROUP", "NUMA", "SR-IOV", "MODULES")
              : new Table("BDF", "CLASS", "DEVICE", "DRIVER", "GROUP", "NUMA", "SR-IOV");
      for (PciDevice d : shown) {
        String[] c = cells(d, names);
        if (modules) {
          c = java.util.Arrays.copyOf(c, c.length + 1);
          c[c.length - 1] = String.join(",", HostAccess.modules(aliases, d));
        }
        t.row(c);
      }
      t.print(out);
    }
    out.flush();
    return HostAccess.reportProblems(inv, spec.commandLine().getErr());
  }

  static String[] cells(PciDevice d, DeviceNames names) {
    return new String[] {
      d.address().toString(),
      d.classCode() < 0 ? "?" : names.classText(d.classCode()),
      names.vendorDeviceText(d.vendor(), d.device()),
      d.driver().orElse("-"),
      d.iommuGroup().map(String::valueOf).orElse("-"),
      d.numaNode() >= 0 ? String.valueOf(d.numaNode()) : "-",
      sriovText(d)
    };
  }

  static String sriovText(PciDevice d) {
    if (d.physfn().isPresent()) {
      return "VF of " + d.physfn().get();
    }
    if (d.isDetachedVirtualFunction()) {
      return "VF, PF not visible";
    }
    if (d.sriov().isPresent()) {
      var s = d.sriov().get();
      return "PF " + s.numVfs() + "/" + s.totalVfs() + " VFs";
    }
    return "";
  }

  private static void printTree(List<PciDevice> shown, DeviceNames names, PrintWriter out) {
    Set<PciAddress> present = new HashSet<>();
    shown.forEach(d -> present.add(d.address()));
    Map<PciAddress, List<PciDevice>> children = new LinkedHashMap<>();
    TreeMap<String, List<PciDevice>> roots = new TreeMap<>();
    for (PciDevice d : shown) {
      if (d.parent().isPresent() && present.contains(d.parent().get())) {
        children.computeIfAbsent(d.parent().get(), k -> new ArrayList<>()).add(d);
      } else {
        roots
            .computeIfAbsent(d.rootBus().isEmpty() ? "?" : d.rootBus(), k -> new ArrayList<>())
            .add(d);
      }
    }
    for (Map.Entry<String, List<PciDevice>> r : roots.entrySet()) {
      out.println(r.getKey());
      List<PciDevice> list = r.getValue();
      for (int i = 0; i < list.size(); i++) {
        printNode(list.get(i), "", i == list.size() - 1, children, names, out);
      }
    }
  }

  private static void printNode(
      PciDevice d,
      String indent,
      boolean last,
      Map<PciAddress, List<PciDevice>> children,
      DeviceNames names,
      PrintWriter out) {
    String[] c = cells(d, names);
    StringBuilder line = new StringBuilder(indent).append(last ? "└─ " : "├─ ");
    line.append(c[0]).append("  ").append(c[1]).append("  ").append(c[2]);
    line.append("  driver=").append(c[3]).append("  group=").append(c[4]);
    if (!c[5].equals("-")) {
      line.append("  numa=").append(c[5]);
    }
    if (!c[6].isEmpty()) {
      line.append("  ").append(c[6]);
    }
    out.println(line);
    List<PciDevice> kids = children.getOrDefault(d.address(), List.of());
    for (int i = 0; i < kids.size(); i++) {
      printNode(
          kids.get(i), indent + (last ? "   " : "│  "), i == kids.size() - 1, children, names, out);
    }
  }
}
