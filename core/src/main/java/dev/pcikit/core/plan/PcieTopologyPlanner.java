package dev.pcikit.core.plan;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * q35 and aarch64 virt placement, following libvirt's rules (src/qemu/qemu_domain_address.c,
 * src/conf/domain_addr.c): every PCIe device gets its own pcie-root-port; root ports sit on
 * pcie-root and are packed as the 8 functions of one root-bus slot before the next slot is used
 * (VIR_PCI_CONNECT_AGGREGATE_SLOT), with {@code multifunction='on'} on function 0, {@code chassis}
 * = controller index and {@code port} = slot &lt;&lt; 3 | function. Conventional PCI devices go on
 * a pcie-to-pci-bridge, which itself sits on a root port.
 */
final class PcieTopologyPlanner {
  /** q35: slot 0 is the host bridge, 1 is kept for video as libvirt does, 0x1f is the ICH9. */
  private static final int Q35_FIRST_SLOT = 2;

  private static final int Q35_LAST_SLOT = 0x1e;
  private static final int VIRT_FIRST_SLOT = 1;
  private static final int VIRT_LAST_SLOT = 0x1f;
  private static final int BRIDGE_FIRST_SLOT = 1;
  private static final int BRIDGE_LAST_SLOT = 31;

  private PcieTopologyPlanner() {}

  static Plan plan(GuestSpec spec, HostTopology host, Optional<ExistingDomain> base) {
    MachineType machine = spec.machine();
    PlanBuilder b = new PlanBuilder(base);
    Policies pol = spec.policies();
    List<Selected> selected = b.select(spec, host, base);
    selected.forEach(s -> PlanBuilder.refusePhb(s, machine.qemuName()));
    List<SlotUnit> units = SlotUnit.of(selected, pol.keepMultifunction());
    List<SlotUnit> pcie = new ArrayList<>();
    List<SlotUnit> conventional = new ArrayList<>();
    for (SlotUnit u : units) {
      (u.anyConventional() ? conventional : pcie).add(u);
    }

    Deque<Integer> emptyPorts = new ArrayDeque<>();
    base.ifPresent(
        d ->
            d.controllers().stream()
                .filter(c -> c.model().equals("pcie-root-port") && !d.busOccupied(c.index()))
                .map(ExistingController::index)
                .sorted()
                .forEach(emptyPorts::add));
    RootSlots slots = new RootSlots(machine, base);

    for (SlotUnit u : pcie) {
      PlannedController port = portFor(emptyPorts, slots, Purpose.PASSTHROUGH, b);
      placeOn(u, port, 0, false, pol, b);
    }
    if (!conventional.isEmpty()) {
      PlannedController carrier = portFor(emptyPorts, slots, Purpose.BRIDGE, b);
      int idx = b.takeControllerIndex(0);
      PlannedController bridge =
          new PlannedController(
              idx,
              ControllerKind.PCIE_TO_PCI_BRIDGE,
              -1,
              -1,
              Optional.of(new GuestAddress(carrier.index(), 0, 0)),
              -1,
              -1,
              false,
              Purpose.BRIDGE,
              false);
      b.controllers.add(bridge);
      int slot = BRIDGE_FIRST_SLOT;
      for (SlotUnit u : conventional) {
        if (slot > BRIDGE_LAST_SLOT) {
          throw new PcikitException(
              Failure.BAD_INPUT,
              conventional.size() + " conventional PCI devices do not fit one pcie-to-pci bridge");
        }
        placeOn(u, bridge, slot++, true, pol, b);
      }
      b.notes.add(
          conventional.size()
              + " conventional PCI device(s) go behind pcie-to-pci bridge pci."
              + idx
              + " (no extended config space, no native PCIe hotplug)");
    }
    int emptyWanted = spec.emulatedDevices() + spec.sparesOrDefault();
    int keptEmpty = Math.min(emptyWanted, emptyPorts.size());
    if (keptEmpty > 0) {
      b.notes.add(
          keptEmpty + " empty root port(s) of the domain stay for emulated devices/hotplug");
    }
    for (int i = keptEmpty; i < emptyWanted; i++) {
      Purpose p = i < spec.emulatedDevices() ? Purpose.EMULATED : Purpose.SPARE;
      b.controllers.add(slots.newPort(p, b));
    }
    finishMultifunction(b);
    return b.build(spec.name(), machine, base);
  }

