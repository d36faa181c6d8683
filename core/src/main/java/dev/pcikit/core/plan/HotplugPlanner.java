package dev.pcikit.core.plan;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Places devices into the spare capacity a running domain already has; creates no controller. */
final class HotplugPlanner {
  private HotplugPlanner() {}

  static Plan plan(
      MachineType machine,
      ExistingDomain domain,
      List<DeviceRequest> requests,
      HostTopology host,
      Policies policies) {
    if (machine == MachineType.S390_CCW_VIRTIO) {
      GuestSpec spec =
          new GuestSpec(domain.name(), machine, requests, 0, OptionalInt.of(0), policies);
      return ZpciPlanner.plan(spec, host, Optional.of(domain));
    }
    PlanBuilder b = new PlanBuilder(Optional.of(domain));
    List<Selected> selected =
        DeviceResolver.resolve(
            requests, host, policies, domain.hostdevSources(), b.notes, b.warnings);
    if (selected.isEmpty()) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "nothing to hot-plug: every requested device is already in the domain");
    }
    return machine == MachineType.PSERIES
        ? pseries(domain, selected, policies, b)
        : rootPorts(machine, domain, selected, policies, b);
  }

  private static Plan pseries(
      ExistingDomain domain, List<Selected> selected, Policies pol, PlanBuilder b) {
    Deque<ExistingController> spares = new ArrayDeque<>();
    domain.controllers().stream()
        .filter(c -> c.isSpaprPhb() && c.phbIndex() > 0 && c.phbIndex() <= PseriesPlanner.MAX_PHB)
        .filter(c -> !domain.busOccupied(c.index()))
        .sorted((x, y) -> Integer.compare(x.phbIndex(), y.phbIndex()))
        .forEach(spares::add);
    Map<Integer, List<Selected>> groups = new LinkedHashMap<>();
    for (Selected s : selected) {
      groups.computeIfAbsent(s.host().iommuGroup(), g -> new ArrayList<>()).add(s);
    }
    if (groups.size() > spares.size()) {
      throw new PcikitException(
          Failure.REFUSED,
          groups.size()
              + " PE(s) to hot-plug but "
              + (spares.isEmpty()
                  ? "no empty spare PHB is left"
                  : "only " + spares.size() + " empty spare PHB(s) left")
              + " in domain '"
              + domain.name()
              + "'; a PHB cannot be hot-added with its devices through libvirt: re-plan with more"
              + " 'spares' and restart the guest");
    }
    for (List<Selected> g : groups.values()) {
      ExistingController c = spares.poll();
      PlannedController phb =
          PlannedController.phb(c.index(), c.phbIndex(), -1, Purpose.PASSTHROUGH, true);
      b.eeh.add(new EehReport(c.phbIndex(), List.of(g.get(0).host().iommuGroup()), true));
      int slot = 1;
      for (SlotUnit u : SlotUnit.of(g, pol.keepMultifunction())) {
        int fn = 0;
        for (Selected s : u.functions()) {
          b.devices.add(
              new PlannedDevice(
                  s.host(),
                  new GuestAddress(c.index(), slot, fn),
                  phb,
                  fn == 0 && u.functions().size() > 1,
                  b.nextAlias(),
                  ExtendedConfigPredictor.pseries(s.host(), true),
                  Optional.empty(),
                  s.request().driverModel(),
                  !pol.pcikitBinds(),
                  s.addedForGroup()));
          fn++;
        }
        slot++;
      }
      b.notes.add(
          "hot-plug into spare PHB "
              + c.phbIndex()
              + " (pci."
              + c.index()
              + "); the guest needs drmgr (powerpc-ibm-utils) or rtas_errd to bring it up");
    }
    warnMultifunction(b);
    b.notes.add(spares.size() + " empty spare PHB(s) left after this");
    return b.build(domain.name(), MachineType.PSERIES, Optional.of(domain));
  }

  /** libvirt hot-plugs one function at a time and refuses multifunction slots. */
  private static void warnMultifunction(PlanBuilder b) {
    if (b.devices.stream().anyMatch(PlannedDevice::multifunction)) {
      b.warnings.add(
          "a multifunction slot is hot-plugged: libvirt does not hot-plug multifunction devices;"
              + " send the QMP commands in the order given (function 0 last), or plan with"
              + " keepMultifunction: false");
    }
  }

  private static Plan rootPorts(
      MachineType machine,
      ExistingDomain domain,
      List<Selected> selected,
      Policies pol,
      PlanBuilder b) {
    Deque<Integer> empty = new ArrayDeque<>();
    domain.controllers().stream()
        .filter(c -> c.model().equals("pcie-root-port") && !domain.busOccupied(c.index()))
        .map(ExistingController::index)
        .sorted()
        .forEach(empty::add);
    List<SlotUnit> units = SlotUnit.of(selected, pol.keepMultifunction());
    if (units.size() > empty.size()) {
      throw new PcikitException(
          Failure.REFUSED,
          units.size()
              + " device(s) to hot-plug but "
              + (empty.isEmpty()
                  ? "no empty pcie-root-port is left"
                  : "only " + empty.size() + " empty pcie-root-port(s) left")
              + " in domain '"
              + domain.name()
              + "'; re-plan with more 'spares'");
    }
    for (SlotUnit u : units) {
      if (u.anyConventional()) {
        b.warnings.add(
            u.first().host().address()
                + " is conventional PCI: on a root port it works, but as a PCIe endpoint without"
                + " a PCIe capability some guests will not bind it");
      }
      PcieTopologyPlanner.placeOn(
          u, PcieTopologyPlanner.existingPort(empty.poll()), 0, false, pol, b);
    }
    warnMultifunction(b);
    b.notes.add(empty.size() + " empty pcie-root-port(s) left after this");
    return b.build(domain.name(), machine, Optional.of(domain));
  }
}
