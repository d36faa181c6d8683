package dev.pcikit.agent;

import dev.pcikit.core.watch.Event;
import dev.pcikit.core.watch.EventLog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;

/**
 * One Server-Sent Events subscriber (WHATWG HTML, "Server-sent events"): {@code id:} the sequence
 * number, {@code event:} the type, {@code data:} the event JSON on one line; a comment line every
 * {@link #KEEP_ALIVE} while nothing happens (below the connection idle timeout, and it lets proxies
 * see a live stream).
 *
 * <p>Memory: a subscriber holds only its cursor into the shared {@link EventLog} and the page it is
 * writing (at most {@link #PAGE} events); it never has its own queue, so a slow reader cannot make
 * the agent grow. It writes on a thread of its own (not one of Jetty's), blocking: a reader that
 * stops reading is dropped by the idle timeout. One that falls behind the log's ring gets {@code
 * event: gap} ({@code data: {"oldest":N,"next":M}}) and then what is still kept: it should re-read
 * what it mirrors. At most {@link #MAX_SUBSCRIBERS} at once; more get 503.
 */
final class SseStream implements Runnable {
  private static final Logger LOG = Logger.getLogger(SseStream.class.getName());

  static final int MAX_SUBSCRIBERS = 32;
  static final Duration KEEP_ALIVE = Duration.ofSeconds(4);
  static final int PAGE = 100;

  /** What an EventSource waits before reconnecting, in ms. */
  static final int RETRY_MS = 2000;

  private static final AtomicInteger THREADS = new AtomicInteger();

  private final AgentWatch watch;
  private final Response response;
  private final Callback callback;
  private long cursor;

  private SseStream(AgentWatch watch, Response response, Callback callback, long from) {
    this.watch = watch;
    this.response = response;
    this.callback = callback;
    this.cursor = from;
  }

  /** Starts streaming events after {@code from} on a thread of its own; 503 when too many. */
  static Reply start(AgentWatch watch, Call call, long from) {
    if (!watch.subscriberSlots().tryAcquire()) {
      return Problems.of(
              503, "TOO_MANY_SUBSCRIBERS", "at most " + MAX_SUBSCRIBERS + " event streams at once")
          .header("Retry-After", "5");
    }
    Response r = call.response();
    r.setStatus(200);
    r.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream; charset=utf-8");
    r.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    r.getHeaders().put("X-Content-Type-Options", "nosniff");
    Thread t =
        new Thread(
            new SseStream(watch, r, call.callback(), from),
            "pcikit-sse-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    t.start();
    return Reply.TAKEN;
  }

  @Override
  public void run() {
    EventLog log = watch.log();
    try {
      send(": pcikit events after " + cursor + "\nretry: " + RETRY_MS + "\n\n");
      while (!watch.closed()) {
        EventLog.Page p = log.since(cursor, PAGE);
        StringBuilder b = new StringBuilder();
        if (p.gap()) {
          b.append("event: gap\ndata: {\"oldest\": ")
              .append(p.oldest())
              .append(", \"next\": ")
              .append(p.next())
              .append("}\n\n");
        }
        for (Event e : p.events()) {
          b.append("id: ").append(e.seq()).append('\n');
          b.append("event: ").append(e.type().wire()).append('\n');
          b.append("data: ").append(e.toJson()).append("\n\n");
        }
        cursor = p.next();
        if (b.length() > 0) {
          send(b.toString());
        } else if (!log.awaitAfter(cursor, KEEP_ALIVE) && !watch.closed()) {
          send(": keep-alive\n\n");
        }
      }
      callback.succeeded();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      callback.failed(e);
    } catch (Throwable e) {
      // the subscriber went away (write failed, idle timeout): the normal end of a stream
      LOG.log(Level.FINE, "event stream ended", e);
      callback.failed(e);
    } finally {
      watch.subscriberSlots().release();
    }
  }

  private void send(String text) throws Exception {
    try (Blocker.Callback cb = Blocker.callback()) {
      response.write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), cb);
      cb.block();
    }
  }
}
