package dev.pcikit.core.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.model.PciAddress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class StateDifferTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  static final PciAddress NIC0 = PciAddress.parse("0000:03:00.0");
  static final PciAddress NIC1 = PciAddress.parse("0000:03:00.1");

  static DeviceState dev(PciAddress a, String driver, int group, boolean responding) {
    return new DeviceState(
        a,
        Optional.of("path=" + a),
        0x8086,
        0x10d3,
        0x020000,
        Optional.ofNullable(driver),
        Optional.of(group),
        Optional.empty(),
        -1,
        -1,
        false,
        responding);
  }

  static HostState state(DeviceState... ds) {
    return HostState.of(T, List.of(ds));
  }

  @Test
  void bindingAGroupChangesDriversThenViability() {
    HostState before = state(dev(NIC0, "e1000e", 7, true), dev(NIC1, "e1000e", 7, true));
    HostState half = state(dev(NIC0, "vfio-pci", 7, true), dev(NIC1, "e1000e", 7, true));
    HostState after = state(dev(NIC0, "vfio-pci", 7, true), dev(NIC1, "vfio-pci", 7, true));

    List<Change> first = StateDiffer.diff(before, half);
    assertThat(first)
        .extracting(Change::type)
        .containsExactly(EventType.DRIVER_CHANGED, EventType.GROUP_VIABILITY_CHANGED);
    assertThat(first.get(0).details())
        .containsEntry("from", "e1000e")
        .containsEntry("to", "vfio-pci")
        .containsEntry("vfio", true);
    assertThat(first.get(1).details())
        .containsEntry("group", 7)
        .containsEntry("from", "host")
        .containsEntry("to", "mixed")
        .containsEntry("viable", false)
        .containsEntry("members", List.of("0000:03:00.0", "0000:03:00.1"));
    List<Change> second = StateDiffer.diff(half, after);
    assertThat(second.get(1).details())
        .containsEntry("to", "vfio-viable")
        .containsEntry("viable", true);
    assertThat(second.get(1).address()).isEqualTo(NIC0);
    assertThat(second.get(1).fingerprint()).hasValue("path=0000:03:00.0");
  }

  @Test
  void aFrozenDeviceAndItsRecovery() {
    HostState ok = state(dev(NIC0, "e1000e", 7, true));
    HostState frozen = state(dev(NIC0, "e1000e", 7, false));
    assertThat(StateDiffer.diff(ok, frozen))
        .extracting(Change::type)
        .containsExactly(EventType.DEVICE_NOT_RESPONDING);
    assertThat(StateDiffer.diff(frozen, ok))
        .extracting(Change::type)
        .containsExactly(EventType.DEVICE_RESPONDING);
  }

  @Test
  void aRemovedDeviceKeepsItsLastFingerprintAndAVfioGroupGoingAwayIsReported() {
    HostState before = state(dev(NIC0, "vfio-pci", 7, true));
    List<Change> c = StateDiffer.diff(before, state());
    assertThat(c)
        .extracting(Change::type)
        .containsExactly(EventType.DEVICE_REMOVED, EventType.GROUP_VIABILITY_CHANGED);
    assertThat(c.get(0).fingerprint()).hasValue("path=0000:03:00.0");
    assertThat(c.get(1).details()).containsEntry("to", "absent");
    // a host-owned group leaving with its device: the device event alone
    assertThat(StateDiffer.diff(state(dev(NIC0, "e1000e", 7, true)), state()))
        .extracting(Change::type)
        .containsExactly(EventType.DEVICE_REMOVED);
  }

  @Provide
  Arbitrary<HostState> states() {
    Arbitrary<DeviceState> d =
        Combinators.combine(
                Arbitraries.integers().between(0, 11),
                Arbitraries.of("e1000e", "vfio-pci", "nvme", "none"),
                Arbitraries.integers().between(0, 3),
                Arbitraries.of(true, true, false),
                Arbitraries.integers().between(-1, 4))
            .as(
                (fn, drv, group, resp, vfs) ->
                    new DeviceState(
                        new PciAddress(0, 3 + fn / 8, 0, fn % 8),
                        Optional.of("fp" + fn),
                        0x8086,
                        0x1572,
                        0x020000,
                        drv.equals("none") ? Optional.empty() : Optional.of(drv),
                        Optional.of(group),
                        Optional.empty(),
                        vfs,
                        vfs < 0 ? -1 : 4,
                        false,
                        resp));
    return d.list().ofMaxSize(12).map(l -> HostState.of(T, l));
  }

  /** The changes name exactly the differences between two states, each once. */
  @Property(tries = 500)
  void changesAreExactlyTheDifferences(
      @ForAll("states") HostState before, @ForAll("states") HostState after) {
    List<Change> c = StateDiffer.diff(before, after);
    Set<PciAddress> b = before.devices().keySet();
    Set<PciAddress> a = after.devices().keySet();
    assertThat(of(c, EventType.DEVICE_ADDED)).isEqualTo(minus(a, b));
    assertThat(of(c, EventType.DEVICE_REMOVED)).isEqualTo(minus(b, a));
    Set<PciAddress> both = new TreeSet<>(a);
    both.retainAll(b);
    assertThat(of(c, EventType.DRIVER_CHANGED))
        .isEqualTo(
            filter(
                both,
                x -> !before.devices().get(x).driver().equals(after.devices().get(x).driver())));
    assertThat(of(c, EventType.VFS_CHANGED))
        .isEqualTo(
            filter(
                both,
                x ->
                    before.devices().get(x).numVfs() != after.devices().get(x).numVfs()
                        || before.devices().get(x).totalVfs()
                            != after.devices().get(x).totalVfs()));
    Set<PciAddress> gone =
        new TreeSet<>(
            filter(
                both,
                x -> before.devices().get(x).responding() && !after.devices().get(x).responding()));
    gone.addAll(filter(minus(a, b), x -> !after.devices().get(x).responding()));
    assertThat(of(c, EventType.DEVICE_NOT_RESPONDING)).isEqualTo(gone);
    assertThat(of(c, EventType.DEVICE_RESPONDING))
        .isEqualTo(
            filter(
                both,
                x -> !before.devices().get(x).responding() && after.devices().get(x).responding()));
    // group changes: exactly the groups whose kind differs (absent <-> host not counted)
    Map<Integer, String> kb = kinds(before);
    Map<Integer, String> ka = kinds(after);
    Set<Integer> changedGroups = new TreeSet<>(kb.keySet());
    changedGroups.addAll(ka.keySet());
    changedGroups.removeIf(
        g -> {
          String x = kb.getOrDefault(g, "absent");
          String y = ka.getOrDefault(g, "absent");
          return x.equals(y) || Set.of(x, y).equals(Set.of("absent", "host"));
        });
    assertThat(
            c.stream()
                .filter(x -> x.type() == EventType.GROUP_VIABILITY_CHANGED)
                .map(x -> (Integer) x.details().get("group"))
                .collect(Collectors.toList()))
        .containsExactlyElementsOf(changedGroups);
    // nothing changes from a state to itself
    assertThat(StateDiffer.diff(after, after)).isEmpty();
  }

  private static Map<Integer, String> kinds(HostState s) {
    Map<Integer, String> m = new TreeMap<>();
    s.groups().forEach((id, g) -> m.put(id, StateDiffer.kindName(g.kind())));
    return m;
  }

  private static Set<PciAddress> of(List<Change> c, EventType t) {
    List<PciAddress> l = c.stream().filter(x -> x.type() == t).map(Change::address).toList();
    assertThat(l).doesNotHaveDuplicates();
    return new TreeSet<>(l);
  }

  private static Set<PciAddress> minus(Set<PciAddress> x, Set<PciAddress> y) {
    Set<PciAddress> out = new TreeSet<>(x);
    out.removeAll(y);
    return out;
  }

  private static Set<PciAddress> filter(
      Set<PciAddress> s, java.util.function.Predicate<PciAddress> p) {
    Set<PciAddress> out = new TreeSet<>();
    for (PciAddress x : s) {
      if (p.test(x)) {
        out.add(x);
      }
    }
    return out;
  }
}
