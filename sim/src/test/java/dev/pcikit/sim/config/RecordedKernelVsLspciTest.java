package dev.pcikit.sim.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.config.ConfigCoverage;
import dev.pcikit.core.config.ConfigDecoder;
import dev.pcikit.core.config.ConfigFinding;
import dev.pcikit.core.config.ConfigSpace;
import dev.pcikit.core.config.ExtendedCapability;
import dev.pcikit.core.config.PciePortType;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.sim.snapshot.Fixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoder on config bytes recorded from a real Linux 6.1 kernel (QEMU q35 with an SR-IOV NVMe
 * controller and igb-style NICs), compared with lspci -vvv over a tree rebuilt from the same bytes.
 * Only {@code B bdf config base64} lines are read, plus the {@code A} vendor/device/class values,
 * which lspci's sysfs backend takes from the attributes (a VF's config reads its IDs as ffff).
 */
class RecordedKernelVsLspciTest {
  private static final Set<String> ID_ATTRS = Set.of("vendor", "device", "class");

  @TempDir Path dir;

  @BeforeAll
  static void lspciPresent() {
    Lspci.assumeAvailable();
  }

  record Recording(Map<PciAddress, byte[]> configs, Map<PciAddress, Map<String, String>> attrs) {}

  static Recording read() throws IOException {
    Map<PciAddress, byte[]> configs = new LinkedHashMap<>();
    Map<PciAddress, Map<String, String>> attrs = new HashMap<>();
    // the x86 lab's recording, kept in the repository (a plain clone has no sibling folders)
    for (String line : Fixtures.text(Fixtures.X86_LAB).lines().toList()) {
      String[] f = line.split(" ", 4);
      if (f.length == 4 && f[0].equals("B") && f[2].equals("config")) {
        configs.put(PciAddress.parse(f[1]), Base64.getDecoder().decode(f[3]));
      } else if (f.length == 4 && f[0].equals("A") && ID_ATTRS.contains(f[2])) {
        attrs.computeIfAbsent(PciAddress.parse(f[1]), k -> new HashMap<>()).put(f[2], f[3]);
      }
    }
    return new Recording(configs, attrs);
  }

  @Test
  void recordedConfigsDecodeAsLspciPrintsThem() throws Exception {
    Recording rec = read();
    assertThat(rec.configs()).hasSize(21);
    Map<String, List<String>> lspci = Lspci.run(Lspci.tree(dir, rec.configs(), rec.attrs()));
    List<String> problems = new ArrayList<>();
    for (Map.Entry<PciAddress, byte[]> e : rec.configs().entrySet()) {
      String bdf = e.getKey().toString();
      ConfigSpace cs = ConfigDecoder.decode(e.getValue());
      assertThat(cs.findings()).as(bdf).allMatch(f -> f.severity() != ConfigFinding.Severity.ERROR);
      for (String d : LspciComparison.differences(cs, lspci.get(bdf))) {
        problems.add(bdf + ": " + d);
      }
    }
    assertThat(problems).as("decoder vs lspci -vvv on the recording").isEmpty();
  }

  /** Facts of the recording, checked against the kernel's own sysfs attributes in it. */
  @Test
  void sriovPfAndVfsMatchTheKernelAttributes() throws Exception {
    Recording rec = read();
    ConfigSpace pf = ConfigDecoder.decode(rec.configs().get(PciAddress.parse("01:00.0")));
    ExtendedCapability.Sriov s = pf.sriov().orElseThrow();
    assertThat(s.totalVfs()).isEqualTo(4); // A 0000:01:00.0 sriov_totalvfs 4
    assertThat(s.numVfs()).isEqualTo(2); // A 0000:01:00.0 sriov_numvfs 2
    assertThat(s.vfEnable()).isTrue();
    // virtfn0 -> 01:00.1: routing ID of the PF + offset
    assertThat(PciAddress.parse("01:00.0").routingId() + s.vfOffset())
        .isEqualTo(PciAddress.parse("01:00.1").routingId());
    assertThat(PciAddress.parse("01:00.0").routingId() + s.vfOffset() + s.vfStride())
        .isEqualTo(PciAddress.parse("01:00.2").routingId());
    assertThat(pf.coverage()).isEqualTo(ConfigCoverage.EXTENDED);

    ConfigSpace vf = ConfigDecoder.decode(rec.configs().get(PciAddress.parse("01:00.1")));
    assertThat(vf.responding()).isTrue();
    assertThat(vf.hasFinding(ConfigFinding.Kind.IDS_ALL_ONES)).isTrue();
    assertThat(vf.header().orElseThrow().classCode()).isEqualTo(0x010802);
    assertThat(vf.express().orElseThrow().portType()).isEqualTo(PciePortType.ENDPOINT);
  }
}
