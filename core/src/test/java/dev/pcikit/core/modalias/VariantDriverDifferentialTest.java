package dev.pcikit.core.modalias;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's kernels build no VFIO variant driver, so this test adds stub modules (a .modinfo section
 * and nothing else, compiled with gcc) carrying the upstream variant drivers' ID tables to a copy
 * of Debian's module tree, runs depmod, and compares pcikit with {@code modprobe -R} again,
 * including the variant pcikit chooses.
 */
class VariantDriverDifferentialTest {

  /** Synthetic drivers that make the rule's corners appear: a tie and a class-only match. */
  private static final Map<String, List<String>> SYNTHETIC = new LinkedHashMap<>();

  static {
    // listed in this order in modules.order: tie_b comes first in kmod's answers
    SYNTHETIC.put("tie_b_vfio_pci", List.of("vfio_pci:v00001234d0000BEEFsv*sd*bc*sc*i*"));
    SYNTHETIC.put("tie_a_vfio_pci", List.of("vfio_pci:v00001234d0000BEEFsv*sd*bc*sc*i*"));
    SYNTHETIC.put("nvme_class_vfio_pci", List.of("vfio_pci:v*d*sv*sd*bc01sc08i02"));
  }

  @TempDir Path tmp;

  record Variant(String module, String file, List<int[]> ids) {}

  static List<Variant> variants() throws IOException {
    List<Variant> out = new ArrayList<>();
    try (InputStream in =
        VariantDriverDifferentialTest.class.getResourceAsStream("variant-drivers.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.trim().split("\\s+");
        List<int[]> ids = new ArrayList<>();
        for (int i = 2; i < f.length; i++) {
          String[] vd = f[i].split(":");
          ids.add(new int[] {Integer.parseInt(vd[0], 16), Integer.parseInt(vd[1], 16)});
        }
        out.add(new Variant(f[0], f[1], ids));
      }
    }
    return out;
  }

  static String vfioAlias(int vendor, int device) {
    return String.format("vfio_pci:v%08Xd%08Xsv*sd*bc*sc*i*", vendor, device);
  }

  @Test
  void agreesWithModprobeWithVariantDrivers() throws IOException {
    KmodHarness.requireTool("gcc");
    String[] kernel = KmodHarness.debianKernel();
    Path source = Path.of(kernel[0]);
    String version = kernel[1];
    Path root = tmp.resolve("root");
    Path modulesDir = root.resolve("lib/modules").resolve(version);
    copyTree(source.resolve("lib/modules").resolve(version), modulesDir);

    List<Variant> variants = variants();
    Map<String, List<String>> stubs = new LinkedHashMap<>();
    Map<String, String> files = new LinkedHashMap<>();
    for (Variant v : variants) {
      List<String> aliases = new ArrayList<>();
      for (int[] id : v.ids()) {
        aliases.add(vfioAlias(id[0], id[1]));
      }
      stubs.put(v.module(), aliases);
      files.put(v.module(), v.file());
    }
    for (Map.Entry<String, List<String>> s : SYNTHETIC.entrySet()) {
      stubs.put(s.getKey(), s.getValue());
      files.put(s.getKey(), "test/" + s.getKey().replace('_', '-') + ".ko");
    }
    List<String> orderLines = new ArrayList<>();
    for (Map.Entry<String, List<String>> s : stubs.entrySet()) {
      String rel = "kernel/drivers/vfio/pci/" + files.get(s.getKey());
      writeStub(modulesDir.resolve(rel), s.getValue());
      orderLines.add(rel);
    }
    insertIntoOrder(modulesDir.resolve("modules.order"), orderLines);
    KmodHarness.check(
        KmodHarness.run(List.of("depmod", "-b", root.toString(), version), null), "depmod");

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    AliasIndex index = ModuleAliases.load(modulesDir, List.of(empty), version);
    assertThat(index.warnings()).isEmpty();

    Random rnd = new Random(42);
    List<String> pci = new ArrayList<>();
    for (Variant v : variants) {
      for (int[] id : v.ids()) {
        for (int k = 0; k < 3; k++) {
          pci.add(
              ModaliasSamples.pci(
                  id[0], id[1], rnd.nextInt(0x10000), rnd.nextInt(0x10000), rnd.nextInt(1 << 24)));
        }
      }
    }
    for (int k = 0; k < 5; k++) {
      pci.add(ModaliasSamples.pci(0x1234, 0xbeef, rnd.nextInt(0x10000), 1, 0x020000));
      pci.add(ModaliasSamples.pci(rnd.nextInt(0x10000), rnd.nextInt(0x10000), 1, 2, 0x010802));
    }
    pci.addAll(ModaliasSamples.random(rnd, 200));
    Path ids = ModaliasSamples.pciIds();
    if (ids != null) {
      pci.addAll(ModaliasSamples.fromPciIds(ids, rnd, 200));
    }
    List<String> keys = new ArrayList<>(pci);
    List<String> vfio = ModaliasSamples.vfioForms(pci);
    keys.addAll(vfio);

    Map<String, List<String>> kmod = KmodHarness.resolve(root, version, List.of(empty), keys);
    KmodDifferentialTest.assertAgreement(index, kmod);

    // the choice: among kmod's answers for the vfio_pci form, the first with the fewest '*'
    Map<String, Integer> stars = new HashMap<>();
    stars.put("vfio_pci", 7);
    stubs.forEach((m, a) -> stars.put(m, new AliasEntry(a.get(0), m, "", 0).wildcards()));
    List<String> diffs = new ArrayList<>();
    int variantChoices = 0;
    for (String key : vfio) {
      List<String> answer = kmod.get(key);
      String expected = null;
      for (String m : answer) {
        if (expected == null || stars.get(m) < stars.get(expected)) {
          expected = m;
        }
      }
      VfioChoice choice = index.chooseVfio(key, Optional.empty());
      if (!Optional.ofNullable(expected).equals(choice.chosen())) {
        diffs.add(key + ": expected " + expected + ", pcikit " + choice.chosen());
      }
      if (expected != null && !expected.equals("vfio_pci")) {
        variantChoices++;
      }
    }
    assertThat(diffs).isEmpty();
    int variantIds = variants.stream().mapToInt(v -> v.ids().size()).sum();
    assertThat(variantChoices).isEqualTo(3 * variantIds + 10);

    assertThat(chosen(index, 0x15b3, 0x101e)).isEqualTo("mlx5_vfio_pci");
    assertThat(chosen(index, 0x19e5, 0xa259)).isEqualTo("hisi_acc_vfio_pci");
    assertThat(chosen(index, 0x1dd8, 0x1003)).isEqualTo("pds_vfio_pci");
    assertThat(chosen(index, 0x1af4, 0x1042)).isEqualTo("virtio_vfio_pci");
    assertThat(chosen(index, 0x10de, 0x2941)).isEqualTo("nvgrace_gpu_vfio_pci");
    assertThat(chosen(index, 0x8086, 0x4949)).isEqualTo("qat_vfio_pci");
    assertThat(chosen(index, 0x8086, 0x10d3)).isEqualTo("vfio_pci");
    VfioChoice tie =
        index.chooseVfio(ModaliasSamples.pci(0x1234, 0xbeef, 1, 1, 0x020000), Optional.empty());
    assertThat(tie.candidateModules())
        .containsExactly("vfio_pci", "tie_b_vfio_pci", "tie_a_vfio_pci");
    assertThat(tie.chosen()).contains("tie_b_vfio_pci");
    assertThat(tie.tie()).isTrue();
    VfioChoice user =
        index.chooseVfio(
            ModaliasSamples.pci(0x15b3, 0x101e, 1, 1, 0x020000), Optional.of("vfio-pci"));
    assertThat(user.chosen()).contains("vfio-pci");
    assertThat(user.byUser()).isTrue();
    assertThat(user.reason()).contains("mlx5_vfio_pci");
  }

