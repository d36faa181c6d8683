package dev.pcikit.core.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.config.PciePortType;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.sim.HostBuilder;
import dev.pcikit.sim.SimKernel;
import dev.pcikit.sim.config.ConfigSpaceBuilder;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Over random hosts (root ports with multi-function cards, identical models, duplicate and missing
 * serials, SR-IOV VFs, root-bus devices): no two functions share a fingerprint, and resolving any
 * function's own fingerprint never names another function.
 */
class FingerprintUniquenessPropertiesTest {

  static SimKernel randomHost(long seed) {
    Random r = new Random(seed);
    HostBuilder h = new HostBuilder("x86_64");
    h.device(
            "0000:00:00.0",
            ConfigSpaceBuilder.endpoint(0x8086, 0x29c0).classCode(0x060000).conventional())
        .group(0);
    int ports = 1 + r.nextInt(6);
    int bus = 1;
    for (int p = 0; p < ports; p++) {
      int port = 1 + p * (1 + r.nextInt(3));
      if (port > 0x1b) {
        break;
      }
      boolean sriov = r.nextInt(3) == 0;
      // VFs at a routing-ID offset of 256 live on the next bus, which the port must span
      boolean spill = sriov && r.nextBoolean();
      h.device(
              String.format("0000:00:%02x.0", port),
              ConfigSpaceBuilder.bridge(0x8086, 0x7ab8)
                  .buses(0, bus, spill ? bus + 1 : bus)
                  .express(PciePortType.ROOT_PORT)
                  .acs(0x1f, 0x1f))
          .driver("pcieport");
      if (sriov) {
        h.device(
                String.format("0000:%02x:00.0", bus),
                ConfigSpaceBuilder.endpoint(0x1b36, 0x0010)
                    .classCode(0x010802)
                    .express(PciePortType.ENDPOINT)
                    .dsn(r.nextBoolean() ? 0x42L : 0)
                    .sriov(ConfigSpaceBuilder.sriov(8, 0x0010).offset(spill ? 256 : 1).stride(1)))
            .driver("nvme")
            .autoprobe(false)
            .numVfs(1 + r.nextInt(4));
      } else {
        int functions = 1 + r.nextInt(4);
        // few serials, so that cards share them (firmware that writes one DSN to every card)
        long dsn = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(2);
        for (int f = 0; f < functions; f++) {
          ConfigSpaceBuilder ep =
              ConfigSpaceBuilder.endpoint(0x8086, 0x1521)
                  .classCode(0x020000)
                  .express(PciePortType.ENDPOINT)
                  .multifunction(functions > 1);
          if (dsn != 0) {
            ep.dsn(dsn);
          }
          h.device(String.format("0000:%02x:00.%d", bus, f), ep).driver("igb");
        }
      }
      bus += spill ? 2 : 1;
    }
    int rootDevices = r.nextInt(3);
    for (int i = 0; i < rootDevices; i++) {
      h.device(
              String.format("0000:00:1f.%d", i),
              ConfigSpaceBuilder.endpoint(0x8086, 0x1521)
                  .classCode(0x020000)
                  .multifunction(rootDevices > 1))
          .driver("igb");
    }
    return h.boot();
  }

  @Property(tries = 60)
  void noTwoFunctionsShareAFingerprint(@ForAll long seed) {
    SimKernel k = randomHost(seed);
    Map<PciAddress, DeviceIdentity> all = new FingerprintReader(k).readAll();
    assertThat(all.keySet()).hasSameSizeAs(k.tree().bdfs());
    Set<Fingerprint> seen = new HashSet<>();
    Set<String> paths = new HashSet<>();
    for (DeviceIdentity d : all.values()) {
      assertThat(seen.add(d.fingerprint())).as("duplicate fingerprint %s", d).isTrue();
      assertThat(paths.add(d.fingerprint().path())).as("duplicate path %s", d).isTrue();
    }
  }

  @Property(tries = 60)
  void aFunctionsOwnFingerprintNeverNamesAnotherFunction(@ForAll long seed) {
    SimKernel k = randomHost(seed);
    Map<PciAddress, DeviceIdentity> all = new FingerprintReader(k).readAll();
    for (DeviceIdentity d : all.values()) {
      Resolution res = FingerprintResolver.resolve(d.address(), d.fingerprint(), all);
      assertThat(res.kind()).isEqualTo(Resolution.Kind.SAME);
      assertThat(res.now()).contains(d.address());
    }
  }

  @Property(tries = 30)
  void fingerprintsSurviveTheFile(@ForAll long seed) {
    SimKernel k = randomHost(seed);
    for (DeviceIdentity d : new FingerprintReader(k).readAll().values()) {
      assertThat(Fingerprint.fromFields(d.fingerprint().fields())).isEqualTo(d.fingerprint());
    }
  }
}
