package dev.pcikit.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The x86 real-kernel lab: Debian's amd64 kernel under qemu-system-x86_64 (TCG, q35, intel-iommu)
 * with the topology of lab/topology/x86-q35.args, booted ONCE for every scenario in
 * lab/guest/x86/scenarios (each JVM start costs seconds under TCG). Each test checks one scenario's
 * section of the console; a failure shows the scenario, its last console lines and the log's path.
 */
class X86LabTest {
  private static LabBoot.Result boot;

  @BeforeAll
  static void bootGuest() throws IOException, InterruptedException {
    X86Guest.requireLab();
    boot = LabBoot.run("x86-lab.sh", "x86", 900, "all");
  }

  private static LabScenario passed(String name) {
    return X86Guest.passed(boot, name);
  }

  private static LabScenario.Block file(LabScenario s, String name) {
    return X86Guest.block(boot, s, name);
  }

  @Test
  void pcikitRunsInTheGuestJvmWithItsCdsArchives() throws Exception {
    LabScenario s = passed("java");
    String ctx = LabBoot.context(boot.console(), "java", boot.runLog());
    // -Xshare:on makes the JVM fail instead of running without the archive
    assertThat(file(s, "java-version").text()).as(ctx).contains("sharing");
    Process host =
        new ProcessBuilder("java", "-jar", LabEnvironment.pcikitJar().toString(), "--version")
            .redirectErrorStream(true)
            .start();
    String hostVersion = new String(host.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(host.waitFor()).isZero();
    assertThat(file(s, "pcikit-version").text()).as(ctx).isEqualTo(hostVersion);
  }

  @Test
  void guestLspciAndSysfsShowTheSameDevices() {
    LabScenario s = passed("inventory");
    String ctx = LabBoot.context(boot.console(), "inventory", boot.runLog());
    Map<String, SysfsTable.Row> sysfs = SysfsTable.parse(file(s, "sysfs").lines());
    Map<String, LspciListing.Device> lspci = LspciListing.parse(file(s, "lspci").lines());
    assertThat(lspci.keySet()).as(ctx).containsExactlyInAnyOrderElementsOf(sysfs.keySet());
    for (SysfsTable.Row row : sysfs.values()) {
      LspciListing.Device d = lspci.get(row.bdf());
      assertThat(List.of(d.vendor(), d.device(), d.classCode(), String.valueOf(d.driver())))
          .as(ctx + row)
          .containsExactly(
              row.vendor(),
              row.device(),
              row.classCode().substring(0, 4),
              String.valueOf(row.driver()));
    }
  }

  /**
   * pcikit's inventory of the guest equals what the guest's lspci shows (device set, IDs, class,
   * driver) and carries the IOMMU group that sysfs shows.
   */
  @Test
  void pcikitListEqualsGuestLspciAndSysfs() {
    LabScenario s = passed("inventory");
    String ctx = LabBoot.context(boot.console(), "inventory", boot.runLog());
    Map<String, SysfsTable.Row> sysfs = SysfsTable.parse(file(s, "sysfs").lines());
    Map<String, LspciListing.Device> lspci = LspciListing.parse(file(s, "lspci").lines());
    JsonNode list = JsonMapper.builder().build().readTree(file(s, "pcikit-list").text());
    Map<String, JsonNode> pcikit = new TreeMap<>();
    for (JsonNode d : list.get("devices")) {
      pcikit.put(d.get("bdf").asString(), d);
    }
    assertThat(pcikit.keySet()).as(ctx).containsExactlyInAnyOrderElementsOf(lspci.keySet());
    for (LspciListing.Device l : lspci.values()) {
      JsonNode d = pcikit.get(l.bdf());
      assertThat(
              List.of(
                  text(d, "vendor"),
                  text(d, "device"),
                  text(d, "class").substring(0, 4),
                  text(d, "driver"),
                  text(d, "iommuGroup")))
          .as(ctx + "pcikit vs lspci/sysfs for " + l.bdf())
          .containsExactly(
              l.vendor(),
              l.device(),
              l.classCode(),
              String.valueOf(l.driver()),
              String.valueOf(sysfs.get(l.bdf()).iommuGroup()));
    }
  }

  private static String text(JsonNode device, String field) {
    JsonNode v = device.get(field);
    return v == null || v.isNull() ? "null" : v.asString();
  }

  /** The lab's topology produces the IOMMU groups the issue asks for (see x86-q35.args). */
  @Test
  void topologyHasDistinctAndSharedIommuGroups() {
    LabScenario s = passed("inventory");
    String ctx = LabBoot.context(boot.console(), "inventory", boot.runLog());
    Map<String, SysfsTable.Row> sysfs = SysfsTable.parse(file(s, "sysfs").lines());
    Map<String, List<String>> groups =
        sysfs.values().stream()
            .filter(r -> r.iommuGroup() != null)
            .collect(
                Collectors.groupingBy(
                    SysfsTable.Row::iommuGroup,
                    TreeMap::new,
                    Collectors.mapping(SysfsTable.Row::bdf, Collectors.toList())));
    assertThat(sysfs.values()).as(ctx).allMatch(r -> r.iommuGroup() != null);
    // NVMe PF with SR-IOV below a root port with ACS: alone, PCIe config space
    SysfsTable.Row nvme = sysfs.get("0000:01:00.0");
    assertThat(nvme).as(ctx).isNotNull();
    assertThat(List.of(nvme.vendor() + ":" + nvme.device(), nvme.driver(), "" + nvme.configSize()))
        .as(ctx)
        .containsExactly("1b36:0010", "nvme", "4096");
    assertThat(groups.get(nvme.iommuGroup())).as(ctx).containsExactly("0000:01:00.0");
    // e1000e below a root port with ACS: alone
    assertThat(groups.get(sysfs.get("0000:02:00.0").iommuGroup()))
        .as(ctx)
        .containsExactly("0000:02:00.0");
    // e1000e below a root port without ACS (disable-acs=on): shares the port's group
    assertThat(groups.get(sysfs.get("0000:03:00.0").iommuGroup()))
        .as(ctx)
        .containsExactlyInAnyOrder("0000:00:04.0", "0000:03:00.0");
    // multifunction pair without ACS: one group of both functions
    assertThat(groups.get(sysfs.get("0000:04:00.0").iommuGroup()))
        .as(ctx)
        .containsExactlyInAnyOrder("0000:04:00.0", "0000:04:00.1");
    // conventional e1000s behind the pcie-pci-bridge: one group with the bridge, 256-byte config
    assertThat(groups.get(sysfs.get("0000:06:01.0").iommuGroup()))
        .as(ctx)
        .containsExactlyInAnyOrder("0000:05:00.0", "0000:06:01.0", "0000:06:02.0");
    assertThat(sysfs.get("0000:06:02.0").configSize()).as(ctx).isEqualTo(256);
    assertThat(sysfs.get("0000:05:00.0").device()).as(ctx).isEqualTo("000e");
  }

  /**
   * The shell recorder's snapshots of the guest, before and with 2 VFs, are kept as fixtures
   * (x86-q35-lab-*.snapshot.txt) and must keep matching what the real kernel shows.
   */
  @Test
  void recordedSnapshotsAreKeptAsFixturesAndMatchTheKernel() throws IOException {
    LabScenario s = passed("record");
    String ctx = LabBoot.context(boot.console(), "record", boot.runLog());
    assumeTrue(
        "present".equals(s.values().get("recorder")),
        "scripts/pcikit-record.sh is not in this tree yet: nothing recorded");
    Map<String, SysfsTable.Row> devices =
        SysfsTable.parse(file(passed("inventory"), "sysfs").lines());
    List<String> initial = SnapshotFixtures.extract(file(s, "snapshot-initial").lines());
    List<String> sriov = SnapshotFixtures.extract(file(s, "snapshot-sriov").lines());
    assertThat(initial.stream().filter(l -> l.startsWith("D ")).map(l -> l.split(" ")[1]))
        .as(ctx)
        .containsExactlyElementsOf(devices.keySet());
    assertThat(sriov)
        .as(ctx)
        .contains(
            "L 0000:01:00.1 physfn ../0000:01:00.0",
            "L 0000:01:00.2 physfn ../0000:01:00.0",
            "A 0000:01:00.0 sriov_numvfs 2",
            "A 0000:01:00.0 sriov_drivers_autoprobe 0");
    for (var e : Map.of("initial", initial, "sriov", sriov).entrySet()) {
      List<String> fixture =
          SnapshotFixtures.keep("x86-q35-lab-" + e.getKey() + ".snapshot.txt", e.getValue());
      assertThat(SnapshotFixtures.stableRecords(e.getValue()))
          .as(ctx + "fixture x86-q35-lab-" + e.getKey() + " (regenerate: -Dpcikit.regenerate=true)")
          .containsExactlyElementsOf(SnapshotFixtures.stableRecords(fixture));
    }
  }

  @Test
  void groupHolderKeepsAVfioGroupOpenUntilKilled() {
    LabScenario s = passed("group-holder");
    String ctx = LabBoot.context(boot.console(), "group-holder", boot.runLog());
    assertThat(s.values())
        .as(ctx)
        .containsEntry("driver_after_bind", "vfio-pci")
        .containsEntry("holder_fds", "2") // /dev/vfio/vfio and /dev/vfio/N
        .containsEntry("unbind_pending_while_held", "yes")
        .containsEntry("unbind_rc_after_kill", "0")
        .containsEntry("driver_after_release", "e1000e");
    assertThat(s.lines())
        .as(ctx)
        .anyMatch(l -> l.startsWith("lab-group-holder: holding group=" + s.values().get("group")));
  }

  // ---- VFIO binding, SR-IOV and crash recovery on the real kernel ------------------------------

  private static final String INITIAL = "x86-q35-lab-initial.snapshot.txt";
  private static final String NIC = "0000:02:00.0";
  private static final List<String> PAIR = List.of("0000:04:00.0", "0000:04:00.1");
  private static final String PF = "0000:01:00.0";

  private static String ctx(String scenario) {
    return LabBoot.context(boot.console(), scenario, boot.runLog());
  }

  private static void assertBlock(LabScenario s, String name, int rc, String... lines) {
    LabScenario.Block b = file(s, name);
    assertThat(b.rc()).as(ctx(s.name()) + "exit code of " + name + ":\n" + b.text()).isEqualTo(rc);
    if (lines.length > 0) {
      assertThat(b.lines()).as(ctx(s.name()) + name).containsExactly(lines);
    }
  }

  /** vfio bind of the e1000e alone in its group (ACS root port), then vfio release. */
  @Test
  void vfioBindAndReleaseOfASingleDeviceGroup() {
    LabScenario s = passed("vfio-single");
    String g = s.values().get("group");
    assertBlock(s, "state-initial", 0, NIC + " e1000e - " + g);
    assertBlock(s, "bind", 0);
    assertBlock(s, "state-bound", 0, NIC + " vfio-pci vfio-pci " + g);
    assertThat(s.values()).as(ctx("vfio-single")).containsEntry("dev_vfio_group", "present");
    assertBlock(s, "release", 0);
    assertBlock(s, "state-released", 0, NIC + " e1000e - " + g);
    assertThat(s.values()).as(ctx("vfio-single")).containsEntry("journal", "absent");
  }

  /**
   * A shared group (multifunction pair): one function alone is refused naming its peer; --group
   * binds both and the group is viable (the holder opens it and gets a device fd).
   */
  @Test
  void sharedGroupIsBoundWholeOrRefused() {
    LabScenario s = passed("vfio-group");
    String g = s.values().get("group");
    assertBlock(s, "bind-alone", 5);
    assertThat(file(s, "bind-alone").text()).as(ctx("vfio-group")).contains(PAIR.get(1));
    assertBlock(
        s, "state-refused", 0, PAIR.get(0) + " e1000e - " + g, PAIR.get(1) + " e1000e - " + g);
    assertBlock(s, "bind-group", 0);
    assertBlock(
        s,
        "state-bound",
        0,
        PAIR.get(0) + " vfio-pci vfio-pci " + g,
        PAIR.get(1) + " vfio-pci vfio-pci " + g);
    assertThat(s.values()).as(ctx("vfio-group")).containsEntry("holder_holding", "yes");
    assertBlock(s, "release", 0);
    assertBlock(
        s, "state-released", 0, PAIR.get(0) + " e1000e - " + g, PAIR.get(1) + " e1000e - " + g);
    assertThat(s.values()).as(ctx("vfio-group")).containsEntry("journal", "absent");
  }

  /**
   * SR-IOV pool: 2 VFs with autoprobe off on vfio-pci, a /dev/vfio/N per VF group; disable is
   * refused while a VF group is held open, allowed after the holder is killed.
   */
  @Test
  void sriovPoolOnVfioAndDisableRefusedWhileAVfGroupIsHeld() {
    LabScenario s = passed("sriov");
    String ctx = ctx("sriov");
    assertBlock(s, "enable", 0);
    List<String> enabled = file(s, "state-enabled").lines();
    assertThat(enabled).as(ctx).hasSize(4);
    assertThat(enabled.get(0)).as(ctx).isEqualTo(PF + " sriov numvfs=2 autoprobe=0");
    assertThat(enabled.get(1)).as(ctx).startsWith(PF + " nvme - ");
    assertThat(enabled.subList(2, 4))
        .as(ctx)
        .allMatch(l -> l.matches("0000:01:00\\.[12] vfio-pci vfio-pci \\d+"));
    assertThat(s.values().get("vf_dev_vfio")).as(ctx).matches("\\d+:present \\d+:present");
    assertThat(s.values()).as(ctx).containsEntry("holder_holding", "yes");
    assertBlock(s, "disable-held", 5);
    assertThat(file(s, "state-held").lines()).as(ctx).isEqualTo(enabled);
    assertBlock(s, "disable", 0);
    assertThat(file(s, "state-disabled").lines())
        .as(ctx)
        .containsExactly(PF + " sriov numvfs=0 autoprobe=0", enabled.get(1));
    assertThat(s.values()).as(ctx).containsEntry("journal", "absent");
  }

  /**
   * kill -9 of pcikit (the JVM) once its bind journal exists, then pcikit recover: every device
   * back to its prior binding, or as asked (vfio-pci) only when the journal had reached "phase
   * committed"; no journal left.
   */
  @Test
  void recoverAfterKillDuringBindLeavesDevicesAsBeforeOrAsAsked() {
    LabScenario s = passed("vfio-crash");
    String ctx = ctx("vfio-crash");
    // the kill must have hit a running bind for the scenario to test anything
    assertThat(s.values())
        .as(ctx)
        .containsEntry("journal_seen", "yes")
        .containsEntry("bind_rc", "137")
        .containsEntry("jvm_left", "no");
    List<String> before = file(s, "state-before").lines();
    assertThat(before).as(ctx).hasSize(3);
    assertBlock(s, "recover", 0);
    List<String> after = file(s, "state-recovered").lines();
    boolean committed = file(s, "journal-at-kill").lines().contains("phase committed");
    if (committed) {
      assertThat(after.get(0)).as(ctx).isEqualTo(before.get(0));
      assertThat(after.subList(1, 3))
          .as(ctx)
          .allMatch(l -> l.matches("\\S+ vfio-pci vfio-pci \\d+"));
    } else {
      assertThat(after).as(ctx + "undone: every device as before").isEqualTo(before);
      assertThat(file(s, "recover").text()).as(ctx).contains("undid an interrupted bind");
    }
    assertThat(s.values()).as(ctx).containsEntry("journal", "absent");
  }

  /**
   * Differential check: the same pcikit commands on the simulated kernel from the guest's recorded
   * starting snapshot give the same exit codes and end states (drivers, overrides, groups, VFs) as
   * on the real kernel.
   */
  @Test
  void simulatedKernelAgreesWithTheRealOneOnBindReleaseAndSriov(@TempDir Path tmp)
      throws IOException {
    LabScenario single = passed("vfio-single");
    SimReplay sim = new SimReplay(tmp, INITIAL);
    assertThat(sim.vfioState(List.of(NIC))).isEqualTo(file(single, "state-initial").lines());
    replay(sim, single, "bind", "state-bound", List.of(NIC), "vfio", "bind", NIC);
    replay(sim, single, "release", "state-released", List.of(NIC), "vfio", "release", NIC);

    LabScenario group = passed("vfio-group");
    replay(sim, group, "bind-alone", "state-refused", PAIR, "vfio", "bind", PAIR.get(0));
    replay(sim, group, "bind-group", "state-bound", PAIR, "vfio", "bind", "--group", PAIR.get(0));
    replay(
        sim, group, "release", "state-released", PAIR, "vfio", "release", PAIR.get(0), PAIR.get(1));

    // the sim has no process holding a VF group: the held disable is not replayed
    LabScenario sriov = passed("sriov");
    replaySriov(sim, sriov, "enable", "state-enabled", "sriov", "enable", PF, "--vfs", "2");
    replaySriov(sim, sriov, "disable", "state-disabled", "sriov", "disable", PF);
  }

  private static void replay(
      SimReplay sim,
      LabScenario s,
      String command,
      String state,
      List<String> devices,
      String... args)
      throws IOException {
    SimReplay.Outcome o = sim.run(args);
    String ctx =
        ctx(s.name()) + "sim vs kernel, pcikit " + String.join(" ", args) + ":\n" + o.output();
    assertThat(o.exitCode()).as(ctx).isEqualTo(file(s, command).rc());
    assertThat(sim.vfioState(devices)).as(ctx).isEqualTo(file(s, state).lines());
  }

  private static void replaySriov(
      SimReplay sim, LabScenario s, String command, String state, String... args)
      throws IOException {
    SimReplay.Outcome o = sim.run(args);
    String ctx =
        ctx(s.name()) + "sim vs kernel, pcikit " + String.join(" ", args) + ":\n" + o.output();
    assertThat(o.exitCode()).as(ctx).isEqualTo(file(s, command).rc());
    assertThat(sim.sriovState(PF)).as(ctx).isEqualTo(file(s, state).lines());
  }
}
