package dev.pcikit.core.watch;

import dev.pcikit.core.host.Host;
import dev.pcikit.core.model.PciAddress;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a host's {@link HostState} current and appends what changes to an {@link EventLog}. Three
 * paths notice a change (docs/agent-events.md measures each):
 *
 * <ol>
 *   <li>kernel uevents ({@link UdevadmMonitor}), when the host is the running system: each PCI
 *       uevent queues its function, and after a short debounce (VF creation sends one uevent per
 *       VF) one targeted rescan reads the queued functions;
 *   <li>{@link #rescan()} or {@link #rescanSoon()} right after a write the front end did itself;
 *   <li>a periodic full rescan, for what the other two miss: writes by another process on a
 *       simulated host (the CLI), a container that hears no uevents, a lost uevent.
 * </ol>
 *
 * <p>The first read is a baseline and makes no events. All reads run one at a time (the methods are
 * synchronized), so events are in the order the states were read.
 */
public final class HostWatcher implements AutoCloseable {
  /** More queued functions than this and a uevent burst is handled by a full rescan. */
  static final int TARGETED_MAX = 64;

  /**
   * How the watcher runs.
   *
   * @param interval time between periodic full rescans
   * @param debounce wait after a uevent for the rest of its burst
   * @param fingerprints read each new function's fingerprint for the events
   * @param ueventCommand the uevent source command ({@link UdevadmMonitor#commandFor}); empty for
   *     none
   */
  public record Options(
      Duration interval,
      Duration debounce,
      boolean fingerprints,
      Optional<List<String>> ueventCommand) {
    public Options {
      if (interval.isNegative()
          || interval.isZero()
          || interval.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException("rescan interval must be above 0 and at most a day");
      }
      if (debounce.isNegative() || debounce.compareTo(Duration.ofSeconds(10)) > 0) {
        throw new IllegalArgumentException("uevent debounce must be 0..10 s");
      }
    }

    /** Every 5 s, 20 ms debounce, fingerprints on, the host's uevent command. */
    public static Options defaultsFor(Host host) {
      return new Options(
          Duration.ofSeconds(5), Duration.ofMillis(20), true, UdevadmMonitor.commandFor(host));
    }

    public Options withInterval(Duration d) {
      return new Options(d, debounce, fingerprints, ueventCommand);
    }

    public Options withUeventCommand(Optional<List<String>> c) {
      return new Options(interval, debounce, fingerprints, c);
    }
  }

  /**
   * What the watcher did so far.
   *
   * @param rescans full and targeted reads since start, the baseline included
   * @param lastRescan how long the last read took
   * @param uevents PCI uevents heard
   * @param ueventSource "udevadm", "none", or why it stopped
   */
  public record Stats(
      long rescans, Duration lastRescan, long uevents, String ueventSource, long failures) {}

  private final HostReads view;
  private final EventLog log;
  private final Options options;
  private final StateScanner scanner;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Set<PciAddress> queued = new TreeSet<>();
  private boolean flushScheduled;
  private final java.util.concurrent.atomic.AtomicBoolean soon =
      new java.util.concurrent.atomic.AtomicBoolean();
  private volatile HostState state = HostState.empty();
  private long rescans;
  private Duration lastRescan = Duration.ZERO;
  private long uevents;
  private long failures;
  private volatile String ueventSource = "none";
  private UdevadmMonitor monitor;

  private HostWatcher(HostReads view, EventLog log, Options options, Clock clock) {
    this.view = view;
    this.log = log;
    this.options = options;
    this.clock = clock;
    this.scanner = new StateScanner(options.fingerprints(), clock);
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "pcikit-watch");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Reads the baseline, then starts the periodic rescan and the uevent source.
   *
   * @param view how to read the host now ({@link HostReads#of} for a host read in place)
   */
  public static HostWatcher start(HostReads view, EventLog log, Options options) {
    return start(view, log, options, Clock.systemUTC());
  }

  static HostWatcher start(HostReads view, EventLog log, Options options, Clock clock) {
    HostWatcher w = new HostWatcher(view, log, options, clock);
    w.baseline();
    long ms = options.interval().toMillis();
    w.executor.scheduleWithFixedDelay(w::periodic, ms, ms, TimeUnit.MILLISECONDS);
    options.ueventCommand().ifPresent(w::startMonitor);
    return w;
  }

  private synchronized void baseline() {
    long t0 = System.nanoTime();
    state = view.read(scanner::full);
    record(t0);
  }

  private void startMonitor(List<String> command) {
    try {
      monitor = UdevadmMonitor.start(command, this::heard, why -> ueventSource = why);
      ueventSource = "udevadm";
    } catch (IOException e) {
      ueventSource = "cannot start " + command.get(0) + ": " + e.getMessage();
    }
  }

  private void heard(Uevent u) {
    Optional<PciAddress> a = u.address();
    if (a.isEmpty()) {
      return;
    }
    synchronized (queued) {
      uevents++;
      queued.add(a.get());
      if (!flushScheduled) {
        flushScheduled = true;
        executor.schedule(this::flush, options.debounce().toMillis(), TimeUnit.MILLISECONDS);
      }
    }
  }

  private void flush() {
    List<PciAddress> touched;
    synchronized (queued) {
      touched = List.copyOf(queued);
      queued.clear();
      flushScheduled = false;
    }
    try {
      if (touched.size() > TARGETED_MAX) {
        rescan();
      } else {
        rescan(touched);
      }
    } catch (RuntimeException e) {
      failed();
    }
  }

  private void periodic() {
    if (!view.mayHaveChanged()) {
      return;
    }
    forced();
  }

  private void forced() {
    try {
      rescan();
    } catch (RuntimeException e) {
      failed(); // the next period tries again; a scheduled task that throws would stop for good
    }
  }

  private synchronized void failed() {
    failures++;
  }

  /** Reads the whole host now and logs what changed (call after a write of one's own). */
  public synchronized List<Event> rescan() {
    long t0 = System.nanoTime();
    HostState next = view.read(scanner::full);
    return advance(next, t0);
  }

  /**
   * Queues a full rescan on the watcher's thread and returns at once (a writer that must not wait).
   * Requests made while one is queued and not yet started share it.
   */
  public void rescanSoon() {
    if (soon.compareAndSet(false, true)) {
      try {
        executor.execute(
            () -> {
              soon.set(false);
              forced();
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        soon.set(false); // closed
      }
    }
  }

  /** Re-reads these functions (and their PFs or VFs) now and logs what changed. */
  public synchronized List<Event> rescan(List<PciAddress> touched) {
    long t0 = System.nanoTime();
    HostState previous = state;
    HostState next = view.read(h -> scanner.targeted(h, previous, touched));
    return advance(next, t0);
  }

  private List<Event> advance(HostState next, long t0) {
    List<Change> changes = StateDiffer.diff(state, next);
    state = next;
    record(t0);
    return log.append(changes, next.readAt());
  }

  private void record(long t0) {
    rescans++;
    lastRescan = Duration.ofNanos(System.nanoTime() - t0);
  }

  /** The state as last read. */
  public HostState state() {
    return state;
  }

  public EventLog log() {
    return log;
  }

  public Options options() {
    return options;
  }

  public synchronized Stats stats() {
    long heard;
    synchronized (queued) {
      heard = uevents;
    }
    return new Stats(rescans, lastRescan, heard, ueventSource, failures);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    if (monitor != null) {
      monitor.close();
    }
    log.wakeAll();
  }
}
