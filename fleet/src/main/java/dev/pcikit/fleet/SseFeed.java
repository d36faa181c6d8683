package dev.pcikit.fleet;

import dev.pcikit.http.unix.Response;
import dev.pcikit.http.unix.SseFrame;
import dev.pcikit.http.unix.SseReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Server-Sent Events from the agent (WHATWG HTML "Server-sent events": lines {@code id:}, {@code
 * event:}, {@code data:}, a blank line dispatches, a line starting with {@code :} is a comment). A
 * reader thread parses the stream into a queue; {@link #next} takes what arrived, waiting a little
 * after the first event so that a burst (a bind of a whole group) is stored in one transaction with
 * one inventory read.
 */
final class SseFeed implements Source.Feed {
  /** How long to wait for more events after the first of a burst. */
  static final long LINGER_MILLIS = 50;

  /** Largest event (the data lines together). */
  static final int MAX_EVENT = 1 << 20;

  private static final AgentEvent BROKEN = new AgentEvent(-1, null, "", null, null, "{}");
  private static final AgentEvent GAP = new AgentEvent(-2, null, "gap", null, null, "{}");

  /** The agent says events were missed (its ring overflowed, or it restarted): re-read. */
  static final class Resync extends IOException {
    private static final long serialVersionUID = 1L;

    Resync() {
      super("the agent's event stream has a gap: reading the inventory again");
    }
  }

  private final Response response;
  private final BlockingQueue<AgentEvent> queue = new LinkedBlockingQueue<>(100_000);
  private volatile String failure;

  SseFeed(Response response, String address) {
    this.response = response;
    Thread t = new Thread(this::read, "pcikit-sse " + address);
    t.setDaemon(true);
    t.start();
  }

  private void read() {
    SseReader frames = new SseReader(response.body(), MAX_EVENT);
    try {
      for (SseFrame f = frames.next(); f != null; f = frames.next()) {
        if ("gap".equals(f.event())) {
          queue.put(GAP);
          return;
        }
        // id: repeats the data's seq; frames without data are keep-alives
        if (!f.comment()) {
          queue.put(AgentEvent.parse(f.data()));
        }
      }
      failure = "connection closed";
    } catch (IOException | FleetException e) {
      failure = e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failure = "interrupted";
    }
    queue.offer(BROKEN);
  }

  @Override
  public List<AgentEvent> next(long waitMillis) throws IOException {
    AgentEvent first;
    try {
      first = queue.poll(waitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted");
    }
    if (first == null) {
      return null;
    }
    List<AgentEvent> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
    for (AgentEvent e = first; e != null; ) {
      if (e == GAP) {
        if (out.isEmpty()) {
          throw new Resync();
        }
        queue.offer(GAP);
        break;
      }
      if (e == BROKEN) {
        if (out.isEmpty()) {
          throw new IOException("event stream ended: " + failure);
        }
        queue.offer(BROKEN); // report it next time, after storing these
        break;
      }
      out.add(e);
      long left = deadline - System.nanoTime();
      try {
        e = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    response.close();
  }
}
