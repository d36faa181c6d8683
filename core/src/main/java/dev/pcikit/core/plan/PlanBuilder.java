package dev.pcikit.core.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** Mutable scratch state of one planning run; {@link #build} freezes it into a {@link Plan}. */
final class PlanBuilder {
  final List<PlannedController> controllers = new ArrayList<>();
  final List<PlannedDevice> devices = new ArrayList<>();
  final List<EehReport> eeh = new ArrayList<>();
  final List<String> notes = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();
  private final Set<Integer> usedControllerIndexes = new TreeSet<>();
  private int nextAlias;

  PlanBuilder(Optional<ExistingDomain> base) {
    usedControllerIndexes.add(0);
    base.ifPresent(d -> d.controllers().forEach(c -> usedControllerIndexes.add(c.index())));
    nextAlias = base.map(ExistingDomain::hostdevCount).orElse(0);
  }

  /**
   * The guest's devices on the host ({@link DeviceResolver#resolve}), less those the base domain
   * already assigns; resolution notes and warnings go into this plan.
   */
  List<Selected> select(GuestSpec spec, HostTopology host, Optional<ExistingDomain> base) {
    return DeviceResolver.resolve(
        spec.devices(),
        host,
        spec.policies(),
        base.map(ExistingDomain::hostdevSources).orElse(Set.of()),
        notes,
        warnings);
  }

  /** Refuses a device request that names a PHB: only pseries guests have PHBs. */
  static void refusePhb(Selected s, String machine) {
    if (s.request().phb().isPresent()) {
      throw new dev.pcikit.core.error.PcikitException(
          dev.pcikit.core.error.Failure.INVALID_ARGUMENT,
          "'phb' is a pseries setting; " + machine + " has none");
    }
  }

  /** The preferred controller index when free, else the lowest free one above 0. */
  int takeControllerIndex(int preferred) {
    int idx = preferred;
    if (idx <= 0 || usedControllerIndexes.contains(idx)) {
      idx = 1;
      while (usedControllerIndexes.contains(idx)) {
        idx++;
      }
    }
    if (idx > 255) {
      throw new dev.pcikit.core.error.PcikitException(
          dev.pcikit.core.error.Failure.BAD_INPUT,
          "more than 255 PCI controllers would be needed; libvirt's controller index is 0..255");
    }
    usedControllerIndexes.add(idx);
    return idx;
  }

  String nextAlias() {
    return "hostdev" + nextAlias++;
  }

  Plan build(String name, MachineType machine, Optional<ExistingDomain> base) {
    return new Plan(name, machine, controllers, devices, eeh, notes, warnings, base);
  }
}
