package dev.pcikit.core.plan;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * pseries (PAPR) placement: one spapr-pci-host-bridge per host IOMMU group (PE), never a bridge or
 * root port; the default PHB 0 ({@code pci.0}) carries emulated devices only.
 *
 * <p>Why one PHB per PE: on pseries the PHB is the unit of EEH error recovery and of DMA windows.
 * QEMU's EEH support for VFIO (hw/ppc/spapr_pci_vfio.c) works only when exactly one VFIO group sits
 * behind a PHB. QEMU allows 31 PHBs (SPAPR_MAX_PHBS, indexes 0..30), index 0 being the machine's
 * default one, so indexes 1..30 are ours.
 */
final class PseriesPlanner {
  static final int MIN_PHB = 1;
  static final int MAX_PHB = 30;
  static final int MAX_SLOT = 31;

  private PseriesPlanner() {}

  /** A PHB that receives groups: a new one, or an empty one the domain already has. */
  private static final class Target {
    final int phbIndex;
    final Optional<ExistingController> existing;
    final List<List<Selected>> groups = new ArrayList<>();

    Target(int phbIndex, Optional<ExistingController> existing) {
      this.phbIndex = phbIndex;
      this.existing = existing;
    }
  }

  static Plan plan(GuestSpec spec, HostTopology host, Optional<ExistingDomain> base) {
    PlanBuilder b = new PlanBuilder(base);
    Policies pol = spec.policies();
    List<Selected> selected = b.select(spec, host, base);

    Map<Integer, ExistingController> existingPhbs = new TreeMap<>();
    base.ifPresent(
        d ->
            d.controllers().stream()
                .filter(c -> c.isSpaprPhb() && c.phbIndex() > 0)
                .forEach(c -> existingPhbs.put(c.phbIndex(), c)));
    for (int idx : existingPhbs.keySet()) {
      if (idx > MAX_PHB) {
        b.warnings.add(
            "the domain has a PHB with index "
                + idx
                + ": QEMU accepts only 0..30 (SPAPR_MAX_PHBS)");
      }
    }
    checkPhb0(spec, base, b);
    if (!pol.extendedConfig()) {
      b.warnings.add(
          "libvirt has no setting for pcie-extended-configuration-space: the libvirt XML leaves"
              + " it on (QEMU's default); only the QEMU arguments carry '=off'");
    }

    Map<Integer, List<Selected>> groups = new LinkedHashMap<>();
    for (Selected s : selected) {
      groups.computeIfAbsent(s.host().iommuGroup(), g -> new ArrayList<>()).add(s);
    }

    Map<Integer, Integer> guestNode = guestNodes(selected, pol, b);
    Map<Integer, Target> targets = new TreeMap<>();
    Map<Integer, Integer> userPhb = userPhbs(groups, existingPhbs, base, pol);
    List<Integer> pool = new ArrayList<>();
    existingPhbs.forEach(
        (idx, c) -> {
          if (idx <= MAX_PHB && !base.get().busOccupied(c.index())) {
            pool.add(idx);
          }
        });
    for (int i = MIN_PHB; i <= MAX_PHB; i++) {
      if (!existingPhbs.containsKey(i)) {
        pool.add(i);
      }
    }
    pool.removeAll(userPhb.values());

    List<List<Selected>> auto = new ArrayList<>();
    groups.forEach(
        (g, fns) -> {
          Integer want = userPhb.get(g);
          if (want == null) {
            auto.add(fns);
          } else {
            targets
                .computeIfAbsent(want, i -> new Target(i, Optional.ofNullable(existingPhbs.get(i))))
                .groups
                .add(fns);
          }
        });

    int spares = spec.sparesOrDefault();
    if (auto.size() + spares > pool.size() && spec.spares().isEmpty()) {
      int fit = Math.max(0, pool.size() - auto.size());
      b.warnings.add(
          "only " + fit + " spare PHB(s) fit (default " + GuestSpec.DEFAULT_SPARES + ")");
      spares = fit;
    }
    int forPes = pool.size() - spares;
    if (auto.size() > forPes) {
      if (!pol.sharePhbs() || forPes < 1) {
        throw new PcikitException(
            Failure.BAD_INPUT,
            auto.size()
                + " PEs (IOMMU groups) + "
                + spares
                + " spare PHBs need "
                + (auto.size() + spares)
                + " PHBs, but this pseries guest has "
                + pool.size()
                + " free (indexes 1..30; PHB 0 is for emulated devices). Options: pass fewer"
                + " devices, lower 'spares' (now "
                + spares
                + "), or set 'policies: {sharePhbs: true}' to put several groups on one PHB"
                + " (breaks EEH isolation for those PHBs)");
      }
    }
    int phbsForAuto = Math.min(auto.size(), forPes);
    for (int i = 0; i < auto.size(); i++) {
      int idx = pool.get(i % Math.max(1, phbsForAuto));
      targets
          .computeIfAbsent(idx, k -> new Target(k, Optional.ofNullable(existingPhbs.get(k))))
          .groups
          .add(auto.get(i));
    }

    for (Target t : targets.values()) {
      placeTarget(t, spec, guestNode, b);
    }

    int made = 0;
    for (int idx : pool.subList(phbsForAuto, pool.size())) {
      if (made == spares) {
        break;
      }
      made++;
      if (existingPhbs.containsKey(idx)) {
        b.notes.add("PHB " + idx + " is already in the domain and empty: it stays a spare");
      } else {
        b.controllers.add(
            PlannedController.phb(
                b.takeControllerIndex(idx), idx, -1, Purpose.SPARE, pol.extendedConfig()));
      }
    }
    b.controllers.sort((x, y) -> Integer.compare(x.phbIndex(), y.phbIndex()));
    b.devices.sort((x, y) -> x.address().compareTo(y.address()));
    return b.build(spec.name(), MachineType.PSERIES, base);
  }

