package dev.pcikit.core.plan;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.PciAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * s390x placement: every function is its own zPCI function with a uid (1..0xffff) and fid (32-bit).
 * As libvirt does (src/conf/domain_addr.c, virDomainZPCIAddressReserveNextUid/Fid), the lowest free
 * uid from 1 and the lowest free fid from 0 are taken, in host address order, so the same input
 * always gets the same ids; user-given ids are validated and must be unique.
 */
final class ZpciPlanner {
  private static final int MAX_SLOT = 31;

  private ZpciPlanner() {}

  static Plan plan(GuestSpec spec, HostTopology host, Optional<ExistingDomain> base) {
    PlanBuilder b = new PlanBuilder(base);
    Policies pol = spec.policies();
    List<Selected> selected = b.select(spec, host, base);
    ZpciIds uids = ZpciIds.uids(base.map(ExistingDomain::zpciUids).orElse(Set.of()));
    ZpciIds fids = ZpciIds.fids(base.map(ExistingDomain::zpciFids).orElse(Set.of()));
    // user-given ids first, so automatic ones never take them
    List<Long> userUid = new ArrayList<>();
    List<Long> userFid = new ArrayList<>();
    for (Selected s : selected) {
      PlanBuilder.refusePhb(s, "s390x");
      DeviceRequest r = s.request();
      boolean given = !s.addedForGroup();
      PciAddress where = s.host().address();
      userUid.add(
          given && r.zpciUid().isPresent() ? uids.claim(r.zpciUid().getAsInt(), where) : null);
      userFid.add(
          given && r.zpciFid().isPresent() ? fids.claim(r.zpciFid().getAsLong(), where) : null);
    }
    Set<Integer> usedSlots = new HashSet<>();
    base.ifPresent(
        d ->
            d.usedAddresses().stream()
                .filter(a -> a.bus() == 0)
                .forEach(a -> usedSlots.add(a.slot())));
    PlannedController root = PlannedController.existing(0, ControllerKind.PCI_ROOT);
    int slot = 0;
    for (int i = 0; i < selected.size(); i++) {
      Selected s = selected.get(i);
      int uid = (int) (userUid.get(i) != null ? userUid.get(i) : uids.next());
      long fid = userFid.get(i) != null ? userFid.get(i) : fids.next();
      do {
        slot++;
      } while (usedSlots.contains(slot));
      if (slot > MAX_SLOT) {
        throw new PcikitException(
            Failure.BAD_INPUT, "more than 31 functions on the s390x PCI bus are not supported");
      }
      b.devices.add(
          new PlannedDevice(
              s.host(),
              new GuestAddress(0, slot, 0),
              root,
              false,
              b.nextAlias(),
              ExtendedConfigPredictor.zpci(s.host()),
              Optional.of(new Zpci(uid, fid)),
              s.request().driverModel(),
              !pol.pcikitBinds(),
              s.addedForGroup()));
    }
    if (spec.spares().isPresent() && spec.spares().getAsInt() > 0) {
      b.notes.add("s390x needs no spare controllers: zPCI functions hot-plug onto pci.0");
    }
    return b.build(spec.name(), MachineType.S390_CCW_VIRTIO, base);
  }
}
