package dev.pcikit.agent;

import dev.pcikit.core.host.Host;
import dev.pcikit.core.watch.EventLog;
import dev.pcikit.core.watch.HostReads;
import dev.pcikit.core.watch.HostState;
import dev.pcikit.core.watch.HostWatcher;
import dev.pcikit.core.watch.UdevadmMonitor;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The agent's view of change: the {@link HostWatcher} over the agent's {@link HostView}, its {@link
 * EventLog}, and the {@link AgentMetrics}; told of the agent's own writes (a {@link WriteListener}:
 * metrics count them, and a real write queues a rescan). One per agent, closed with it.
 */
public final class AgentWatch implements WriteListener, AutoCloseable {
  /** Rescan period unless configured ({@code pcikit.agent.rescanMillis}). */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

  private final HostView view;
  private final HostWatcher watcher;
  private final AgentMetrics metrics;
  private final java.util.concurrent.Semaphore subscribers =
      new java.util.concurrent.Semaphore(SseStream.MAX_SUBSCRIBERS);
  private volatile boolean closed;

  private AgentWatch(HostView view, HostWatcher watcher) {
    this.view = view;
    this.watcher = watcher;
    this.metrics = new AgentMetrics(view, watcher);
  }

  /**
   * Reads the host's baseline and starts watching: uevents through udevadm when the host is the
   * running system (and udevadm is installed), a periodic rescan always.
   */
  public static AgentWatch start(HostView view, Duration interval) {
    Optional<java.util.List<String>> uevents =
        view.simulatedHost() ? Optional.empty() : view.read(UdevadmMonitor::commandFor);
    HostWatcher.Options o = new HostWatcher.Options(interval, Duration.ofMillis(20), true, uevents);
    HostWatcher w = HostWatcher.start(new ViewReads(view), new EventLog(), o);
    return new AgentWatch(view, w);
  }

  /**
   * Reads through the agent's host view. A simulated host changes only when its state file does
   * (the agent's own writes and the CLI's both rewrite it): the periodic rescan is skipped while
   * the view's generation stays the same, so it neither costs a read nor holds the simulated
   * kernel's read lock against API requests. A system root is always rescanned.
   */
  private static final class ViewReads implements HostReads {
    private final HostView view;
    private volatile long scanned = Long.MIN_VALUE;

    ViewReads(HostView view) {
      this.view = view;
    }

    @Override
    public HostState read(Function<Host, HostState> scan) {
      long g = view.generation(); // before the read: a change during it is read next time
      HostState s = view.read(scan);
      scanned = g;
      return s;
    }

    @Override
    public boolean mayHaveChanged() {
      return !view.simulatedHost() || view.generation() != scanned;
    }
  }

  /** The period from {@code pcikit.agent.rescanMillis}, else {@link #DEFAULT_INTERVAL}. */
  public static Duration configuredInterval() {
    String v = System.getProperty("pcikit.agent.rescanMillis");
    if (v == null) {
      return DEFAULT_INTERVAL;
    }
    try {
      return Duration.ofMillis(Long.parseLong(v));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("pcikit.agent.rescanMillis is not a number: " + v);
    }
  }

  public HostWatcher watcher() {
    return watcher;
  }

  public EventLog log() {
    return watcher.log();
  }

  public AgentMetrics metrics() {
    return metrics;
  }

  /**
   * A write finished: counted and timed; after a real one (also a failed one: a rolled-back or
   * half-done write may still have changed the host) a full rescan is queued on the watcher's
   * thread, so the writer thread does not wait for it. Its events follow the write's reply within
   * one rescan (docs/agent-events.md has the figures).
   */
  @Override
  public void written(String operation, boolean dryRun, Duration took, int status, String failure) {
    metrics.written(operation, dryRun, took, status, failure);
    if (!dryRun) {
      watcher.rescanSoon();
    }
  }

  @Override
  public void refused(String operation, java.util.List<String> rules) {
    metrics.refused(operation, rules);
  }

  /** Slots for event-stream subscribers ({@link SseStream#MAX_SUBSCRIBERS}). */
  java.util.concurrent.Semaphore subscriberSlots() {
    return subscribers;
  }

  /** Whether the agent is stopping (event streams end). */
  boolean closed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
    watcher.close(); // wakes the event streams waiting for an event
  }
}
