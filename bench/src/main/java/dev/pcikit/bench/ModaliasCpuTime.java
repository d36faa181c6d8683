package dev.pcikit.bench;

import dev.pcikit.core.modalias.AliasIndex;
import dev.pcikit.core.modalias.ModuleAliases;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The same operations as {@link ModaliasBenchmark}, timed in thread CPU time: on a shared,
 * overloaded machine wall-clock figures mostly measure the wait for a core.
 *
 * <p>Run: {@code java -cp bench/target/pcikit-bench.jar dev.pcikit.bench.ModaliasCpuTime [DIR]}
 */
public final class ModaliasCpuTime {

  private ModaliasCpuTime() {}

  public static void main(String[] args) throws Exception {
    ModaliasBenchmark b = new ModaliasBenchmark();
    b.modulesDir = args.length > 0 ? args[0] : "";
    b.setup();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Path dir = b.dir();
    AliasIndex index = null;
    for (int round = 0; round < 3; round++) {
      long c0 = mx.getCurrentThreadCpuTime();
      int n = 20;
      for (int i = 0; i < n; i++) {
        index = ModuleAliases.load(dir, List.of(), "x");
      }
      long c1 = mx.getCurrentThreadCpuTime();
      System.out.printf(
          Locale.ROOT,
          "build      %10.1f ms cpu/op  (%d aliases)%n",
          (c1 - c0) / 1e6 / n,
          index.aliasCount());
    }
    String[] mix = b.devices();
    for (int round = 0; round < 5; round++) {
      int n = 300_000;
      long sink = 0;
      long c0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        sink += index.modulesFor(ModaliasBenchmark.SAMPLE[0]).size();
      }
      long c1 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        sink += index.modulesFor(mix[i % mix.length]).size();
      }
      long c2 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < n; i++) {
        sink += index.chooseVfio(ModaliasBenchmark.SAMPLE[2], Optional.empty()).candidates().size();
      }
      long c3 = mx.getCurrentThreadCpuTime();
      System.out.printf(
          Locale.ROOT,
          "lookupOne %7.0f ns  lookupMix %7.0f ns (%d modaliases)  chooseVfio %7.0f ns  cpu/op  [%d]%n",
          (c1 - c0) / (double) n,
          (c2 - c1) / (double) n,
          mix.length,
          (c3 - c2) / (double) n,
          sink);
    }
  }
}
