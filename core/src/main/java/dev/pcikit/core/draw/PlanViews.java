package dev.pcikit.core.draw;

import dev.pcikit.core.ids.DeviceNames;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.plan.ControllerKind;
import dev.pcikit.core.plan.EehReport;
import dev.pcikit.core.plan.HostFunction;
import dev.pcikit.core.plan.Plan;
import dev.pcikit.core.plan.PlannedController;
import dev.pcikit.core.plan.PlannedDevice;
import dev.pcikit.core.plan.Purpose;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Turns the planner's {@link Plan} into what the plan picture shows. */
public final class PlanViews {
  private PlanViews() {}

  /** The host side of a function: its name and current driver (from the inventory). */
  public record HostInfo(String name, Optional<String> driver) {}

  /** The plan with each function's short name and driver from the host's inventory. */
  public static PlanView of(Plan plan, Inventory inv, DeviceNames names) {
    return of(
        plan,
        a ->
            inv.device(a)
                .map(d -> new HostInfo(names.shortName(d.vendor(), d.device()), d.driver()))
                .orElse(new HostInfo("", Optional.empty())));
  }

  public static PlanView of(Plan plan, Function<PciAddress, HostInfo> hosts) {
    Map<Integer, List<PlannedDevice>> byController = new LinkedHashMap<>();
    for (PlannedDevice d : plan.devices()) {
      byController.computeIfAbsent(d.controller().index(), k -> new ArrayList<>()).add(d);
    }
    List<PlanView.Controller> out = new ArrayList<>();
    List<Integer> shown = new ArrayList<>();
    for (PlannedController c : plan.controllers()) {
      shown.add(c.index());
      out.add(controller(plan, c, byController.getOrDefault(c.index(), List.of()), hosts));
    }
    // Devices placed on controllers the plan did not create (an existing domain's, or the
    // machine's own root bus).
    for (Map.Entry<Integer, List<PlannedDevice>> e : byController.entrySet()) {
      if (!shown.contains(e.getKey())) {
        PlannedController c = e.getValue().get(0).controller();
        out.add(controller(plan, c, e.getValue(), hosts));
      }
    }
    return new PlanView(plan.name(), plan.machine().qemuName(), out);
  }

  private static PlanView.Controller controller(
      Plan plan,
      PlannedController c,
      List<PlannedDevice> devices,
      Function<PciAddress, HostInfo> hosts) {
    List<String> marks = new ArrayList<>();
    boolean warning = false;
    String label;
    if (c.kind() == ControllerKind.SPAPR_PHB) {
      label =
          "PHB "
              + c.phbIndex()
              + " ("
              + c.qemuId()
              + ", domain "
              + String.format(Locale.ROOT, "%04x", c.phbIndex())
              + ")"
              + (c.numaNode() >= 0 ? " · guest NUMA " + c.numaNode() : "");
      Optional<EehReport> eeh =
          plan.eeh().stream().filter(r -> r.phbIndex() == c.phbIndex()).findFirst();
      if (eeh.isPresent() && !eeh.get().groups().isEmpty()) {
        String groups =
            eeh.get().groups().stream().map(String::valueOf).collect(Collectors.joining(", "));
        if (eeh.get().isolated()) {
          marks.add("EEH: isolated (group " + groups + ")");
        } else {
          marks.add("EEH: no recovery (groups " + groups + " share it)");
          warning = true;
        }
      }
      marks.add(c.extendedConfig() ? "extended config on" : "extended config off");
    } else {
      label =
          c.kind().libvirtModel()
              + " "
              + c.qemuId()
              + c.address().map(a -> " at " + a).orElse("")
              + (c.numaNode() >= 0 ? " · guest NUMA " + c.numaNode() : "");
    }
    boolean spare = c.purpose() == Purpose.SPARE;
    switch (c.purpose()) {
      case SPARE -> marks.add("spare for hotplug");
      case EMULATED -> marks.add("for an emulated device");
      case BRIDGE -> marks.add("for conventional PCI");
      case PASSTHROUGH -> {}
    }
    List<PlanView.Device> views = new ArrayList<>();
    for (PlannedDevice d : devices) {
      HostFunction h = d.host();
      List<String> dm = new ArrayList<>();
      if (d.extendedConfig().reachable()) {
        dm.add("ECS reachable");
      } else if (h.pcie()) {
        dm.add("no ECS");
        warning = true;
      } else {
        dm.add("conventional PCI");
      }
      d.zpci()
          .ifPresent(
              z -> dm.add(String.format(Locale.ROOT, "zPCI uid 0x%x fid 0x%x", z.uid(), z.fid())));
      d.driverModel().ifPresent(m -> dm.add("driver " + m));
      if (d.addedForGroup()) {
        dm.add("added with its group");
      }
      HostInfo info = hosts.apply(h.address());
      views.add(
          new PlanView.Device(
              d.address().toString(),
              d.alias(),
              dm,
              new PlanView.Host(
                  h.address().toString(),
                  info.name(),
                  info.driver().orElse(null),
                  h.iommuGroup() == HostFunction.NO_GROUP ? null : h.iommuGroup(),
                  h.numaNode())));
    }
    return new PlanView.Controller(label, marks, spare, warning, views);
  }
}
