package dev.pcikit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.plan.render.LibvirtRenderer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants over random hosts: rules hold, addresses never collide, re-plans are stable. */
class PlannerPropertiesTest {

  /** A host device: functions count (1..4), PCIe or not, group sharing with the previous one. */
  record Dev(int functions, boolean pcie, boolean shareGroup, int numa) {}

  @Provide
  Arbitrary<List<Dev>> hosts() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 4),
            Arbitraries.of(true, true, true, false),
            Arbitraries.of(false, false, false, true),
            Arbitraries.integers().between(-1, 1))
        .as(Dev::new)
        .list()
        .ofMinSize(1)
        .ofMaxSize(12);
  }

  static HostTopology build(List<Dev> devs) {
    List<HostFunction> l = new ArrayList<>();
    int group = 0;
    for (int i = 0; i < devs.size(); i++) {
      Dev d = devs.get(i);
      if (!(d.shareGroup() && i > 0)) {
        group++;
      }
      for (int f = 0; f < d.functions(); f++) {
        l.add(
            new HostFunction(
                new PciAddress(0, i + 1, 0, f),
                0x1af4,
                0x1000 + i,
                0x020000,
                group,
                d.numa(),
                d.pcie(),
                d.pcie() ? 4096 : 256,
                d.functions() > 1,
                Optional.empty()));
      }
    }
    return new HostTopology(l);
  }

  static GuestSpec specFor(MachineType m, HostTopology host) {
    List<DeviceRequest> reqs = new ArrayList<>();
    for (HostFunction f : host.all()) {
      reqs.add(DeviceRequest.of(f.address().toString()));
    }
    return new GuestSpec("p", m, reqs, 1, OptionalInt.empty(), Policies.defaults());
  }

  @Property(tries = 100)
  void everyMachineTypeHoldsItsRules(
      @ForAll("hosts") List<Dev> devs, @ForAll("machines") MachineType m) {
    HostTopology host = build(devs);
    // s390x: one zPCI function per slot of pci.0 (31); larger guests are refused, tested elsewhere
    Assume.that(m != MachineType.S390_CCW_VIRTIO || host.all().size() <= 31);
    Plan p = Planner.plan(specFor(m, host), host, Optional.empty());
    assertThat(p.devices()).hasSize(host.all().size());
    Set<GuestAddress> addrs = new HashSet<>();
    for (PlannedDevice d : p.devices()) {
      assertThat(addrs.add(d.address())).as("address collision " + d.address()).isTrue();
    }
    for (PlannedController c : p.controllers()) {
      c.address().ifPresent(a -> assertThat(addrs.add(a)).as("collision " + a).isTrue());
    }
    if (m == MachineType.PSERIES) {
      assertThat(p.devices()).allMatch(d -> d.address().bus() != 0);
      assertThat(p.controllers()).allMatch(c -> c.phbIndex() >= 1 && c.phbIndex() <= 30);
      assertThat(p.eeh()).allMatch(EehReport::isolated);
      for (PlannedDevice a : p.devices()) {
        for (PlannedDevice b : p.devices()) {
          boolean sameGroup = a.host().iommuGroup() == b.host().iommuGroup();
          boolean samePhb = a.controller().index() == b.controller().index();
          assertThat(sameGroup).isEqualTo(samePhb);
        }
      }
    }
    if (m == MachineType.S390_CCW_VIRTIO) {
      assertThat(p.devices().stream().map(d -> d.zpci().get().uid()).distinct().count())
          .isEqualTo(p.devices().size());
    }
    // re-planning the rendered domain adds nothing and changes no byte
    String xml = LibvirtRenderer.domain(p);
    Plan again = Planner.plan(specFor(m, host), host, Optional.of(DomainXmlReader.parse(xml)));
    assertThat(again.isEmpty()).isTrue();
    assertThat(LibvirtRenderer.domain(again)).isEqualTo(xml);
    // and planning twice gives the same plan
    assertThat(Planner.plan(specFor(m, host), host, Optional.empty())).isEqualTo(p);
  }

  @Provide
  Arbitrary<MachineType> machines() {
    return Arbitraries.of(MachineType.values());
  }
}