  private static String chosen(AliasIndex index, int vendor, int device) {
    return index
        .chooseVfio(ModaliasSamples.pci(vendor, device, 0x1234, 0x5678, 0x020000), Optional.empty())
        .chosen()
        .orElseThrow();
  }

  /** A relocatable object whose only content is a .modinfo section: enough for depmod. */
  static void writeStub(Path ko, List<String> aliases) throws IOException {
    Files.createDirectories(ko.getParent());
    StringBuilder c = new StringBuilder();
    int i = 0;
    for (String a : aliases) {
      c.append("static const char a")
          .append(i++)
          .append("[] __attribute__((section(\".modinfo\"), used, aligned(1))) = \"alias=")
          .append(a)
          .append("\";\n");
    }
    c.append(
        "static const char l[] __attribute__((section(\".modinfo\"), used, aligned(1))) ="
            + " \"license=GPL\";\n");
    Path src = ko.resolveSibling(ko.getFileName() + ".c");
    Files.writeString(src, c.toString());
    KmodHarness.check(
        KmodHarness.run(List.of("gcc", "-c", "-o", ko.toString(), src.toString()), null), "gcc");
    Files.delete(src);
  }

  /** The stubs go right after vfio-pci.ko, where upstream's subdirectories put them. */
  private static void insertIntoOrder(Path order, List<String> lines) throws IOException {
    List<String> old = Files.readAllLines(order);
    List<String> out = new ArrayList<>();
    boolean placed = false;
    for (String l : old) {
      out.add(l);
      if (l.endsWith("/vfio/pci/vfio-pci.ko")) {
        out.addAll(lines);
        placed = true;
      }
    }
    if (!placed) {
      out.addAll(lines);
    }
    Files.delete(order); // may be a hard link into the cache
    Files.write(order, out);
  }

  /**
   * Hard-links the (large) module tree, then replaces the files depmod and this test rewrite with
   * real copies so the cached tree is never modified.
   */
  private static void copyTree(Path from, Path to) throws IOException {
    Files.createDirectories(to.getParent());
    KmodHarness.Result r =
        KmodHarness.run(List.of("cp", "-al", from.toString(), to.toString()), null);
    if (r.exit() != 0) {
      KmodHarness.check(
          KmodHarness.run(List.of("cp", "-a", from.toString(), to.toString()), null), "cp");
      return;
    }
    try (var files = Files.list(to)) {
      for (Path f : files.filter(p -> p.getFileName().toString().startsWith("modules.")).toList()) {
        byte[] content = Files.readAllBytes(f);
        Files.delete(f);
        Files.write(f, content);
      }
    }
  }
}
