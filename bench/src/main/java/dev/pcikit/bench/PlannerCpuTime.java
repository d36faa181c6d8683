package dev.pcikit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * CPU time per plan (not wall time), for a machine shared with other work where JMH's wall-clock
 * figures mostly measure the wait for a core. Run: {@code java -cp bench/target/pcikit-bench.jar
 * dev.pcikit.bench.PlannerCpuTime}. Prints one line per round; the last rounds are warm.
 */
public final class PlannerCpuTime {
  private PlannerCpuTime() {}

  public static void main(String[] args) {
    PlannerBench b = new PlannerBench();
    b.setup();
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int round = 1; round <= 8; round++) {
      long c0 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < 300; i++) {
        sink += b.pseries30Pes().devices().size();
      }
      long c1 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < 60; i++) {
        sink += b.q35With500Functions().devices().size();
      }
      long c2 = mx.getCurrentThreadCpuTime();
      for (int i = 0; i < 30; i++) {
        sink += b.q35With500FunctionsToLibvirt().length();
      }
      long c3 = mx.getCurrentThreadCpuTime();
      System.out.printf(
          Locale.ROOT,
          "round %d  cpu/op: pseries30Pes %.0f us, q35With500Functions %.0f us,"
              + " q35With500FunctionsToLibvirt %.0f us%n",
          round,
          (c1 - c0) / 300 / 1e3,
          (c2 - c1) / 60 / 1e3,
          (c3 - c2) / 30 / 1e3);
    }
    if (sink == 42) {
      System.out.println();
    }
  }
}
