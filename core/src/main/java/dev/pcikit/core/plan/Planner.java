package dev.pcikit.core.plan;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.util.List;
import java.util.Optional;

/**
 * Plans where passed-through host functions land in a guest. Pure: the same spec, host facts and
 * domain always give the same plan, and nothing an existing domain has is moved.
 */
public final class Planner {
  private Planner() {}

  /**
   * Plans a guest.
   *
   * @param spec what the user wants
   * @param host facts about the host functions (from the inventory)
   * @param existing a libvirt domain whose controllers and addresses must stay as they are
   */
  public static Plan plan(GuestSpec spec, HostTopology host, Optional<ExistingDomain> existing) {
    existing
        .flatMap(ExistingDomain::machine)
        .ifPresent(
            m -> {
              if (m != spec.machine()) {
                throw new PcikitException(
                    Failure.INVALID_ARGUMENT,
                    "the domain is a "
                        + m.qemuName()
                        + " guest but the spec says "
                        + spec.machine().qemuName());
              }
            });
    for (DeviceRequest r : spec.devices()) {
      if (r.slot().isPresent() && spec.machine() != MachineType.PSERIES) {
        throw new PcikitException(
            Failure.INVALID_ARGUMENT,
            "'slot' for "
                + r.selector()
                + " is a pseries setting; on "
                + spec.machine().qemuName()
                + " each device gets its own root port (or zPCI ids)");
      }
    }
    Plan plan =
        switch (spec.machine()) {
          case PSERIES -> PseriesPlanner.plan(spec, host, existing);
          case Q35, VIRT -> PcieTopologyPlanner.plan(spec, host, existing);
          case S390_CCW_VIRTIO -> ZpciPlanner.plan(spec, host, existing);
        };
    return withDriverModelWarning(plan);
  }

  /**
   * libvirt learned {@code <hostdev><driver model=…/>} in 2024 (10.x); older schemas, such as
   * Debian 12's libvirt 9.0, reject the domain.
   */
  static Plan withDriverModelWarning(Plan p) {
    if (p.devices().stream().noneMatch(d -> d.driverModel().isPresent())) {
      return p;
    }
    List<String> warnings = new java.util.ArrayList<>(p.warnings());
    warnings.add(
        "<driver model=…/> (VFIO variant driver) needs libvirt 10 or later; libvirt 9 (Debian 12)"
            + " rejects the domain");
    return new Plan(
        p.name(),
        p.machine(),
        p.controllers(),
        p.devices(),
        p.eeh(),
        p.notes(),
        warnings,
        p.base());
  }

  /**
   * Plans hot-adding devices to a running domain: pseries puts each PE into an empty spare PHB,
   * q35/virt each device into an empty root port, s390x assigns free zPCI ids.
   *
   * @throws PcikitException REFUSED when no empty spare PHB / root port is left
   */
  public static Plan hotplug(
      ExistingDomain domain, List<DeviceRequest> requests, HostTopology host, Policies policies) {
    MachineType machine =
        domain
            .machine()
            .orElseThrow(
                () ->
                    new PcikitException(
                        Failure.BAD_INPUT,
                        "the domain XML has no <os><type machine=…/>: cannot tell its machine type"));
    return withDriverModelWarning(HotplugPlanner.plan(machine, domain, requests, host, policies));
  }
}
