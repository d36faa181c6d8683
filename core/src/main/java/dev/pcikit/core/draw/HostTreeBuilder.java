package dev.pcikit.core.draw;

import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.IommuGroup;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Turns an inventory into the tree a host picture shows: each root bus, the bridges below it, the
 * devices, and each PF's VFs hanging from the PF. Runs of VFs with the same driver collapse into
 * one "N × VF" box unless expanded, as lstopo collapses identical PCI objects.
 */
public final class HostTreeBuilder {
  /** Longest device name kept in a box; longer names are cut with an ellipsis. */
  static final int NAME_MAX = 44;

  private final Inventory inv;
  private final Function<PciDevice, String> names;
  private final boolean expandVfs;

  /**
   * @param names a short name for a device ("Intel X710"); may return an empty string
   */
  public HostTreeBuilder(Inventory inv, Function<PciDevice, String> names, boolean expandVfs) {
    this.inv = inv;
    this.names = names;
    this.expandVfs = expandVfs;
  }

  public List<TreeNode> build() {
    Map<String, List<PciDevice>> byRoot = new TreeMap<>();
    Map<PciAddress, List<PciDevice>> children = new TreeMap<>();
    Map<PciAddress, List<PciDevice>> vfs = new TreeMap<>();
    for (PciDevice d : inv.devices()) {
      Optional<PciAddress> pf = d.physfn().filter(p -> inv.device(p).isPresent());
      if (pf.isPresent()) {
        vfs.computeIfAbsent(pf.get(), k -> new ArrayList<>()).add(d);
      } else if (d.parent().isPresent() && inv.device(d.parent().get()).isPresent()) {
        children.computeIfAbsent(d.parent().get(), k -> new ArrayList<>()).add(d);
      } else {
        byRoot.computeIfAbsent(rootName(d), k -> new ArrayList<>()).add(d);
      }
    }
    List<TreeNode> roots = new ArrayList<>();
    for (Map.Entry<String, List<PciDevice>> e : byRoot.entrySet()) {
      List<TreeNode> kids = new ArrayList<>();
      for (PciDevice d : e.getValue()) {
        kids.add(node(d, children, vfs, false));
      }
      roots.add(
          new TreeNode(
              e.getKey(),
              List.of(rootLabel(e.getKey(), e.getValue())),
              NodeStyle.PLATFORM,
              null,
              false,
              kids));
    }
    return roots;
  }

  private static String rootName(PciDevice d) {
    if (!d.rootBus().isEmpty()) {
      return d.rootBus();
    }
    return String.format(Locale.ROOT, "pci%04x:%02x", d.address().domain(), d.address().bus());
  }

  private String rootLabel(String root, List<PciDevice> top) {
    java.util.TreeSet<Integer> nodes = new java.util.TreeSet<>();
    for (PciDevice d : inv.devices()) {
      if (rootName(d).equals(root) && d.numaNode() >= 0) {
        nodes.add(d.numaNode());
      }
    }
    String numa =
        nodes.isEmpty()
            ? ""
            : " · NUMA " + String.join(", ", nodes.stream().map(String::valueOf).toList());
    return "root bus " + root + numa;
  }

  private TreeNode node(
      PciDevice d,
      Map<PciAddress, List<PciDevice>> children,
      Map<PciAddress, List<PciDevice>> vfs,
      boolean viaVf) {
    List<TreeNode> kids = new ArrayList<>();
    for (PciDevice c : children.getOrDefault(d.address(), List.of())) {
      kids.add(node(c, children, vfs, false));
    }
    List<PciDevice> myVfs = vfs.getOrDefault(d.address(), List.of());
    if (expandVfs) {
      for (PciDevice v : myVfs) {
        kids.add(node(v, children, vfs, true));
      }
    } else {
      for (List<PciDevice> run : runs(myVfs)) {
        kids.add(run.size() == 1 ? node(run.get(0), children, vfs, true) : vfRun(run));
      }
    }
    return new TreeNode(d.address().toString(), deviceLines(d), style(d), region(d), viaVf, kids);
  }

  /** Consecutive VFs (in virtfn order) with the same driver and style. */
  private static List<List<PciDevice>> runs(List<PciDevice> vfs) {
    List<List<PciDevice>> out = new ArrayList<>();
    List<PciDevice> cur = new ArrayList<>();
    for (PciDevice v : vfs) {
      if (!cur.isEmpty()) {
        PciDevice last = cur.get(cur.size() - 1);
        if (!last.driver().equals(v.driver()) || style(last) != style(v)) {
          out.add(cur);
          cur = new ArrayList<>();
        }
      }
      cur.add(v);
    }
    if (!cur.isEmpty()) {
      out.add(cur);
    }
    return out;
  }

