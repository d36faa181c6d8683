package dev.pcikit.bench;

import dev.pcikit.core.host.LockedHost;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.watch.EventLog;
import dev.pcikit.core.watch.HostReads;
import dev.pcikit.core.watch.HostWatcher;
import dev.pcikit.core.watch.StateScanner;
import dev.pcikit.sim.SimulatedHost;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

/**
 * How long after a change each detection path of {@link HostWatcher} logs its event, on the
 * simulated demo hosts (docs/agent-events.md). A timing script, not a test: it prints medians and
 * maxima of wall-clock latencies.
 *
 * <ul>
 *   <li>scan: the cost of a full and of a one-function targeted read (what the after-write rescan
 *       adds to a write, and what each periodic rescan costs);
 *   <li>uevent: a bind on the simulated kernel, then its {@code udevadm monitor --kernel} line
 *       written into a FIFO that {@code cat} (standing in for udevadm) copies to the watcher: from
 *       the line written to the event logged (parse, debounce, targeted read, diff);
 *   <li>periodic: a bind at a random moment, rescan every {@code INTERVAL}: from the end of the
 *       write to the event logged.
 * </ul>
 *
 * <p>Run: {@code java -cp bench/target/pcikit-bench.jar dev.pcikit.bench.WatchLatency [ROUNDS]}
 */
public final class WatchLatency {
  private WatchLatency() {}

  public static void main(String[] args) throws Exception {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
    Path tmp = Files.createTempDirectory("pcikit-watch-latency");
    Map<String, String> env = Map.of("PCIKIT_STATE_DIR", tmp.toString());
    scanCost("x86-workstation", "0000:03:00.0", env, rounds);
    scanCost("nic-farm", "0000:17:00.1", env, rounds);
    for (int debounceMs : new int[] {0, 20}) {
      uevent(env, tmp, rounds, debounceMs);
    }
    periodic(env, rounds, Duration.ofMillis(1000));
  }

  private static void scanCost(String demo, String bdf, Map<String, String> env, int rounds)
      throws Exception {
    SimulatedHost host = SimulatedHost.open("demo:" + demo, env);
    PciAddress a = PciAddress.parse(bdf);
    StateScanner scanner = new StateScanner(true, Clock.systemUTC());
    long t0 = System.nanoTime();
    var state = scanner.full(host);
    long first = System.nanoTime() - t0;
    List<Long> full = new ArrayList<>();
    List<Long> one = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long s = System.nanoTime();
      state = scanner.full(host);
      full.add(System.nanoTime() - s);
      s = System.nanoTime();
      scanner.targeted(host, state, List.of(a));
      one.add(System.nanoTime() - s);
    }
    System.out.printf(
        Locale.ROOT,
        "scan %-16s %4d functions: first full read (fingerprints) %7.1f ms; full %s; targeted %s%n",
        demo,
        state.devices().size(),
        first / 1e6,
        stats(full),
        stats(one));
  }

  private static void uevent(Map<String, String> env, Path tmp, int rounds, int debounceMs)
      throws Exception {
    Path fifo = tmp.resolve("uevents-" + debounceMs);
    new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
    SimulatedHost host = SimulatedHost.open("demo:x86-workstation", env);
    EventLog log = new EventLog();
    HostWatcher.Options o =
        new HostWatcher.Options(
            Duration.ofHours(1),
            Duration.ofMillis(debounceMs),
            true,
            Optional.of(List.of("cat", fifo.toString())));
    PciAddress nic = PciAddress.parse("0000:03:00.0");
    List<Long> lat = new ArrayList<>();
    try (HostWatcher w = HostWatcher.start(HostReads.of(host), log, o);
        OutputStream out = Files.newOutputStream(fifo)) {
      for (int i = 0; i < rounds + 3; i++) {
        toggle(host, nic);
        long last = log.last();
        String line =
            "KERNEL["
                + i
                + ".000000] bind     /devices/pci0000:00/0000:00:1c.0/"
                + nic
                + " (pci)\n";
        long t0 = System.nanoTime();
        out.write(line.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        if (!log.awaitAfter(last, Duration.ofSeconds(30))) {
          throw new IllegalStateException("no event within 30 s: " + w.stats());
        }
        if (i >= 3) { // the first rounds warm the JIT
          lat.add(System.nanoTime() - t0);
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "uevent   debounce %2d ms: line written -> event logged %s%n",
        debounceMs,
        stats(lat));
  }

  private static void periodic(Map<String, String> env, int rounds, Duration interval)
      throws Exception {
    SimulatedHost host = SimulatedHost.open("demo:x86-workstation", env);
    EventLog log = new EventLog();
    HostWatcher.Options o =
        new HostWatcher.Options(interval, Duration.ZERO, true, Optional.empty());
    PciAddress nic = PciAddress.parse("0000:03:00.0");
    Random random = new Random(42);
    List<Long> lat = new ArrayList<>();
    try (HostWatcher w = HostWatcher.start(HostReads.of(host), log, o)) {
      for (int i = 0; i < rounds; i++) {
        Thread.sleep(random.nextInt((int) interval.toMillis()));
        long last = log.last();
        toggle(host, nic);
        long t0 = System.nanoTime();
        if (!log.awaitAfter(last, interval.multipliedBy(10))) {
          throw new IllegalStateException("no event within 10 intervals: " + w.stats());
        }
        lat.add(System.nanoTime() - t0);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "periodic interval %d ms: write done -> event logged %s%n",
        interval.toMillis(),
        stats(lat));
  }

  /** Binds the device to vfio-pci, or releases it when it is bound. */
  private static void toggle(SimulatedHost host, PciAddress a) throws Exception {
    try (LockedHost locked = host.lock(Duration.ofSeconds(10))) {
      VfioEngine e = locked.vfio();
      boolean bound =
          locked
              .host()
              .sysfs()
              .linkName("bus/pci/devices/" + a + "/driver")
              .orElse("")
              .equals("vfio-pci");
      if (bound) {
        e.execute(e.planRelease(VfioEngine.exactly(List.of(a)), false));
      } else {
        e.execute(
            e.planBind(
                new VfioEngine.BindRequest(
                    VfioEngine.exactly(List.of(a)), false, null, false, false)));
      }
    }
  }

  private static String stats(List<Long> nanos) {
    List<Long> s = new ArrayList<>(nanos);
    Collections.sort(s);
    return String.format(
        Locale.ROOT,
        "median %.2f ms, p90 %.2f ms, max %.2f ms (n=%d)",
        s.get(s.size() / 2) / 1e6,
        s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.9) - 1)) / 1e6,
        s.get(s.size() - 1) / 1e6,
        s.size());
  }
}
