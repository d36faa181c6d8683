package dev.pcikit.core.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.sysfs.Errno;
import dev.pcikit.sim.Faults;
import dev.pcikit.sim.SimulatedCrash;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VfioEngineTest {
  @TempDir Path dir;

  private static PciAddress a(String bdf) {
    return PciAddress.parse(bdf);
  }

  private static VfioEngine.BindRequest bind(String... devs) {
    return new VfioEngine.BindRequest(
        java.util.Arrays.stream(devs).map(DeviceSelector::parse).toList(),
        false,
        null,
        false,
        false);
  }

  private static VfioEngine.BindRequest group(String... devs) {
    return new VfioEngine.BindRequest(
        java.util.Arrays.stream(devs).map(DeviceSelector::parse).toList(),
        true,
        null,
        false,
        false);
  }

  private static List<DeviceSelector> sel(String... devs) {
    return java.util.Arrays.stream(devs).map(DeviceSelector::parse).toList();
  }

  @Test
  void bindsLoadsModuleVerifiesAndRecordsPrior() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    VfioEngine.Outcome o = e.execute(e.planBind(bind("0000:03:00.1")));
    assertThat(o.done()).hasSize(1);
    assertThat(h.driverOf("0000:03:00.1")).isEqualTo("vfio-pci");
    assertThat(h.overrideOf("0000:03:00.1")).isEqualTo("vfio-pci");
    assertThat(h.kernel.loaded("vfio-pci")).isTrue();
    assertThat(Files.exists(dir.resolve("var/lib/pcikit/journal"))).isFalse();
    assertThat(Files.readString(dir.resolve("var/lib/pcikit/bindings")))
        .contains("0000:03:00.1 vfio-pci igb -");
  }

  @Test
  void releaseRestoresThePriorDriverAndClearsTheOverride() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    e.execute(e.planBind(bind("03:00.1")));
    e.execute(e.planRelease(sel("03:00.1"), false));
    assertThat(h.driverOf("0000:03:00.1")).isEqualTo("igb");
    assertThat(h.overrideOf("0000:03:00.1")).isNull();
    assertThat(new BindingRecords(dir.resolve("var/lib/pcikit")).read()).isEmpty();
  }

  @Test
  void releaseWithoutRecordLetsTheKernelChoose() throws IOException {
    SimHost h = new SimHost(dir);
    h.kernel.modprobe("vfio-pci");
    h.kernel.write("bus/pci/devices/0000:03:00.1/driver_override", "vfio-pci");
    h.kernel.write("bus/pci/devices/0000:03:00.1/driver/unbind", "0000:03:00.1");
    h.kernel.write("bus/pci/drivers_probe", "0000:03:00.1");
    assertThat(h.driverOf("0000:03:00.1")).isEqualTo("vfio-pci");
    VfioEngine e = h.engine();
    VfioEngine.Plan p = e.planRelease(sel("0000:03:00.1"), false);
    assertThat(p.notes()).anyMatch(n -> n.contains("the kernel picks"));
    assertThat(e.dryRun(p))
        .containsExactly(
            "echo > " + dir + "/sys/bus/pci/devices/0000:03:00.1/driver_override",
            "echo 0000:03:00.1 > " + dir + "/sys/bus/pci/devices/0000:03:00.1/driver/unbind",
            "echo 0000:03:00.1 > " + dir + "/sys/bus/pci/drivers_probe");
    e.execute(p);
    assertThat(h.driverOf("0000:03:00.1")).isEqualTo("igb");
  }

  @Test
  void dryRunPrintsTheExactWritesAndChangesNothing() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    h.kernel.faults(new Faults());
    List<String> lines = e.dryRun(e.planBind(bind("0000:03:00.1")));
    String s = dir + "/sys/bus/pci";
    assertThat(lines)
        .containsExactly(
            "modprobe vfio_pci",
            "echo vfio-pci > " + s + "/devices/0000:03:00.1/driver_override",
            "echo 0000:03:00.1 > " + s + "/devices/0000:03:00.1/driver/unbind",
            "echo 0000:03:00.1 > " + s + "/drivers_probe");
    assertThat(h.kernel.steps()).isZero();
    assertThat(h.driverOf("0000:03:00.1")).isEqualTo("igb");
  }

  @Test
  void sharedGroupIsRefusedWithItsBlockingPeersListed() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    h.kernel.faults(new Faults());
    assertThatThrownBy(() -> e.planBind(bind("0000:01:00.0")))
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining("IOMMU group 1 is shared with 0000:01:00.1 (snd_hda_intel)")
        .hasMessageNotContaining("0000:00:01.0") // the root port is a bridge: excepted
        .satisfies(
            x -> {
              assertThat(((PcikitException) x).failure()).isEqualTo(Failure.REFUSED);
              assertThat(((PcikitException) x).remedy())
                  .isEqualTo(dev.pcikit.core.error.Remedy.INCLUDE_WHOLE_GROUP);
            });
    assertThat(h.kernel.steps()).isZero();
  }

  @Test
  void groupBindsEveryEndpointButNotTheBridge() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    VfioEngine.Plan p = e.planBind(group("0000:01:00.0"));
    assertThat(p.transitions())
        .extracting(Transition::address)
        .containsExactly(a("0000:01:00.0"), a("0000:01:00.1"));
    e.execute(p);
    assertThat(h.driverOf("0000:01:00.0")).isEqualTo("vfio-pci");
    assertThat(h.driverOf("0000:01:00.1")).isEqualTo("vfio-pci");
    assertThat(h.driverOf("0000:00:01.0")).isEqualTo("pcieport");
  }

  @Test
  void aWriteErrorRollsEveryTouchedDeviceBackAndSaysWhat() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    VfioEngine.Plan p = e.planBind(group("0000:01:00.0"));
    // writes: 2 overrides, then unbind of 01:00.0 (3), unbind of 01:00.1 (4): fail that one
    h.kernel.faults(new Faults().failWrite("", 4, Errno.EBUSY));
    assertThatThrownBy(() -> e.execute(p))
        .isInstanceOf(PcikitException.class)
        .hasMessageContaining("0000:01:00.1 at step unbind: the kernel answered EBUSY")
        .hasMessageContaining("0000:01:00.0 restored to nouveau")
        .hasMessageContaining("0000:01:00.1 restored to snd_hda_intel")
        .extracting(x -> ((PcikitException) x).failure())
        .isEqualTo(Failure.KERNEL_REFUSED);
    assertThat(h.driverOf("0000:01:00.0")).isEqualTo("nouveau");
    assertThat(h.overrideOf("0000:01:00.0")).isNull();
    assertThat(h.driverOf("0000:01:00.1")).isEqualTo("snd_hda_intel");
    assertThat(e.journal().exists()).isFalse();
  }

  @Test
  void aFailedProbeIsCaughtByReadingTheDriverLinkBack() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    h.kernel.faults(new Faults().failProbe("0000:06:00.0", "vfio-pci", Errno.EINVAL));
    assertThatThrownBy(() -> e.execute(e.planBind(bind("0000:06:00.0"))))
        .hasMessageContaining("at step verify: the driver link reads no driver after the probe")
        .hasMessageContaining("restored to e1000e");
    h.kernel.faults(new Faults());
    assertThat(h.driverOf("0000:06:00.0")).isEqualTo("e1000e");
  }

  @Test
  void aDeviceThatVanishesIsReportedAndTheOthersRestored() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    VfioEngine.Plan p = e.planBind(group("0000:01:00.0"));
    h.kernel.faults(new Faults().removeBeforeStep(3, "0000:01:00.1"));
    assertThatThrownBy(() -> e.execute(p))
        .hasMessageContaining("0000:01:00.1 vanished")
        .hasMessageContaining("0000:01:00.0 restored to nouveau");
    assertThat(h.driverOf("0000:01:00.0")).isEqualTo("nouveau");
  }

  @Test
  void aCrashLeavesTheJournalAndRecoverUndoesIt() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    VfioEngine.Plan p = e.planBind(group("0000:01:00.0"));
    h.kernel.faults(new Faults().crashAfterStep(3)); // after the first unbind
    assertThatThrownBy(() -> e.execute(p)).isInstanceOf(SimulatedCrash.class);
    assertThat(h.driverOf("0000:01:00.0")).isNull(); // orphaned until recovery
    assertThat(e.journal().pendingBinding())
        .get()
        .extracting(Journal.BindingEntry::step)
        .isEqualTo("unbind");
    h.kernel.faults(new Faults());
    assertThat(h.engine().recover()).get().asString().contains("undid an interrupted bind");
    assertThat(h.driverOf("0000:01:00.0")).isEqualTo("nouveau");
    assertThat(h.overrideOf("0000:01:00.0")).isNull();
    assertThat(e.journal().exists()).isFalse();
    assertThat(h.engine().recover()).isEmpty();
  }

  @Test
  void aCrashAfterCommitIsCompletedNotUndone() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    VfioEngine.Plan p = e.planBind(bind("0000:03:00.1"));
    e.journal()
        .push(
            new Journal.BindingEntry(
                dev.pcikit.core.vfio.Operation.BIND,
                true,
                Journal.Phase.COMMITTED,
                "commit",
                p.transitions()));
    h.kernel.write("bus/pci/devices/0000:03:00.1/driver_override", "vfio-pci");
    h.kernel.write("bus/pci/devices/0000:03:00.1/driver/unbind", "0000:03:00.1");
    h.kernel.modprobe("vfio-pci");
    h.kernel.write("bus/pci/drivers_probe", "0000:03:00.1");
    assertThat(e.recover()).get().asString().contains("completed");
    assertThat(h.driverOf("0000:03:00.1")).isEqualTo("vfio-pci");
    assertThat(e.persisted()).containsKey(a("0000:03:00.1"));
  }

  @Test
  void persistWritesTheDocumentedFileAndReleaseRemovesIt() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    e.execute(
        e.planBind(new VfioEngine.BindRequest(sel("0000:03:00.1"), false, null, true, false)));
    Path f = dir.resolve("etc/pcikit/vfio-bindings.conf");
    assertThat(Files.readAllLines(f))
        .anyMatch(
            l ->
                l.startsWith("0000:03:00.1 8086:1533 vfio-pci strength=path-only ")
                    && l.contains(" path=pci0000:03/00.1 "));
    assertThat(e.persistedByDriver()).isEqualTo(Map.of("vfio-pci", List.of(a("0000:03:00.1"))));
    e.execute(e.planRelease(sel("0000:03:00.1"), false));
    assertThat(e.persisted()).isEmpty();
  }

  @Test
  void userDriverWinsAndAMissingModuleChangesNothing() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    h.kernel.faults(new Faults());
    VfioEngine.Plan p =
        e.planBind(
            new VfioEngine.BindRequest(sel("0000:03:00.1"), false, "mlx5_vfio_pci", false, false));
    assertThatThrownBy(() -> e.execute(p))
        .hasMessageContaining("cannot load driver mlx5_vfio_pci")
        .hasMessageContaining("nothing was changed");
    assertThat(h.kernel.steps()).isZero();
  }

  @Test
  void selectorsFollowLspci() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    assertThat(e.resolve(sel("03:00"))).containsExactly(a("0000:03:00.0"), a("0000:03:00.1"));
    assertThat(e.resolve(List.of(DeviceSelector.ids("10de:1b80")))).hasSize(1);
    assertThat(e.resolve(sel("8086:1533"))).hasSize(2);
    assertThatThrownBy(() -> e.resolve(sel("0000:09:00.0")))
        .extracting(x -> ((PcikitException) x).failure())
        .isEqualTo(Failure.NOT_FOUND);
  }

  @Test
  void aWriteNeverActsOnEverything() throws IOException {
    SimHost h = new SimHost(dir);
    VfioEngine e = h.engine();
    int steps = h.kernel.steps();
    for (String wide : new String[] {"", "*", "::", "*:*.*", "00:", ".0", "10de:"}) {
      assertThatThrownBy(
              () -> e.planBind(new VfioEngine.BindRequest(sel(wide), false, null, false, true)))
          .as(wide)
          .extracting(x -> ((PcikitException) x).failure())
          .isEqualTo(Failure.INVALID_ARGUMENT);
      assertThatThrownBy(() -> e.planRelease(sel(wide), true))
          .as(wide)
          .extracting(x -> ((PcikitException) x).failure())
          .isEqualTo(Failure.INVALID_ARGUMENT);
    }
    assertThatThrownBy(() -> e.resolve(List.of(DeviceSelector.ids(":"))))
        .hasMessageContaining("matches every device");
    assertThatThrownBy(() -> e.resolve(List.of())).hasMessageContaining("name at least one device");
    // narrow patterns that together take every device of the host
    List<DeviceSelector> every = new java.util.ArrayList<>();
    for (PciAddress a : new DeviceReader(h.kernel).all()) {
      every.add(DeviceSelector.parse(String.format("%02x:%02x", a.bus(), a.device())));
    }
    assertThatThrownBy(() -> e.resolve(every)).hasMessageContaining("every device of the host");
    assertThat(h.kernel.steps()).isEqualTo(steps);
  }

  @Test
  void aSlotWithoutItsDomainMustNotSpanDomains() {
    assertThatThrownBy(
            () ->
                WriteSelection.checkOneDomain(
                    DeviceSelector.slot("01:00.0"), List.of(a("0000:01:00.0"), a("0001:01:00.0"))))
        .hasMessageContaining("domains 0000, 0001")
        .extracting(x -> ((PcikitException) x).failure())
        .isEqualTo(Failure.INVALID_ARGUMENT);
  }
}