  private TreeNode vfRun(List<PciDevice> run) {
    PciDevice first = run.get(0);
    PciDevice last = run.get(run.size() - 1);
    String id = "vfs:" + first.address() + "-" + last.address();
    List<String> lines =
        List.of(
            run.size() + " × VF  " + first.address() + " – " + last.address(),
            ids(first) + "  " + driverText(first) + numa(first));
    return new TreeNode(id, lines, style(first), runRegion(id, run), true, List.of());
  }

  /** The run's groups: one shared group, or one per VF (shaded together, labelled as a range). */
  private TreeNode.Region runRegion(String id, List<PciDevice> run) {
    List<Integer> groups = new ArrayList<>();
    boolean eachAlone = true;
    for (PciDevice v : run) {
      Optional<IommuGroup> g = inv.groupOf(v);
      if (g.isEmpty()) {
        return null;
      }
      groups.add(g.get().id());
      eachAlone &= g.get().members().size() == 1;
    }
    if (groups.stream().distinct().count() == 1) {
      return groupRegion(groups.get(0));
    }
    if (!eachAlone) {
      return null;
    }
    int lo = groups.stream().min(Integer::compare).get();
    int hi = groups.stream().max(Integer::compare).get();
    String range = hi - lo + 1 == groups.size() ? lo + "–" + hi : groups.size() + " groups";
    return new TreeNode.Region(id, "IOMMU groups " + range + " (one per VF)");
  }

  private TreeNode.Region region(PciDevice d) {
    return d.iommuGroup().map(HostTreeBuilder::groupRegion).orElse(null);
  }

  private static TreeNode.Region groupRegion(int g) {
    return new TreeNode.Region("g" + g, "IOMMU group " + g);
  }

  private List<String> deviceLines(PciDevice d) {
    String name = cut(names.apply(d));
    String first = d.address() + (name.isEmpty() ? "" : "  " + name);
    StringBuilder second = new StringBuilder(ids(d)).append("  ");
    if (d.notResponding()) {
      second.append("NOT RESPONDING  ");
    }
    second.append(driverText(d)).append(numa(d));
    if (d.isPhysicalFunctionWithSriov()) {
      int total = d.sriov().get().totalVfs();
      second
          .append(" · PF ")
          .append(Math.max(d.virtfns().size(), d.sriov().get().numVfs()))
          .append(total >= 0 ? "/" + total : "")
          .append(" VFs");
    }
    if (d.physfn().isPresent() && inv.device(d.physfn().get()).isEmpty()) {
      second.append(" · VF, PF not visible");
    }
    if (d.bootVga().orElse(false)) {
      second.append(" · boot VGA");
    }
    return List.of(first, second.toString());
  }

  private static String cut(String name) {
    String n = name == null ? "" : name.strip();
    return n.length() <= NAME_MAX ? n : n.substring(0, NAME_MAX - 1) + "…";
  }

  private static String ids(PciDevice d) {
    return String.format(Locale.ROOT, "[%04x:%04x]", d.vendor() & 0xffff, d.device() & 0xffff);
  }

  private static String driverText(PciDevice d) {
    return d.driver().map(x -> "driver " + x).orElse("no driver");
  }

  private static String numa(PciDevice d) {
    return d.numaNode() >= 0 ? " · NUMA " + d.numaNode() : "";
  }

  static NodeStyle style(PciDevice d) {
    if (d.notResponding()) {
      return NodeStyle.NOT_RESPONDING;
    }
    if (d.isBridge() || (d.classCode() >= 0 && (d.classCode() >> 16) == 0x06)) {
      return NodeStyle.PLATFORM;
    }
    if (d.boundToVfio()) {
      return NodeStyle.VFIO;
    }
    return d.driver().isPresent() ? NodeStyle.HOST_DRIVER : NodeStyle.NO_DRIVER;
  }

  /** Group labels in first-seen order (for legends and DOT clusters). */
  public static Map<String, String> regions(List<TreeNode> roots) {
    Map<String, String> out = new LinkedHashMap<>();
    for (TreeNode r : roots) {
      r.forEach(
          n -> {
            if (n.group() != null) {
              out.putIfAbsent(n.group().key(), n.group().label());
            }
          });
    }
    return out;
  }
}