  private static void checkPhb0(GuestSpec spec, Optional<ExistingDomain> base, PlanBuilder b) {
    long usedOnPhb0 =
        base.map(d -> d.usedAddresses().stream().filter(a -> a.bus() == 0).map(a -> a.slot()))
            .map(s -> s.distinct().count())
            .orElse(0L);
    if (spec.emulatedDevices() + usedOnPhb0 > MAX_SLOT) {
      throw new PcikitException(
          Failure.BAD_INPUT,
          "PHB 0 has 31 slots; "
              + spec.emulatedDevices()
              + " emulated devices do not fit next to the "
              + usedOnPhb0
              + " slots already used");
    }
    if (spec.emulatedDevices() > 0) {
      b.notes.add(
          "PHB 0 (pci.0) keeps the "
              + spec.emulatedDevices()
              + " emulated device(s); no host device goes there");
    }
  }

  private static Map<Integer, Integer> userPhbs(
      Map<Integer, List<Selected>> groups,
      Map<Integer, ExistingController> existingPhbs,
      Optional<ExistingDomain> base,
      Policies pol) {
    Map<Integer, Integer> userPhb = new TreeMap<>();
    Map<Integer, Integer> phbOwner = new TreeMap<>();
    groups.forEach(
        (g, fns) -> {
          Set<Integer> wanted =
              fns.stream()
                  .map(s -> s.request().phb())
                  .filter(OptionalInt::isPresent)
                  .map(OptionalInt::getAsInt)
                  .collect(Collectors.toCollection(TreeSet::new));
          if (wanted.isEmpty()) {
            return;
          }
          if (wanted.size() > 1) {
            throw new PcikitException(
                Failure.INVALID_ARGUMENT,
                "IOMMU group "
                    + g
                    + " is asked on PHBs "
                    + wanted
                    + "; every function of a group goes on one PHB");
          }
          int phb = wanted.iterator().next();
          if (phb < MIN_PHB || phb > MAX_PHB) {
            throw new PcikitException(
                Failure.INVALID_ARGUMENT,
                "PHB index "
                    + phb
                    + " is outside 1..30 (PHB 0 is the default one, for emulated devices only)");
          }
          ExistingController ex = existingPhbs.get(phb);
          if (ex != null && base.get().busOccupied(ex.index())) {
            throw new PcikitException(
                Failure.INVALID_ARGUMENT, "PHB " + phb + " already holds devices in the domain");
          }
          Integer other = phbOwner.putIfAbsent(phb, g);
          if (other != null && !pol.sharePhbs()) {
            throw new PcikitException(
                Failure.INVALID_ARGUMENT,
                "IOMMU groups "
                    + other
                    + " and "
                    + g
                    + " are both asked on PHB "
                    + phb
                    + " (allowed only with sharePhbs, which breaks EEH isolation)");
          }
          userPhb.put(g, phb);
        });
    return userPhb;
  }

