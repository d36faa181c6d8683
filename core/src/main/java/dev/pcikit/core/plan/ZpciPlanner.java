package dev.pcikit.core.plan;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
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
    List<Selected> selected =
        DeviceResolver.resolve(
            spec.devices(),
            host,
            pol,
            base.map(ExistingDomain::hostdevSources).orElse(Set.of()),
            b.notes,
            b.warnings);
    Set<Integer> uids = new HashSet<>(base.map(ExistingDomain::zpciUids).orElse(Set.of()));
    Set<Long> fids = new HashSet<>(base.map(ExistingDomain::zpciFids).orElse(Set.of()));
    // user-given ids first, so automatic ones never take them
    List<Integer> userUid = new ArrayList<>();
    List<Long> userFid = new ArrayList<>();
    for (Selected s : selected) {
      DeviceRequest r = s.request();
      if (r.phb().isPresent()) {
        throw new PcikitException(
            Failure.INVALID_ARGUMENT, "'phb' is a pseries setting; s390x has none");
      }
      Integer uid = null;
      Long fid = null;
      if (r.zpciUid().isPresent() && !s.addedForGroup()) {
        uid = r.zpciUid().getAsInt();
        if (uid < 1 || uid > Zpci.MAX_UID) {
          throw new PcikitException(
              Failure.INVALID_ARGUMENT,
              "zPCI uid " + uid + " for " + s.host().address() + " is outside 1..0xffff");
        }
        if (!uids.add(uid)) {
          throw new PcikitException(
              Failure.INVALID_ARGUMENT, String.format("zPCI uid 0x%04x is used twice", uid));
        }
      }
      if (r.zpciFid().isPresent() && !s.addedForGroup()) {
        fid = r.zpciFid().getAsLong();
        if (fid < 0 || fid > Zpci.MAX_FID) {
          throw new PcikitException(
              Failure.INVALID_ARGUMENT,
              "zPCI fid " + fid + " for " + s.host().address() + " is outside 0..0xffffffff");
        }
        if (!fids.add(fid)) {
          throw new PcikitException(
              Failure.INVALID_ARGUMENT, String.format("zPCI fid 0x%08x is used twice", fid));
        }
      }
      userUid.add(uid);
      userFid.add(fid);
    }
    Set<Integer> usedSlots = new HashSet<>();
    base.ifPresent(
        d ->
            d.usedAddresses().stream()
                .filter(a -> a.bus() == 0)
                .forEach(a -> usedSlots.add(a.slot())));
    PlannedController root =
        new PlannedController(
            0,
            ControllerKind.PCI_ROOT,
            -1,
            -1,
            Optional.empty(),
            -1,
            -1,
            false,
            Purpose.PASSTHROUGH,
            false);
    int nextUid = 1;
    long nextFid = 0;
    int slot = 0;
    for (int i = 0; i < selected.size(); i++) {
      Selected s = selected.get(i);
      int uid;
      if (userUid.get(i) != null) {
        uid = userUid.get(i);
      } else {
        while (uids.contains(nextUid)) {
          nextUid++;
        }
        if (nextUid > Zpci.MAX_UID) {
          throw new PcikitException(Failure.BAD_INPUT, "no free zPCI uid left (1..0xffff)");
        }
        uid = nextUid;
        uids.add(uid);
      }
      long fid;
      if (userFid.get(i) != null) {
        fid = userFid.get(i);
      } else {
        while (fids.contains(nextFid)) {
          nextFid++;
        }
        fid = nextFid;
        fids.add(fid);
      }
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
