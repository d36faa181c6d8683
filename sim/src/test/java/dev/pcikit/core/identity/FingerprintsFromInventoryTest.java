package dev.pcikit.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.config.PciePortType;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.watch.DeviceState;
import dev.pcikit.core.watch.HostState;
import dev.pcikit.core.watch.StateScanner;
import dev.pcikit.sim.HostBuilder;
import dev.pcikit.sim.HostSysfs;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.SimulatedHost;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import dev.pcikit.sim.demo.DemoHosts;
import dev.pcikit.sim.snapshot.Fixtures;
import dev.pcikit.sim.snapshot.SnapshotReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fingerprints computed from what an inventory read ({@code Host.fingerprints}, as {@code list},
 * {@code check}, the agent and the watcher take them) are the ones a reader without the inventory
 * finds reading every fact itself, for every function of every demo host (zPCI on s390x, VFs
 * anchored on their PF on nic-farm) and of hosts with DSNs and VPD serials, with both inventory
 * details (a listing's 64 config bytes, or the whole config space).
 */
class FingerprintsFromInventoryTest {
  @TempDir Path tmp;

  static Stream<Arguments> hosts() {
    return DemoHosts.NAMES.stream()
        .flatMap(
            n -> Stream.of(InventoryReader.Detail.values()).map(detail -> Arguments.of(n, detail)));
  }

  private SimulatedHost open(String demo) {
    return SimulatedHost.open("demo:" + demo, Map.of("PCIKIT_STATE_DIR", tmp.toString()));
  }

  /** The reference: every fact read per device, no inventory. */
  private static Map<PciAddress, DeviceIdentity> perDevice(SimulatedHost host) {
    return new FingerprintReader(host.sysfs()).readAll();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("hosts")
  void identityFromTheInventoryIsTheOneReadPerDevice(String demo, InventoryReader.Detail detail) {
    SimulatedHost host = open(demo);
    Inventory inv = host.inventory(detail);
    List<PciAddress> all = inv.devices().stream().map(PciDevice::address).toList();

    Map<PciAddress, DeviceIdentity> fromInventory = host.fingerprints(inv.devices()).readEach(all);

    Map<PciAddress, DeviceIdentity> reference = perDevice(host);
    assertThat(reference.keySet()).containsExactlyElementsOf(all);
    // whole identities: fingerprint fields, VPD and findings
    assertThat(fromInventory).isEqualTo(reference);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("demoNames")
  void theWatchersScansCarryTheFingerprintsReadPerDevice(String demo) {
    SimulatedHost host = open(demo);
    Map<PciAddress, Optional<String>> reference = new TreeMap<>();
    perDevice(host).forEach((a, id) -> reference.put(a, Optional.of(id.fingerprint().identity())));

    HostState first = new StateScanner(true, Clock.systemUTC()).full(host);
    assertThat(fingerprints(first)).isEqualTo(reference);

    // a targeted read of every function by a scanner that knows none of them reads each anew
    HostState unfingerprinted = new StateScanner(false, Clock.systemUTC()).full(host);
    HostState targeted =
        new StateScanner(true, Clock.systemUTC())
            .targeted(host, unfingerprinted, unfingerprinted.devices().keySet());
    assertThat(fingerprints(targeted)).isEqualTo(reference);
  }

  /**
   * The demo hosts carry no DSN or VPD: the x86 lab's recordings (QEMU e1000e DSNs, NVMe VFs, slots
   * of QEMU's root ports) and a built host with DSNs and VPD serials check what is read from the
   * config space beyond a listing's 64 bytes, and the VPD.
   */
  static Stream<Arguments> serials() {
    HostBuilder h = new HostBuilder("x86_64");
    for (int i = 0; i < 3; i++) {
      h.device(
              String.format("0000:00:%02x.0", i + 1),
              ConfigSpaceBuilder.endpoint(0x15b3, 0x101b)
                  .classCode(0x020000)
                  .express(PciePortType.ENDPOINT)
                  .capability(0x03, new byte[8])
                  .dsn(i == 1 ? 0 : 0x0011223344556677L + i))
          .driver("mlx5_core");
    }
    SimKernel k = h.boot();
    for (int i = 0; i < 3; i++) {
      String d = k.tree().dir(String.format("0000:00:%02x.0", i + 1));
      k.host().putFile(d + "/vpd", FingerprintVsLspciTest.vpd("ConnectX-6 Dx", "MT2142X0123" + i));
    }
    String initial = "x86-q35-lab-initial.snapshot.txt";
    return Stream.of(
            Arguments.of(initial, SnapshotReader.read(Fixtures.text(initial), initial)),
            Arguments.of(Fixtures.X86_LAB, Fixtures.x86Lab()),
            Arguments.of("built: DSN and VPD", k.host()))
        .flatMap(
            a ->
                Stream.of(InventoryReader.Detail.values())
                    .map(detail -> Arguments.of(a.get()[0], a.get()[1], detail)));
  }

  @ParameterizedTest(name = "{0}, {2}")
  @MethodSource("serials")
  void serialsFromTheInventoryAreThoseReadPerDevice(
      String name, HostSysfs sysfs, InventoryReader.Detail detail) {
    Inventory inv = new InventoryReader(sysfs, detail).read();
    List<PciAddress> all = inv.devices().stream().map(PciDevice::address).toList();

    // what Host.fingerprints makes
    Map<PciAddress, DeviceIdentity> fromInventory =
        new FingerprintReader(sysfs, inv.devices()).readEach(all);

    Map<PciAddress, DeviceIdentity> reference = new FingerprintReader(sysfs).readAll();
    assertThat(reference.values())
        .as("the host has serials to compare")
        .anyMatch(id -> id.fingerprint().dsn().isPresent());
    assertThat(reference.keySet()).containsExactlyElementsOf(all);
    assertThat(fromInventory).isEqualTo(reference);
  }

  static Stream<String> demoNames() {
    return DemoHosts.NAMES.stream();
  }

  private static Map<PciAddress, Optional<String>> fingerprints(HostState s) {
    Map<PciAddress, Optional<String>> out = new TreeMap<>();
    for (DeviceState d : s.devices().values()) {
      out.put(d.address(), d.fingerprint());
    }
    return out;
  }
}
