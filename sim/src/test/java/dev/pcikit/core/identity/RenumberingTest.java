package dev.pcikit.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.config.PciePortType;
import dev.pcikit.core.identity.PersistedReapply.MovePolicy;
import dev.pcikit.core.identity.Resolution.Kind;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.HostUsage;
import dev.pcikit.core.vfio.PersistedBindings;
import dev.pcikit.core.vfio.VfioDriverChooser;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.sim.HostBuilder;
import dev.pcikit.sim.SimHostUsage;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Persisted bindings across a "reboot" into a changed host on the simulated kernel: the etc
 * directory (vfio-bindings.conf) survives, the kernel and its bus numbers do not.
 */
class RenumberingTest {
  @TempDir Path root;

  static final int NIC_VENDOR = 0x8086;
  static final int NIC_DEVICE = 0x10d3;

  /** One slot of the host: a root port at 00:DEV.0 and what is plugged in below it. */
  record Card(int rootPort, int vendor, int device, int cls, String driver, Long dsn) {}

  static Card nic(int rootPort, Long dsn) {
    return new Card(rootPort, NIC_VENDOR, NIC_DEVICE, 0x020000, "e1000e", dsn);
  }

  static Card nvme(int rootPort) {
    return new Card(rootPort, 0x8086, 0x0953, 0x010802, "nvme", null);
  }

  /** Root ports in order get secondary buses 1, 2, 3... like firmware numbers them. */
  static SimKernel host(Card... cards) {
    HostBuilder h = new HostBuilder("x86_64");
    h.device(
            "0000:00:00.0",
            ConfigSpaceBuilder.endpoint(0x8086, 0x29c0).classCode(0x060000).conventional())
        .group(0);
    int bus = 1;
    for (Card c : cards) {
      h.device(
              String.format("0000:00:%02x.0", c.rootPort()),
              ConfigSpaceBuilder.bridge(0x8086, 0x7ab8)
                  .buses(0, bus, bus)
                  .express(PciePortType.ROOT_PORT)
                  .acs(0x1f, 0x1f))
          .driver("pcieport");
      ConfigSpaceBuilder ep =
          ConfigSpaceBuilder.endpoint(c.vendor(), c.device())
              .classCode(c.cls())
              .subsystem(0x8086, 0xa01f)
              .express(PciePortType.ENDPOINT)
              .flr(true);
      if (c.dsn() != null) {
        ep.dsn(c.dsn());
      }
      h.device(String.format("0000:%02x:00.0", bus), ep).driver(c.driver());
      bus++;
    }
    return h.boot();
  }

  VfioEngine engine(SimKernel k) {
    HostUsage usage =
        new HostUsage() {
          @Override
          public Set<String> mountedBlockDevices() {
            return Set.of();
          }

          @Override
          public Set<String> swapDevices() {
            return Set.of();
          }

          @Override
          public Set<String> defaultRouteInterfaces() {
            return Set.of();
          }

          @Override
          public Set<String> interfacesWithAddresses() {
            return Set.of();
          }

          @Override
          public Map<Integer, List<String>> openVfioGroups() {
            return SimHostUsage.openVfioGroups(k);
          }
        };
    return new VfioEngine(
        VfioEnvironment.underRoot(k, root, usage, k::modprobe, VfioDriverChooser.GENERIC));
  }

  void persist(SimKernel k, String bdf) throws IOException {
    VfioEngine e = engine(k);
    e.execute(
        e.planBind(
            new VfioEngine.BindRequest(
                List.of(DeviceSelector.parse(bdf)), false, null, true, false)));
  }

  PersistedReapply.Result reboot(SimKernel k, MovePolicy policy) throws IOException {
    return new PersistedReapply(engine(k), k, new PersistedBindings(root.resolve("etc")))
        .run(policy);
  }

  static String driver(SimKernel k, String bdf) {
    return k.tree().driver(bdf).orElse(null);
  }

  Map<PciAddress, PersistedBindings.Entry> file() throws IOException {
    return new PersistedBindings(root.resolve("etc")).read();
  }

  @Test
  void aCardInsertedAheadShiftsTheBusAndTheBindingFollowsTheDevice() throws IOException {
    // two identical NICs without serials: path-only fingerprints
    persist(host(nic(2, null), nic(3, null)), "0000:02:00.0");
    assertThat(file().get(PciAddress.parse("0000:02:00.0")).fingerprint().orElseThrow().path())
        .isEqualTo("pci0000:00/03.0/00.0");
    // an NVMe drive in the root port ahead: the NICs move to buses 2 and 3
    SimKernel b = host(nvme(1), nic(2, null), nic(3, null));
    PersistedReapply.Result r = reboot(b, MovePolicy.BIND);
    assertThat(r.resolutions()).extracting(Resolution::kind).containsExactly(Kind.MOVED);
    assertThat(driver(b, "0000:03:00.0")).isEqualTo("vfio-pci");
    assertThat(driver(b, "0000:02:00.0")).isEqualTo("e1000e"); // the identical NIC: untouched
    assertThat(driver(b, "0000:01:00.0")).isEqualTo("nvme");
    assertThat(r.refused()).isFalse();
    assertThat(r.notes())
        .anyMatch(n -> n.contains("is now at 0000:03:00.0") && n.contains("bound at"));
    // the file follows the device
    assertThat(file()).containsOnlyKeys(PciAddress.parse("0000:03:00.0"));
  }

