package dev.pcikit.sim.config;

import static dev.pcikit.sim.config.ConfigSpaceBuilder.ACS_CR;
import static dev.pcikit.sim.config.ConfigSpaceBuilder.ACS_DT;
import static dev.pcikit.sim.config.ConfigSpaceBuilder.ACS_EC;
import static dev.pcikit.sim.config.ConfigSpaceBuilder.ACS_RR;
import static dev.pcikit.sim.config.ConfigSpaceBuilder.ACS_SV;
import static dev.pcikit.sim.config.ConfigSpaceBuilder.ACS_TB;
import static dev.pcikit.sim.config.ConfigSpaceBuilder.ACS_UF;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigSpace;
import dev.pcikit.core.config.PciePortType;
import dev.pcikit.core.model.PciAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test: the decoder against the real pciutils lspci -vvv, on sysfs trees whose config
 * bytes come from {@link ConfigSpaceBuilder}: a hand-picked host and a seeded random population.
 */
class DecoderVsLspciTest {
  @TempDir Path dir;

  @BeforeAll
  static void lspciPresent() {
    Lspci.assumeAvailable();
  }

  static final int ACS_ALL = ACS_SV | ACS_TB | ACS_RR | ACS_CR | ACS_UF | ACS_EC | ACS_DT;

  /** A small host: root ports with ACS, a switch, an SR-IOV PF with VFs, odd but legal devices. */
  static Map<PciAddress, byte[]> handPicked() {
    Map<PciAddress, byte[]> m = new LinkedHashMap<>();
    m.put(
        PciAddress.parse("00:00.0"),
        ConfigSpaceBuilder.endpoint(0x8086, 0x29c0).classCode(0x060000).conventional().build());
    m.put(
        PciAddress.parse("00:01.0"),
        ConfigSpaceBuilder.bridge(0x8086, 0x7c02)
            .buses(0, 1, 4)
            .multifunction(true)
            .express(PciePortType.ROOT_PORT)
            .link(4, 16, 3, 8)
            .subsystem(0x8086, 0x0000)
            .powerManagement()
            .msi(true, 0, false, true)
            .aer()
            .acs(ACS_SV | ACS_RR | ACS_CR | ACS_UF | ACS_TB, ACS_SV | ACS_RR | ACS_CR | ACS_UF)
            .build());
    m.put(
        PciAddress.parse("00:01.1"),
        ConfigSpaceBuilder.bridge(0x8086, 0x7c03)
            .buses(0, 5, 5)
            .express(PciePortType.ROOT_PORT)
            .slot(false)
            .acs(ACS_ALL, 0)
            .build());
    m.put(
        PciAddress.parse("01:00.0"),
        ConfigSpaceBuilder.bridge(0x10b5, 0x8747)
            .buses(1, 2, 4)
            .express(PciePortType.UPSTREAM_PORT)
            .link(3, 16, 3, 8)
            .powerManagement()
            .msi(false, 0, false, false)
            .build());
    m.put(
        PciAddress.parse("02:08.0"),
        ConfigSpaceBuilder.bridge(0x10b5, 0x8747)
            .buses(2, 3, 3)
            .express(PciePortType.DOWNSTREAM_PORT)
            .link(3, 16, 2, 4)
            .acs(ACS_SV | ACS_RR | ACS_CR | ACS_UF | ACS_EC, ACS_RR | ACS_CR)
            .build());
    m.put(
        PciAddress.parse("03:00.0"),
        ConfigSpaceBuilder.endpoint(0x8086, 0x1572)
            .classCode(0x020000)
            .revision(0x02)
            .multifunction(true)
            .subsystem(0x8086, 0x0001)
            .powerManagement()
            .msi(true, 3, true, false)
            .msix(129, true)
            .express(PciePortType.ENDPOINT)
            .link(3, 8, 3, 4)
            .flr(true)
            .aer()
            .ari(1)
            .sriov(
                ConfigSpaceBuilder.sriov(64, 0x154c)
                    .numVfs(8)
                    .offset(16)
                    .stride(1)
                    .control(0x19)
                    .capabilities(0x2))
            .ats(0, false)
            .dsn(0x0011223344556677L)
            .build());
    m.put(
        PciAddress.parse("03:02.0"),
        ConfigSpaceBuilder.endpoint(0x8086, 0x154c)
            .classCode(0x020000)
            .command(0x0004) // VF: Mem- by design
            .express(PciePortType.ENDPOINT)
            .flr(true)
            .msix(4, true)
            .ari(0)
            .build());
    m.put(
        PciAddress.parse("00:02.0"),
        ConfigSpaceBuilder.endpoint(0x1234, 0x5678)
            .classCode(0x030000)
            .express(PciePortType.ROOT_COMPLEX_INTEGRATED_ENDPOINT)
            .pasid(20, true)
            .pri(512, true)
            .ats(4, true)
            .build());
    m.put(
        PciAddress.parse("05:00.0"),
        ConfigSpaceBuilder.endpoint(0x144d, 0xa808)
            .classCode(0x010802)
            .express(PciePortType.LEGACY_ENDPOINT)
            .link(5, 4, 1, 1)
            .flr(false)
            .msix(33, false)
            .build());
    m.put(
        PciAddress.parse("00:1f.0"),
        ConfigSpaceBuilder.endpoint(0x8086, 0x2918)
            .classCode(0x060100)
            .conventional()
            .powerManagement()
            .msi(false, 2, false, true)
            .capability(0x09, new byte[] {0, 0, 0x0c, 0, 0, 0, 0, 0, 0, 0, 0, 0})
            .build());
    // what a non-root reader gets: the header only
    m.put(
        PciAddress.parse("05:00.1"),
        ConfigSpaceBuilder.endpoint(0x144d, 0xa808)
            .classCode(0x010802)
            .express(PciePortType.ENDPOINT)
            .msix(33, false)
            .size(64)
            .build());
    // a VF as its config reads (IDs ffff, Mem-)
    m.put(
        PciAddress.parse("03:02.1"),
        ConfigSpaceBuilder.endpoint(0x8086, 0x154c)
            .classCode(0x020000)
            .express(PciePortType.ENDPOINT)
            .flr(true)
            .msix(4, true)
            .ari(0)
            .virtualFunction()
            .build());
    // a standard chain that loops back to its start, and an extended one that loops
    m.put(
        PciAddress.parse("00:03.0"),
        ConfigSpaceBuilder.endpoint(0x1af4, 0x1041)
            .classCode(0x020000)
            .powerManagement()
            .msix(3, true)
            .express(PciePortType.ENDPOINT)
            .poke8(0x4c + 1, 0x40) // third capability (Express at 0x4c) points back to 0x40
            .build());
    m.put(
        PciAddress.parse("00:04.0"),
        ConfigSpaceBuilder.endpoint(0x1af4, 0x1042)
            .classCode(0x010000)
            .express(PciePortType.ENDPOINT)
            .aer()
            .dsn(42)
            .poke32(0x148, 0x1010_0003) // DSN at 0x148 points back to 0x100
            .build());
    return m;
  }

