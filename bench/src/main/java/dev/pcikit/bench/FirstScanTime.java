package dev.pcikit.bench;

import dev.pcikit.core.host.Host;
import dev.pcikit.core.host.SystemHost;
import dev.pcikit.core.watch.HostState;
import dev.pcikit.core.watch.StateScanner;
import dev.pcikit.sim.SimulatedHost;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The watcher's first scan at agent start: a new {@link StateScanner} with fingerprints reading
 * every function of a demo host once ({@code StateScanner.full}, every fingerprint read). Each
 * round takes a new scanner (nothing cached) on the same opened host; the first round runs cold (as
 * at agent start), the others after it. Wall time and process CPU time (user + system, all threads:
 * the inventory and the fingerprints are read in parallel), with the load average: the machine is
 * shared, and wall time alone mostly measures the wait for a core. A timing script, not a test.
 *
 * <p>Run: {@code java -cp bench/target/pcikit-bench.jar dev.pcikit.bench.FirstScanTime [DEMO|DIR]
 * [ROUNDS]} (default nic-farm, 11 rounds); DIR is a system root holding a copied or materialized
 * {@code sys} tree (a demo host's: {@code dev.pcikit.bench.MaterializeDemo NAME DIR/sys}), read
 * through the file system so that {@code strace -f -c} counts the syscalls.
 */
public final class FirstScanTime {
  private FirstScanTime() {}

  public static void main(String[] args) throws Exception {
    String demo = args.length > 0 ? args[0] : "nic-farm";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 11;
    Host host;
    if (demo.startsWith("/")) {
      // a materialized tree (DIR/sys), for syscall counts with strace -f -c; never this machine's
      if (Path.of(demo).toRealPath().equals(Path.of("/"))) {
        throw new IllegalArgumentException("a copied tree, not this machine's root");
      }
      host = SystemHost.of(Path.of(demo));
    } else {
      Path tmp = Files.createTempDirectory("pcikit-first-scan");
      SimulatedHost sim =
          SimulatedHost.open("demo:" + demo, Map.of("PCIKIT_STATE_DIR", tmp.toString()));
      sim.session(); // the demo host is made and loaded before the clock starts
      host = sim;
    }
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    double load0 = os.getSystemLoadAverage();
    List<Long> wall = new ArrayList<>();
    List<Long> cpu = new ArrayList<>();
    int functions = 0;
    for (int i = 0; i < rounds; i++) {
      long c0 = os.getProcessCpuTime();
      long t0 = System.nanoTime();
      HostState s = new StateScanner(true, Clock.systemUTC()).full(host);
      long t1 = System.nanoTime();
      long c1 = os.getProcessCpuTime();
      functions = s.devices().size();
      if (i == 0) {
        System.out.printf(
            Locale.ROOT,
            "first scan %s (%d functions), cold: wall %.1f ms, cpu %.1f ms%n",
            demo,
            functions,
            (t1 - t0) / 1e6,
            (c1 - c0) / 1e6);
      } else {
        wall.add(t1 - t0);
        cpu.add(c1 - c0);
      }
    }
    if (!wall.isEmpty()) {
      System.out.printf(
          Locale.ROOT,
          "first scan %s (%d functions), warm: wall median %.1f ms, cpu median %.1f ms (n=%d)%n",
          demo,
          functions,
          median(wall) / 1e6,
          median(cpu) / 1e6,
          wall.size());
    }
    System.out.printf(Locale.ROOT, "load average %.2f -> %.2f%n", load0, os.getSystemLoadAverage());
  }

  private static long median(List<Long> v) {
    List<Long> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
