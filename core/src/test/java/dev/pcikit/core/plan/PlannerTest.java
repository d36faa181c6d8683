package dev.pcikit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.plan.render.LibvirtRenderer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlannerTest {
  private static final Policies SHARE = new Policies(true, true, true, true, true, true);

  private static DeviceRequest at(String sel, int phb, int slot) {
    return new DeviceRequest(
        sel,
        OptionalInt.of(phb),
        slot < 0 ? OptionalInt.empty() : OptionalInt.of(slot),
        OptionalInt.empty(),
        OptionalLong.empty(),
        Optional.empty());
  }

  private static DeviceRequest zpci(String sel, Integer uid, Long fid) {
    return new DeviceRequest(
        sel,
        OptionalInt.empty(),
        OptionalInt.empty(),
        uid == null ? OptionalInt.empty() : OptionalInt.of(uid),
        fid == null ? OptionalLong.empty() : OptionalLong.of(fid),
        Optional.empty());
  }

  private static GuestSpec spec(MachineType m, List<DeviceRequest> reqs) {
    return new GuestSpec("g", m, reqs, 0, OptionalInt.empty(), Policies.defaults());
  }

  private static Failure code(Runnable r) {
    try {
      r.run();
    } catch (PcikitException e) {
      return e.failure();
    }
    throw new AssertionError("no PcikitException");
  }

  @Test
  void pseriesPutsEachGroupOnItsOwnPhbAndNothingOnPhb0() {
    Plan p = GoldenPlanTest.pseries();
    assertThat(p.devices()).allSatisfy(d -> assertThat(d.controller().phbIndex()).isBetween(1, 30));
    assertThat(p.devices()).noneMatch(d -> d.address().bus() == 0);
    // a group never spans PHBs, a PHB holds one group
    var phbsPerGroup =
        p.devices().stream()
            .collect(
                Collectors.groupingBy(
                    d -> d.host().iommuGroup(),
                    Collectors.mapping(d -> d.controller().phbIndex(), Collectors.toSet())));
    assertThat(phbsPerGroup.values()).allSatisfy(s -> assertThat(s).hasSize(1));
    assertThat(p.eeh()).allMatch(EehReport::isolated).hasSize(4);
    assertThat(p.controllers()).noneMatch(c -> c.kind() != ControllerKind.SPAPR_PHB);
    assertThat(p.controllers().stream().filter(c -> c.purpose() == Purpose.SPARE)).hasSize(2);
  }

  @Test
  void pseriesNumaNodeComesFromHostDevices() {
    Plan p = GoldenPlanTest.pseries();
    PlannedDevice nic = device(p, "0002:01:00.0");
    PlannedDevice nvme = device(p, "0001:01:00.0");
    // host nodes 0 and 8 become guest nodes 0 and 1
    assertThat(nvme.controller().numaNode()).isEqualTo(0);
    assertThat(nic.controller().numaNode()).isEqualTo(1);
  }

  @Test
  void pseriesExtendedConfigFollowsQemuRule() {
    Plan p = GoldenPlanTest.pseries();
    assertThat(device(p, "0001:01:00.0").extendedConfig().reachable()).isTrue();
    assertThat(device(p, "0001:01:00.0").extendedConfig().configSpaceType()).hasValue(1);
    assertThat(device(p, "0003:01:00.0").extendedConfig().reachable()).isFalse();
    Plan pcie256 =
        Planner.plan(
            TestHosts.spec(MachineType.PSERIES, "0004:01:00.0"),
            TestHosts.power(),
            Optional.empty());
    assertThat(device(pcie256, "0004:01:00.0").extendedConfig().reachable()).isFalse();
    Policies ecsOff = new Policies(false, true, true, true, false, true);
    Plan off =
        Planner.plan(
            TestHosts.spec(MachineType.PSERIES, ecsOff, OptionalInt.empty(), "0001:01:00.0"),
            TestHosts.power(),
            Optional.empty());
    ExtendedConfig e = device(off, "0001:01:00.0").extendedConfig();
    assertThat(e.reachable()).isFalse();
    assertThat(e.configSpaceType()).isEmpty();
  }

  @Test
  void thirtyPesFitWithoutSparesButNotWithExplicitSpares() {
    String[] all = selectors(30);
    Plan p =
        Planner.plan(
            TestHosts.spec(MachineType.PSERIES, all), TestHosts.manyPes(30), Optional.empty());
    assertThat(p.controllers()).hasSize(30);
    assertThat(p.controllers()).extracting(PlannedController::phbIndex).doesNotContain(0, 31);
    assertThat(p.warnings()).anyMatch(w -> w.contains("only 0 spare PHB"));

    PcikitException e =
        (PcikitException)
            catchThrowable(
                () ->
                    Planner.plan(
                        TestHosts.spec(
                            MachineType.PSERIES, Policies.defaults(), OptionalInt.of(2), all),
                        TestHosts.manyPes(30),
                        Optional.empty()));
    assertThat(e.failure()).isEqualTo(Failure.BAD_INPUT);
    assertThat(e.getMessage()).contains("30 PEs", "32 PHBs", "sharePhbs", "EEH");
  }

  @Test
  void sharingPhbsNeedsThePolicyAndWarnsAboutEeh() {
    String[] all = selectors(31);
    assertThat(
            code(
                () ->
                    Planner.plan(
                        TestHosts.spec(MachineType.PSERIES, all),
                        TestHosts.manyPes(31),
                        Optional.empty())))
        .isEqualTo(Failure.BAD_INPUT);
    Plan p =
        Planner.plan(
            TestHosts.spec(MachineType.PSERIES, SHARE, OptionalInt.of(2), all),
            TestHosts.manyPes(31),
            Optional.empty());
    assertThat(p.controllers()).hasSize(30);
    assertThat(p.controllers())
        .extracting(PlannedController::phbIndex)
        .allMatch(i -> i >= 1 && i <= 30);
    assertThat(p.eeh()).anyMatch(e -> !e.isolated());
    assertThat(p.warnings()).anyMatch(w -> w.contains("EEH recovery will not work"));
  }

  @Test
  void userPhbsAreHonouredAndContradictionsRefused() {
    Plan p =
        Planner.plan(
            spec(MachineType.PSERIES, List.of(at("0001:01:00.0", 7, 3))),
            TestHosts.power(),
            Optional.empty());
    assertThat(p.devices().get(0).controller().phbIndex()).isEqualTo(7);
    assertThat(p.devices().get(0).address().slot()).isEqualTo(3);

    assertThat(
            code(
                () ->
                    Planner.plan(
                        spec(MachineType.PSERIES, List.of(at("0001:01:00.0", 0, -1))),
                        TestHosts.power(),
                        Optional.empty())))
        .isEqualTo(Failure.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    Planner.plan(
                        spec(MachineType.PSERIES, List.of(at("0001:01:00.0", 31, -1))),
                        TestHosts.power(),
                        Optional.empty())))
        .isEqualTo(Failure.INVALID_ARGUMENT);
    // two functions of one group asked on different PHBs
    assertThat(
            code(
                () ->
                    Planner.plan(
                        spec(
                            MachineType.PSERIES,
                            List.of(at("0002:01:00.0", 3, -1), at("0002:01:00.1", 4, -1))),
                        TestHosts.power(),
                        Optional.empty())))
        .isEqualTo(Failure.INVALID_ARGUMENT);
    // two groups on one PHB without sharePhbs
    assertThat(
            code(
                () ->
                    Planner.plan(
                        spec(
                            MachineType.PSERIES,
                            List.of(at("0001:01:00.0", 3, -1), at("0003:01:00.0", 3, -1))),
                        TestHosts.power(),
                        Optional.empty())))
        .isEqualTo(Failure.INVALID_ARGUMENT);
    // one device, two different addresses
    assertThat(
            code(
                () ->
                    Planner.plan(
                        spec(
                            MachineType.PSERIES,
                            List.of(at("0001:01:00.0", 3, -1), at("0001:01:00.0", 4, -1))),
                        TestHosts.power(),
                        Optional.empty())))
        .isEqualTo(Failure.INVALID_ARGUMENT);
  }

  @Test
  void unknownDevicesAndBadSelectorsGiveOneClearError() {
    assertThat(
            code(
                () ->
                    Planner.plan(
                        TestHosts.spec(MachineType.Q35, "0000:09:00.0"),
                        TestHosts.x86(),
                        Optional.empty())))
        .isEqualTo(Failure.NOT_FOUND);
    assertThat(
            code(
                () ->
                    Planner.plan(
                        TestHosts.spec(MachineType.Q35, "dead:beef"),
                        TestHosts.x86(),
                        Optional.empty())))
        .isEqualTo(Failure.NOT_FOUND);
    assertThat(
            code(
                () ->
                    Planner.plan(
                        TestHosts.spec(MachineType.Q35, "my-gpu"),
                        TestHosts.x86(),
                        Optional.empty())))
        .isEqualTo(Failure.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    Planner.plan(
                        TestHosts.spec(MachineType.Q35, "0000:00:1c.0"),
                        TestHosts.x86(),
                        Optional.empty())))
        .isEqualTo(Failure.BAD_INPUT);
  }

  @Test
  void q35PacksRootPortsAsFunctionsAndBridgesConventionalDevices() {
    Plan p = GoldenPlanTest.q35();
    List<PlannedController> ports =
        p.controllers().stream().filter(c -> c.kind() == ControllerKind.PCIE_ROOT_PORT).toList();
    assertThat(ports).hasSize(8);
    assertThat(ports.get(0).address()).hasValue(new GuestAddress(0, 2, 0));
    assertThat(ports.get(0).multifunction()).isTrue();
    assertThat(ports.get(7).address()).hasValue(new GuestAddress(0, 2, 7));
    assertThat(ports)
        .allMatch(c -> c.port() == (c.address().get().slot() << 3 | c.address().get().function()));
    assertThat(ports).allMatch(c -> c.chassis() == c.index());
    // one root port per PCIe device; GPU + audio kept together
    PlannedDevice gpu = device(p, "0000:02:00.0");
    PlannedDevice audio = device(p, "0000:02:00.1");
    assertThat(gpu.address().bus()).isEqualTo(audio.address().bus());
    assertThat(gpu.multifunction()).isTrue();
    assertThat(audio.address().function()).isEqualTo(1);
    PlannedDevice e1000 = device(p, "0000:05:01.0");
    assertThat(e1000.controller().kind()).isEqualTo(ControllerKind.PCIE_TO_PCI_BRIDGE);
    assertThat(e1000.address().slot()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aVfNeverSharesItsPfsRootPort() {
    List<HostFunction> l = new java.util.ArrayList<>();
    l.add(TestHosts.fn("0000:01:00.0", 0x1b36, 0x0010, 0x010802, 9, -1, true, false));
    l.add(
        new HostFunction(
            dev.pcikit.core.model.PciAddress.parse("0000:01:00.1"),
            0x1b36,
            0x0010,
            0x010802,
            13,
            -1,
            true,
            4096,
            false,
            Optional.of(dev.pcikit.core.model.PciAddress.parse("0000:01:00.0"))));
    Plan p =
        Planner.plan(
            TestHosts.spec(MachineType.Q35, "0000:01:00.0", "0000:01:00.1"),
            new HostTopology(l),
            Optional.empty());
    assertThat(device(p, "0000:01:00.0").address().bus())
        .isNotEqualTo(device(p, "0000:01:00.1").address().bus());
    assertThat(p.devices()).noneMatch(PlannedDevice::multifunction);
  }

  @Test
  void q35SplitsMultifunctionWhenNotAsked() {
    Policies split = new Policies(false, false, true, true, true, true);
    Plan p =
        Planner.plan(
            TestHosts.spec(MachineType.Q35, split, OptionalInt.of(0), "0000:02:00.0"),
            TestHosts.x86(),
            Optional.empty());
    assertThat(device(p, "0000:02:00.0").address().bus())
        .isNotEqualTo(device(p, "0000:02:00.1").address().bus());
  }

  @Test
  void s390AssignsFirstFreeIdsAndRefusesDuplicates() {
    Plan p = GoldenPlanTest.s390();
    assertThat(device(p, "0000:03:00.0").zpci()).hasValue(new Zpci(1, 0x10));
    assertThat(device(p, "0000:01:00.0").zpci()).hasValue(new Zpci(2, 0));
    assertThat(
            code(
                () ->
                    Planner.plan(
                        spec(
                            MachineType.S390_CCW_VIRTIO,
                            List.of(zpci("0000:01:00.0", 5, null), zpci("0000:03:00.0", 5, null))),
                        TestHosts.x86(),
                        Optional.empty())))
        .isEqualTo(Failure.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    Planner.plan(
                        spec(
                            MachineType.S390_CCW_VIRTIO,
                            List.of(
                                zpci("0000:01:00.0", null, 7L), zpci("0000:03:00.0", null, 7L))),
                        TestHosts.x86(),
                        Optional.empty())))
        .isEqualTo(Failure.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    Planner.plan(
                        spec(
                            MachineType.S390_CCW_VIRTIO,
                            List.of(zpci("0000:01:00.0", 0x10000, null))),
                        TestHosts.x86(),
                        Optional.empty())))
        .isEqualTo(Failure.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    Planner.plan(
                        spec(MachineType.S390_CCW_VIRTIO, List.of(zpci("0000:01:00.0", 0, null))),
                        TestHosts.x86(),
                        Optional.empty())))
        .isEqualTo(Failure.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    Planner.plan(
                        spec(
                            MachineType.S390_CCW_VIRTIO,
                            List.of(zpci("0000:01:00.0", null, 0x1_0000_0000L))),
                        TestHosts.x86(),
                        Optional.empty())))
        .isEqualTo(Failure.INVALID_ARGUMENT);
  }

  @Test
  void s390KeepsExistingIdsAndDoesNotReuseThem() {
    Plan first =
        Planner.plan(
            spec(MachineType.S390_CCW_VIRTIO, List.of(DeviceRequest.of("0000:01:00.0"))),
            TestHosts.x86(),
            Optional.empty());
    ExistingDomain d = DomainXmlReader.parse(LibvirtRenderer.domain(first));
    assertThat(d.zpciUids()).containsExactly(1);
    Plan second =
        Planner.plan(
            spec(
                MachineType.S390_CCW_VIRTIO,
                List.of(DeviceRequest.of("0000:01:00.0"), DeviceRequest.of("0000:03:00.0"))),
            TestHosts.x86(),
            Optional.of(d));
    assertThat(second.devices()).hasSize(1);
    assertThat(second.devices().get(0).zpci()).hasValue(new Zpci(2, 1));
    assertThat(
            code(
                () ->
                    Planner.plan(
                        spec(MachineType.S390_CCW_VIRTIO, List.of(zpci("0000:03:00.0", 1, null))),
                        TestHosts.x86(),
                        Optional.of(d))))
        .isEqualTo(Failure.INVALID_ARGUMENT);
  }

  @Test
  void replanningTheOutputChangesNothing() {
    for (Plan p :
        List.of(
            GoldenPlanTest.pseries(),
            GoldenPlanTest.q35(),
            GoldenPlanTest.virt(),
            GoldenPlanTest.s390())) {
      String xml = LibvirtRenderer.domain(p);
      ExistingDomain d = DomainXmlReader.parse(xml);
      GuestSpec again =
          new GuestSpec(
              "guest1",
              p.machine(),
              p.devices().stream()
                  .map(x -> DeviceRequest.of(x.host().address().toString()))
                  .toList(),
              p.machine() == MachineType.S390_CCW_VIRTIO ? 0 : 2,
              OptionalInt.empty(),
              Policies.defaults());
      Plan re = Planner.plan(again, hostFor(p), Optional.of(d));
      assertThat(re.isEmpty()).as(p.machine() + ": " + re).isTrue();
      assertThat(LibvirtRenderer.domain(re)).isEqualTo(xml);
    }
  }

  @Test
  void addingADeviceToAnExistingDomainMovesNothing() {
    String xml = LibvirtRenderer.domain(GoldenPlanTest.q35());
    ExistingDomain d = DomainXmlReader.parse(xml);
    Plan more =
        Planner.plan(
            TestHosts.spec(
                MachineType.Q35,
                "0000:01:00.0",
                "0000:02:00.0",
                "0000:03:00.0",
                "0000:05:01.0",
                "0000:02:00.1"),
            TestHosts.x86(),
            Optional.of(d));
    assertThat(more.isEmpty()).isTrue();
    String out =
        LibvirtRenderer.domain(
            Planner.plan(TestHosts.spec(MachineType.Q35), withExtraNvme(), Optional.of(d)));
    assertThat(out).isEqualTo(xml); // no devices asked: nothing new
    Plan added =
        Planner.plan(
            TestHosts.spec(MachineType.Q35, "0000:06:00.0"), withExtraNvme(), Optional.of(d));
    String after = LibvirtRenderer.domain(added);
    // every byte of the old domain is kept, only inserted
    assertThat(after).startsWith(xml.substring(0, xml.lastIndexOf("  </devices>")));
    assertThat(added.devices()).hasSize(1);
    // an existing empty root port was used, then one spare added back
    Set<Integer> oldIndexes =
        d.controllers().stream().map(ExistingController::index).collect(Collectors.toSet());
    assertThat(oldIndexes).contains(added.devices().get(0).controller().index());
    assertThat(added.controllers()).hasSize(1);
    assertThat(added.controllers().get(0).index()).isNotIn(oldIndexes);
    // and planning the result again is stable
    Plan again =
        Planner.plan(
            TestHosts.spec(MachineType.Q35, "0000:06:00.0"),
            withExtraNvme(),
            Optional.of(DomainXmlReader.parse(after)));
    assertThat(again.isEmpty()).isTrue();
  }

  @Test
  void hotplugUsesSparePhbsAndSaysWhenNoneIsLeft() {
    String xml =
        LibvirtRenderer.domain(
            Planner.plan(
                TestHosts.spec(MachineType.PSERIES, "0001:01:00.0"),
                TestHosts.power(),
                Optional.empty()));
    ExistingDomain d = DomainXmlReader.parse(xml);
    Plan hp =
        Planner.hotplug(
            d, List.of(DeviceRequest.of("0003:01:00.0")), TestHosts.power(), Policies.defaults());
    assertThat(hp.controllers()).isEmpty();
    assertThat(hp.devices().get(0).controller().phbIndex()).isEqualTo(2);
    PcikitException e =
        (PcikitException)
            catchThrowable(
                () ->
                    Planner.hotplug(
                        d,
                        List.of(
                            DeviceRequest.of("0003:01:00.0"),
                            DeviceRequest.of("0002:01:00.2"),
                            DeviceRequest.of("0004:01:00.0")),
                        TestHosts.power(),
                        Policies.defaults()));
    assertThat(e.failure()).isEqualTo(Failure.REFUSED);
    assertThat(e.getMessage()).contains("only 2 empty spare PHB");
  }

  @Test
  void q35HotplugUsesEmptyRootPortsOnly() {
    ExistingDomain d =
        DomainXmlReader.parse(
            LibvirtRenderer.domain(
                Planner.plan(
                    TestHosts.spec(
                        MachineType.Q35, Policies.defaults(), OptionalInt.of(1), "0000:01:00.0"),
                    PlannerTest.withExtraNvme(),
                    Optional.empty())));
    // 2 emulated + 1 spare empty root ports
    Plan hp =
        Planner.hotplug(
            d, List.of(DeviceRequest.of("0000:06:00.0")), withExtraNvme(), Policies.defaults());
    assertThat(hp.controllers()).isEmpty();
    assertThat(hp.devices().get(0).address().slot()).isZero();
    assertThat(d.busOccupied(hp.devices().get(0).address().bus())).isFalse();
    assertThat(
            code(
                () ->
                    Planner.hotplug(
                        d,
                        List.of(DeviceRequest.of("0000:01:00.0")),
                        withExtraNvme(),
                        Policies.defaults())))
        .isEqualTo(Failure.INVALID_ARGUMENT); // already in the domain
    assertThat(
            code(
                () ->
                    Planner.hotplug(
                        d,
                        List.of(
                            DeviceRequest.of("0000:06:00.0"),
                            DeviceRequest.of("0000:02:00.0"),
                            DeviceRequest.of("0000:03:00.0"),
                            DeviceRequest.of("0000:05:01.0")),
                        withExtraNvme(),
                        Policies.defaults())))
        .isEqualTo(Failure.REFUSED);
  }

  @Test
  void machineMismatchIsAUsageError() {
    ExistingDomain d = DomainXmlReader.parse(LibvirtRenderer.domain(GoldenPlanTest.q35()));
    assertThat(
            code(
                () ->
                    Planner.plan(
                        TestHosts.spec(MachineType.PSERIES, "0001:01:00.0"),
                        TestHosts.power(),
                        Optional.of(d))))
        .isEqualTo(Failure.INVALID_ARGUMENT);
  }

  @Test
  void variantDriverIsRenderedWithAVersionWarning() {
    DeviceRequest r =
        new DeviceRequest(
            "0000:01:00.0",
            OptionalInt.empty(),
            OptionalInt.empty(),
            OptionalInt.empty(),
            OptionalLong.empty(),
            Optional.of("nvme_vfio_pci"));
    Plan p = Planner.plan(spec(MachineType.Q35, List.of(r)), TestHosts.x86(), Optional.empty());
    assertThat(LibvirtRenderer.domain(p))
        .contains("<driver model='nvme_vfio_pci'/>", "managed='no'");
    assertThat(p.warnings()).anyMatch(w -> w.contains("libvirt 10"));
  }

  @Test
  void slotOutsidePseriesIsRefused() {
    assertThat(
            code(
                () ->
                    Planner.plan(
                        spec(MachineType.Q35, List.of(at("0000:01:00.0", 1, 3))),
                        TestHosts.x86(),
                        Optional.empty())))
        .isEqualTo(Failure.INVALID_ARGUMENT);
  }

  static HostTopology withExtraNvme() {
    List<HostFunction> l = new java.util.ArrayList<>(TestHosts.x86().all());
    l.add(TestHosts.fn("0000:06:00.0", 0x1b36, 0x0010, 0x010802, 20, -1, true, false));
    return new HostTopology(l);
  }

  private static HostTopology hostFor(Plan p) {
    return p.machine() == MachineType.PSERIES ? TestHosts.power() : TestHosts.x86();
  }

  static PlannedDevice device(Plan p, String bdf) {
    return p.devices().stream()
        .filter(d -> d.host().address().toString().equals(bdf))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no device " + bdf + " in plan"));
  }

  static String[] selectors(int n) {
    String[] s = new String[n];
    for (int i = 0; i < n; i++) {
      s[i] = String.format("%04x:01:00.0", i + 1);
    }
    return s;
  }

  private static Throwable catchThrowable(Runnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("nothing thrown");
  }
}