  @Test
  void handPickedDevicesDecodeAsLspciPrintsThem() throws Exception {
    assertAgrees(handPicked());
  }

  /** Seeded random population: a failure names the seed and device, so it can be replayed. */
  @Test
  void randomDevicesDecodeAsLspciPrintsThem() throws Exception {
    long seed = Long.getLong("pcikit.seed", 20261121L);
    Random r = new Random(seed);
    Map<PciAddress, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < 60; i++) {
      m.put(new PciAddress(0, 0x10 + i / 32, i % 32, 0), randomDevice(r));
    }
    assertAgrees(m);
  }

  /** The comparison is not vacuous: lspci's view of another device does not pass for this one. */
  @Test
  void comparisonNoticesADifferentDevice() throws Exception {
    Map<PciAddress, byte[]> m = handPicked();
    Map<String, List<String>> lspci = Lspci.run(Lspci.tree(dir, m));
    ConfigSpace pf = ConfigDecoder.decode(m.get(PciAddress.parse("03:00.0")));
    ConfigSpace port = ConfigDecoder.decode(m.get(PciAddress.parse("02:08.0")));
    assertThat(LspciComparison.differences(pf, lspci.get("0000:02:08.0"))).isNotEmpty();
    assertThat(LspciComparison.differences(port, lspci.get("0000:03:00.0"))).isNotEmpty();
    // one changed SR-IOV field is enough
    byte[] changed = m.get(PciAddress.parse("03:00.0")).clone();
    int sriov = ConfigDecoder.decode(changed).sriov().orElseThrow().offset();
    changed[sriov + 0x10] = 7; // NumVFs 8 -> 7
    assertThat(
            LspciComparison.differences(ConfigDecoder.decode(changed), lspci.get("0000:03:00.0")))
        .anySatisfy(d -> assertThat(d).contains("Number of VFs: 7"));
  }

  private void assertAgrees(Map<PciAddress, byte[]> configs) throws Exception {
    Map<String, List<String>> lspci = Lspci.run(Lspci.tree(dir, configs));
    List<String> problems = new ArrayList<>();
    assertThat(lspci.keySet())
        .containsExactlyInAnyOrderElementsOf(
            configs.keySet().stream().map(PciAddress::toString).toList());
    for (Map.Entry<PciAddress, byte[]> e : configs.entrySet()) {
      String bdf = e.getKey().toString();
      List<String> diffs =
          LspciComparison.differences(ConfigDecoder.decode(e.getValue()), lspci.get(bdf));
      for (String d : diffs) {
        problems.add(bdf + ": " + d);
      }
      if (!diffs.isEmpty()) {
        problems.add(bdf + ": lspci printed:\n" + String.join("\n", lspci.get(bdf)));
      }
    }
    assertThat(problems).as("decoder vs lspci -vvv").isEmpty();
  }

  static byte[] randomDevice(Random r) {
    boolean bridge = r.nextInt(4) == 0;
    ConfigSpaceBuilder b =
        bridge
            ? ConfigSpaceBuilder.bridge(r.nextInt(0xfffe), r.nextInt(0x10000))
                .buses(r.nextInt(256), r.nextInt(256), r.nextInt(256))
            : ConfigSpaceBuilder.endpoint(r.nextInt(0xfffe), r.nextInt(0x10000))
                .classCode(r.nextInt(0x1000000));
    b.command(r.nextInt(0x800)).status(r.nextInt(0x10000) & ~0x10).revision(r.nextInt(256));
    b.multifunction(r.nextBoolean());
    boolean express = r.nextInt(5) != 0;
    if (r.nextBoolean()) {
      b.powerManagement();
    }
    if (r.nextBoolean()) {
      b.msi(r.nextBoolean(), r.nextInt(6), r.nextBoolean(), r.nextBoolean());
    }
    if (express) {
      PciePortType[] types =
          bridge
              ? new PciePortType[] {
                PciePortType.ROOT_PORT,
                PciePortType.UPSTREAM_PORT,
                PciePortType.DOWNSTREAM_PORT,
                PciePortType.PCIE_TO_PCI_BRIDGE,
                PciePortType.PCI_TO_PCIE_BRIDGE
              }
              : new PciePortType[] {
                PciePortType.ENDPOINT,
                PciePortType.LEGACY_ENDPOINT,
                PciePortType.ROOT_COMPLEX_INTEGRATED_ENDPOINT
              };
      b.express(types[r.nextInt(types.length)]);
      int[] widths = {1, 2, 4, 8, 16, 32};
      b.link(1 + r.nextInt(6), widths[r.nextInt(6)], 1 + r.nextInt(6), widths[r.nextInt(6)]);
      b.flr(r.nextBoolean()).slot(r.nextBoolean());
    }
    if (r.nextBoolean()) {
      b.msix(1 + r.nextInt(2048), r.nextBoolean());
    }
    if (!express || r.nextInt(6) == 0) {
      b.conventional();
      return b.build();
    }
    if (r.nextBoolean()) {
      b.aer(r.nextInt(), r.nextInt());
    }
    if (r.nextBoolean()) {
      b.acs(r.nextInt(0x80), r.nextInt(0x80));
    }
    if (!bridge && r.nextBoolean()) {
      b.ari(r.nextInt(256));
    }
    if (!bridge && r.nextBoolean()) {
      int total = r.nextInt(0x10000);
      b.sriov(
          ConfigSpaceBuilder.sriov(total, r.nextInt(0x10000))
              .initialVfs(r.nextInt(0x10000))
              .numVfs(r.nextInt(0x10000))
              .offset(r.nextInt(0x10000))
              .stride(r.nextInt(0x10000))
              .capabilities(r.nextInt())
              .control(r.nextInt(0x40))
              .functionDependencyLink(r.nextInt(256))
              .supportedPageSizes(r.nextInt())
              .systemPageSize(r.nextInt()));
    }
    if (r.nextBoolean()) {
      b.ats(r.nextInt(32), r.nextBoolean());
    }
    if (r.nextBoolean()) {
      b.pasid(r.nextInt(21), r.nextBoolean());
    }
    if (r.nextBoolean()) {
      b.pri(r.nextInt(), r.nextBoolean());
    }
    if (r.nextBoolean()) {
      b.dsn(r.nextLong());
    }
    return b.build();
  }
}
