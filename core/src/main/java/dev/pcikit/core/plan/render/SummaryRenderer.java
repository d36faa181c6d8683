package dev.pcikit.core.plan.render;

import dev.pcikit.core.plan.ControllerKind;
import dev.pcikit.core.plan.EehReport;
import dev.pcikit.core.plan.ExtendedConfig;
import dev.pcikit.core.plan.Plan;
import dev.pcikit.core.plan.PlannedController;
import dev.pcikit.core.plan.PlannedDevice;
import dev.pcikit.core.plan.Purpose;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A readable account of a plan: where each device lands, and why it matters. */
public final class SummaryRenderer {
  private SummaryRenderer() {}

  public static String render(Plan plan) {
    StringBuilder b = new StringBuilder();
    long spares = plan.controllers().stream().filter(c -> c.purpose() == Purpose.SPARE).count();
    b.append("Plan for '")
        .append(plan.name())
        .append("' (")
        .append(plan.machine().qemuName())
        .append(plan.base().isPresent() ? ", existing domain kept as is" : "")
        .append("): ")
        .append(plan.devices().size())
        .append(" device(s), ")
        .append(plan.controllers().size())
        .append(" new controller(s)")
        .append(spares > 0 ? ", " + spares + " spare" : "")
        .append('\n');
    if (plan.isEmpty()) {
      b.append("\nNothing to add: everything asked for is already in place.\n");
    }
    Map<Integer, PlannedController> byIndex = new LinkedHashMap<>();
    plan.controllers().forEach(c -> byIndex.put(c.index(), c));
    for (PlannedDevice d : plan.devices()) {
      byIndex.putIfAbsent(d.controller().index(), d.controller());
    }
    Map<Integer, EehReport> eeh = new LinkedHashMap<>();
    plan.eeh().forEach(e -> eeh.put(e.phbIndex(), e));
    for (PlannedController c : byIndex.values()) {
      b.append('\n').append(controllerLine(c, plan, eeh)).append('\n');
      for (PlannedDevice d : plan.devices()) {
        if (d.controller().index() == c.index()) {
          b.append("  ").append(deviceLine(d)).append('\n');
        }
      }
    }
    section(b, "Notes", plan.notes());
    section(b, "Warnings", plan.warnings());
    return b.toString();
  }

  private static String controllerLine(
      PlannedController c, Plan plan, Map<Integer, EehReport> eeh) {
    boolean isNew = plan.controllers().contains(c);
    String tag = isNew ? "" : " (already in the domain)";
    return switch (c.kind()) {
      case SPAPR_PHB -> {
        StringBuilder s = new StringBuilder();
        s.append("PHB ").append(c.phbIndex()).append("  bus ").append(c.childBus()).append(tag);
        if (c.numaNode() >= 0) {
          s.append("  numa_node ").append(c.numaNode());
        }
        s.append("  extended config ").append(c.extendedConfig() ? "on" : "off");
        EehReport e = eeh.get(c.phbIndex());
        if (e != null) {
          s.append(
              e.isolated()
                  ? "  EEH: isolated (1 IOMMU group: " + e.groups().get(0) + ")"
                  : "  EEH: NOT isolated (IOMMU groups " + e.groups() + ")");
        }
        if (c.purpose() == Purpose.SPARE) {
          s.append("  spare, empty for hotplug");
        }
        yield s.toString();
      }
      case PCIE_ROOT_PORT -> {
        StringBuilder s = new StringBuilder("pcie-root-port ").append(c.qemuId()).append(tag);
        c.address().ifPresent(a -> s.append(" at ").append(a));
        if (c.chassis() >= 0) {
          s.append(String.format(Locale.ROOT, "  chassis %d port 0x%x", c.chassis(), c.port()));
        }
        switch (c.purpose()) {
          case SPARE -> s.append("  spare, empty for hotplug");
          case EMULATED -> s.append("  empty, for an emulated device");
          case BRIDGE -> s.append("  carries the pcie-to-pci bridge");
          default -> {}
        }
        yield s.toString();
      }
      case PCIE_TO_PCI_BRIDGE ->
          "pcie-to-pci-bridge "
              + c.qemuId()
              + c.address().map(a -> " at " + a).orElse("")
              + "  for conventional PCI devices";
      case PCI_ROOT -> "root bus pci.0";
    };
  }

  private static String deviceLine(PlannedDevice d) {
    StringBuilder s = new StringBuilder();
    s.append(d.address())
        .append(" <- ")
        .append(d.host().address())
        .append(" [")
        .append(d.host().ids())
        .append("] group ")
        .append(d.host().iommuGroup());
    if (d.multifunction()) {
      s.append(" multifunction");
    }
    if (d.addedForGroup()) {
      s.append(" (same group)");
    }
    d.zpci()
        .ifPresent(
            z ->
                s.append(
                    String.format(Locale.ROOT, "  zPCI uid 0x%04x fid 0x%08x", z.uid(), z.fid())));
    ExtendedConfig e = d.extendedConfig();
    s.append("  extended config ").append(e.reachable() ? "reachable" : "NOT reachable");
    if (d.controller().kind() == ControllerKind.SPAPR_PHB) {
      s.append(
          e.configSpaceType().isPresent()
              ? ", ibm,pci-config-space-type=" + e.configSpaceType().getAsInt()
              : ", ibm,pci-config-space-type absent");
    }
    s.append(" (").append(e.reason()).append(')');
    d.driverModel().ifPresent(m -> s.append("  variant driver ").append(m));
    return s.toString();
  }

  private static void section(StringBuilder b, String title, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    b.append('\n').append(title).append(":\n");
    for (String l : new ArrayList<>(lines)) {
      b.append("  - ").append(l).append('\n');
    }
  }
}
