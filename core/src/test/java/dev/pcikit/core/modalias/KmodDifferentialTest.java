package dev.pcikit.core.modalias;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pcikit against {@code modprobe -C EMPTYDIR -d ROOT -S VER -R ALIAS} on Debian's amd64 kernel
 * (downloaded once by scripts/fetch-debian-kernel.sh, never installed).
 */
class KmodDifferentialTest {

  @TempDir Path tmp;

  @Test
  void agreesWithModprobeOnDebiansKernel() throws IOException {
    String[] kernel = KmodHarness.debianKernel();
    Path root = Path.of(kernel[0]);
    String version = kernel[1];
    Path modulesDir = root.resolve("lib/modules").resolve(version);
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    AliasIndex index = ModuleAliases.load(modulesDir, List.of(empty), version);
    assertThat(index.warnings()).isEmpty();

    Random rnd = new Random(20261121);
    List<String> pciPatterns = new ArrayList<>();
    List<String> otherPatterns = new ArrayList<>();
    for (String p : ModaliasSamples.patternsOf(modulesDir.resolve("modules.alias"))) {
      (p.startsWith("pci:") ? pciPatterns : otherPatterns).add(p);
    }
    List<String> pci = new ArrayList<>();
    Path ids = ModaliasSamples.pciIds();
    if (ids != null) {
      pci.addAll(ModaliasSamples.fromPciIds(ids, rnd, 800));
    }
    pci.addAll(ModaliasSamples.random(rnd, 300));
    pci.addAll(ModaliasSamples.instances(pciPatterns, rnd, 900));
    List<String> keys = new ArrayList<>(pci);
    keys.addAll(ModaliasSamples.vfioForms(pci));
    keys.addAll(ModaliasSamples.instances(otherPatterns, rnd, 600));
    keys.addAll(
        List.of("vfio-pci", "nvme", "e1000e", "no_such_module", "symbol:nvme_submit_sync_cmd"));

    Map<String, List<String>> kmod = KmodHarness.resolve(root, version, List.of(empty), keys);
    assertAgreement(index, kmod);
    long several = kmod.values().stream().filter(m -> m.size() > 1).count();
    long answered = kmod.values().stream().filter(m -> !m.isEmpty()).count();
    // the samples must exercise the interesting cases, or the comparison proves little
    assertThat(several).as("aliases with several modules").isGreaterThan(50);
    assertThat(answered).as("aliases with an answer").isGreaterThan(1500);
  }

  static void assertAgreement(AliasIndex index, Map<String, List<String>> kmod) {
    List<String> diffs = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : kmod.entrySet()) {
      List<String> ours = index.modulesFor(e.getKey());
      if (!ours.equals(e.getValue())) {
        diffs.add(e.getKey() + ": kmod " + e.getValue() + ", pcikit " + ours);
      }
    }
    assertThat(diffs).as("disagreements with modprobe -R (of %d)", kmod.size()).isEmpty();
  }
}