  @Test
  void refusePolicyLeavesAMovedDeviceAlone() throws IOException {
    persist(host(nic(2, null), nic(3, null)), "0000:02:00.0");
    SimKernel b = host(nvme(1), nic(2, null), nic(3, null));
    PersistedReapply.Result r = reboot(b, MovePolicy.REFUSE);
    assertThat(r.refused()).isTrue();
    assertThat(driver(b, "0000:03:00.0")).isEqualTo("e1000e");
    assertThat(driver(b, "0000:02:00.0")).isEqualTo("e1000e");
    assertThat(file()).containsOnlyKeys(PciAddress.parse("0000:02:00.0"));
  }

  @Test
  void twoIdenticalNicsSwappedAreToldApartByTheirSerials() throws IOException {
    persist(host(nic(2, 0x1111L), nic(3, 0x2222L)), "0000:02:00.0");
    SimKernel b = host(nic(2, 0x2222L), nic(3, 0x1111L));
    PersistedReapply.Result r = reboot(b, MovePolicy.BIND);
    assertThat(r.resolutions()).extracting(Resolution::kind).containsExactly(Kind.MOVED);
    assertThat(driver(b, "0000:01:00.0")).isEqualTo("vfio-pci");
    assertThat(driver(b, "0000:02:00.0")).isEqualTo("e1000e");
    assertThat(r.notes()).anyMatch(n -> n.contains("0000:02:00.0 is now another device"));
  }

  @Test
  void aDifferentDeviceAtTheRecordedAddressIsNeverBound() throws IOException {
    persist(host(nic(2, 0x1111L), nic(3, 0x2222L)), "0000:02:00.0");
    // the bound card replaced by another of the same model
    SimKernel b = host(nic(2, 0x1111L), nic(3, 0x3333L));
    PersistedReapply.Result r = reboot(b, MovePolicy.BIND);
    assertThat(r.resolutions()).extracting(Resolution::kind).containsExactly(Kind.REPLACED);
    assertThat(r.refused()).isTrue();
    assertThat(driver(b, "0000:02:00.0")).isEqualTo("e1000e");
    assertThat(driver(b, "0000:01:00.0")).isEqualTo("e1000e");
    assertThat(r.notes())
        .anyMatch(n -> n.contains("a different device is at the recorded address"));
  }

  @Test
  void aRemovedDeviceIsReportedAndNothingElseIsBound() throws IOException {
    persist(host(nic(2, 0x1111L), nic(3, 0x2222L)), "0000:02:00.0");
    SimKernel b = host(nic(2, 0x1111L));
    PersistedReapply.Result r = reboot(b, MovePolicy.BIND);
    assertThat(r.resolutions()).extracting(Resolution::kind).containsExactly(Kind.GONE);
    assertThat(r.refused()).isFalse();
    assertThat(r.outcome().done()).isEmpty();
    assertThat(driver(b, "0000:01:00.0")).isEqualTo("e1000e");
    assertThat(r.notes()).anyMatch(n -> n.startsWith("warning:") && n.contains("not present"));
  }

  @Test
  void twoCardsWithTheSameSerialAreNotGuessedBetween() throws IOException {
    persist(host(nic(2, 0x1111L), nic(3, 0x1111L)), "0000:02:00.0");
    // the path breaks the tie while it holds
    SimKernel same = host(nic(2, 0x1111L), nic(3, 0x1111L));
    assertThat(reboot(same, MovePolicy.BIND).resolutions())
        .extracting(Resolution::kind)
        .containsExactly(Kind.SAME);
    // a third root port ahead: both paths change, nothing can be told apart
    Files.delete(root.resolve("var/lib/pcikit/bindings"));
    SimKernel b = host(nic(1, 0x1111L), nic(4, 0x1111L));
    PersistedReapply.Result r = reboot(b, MovePolicy.BIND);
    assertThat(r.resolutions()).extracting(Resolution::kind).containsExactly(Kind.AMBIGUOUS);
    assertThat(driver(b, "0000:01:00.0")).isEqualTo("e1000e");
    assertThat(driver(b, "0000:02:00.0")).isEqualTo("e1000e");
  }

  @Test
  void theFirstFormatIsUpgradedInPlace() throws IOException {
    Path conf = root.resolve("etc/pcikit/vfio-bindings.conf");
    Files.createDirectories(conf.getParent());
    Files.writeString(conf, "# old\n0000:02:00.0 8086:10d3 vfio-pci\n");
    SimKernel k = host(nic(2, 0x1111L), nic(3, 0x2222L));
    PersistedReapply.Result r = reboot(k, MovePolicy.BIND);
    assertThat(r.upgraded()).isEqualTo(1);
    assertThat(driver(k, "0000:02:00.0")).isEqualTo("vfio-pci");
    assertThat(Files.readString(conf))
        .contains("0000:02:00.0 8086:10d3 vfio-pci strength=serial dsn=00-00-00-00-00-00-22-22 ");
    assertThat(root.resolve("etc/pcikit/.vfio-bindings.conf.tmp")).doesNotExist();
    // from now on the serial decides: the card swapped away is followed
    SimKernel b = host(nic(2, 0x2222L), nic(3, 0x1111L));
    PersistedReapply.Result r2 = reboot(b, MovePolicy.BIND);
    assertThat(r2.resolutions()).extracting(Resolution::kind).containsExactly(Kind.MOVED);
    assertThat(driver(b, "0000:01:00.0")).isEqualTo("vfio-pci");
  }
}