  /** An existing empty root port when one is left, else a new one. */
  static PlannedController portFor(
      Deque<Integer> emptyPorts, RootSlots slots, Purpose purpose, PlanBuilder b) {
    if (!emptyPorts.isEmpty()) {
      int idx = emptyPorts.poll();
      return existingPort(idx);
    }
    PlannedController c = slots.newPort(purpose, b);
    b.controllers.add(c);
    return c;
  }

  static PlannedController existingPort(int index) {
    return PlannedController.existing(index, ControllerKind.PCIE_ROOT_PORT);
  }

  static void placeOn(
      SlotUnit u,
      PlannedController ctrl,
      int slot,
      boolean conventionalBridge,
      Policies pol,
      PlanBuilder b) {
    int fn = 0;
    for (Selected s : u.functions()) {
      b.devices.add(
          new PlannedDevice(
              s.host(),
              new GuestAddress(ctrl.index(), slot, fn),
              ctrl,
              fn == 0 && u.functions().size() > 1,
              b.nextAlias(),
              ExtendedConfigPredictor.pcie(s.host(), conventionalBridge),
              Optional.empty(),
              s.request().driverModel(),
              !pol.pcikitBinds(),
              s.addedForGroup()));
      fn++;
    }
  }

  /** Sets multifunction='on' on function 0 of every root-bus slot holding several new ports. */
  private static void finishMultifunction(PlanBuilder b) {
    for (int i = 0; i < b.controllers.size(); i++) {
      PlannedController c = b.controllers.get(i);
      if (c.kind() != ControllerKind.PCIE_ROOT_PORT || c.address().isEmpty()) {
        continue;
      }
      GuestAddress a = c.address().get();
      boolean shared =
          a.function() == 0
              && b.controllers.stream()
                  .anyMatch(
                      o ->
                          o != c
                              && o.address().isPresent()
                              && o.address().get().bus() == 0
                              && o.address().get().slot() == a.slot());
      if (shared) {
        b.controllers.set(i, c.withMultifunction(true));
      }
    }
    // devices keep a copy of their controller; refresh it
    for (int i = 0; i < b.devices.size(); i++) {
      PlannedDevice d = b.devices.get(i);
      for (PlannedController c : b.controllers) {
        if (c.index() == d.controller().index() && !c.equals(d.controller())) {
          b.devices.set(
              i,
              new PlannedDevice(
                  d.host(),
                  d.address(),
                  c,
                  d.multifunction(),
                  d.alias(),
                  d.extendedConfig(),
                  d.zpci(),
                  d.driverModel(),
                  d.managed(),
                  d.addedForGroup()));
        }
      }
    }
  }

  /** Hands out root-bus slot functions for new root ports, 8 per slot, skipping used slots. */
  static final class RootSlots {
    private final int first;
    private final int last;
    private final Set<Integer> usedSlots = new java.util.TreeSet<>();
    private int slot;
    private int function = 8;

    RootSlots(MachineType machine, Optional<ExistingDomain> base) {
      first = machine == MachineType.Q35 ? Q35_FIRST_SLOT : VIRT_FIRST_SLOT;
      last = machine == MachineType.Q35 ? Q35_LAST_SLOT : VIRT_LAST_SLOT;
      base.ifPresent(
          d ->
              d.usedAddresses().stream()
                  .filter(a -> a.bus() == 0)
                  .forEach(a -> usedSlots.add(a.slot())));
      slot = first - 1;
    }

    PlannedController newPort(Purpose purpose, PlanBuilder b) {
      if (function == 8) {
        do {
          slot++;
        } while (usedSlots.contains(slot));
        if (slot > last) {
          throw new PcikitException(
              Failure.BAD_INPUT,
              "pcie-root has no free slot left for another pcie-root-port (slots 0x"
                  + Integer.toHexString(first)
                  + "-0x"
                  + Integer.toHexString(last)
                  + ", 8 ports each)");
        }
        function = 0;
      }
      int idx = b.takeControllerIndex(0);
      GuestAddress at = new GuestAddress(0, slot, function);
      function++;
      return new PlannedController(
          idx,
          ControllerKind.PCIE_ROOT_PORT,
          -1,
          -1,
          Optional.of(at),
          idx,
          at.slot() << 3 | at.function(),
          false,
          purpose,
          false);
    }
  }
}
