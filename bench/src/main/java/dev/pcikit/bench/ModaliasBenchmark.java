package dev.pcikit.bench;

import dev.pcikit.core.modalias.AliasIndex;
import dev.pcikit.core.modalias.ModuleAliases;
import dev.pcikit.core.modalias.VfioChoice;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Module alias resolution on a real modules.alias (Debian's amd64 kernel: ~26,000 aliases, ~9,000
 * of them pci:). {@code modulesDir} defaults to the kernel scripts/fetch-debian-kernel.sh caches.
 */
@State(Scope.Benchmark)
public class ModaliasBenchmark {

  /** lib/modules/VER; empty: the cached Debian kernel (run scripts/fetch-debian-kernel.sh once). */
  @Param("")
  public String modulesDir;

  private Path dir;
  private AliasIndex index;
  private String[] devices;
  private int next;

  /** A NIC with a driver (e1000e), an NVMe (class match), a Mellanox VF, an unknown device. */
  static final String[] SAMPLE = {
    "pci:v00008086d000010D3sv00008086sd0000A01Fbc02sc00i00",
    "pci:v00001B36d00000010sv00001AF4sd00001100bc01sc08i02",
    "pci:v000015B3d0000101Esv000015B3sd00000001bc02sc00i00",
    "pci:v00001234d00005678sv00001234sd00005678bcFFsc00i00",
  };

  @Setup
  public void setup() throws IOException, InterruptedException {
    dir = modulesDir.isEmpty() ? cachedDebianKernel() : Path.of(modulesDir);
    index = ModuleAliases.load(dir, List.of(), dir.getFileName().toString());
    // a realistic mix: device IDs taken from the pci aliases themselves, plus the sample
    List<String> ids = new ArrayList<>(List.of(SAMPLE));
    Random rnd = new Random(1);
    for (String line :
        Files.readAllLines(dir.resolve("modules.alias"), StandardCharsets.US_ASCII)) {
      // "alias pci:vVVVVVVVVdDDDDDDDDsv…": a literal vendor and device
      if (line.startsWith("alias pci:v0000")
          && line.length() > 29
          && line.charAt(19) == 'd'
          && line.substring(10, 28).indexOf('*') < 0
          && line.charAt(28) == 's'
          && rnd.nextInt(8) == 0) {
        String vd = line.substring(10, 28);
        ids.add(
            String.format(
                Locale.ROOT, "pci:%ssv00001028sd00000%03Xbc02sc00i00", vd, rnd.nextInt(4096)));
      }
    }
    devices = ids.toArray(new String[0]);
  }

  Path dir() {
    return dir;
  }

  String[] devices() {
    return devices;
  }

  static Path cachedDebianKernel() throws IOException, InterruptedException {
    Path project = Path.of("").toAbsolutePath();
    while (project != null && !Files.exists(project.resolve("scripts/fetch-debian-kernel.sh"))) {
      project = project.getParent();
    }
    if (project == null) {
      throw new IOException("run from the pcikit checkout or pass -p modulesDir=DIR");
    }
    Process p =
        new ProcessBuilder("sh", project.resolve("scripts/fetch-debian-kernel.sh").toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String[] out =
        new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip().split("\t");
    if (p.waitFor() != 0) {
      throw new IOException("fetch-debian-kernel.sh failed");
    }
    return Path.of(out[0], "lib/modules", out[1]);
  }

  /** Building the index: read and index modules.alias, builtin aliases, module names. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public AliasIndex build() {
    return ModuleAliases.load(dir, List.of(), dir.getFileName().toString());
  }

  /** One lookup of the e1000e NIC's modalias (one module answers). */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public List<String> lookupOne() {
    return index.modulesFor(SAMPLE[0]);
  }

  /** Lookups over ~1,100 modaliases of devices that have drivers, in turn. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public List<String> lookupMix() {
    String m = devices[next];
    next = next + 1 == devices.length ? 0 : next + 1;
    return index.modulesFor(m);
  }

  /** The VFIO choice for the Mellanox VF: a vfio_pci: lookup plus the fewest-wildcards rule. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public VfioChoice chooseVfio() {
    return index.chooseVfio(SAMPLE[2], Optional.empty());
  }
}
