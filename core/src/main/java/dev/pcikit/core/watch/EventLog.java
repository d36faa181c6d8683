package dev.pcikit.core.watch;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The numbered events of one watcher run, in a ring of fixed capacity: memory is bounded whatever
 * the rate of change. Sequence numbers start at 1 and grow by one per event; the oldest events fall
 * out when the ring is full.
 *
 * <p>A reader asks for the events after the last one it saw ({@link #since}). When some of those
 * have fallen out of the ring — or the number it gives is beyond anything this log made (the agent
 * restarted and its numbering began again) — the {@link Page} says {@link Page#gap()}: the reader
 * has missed changes and must re-read the state it mirrors (e.g. {@code GET /v1/devices}) before
 * carrying on from {@link Page#next()}.
 */
public final class EventLog {
  /** Default number of events kept. */
  public static final int DEFAULT_CAPACITY = 4096;

  /** Most events one {@link #since} call returns. */
  public static final int MAX_PAGE = 1000;

  private final Event[] ring;
  private long last; // seq of the newest event; 0 before the first
  private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();

  public EventLog() {
    this(DEFAULT_CAPACITY);
  }

  public EventLog(int capacity) {
    if (capacity < 1 || capacity > 1_000_000) {
      throw new IllegalArgumentException("event log capacity must be 1..1000000: " + capacity);
    }
    this.ring = new Event[capacity];
  }

  /**
   * A page of events.
   *
   * @param events the events after the asked number, oldest first, at most the asked limit
   * @param next the number to ask for next time (the last event's, or the asked one)
   * @param oldest the oldest sequence number still kept (0 when the log is empty)
   * @param gap true when events after the asked number are no longer kept, or the asked number is
   *     unknown to this log: state mirrored from earlier events must be re-read
   */
  public record Page(List<Event> events, long next, long oldest, boolean gap) {
    public Page {
      events = List.copyOf(events);
    }
  }

  /**
   * Numbers and keeps the changes (one rescan's, in order) and hands each new event to the
   * listeners, in order, before returning.
   */
  public synchronized List<Event> append(List<Change> changes, Instant time) {
    List<Event> made = new ArrayList<>(changes.size());
    for (Change c : changes) {
      Event e = new Event(++last, time, c);
      ring[(int) ((e.seq() - 1) % ring.length)] = e;
      made.add(e);
    }
    notifyAll();
    // under the lock, so that every listener sees every event once and in sequence order
    for (Event e : made) {
      for (Consumer<Event> l : listeners) {
        l.accept(e);
      }
    }
    return made;
  }

  /** The sequence number of the newest event, 0 before the first. */
  public synchronized long last() {
    return last;
  }

  /** The oldest sequence number still kept, 0 when none. */
  public synchronized long oldest() {
    return last == 0 ? 0 : Math.max(1, last - ring.length + 1);
  }

  /** How many events the ring keeps. */
  public int capacity() {
    return ring.length;
  }

  /**
   * The events with a sequence number above {@code after}, at most {@code limit} (capped at {@link
   * #MAX_PAGE}).
   *
   * @throws IllegalArgumentException when {@code after} is negative
   */
  public synchronized Page since(long after, int limit) {
    if (after < 0) {
      throw new IllegalArgumentException("a sequence number is 0 or more: " + after);
    }
    int max = Math.max(1, Math.min(limit, MAX_PAGE));
    long oldest = oldest();
    boolean gap;
    long from;
    if (after > last) {
      // a number this log never gave: numbering began again (restart); replay what is kept
      gap = true;
      from = Math.max(1, oldest);
    } else {
      gap = after + 1 < oldest;
      from = Math.max(after + 1, oldest);
    }
    List<Event> out = new ArrayList<>();
    for (long s = from; s <= last && out.size() < max; s++) {
      out.add(ring[(int) ((s - 1) % ring.length)]);
    }
    long next = out.isEmpty() ? (gap ? last : after) : out.get(out.size() - 1).seq();
    return new Page(out, next, oldest, gap);
  }

  /**
   * Waits until an event after {@code after} exists or {@code timeout} passes; returns whether one
   * does. Live readers (Server-Sent Events) keep only their cursor and read pages with {@link
   * #since}: a slow reader holds no copy of anything, and if it falls behind the ring it is told by
   * {@link Page#gap()}.
   */
  public synchronized boolean awaitAfter(long after, java.time.Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (last <= after) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  /** Wakes every {@link #awaitAfter} waiter (a server stopping); they return false or true. */
  public synchronized void wakeAll() {
    notifyAll();
  }

  /**
   * Calls {@code listener} with every event appended from now on, under the log's lock: it must not
   * block (hand the event to a bounded queue). Close the result to stop.
   */
  public AutoCloseable subscribe(Consumer<Event> listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }
}
