package dev.pcikit.core.modalias;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The devices of a recorded 6.1.0-56-amd64 guest against the same kernel's modules: pcikit's host
 * modules contain the driver the kernel really bound, and agree with modprobe -R.
 */
class RecordedHostTest {

  @TempDir Path tmp;

  @Test
  void boundDriversAreAmongTheHostModules() throws IOException {
    String[] kernel = KmodHarness.debianKernel();
    Path root = Path.of(kernel[0]);
    String version = kernel[1];
    // the recording is of 6.1.0-56-amd64; whichever 6.1 Debian ships now has the same tables
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    AliasIndex index =
        ModuleAliases.load(root.resolve("lib/modules").resolve(version), List.of(empty), version);

    Map<String, String> modalias = new LinkedHashMap<>();
    Map<String, Map<String, Integer>> ids = new LinkedHashMap<>();
    Map<String, String> bound = new LinkedHashMap<>();
    try (InputStream in = getClass().getResourceAsStream("x86-q35-linux6.1-drivers.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        String[] f = line.trim().split(" ");
        if (f[0].equals("A") && f[2].equals("modalias")) {
          modalias.put(f[1], f[3]);
        } else if (f[0].equals("A")) {
          ids.computeIfAbsent(f[1], k -> new LinkedHashMap<>())
              .put(f[2], Integer.parseUnsignedInt(f[3].substring(2), 16));
        } else if (f[0].equals("R")) {
          for (int i = 2; i < f.length; i++) {
            bound.put(f[i], f[1]);
          }
        }
      }
    }
    assertThat(modalias).hasSize(21);
    // the kernel's modalias format, checked on every recorded device
    modalias.forEach(
        (bdf, m) -> {
          Map<String, Integer> id = ids.get(bdf);
          assertThat(
                  PciModalias.format(
                      id.get("vendor"),
                      id.get("device"),
                      id.get("subsystem_vendor"),
                      id.get("subsystem_device"),
                      id.get("class")))
              .isEqualTo(m);
        });
    int checked = 0;
    for (Map.Entry<String, String> b : bound.entrySet()) {
      String driver = b.getValue();
      if (driver.equals("vfio-pci") || driver.equals("pcieport")) {
        continue;
      }
      assertThat(index.modulesFor(modalias.get(b.getKey())))
          .as("%s bound to %s", b.getKey(), driver)
          .contains(KmodNames.normalizeModuleName(driver));
      checked++;
    }
    assertThat(checked).isEqualTo(8); // e1000 x2, e1000e x5, nvme

    Map<String, List<String>> kmod =
        KmodHarness.resolve(root, version, List.of(empty), new ArrayList<>(modalias.values()));
    KmodDifferentialTest.assertAgreement(index, kmod);

    // the NVMe VF the lab bound to vfio-pci: Debian 6.1 has only the generic alias
    VfioChoice vf = index.chooseVfio(modalias.get("0000:01:00.1"), Optional.empty());
    assertThat(vf.chosen()).contains("vfio_pci");
    assertThat(index.modulesFor(modalias.get("0000:01:00.1"))).containsExactly("nvme", "nvme");
  }
}