  private static void placeTarget(
      Target t, GuestSpec spec, Map<Integer, Integer> guestNode, PlanBuilder b) {
    Policies pol = spec.policies();
    List<Selected> all = t.groups.stream().flatMap(List::stream).toList();
    int numa = numaNode(t.phbIndex, all, pol, b);
    numa = numa < 0 ? -1 : guestNode.get(numa);
    PlannedController phb;
    if (t.existing.isPresent()) {
      phb =
          PlannedController.phb(
              t.existing.get().index(), t.phbIndex, -1, Purpose.PASSTHROUGH, true);
      if (numa >= 0) {
        b.notes.add(
            "PHB " + t.phbIndex + " already exists; its numa_node is left as the domain has it");
      }
    } else {
      phb =
          PlannedController.phb(
              b.takeControllerIndex(t.phbIndex),
              t.phbIndex,
              numa,
              Purpose.PASSTHROUGH,
              pol.extendedConfig());
      b.controllers.add(phb);
    }
    List<Integer> groupIds = t.groups.stream().map(g -> g.get(0).host().iommuGroup()).toList();
    boolean isolated = groupIds.size() == 1;
    b.eeh.add(new EehReport(t.phbIndex, groupIds, isolated));
    if (!isolated) {
      b.warnings.add(
          "PHB "
              + t.phbIndex
              + " holds IOMMU groups "
              + groupIds
              + ": EEH recovery will not work there (QEMU's VFIO EEH needs exactly one group per"
              + " PHB) and an error in one group freezes the others");
    }
    boolean[] used = new boolean[MAX_SLOT + 1];
    used[0] = true;
    List<SlotUnit> units = new ArrayList<>();
    for (List<Selected> g : t.groups) {
      units.addAll(SlotUnit.of(g, pol.keepMultifunction()));
    }
    for (SlotUnit u : units) {
      OptionalInt want =
          u.functions().stream()
              .filter(s -> !s.addedForGroup())
              .map(s -> s.request().slot())
              .filter(OptionalInt::isPresent)
              .findFirst()
              .orElse(OptionalInt.empty());
      if (want.isPresent()) {
        int s = want.getAsInt();
        if (s < 1 || s > MAX_SLOT || used[s]) {
          throw new PcikitException(
              Failure.INVALID_ARGUMENT,
              "slot "
                  + s
                  + " on PHB "
                  + t.phbIndex
                  + " is "
                  + (s < 1 || s > MAX_SLOT ? "outside 1..31" : "taken twice"));
        }
        used[s] = true;
        place(u, s, phb, spec, b);
      }
    }
    for (SlotUnit u : units) {
      if (u.functions().stream()
          .anyMatch(s -> !s.addedForGroup() && s.request().slot().isPresent())) {
        continue;
      }
      int s = 1;
      while (s <= MAX_SLOT && used[s]) {
        s++;
      }
      if (s > MAX_SLOT) {
        throw new PcikitException(
            Failure.BAD_INPUT, "PHB " + t.phbIndex + " has no free slot left (31 per PHB)");
      }
      used[s] = true;
      place(u, s, phb, spec, b);
    }
  }

  private static void place(
      SlotUnit u, int slot, PlannedController phb, GuestSpec spec, PlanBuilder b) {
    Policies pol = spec.policies();
    int fn = 0;
    for (Selected s : u.functions()) {
      b.devices.add(
          new PlannedDevice(
              s.host(),
              new GuestAddress(phb.index(), slot, fn),
              phb,
              fn == 0 && u.functions().size() > 1,
              b.nextAlias(),
              ExtendedConfigPredictor.pseries(s.host(), phb.extendedConfig()),
              Optional.empty(),
              s.request().driverModel(),
              !pol.pcikitBinds(),
              s.addedForGroup()));
      fn++;
    }
  }

  /**
   * A PHB's numa_node names a guest NUMA node: the host nodes in use become guest nodes 0..k-1 in
   * ascending order, and the guest's cell i must be backed by host node i's memory.
   */
  private static Map<Integer, Integer> guestNodes(
      List<Selected> selected, Policies pol, PlanBuilder b) {
    Map<Integer, Integer> map = new TreeMap<>();
    if (!pol.numa()) {
      return map;
    }
    selected.stream()
        .map(s -> s.host().numaNode())
        .filter(n -> n >= 0)
        .sorted()
        .distinct()
        .forEach(n -> map.put(n, map.size()));
    if (!map.isEmpty()) {
      StringBuilder sb = new StringBuilder("guest NUMA nodes: ");
      map.forEach(
          (h, g) -> sb.append("guest ").append(g).append(" = host ").append(h).append(", "));
      sb.setLength(sb.length() - 2);
      b.notes.add(sb + " (back each guest cell with its host node's memory and CPUs)");
      if (map.size() > 1) {
        b.warnings.add(
            "the guest must define NUMA nodes 0.."
                + (map.size() - 1)
                + " (libvirt <cpu><numa>, QEMU -numa node,nodeid=…): QEMU refuses a PHB"
                + " numa_node the guest lacks ('Invalid NUMA node ID for PCI host bridge')");
      }
    }
    return map;
  }

  private static int numaNode(int phbIndex, List<Selected> fns, Policies pol, PlanBuilder b) {
    if (!pol.numa()) {
      return -1;
    }
    TreeSet<Integer> nodes =
        fns.stream()
            .map(s -> s.host().numaNode())
            .filter(n -> n >= 0)
            .collect(Collectors.toCollection(TreeSet::new));
    if (nodes.isEmpty()) {
      return -1;
    }
    if (nodes.size() > 1) {
      b.warnings.add(
          "PHB "
              + phbIndex
              + " holds devices from host NUMA nodes "
              + nodes
              + "; using "
              + nodes.first());
    }
    return nodes.first();
  }
}
