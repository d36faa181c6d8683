package dev.pcikit.agent;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * After a refusal has been written (a 413, or a 401/403/404/… answered before the body was read):
 * reads and discards the rest of the request body (at most {@link Limits#DRAIN_BYTES}, for at most
 * {@link Limits#DRAIN_TIME}), then completes the exchange. A body already read ends at once.
 *
 * <p>Why: the agent answers such a request without reading the body, and the connection then
 * closes. Closing a socket with unread bytes in its receive queue makes the kernel reset the
 * connection instead of ending it in order: TCP sends RST (RFC 9293 section 3.10.4, RFC 2525
 * section 2.17), and the client's kernel discards the 413 still queued for the client; a Unix
 * stream socket marks its peer ECONNRESET (Linux net/unix/af_unix.c, unix_release_sock), so the
 * client's write fails with EPIPE and a read past the answer with ECONNRESET. Reading the rest
 * first makes the close an orderly end of stream, and the client always gets the problem document
 * (RFC 9112 section 9.6 asks for this "lingering close"). A body declared larger than the bound is
 * not read at all: its client is told by the 413's {@code Connection: close}, and the connection
 * may then be reset.
 */
final class BodyDrain implements Runnable {
  private final Request request;
  private final Callback callback;
  private final AtomicBoolean done = new AtomicBoolean();
  private long left = Limits.DRAIN_BYTES;
  private Scheduler.Task timer;

  private BodyDrain(Request request, Callback callback) {
    this.request = request;
    this.callback = callback;
  }

  /**
   * The callback to write a refusal with: once written, the rest of the body is drained, then
   * {@code callback} completes. A request whose declared body is over the bound, or that waits for
   * {@code 100 Continue} (its client sends no body until told to), gets {@code callback} itself.
   */
  static Callback after(Request request, Callback callback) {
    long declared = request.getLength();
    boolean expects100 =
        request.getHeaders().contains(HttpHeader.EXPECT, HttpHeaderValue.CONTINUE.asString());
    if (declared > Limits.DRAIN_BYTES || expects100) {
      return callback;
    }
    return Callback.from(() -> new BodyDrain(request, callback).start(), callback::failed);
  }

  /**
   * Reads and discards the rest of a body being read as a stream, at most {@link
   * Limits#DRAIN_BYTES} and until {@link Limits#DRAIN_TIME} has passed (each read is bounded by the
   * idle timeout).
   */
  static void skipRest(InputStream in) throws IOException {
    long deadline = System.nanoTime() + Limits.DRAIN_TIME.toNanos();
    byte[] buf = new byte[16384];
    long total = 0;
    for (int n; total <= Limits.DRAIN_BYTES && System.nanoTime() < deadline; total += n) {
      n = in.read(buf);
      if (n < 0) {
        return;
      }
    }
  }

  private void start() {
    timer =
        request
            .getComponents()
            .getScheduler()
            .schedule(
                // wakes a pending read with a failure chunk: run() then completes
                () -> request.fail(new TimeoutException("request body not drained in time")),
                Limits.DRAIN_TIME.toMillis(),
                TimeUnit.MILLISECONDS);
    run();
  }

  @Override
  public void run() {
    while (!done.get()) {
      Content.Chunk chunk = request.read();
      if (chunk == null) {
        request.demand(this);
        return;
      }
      if (Content.Chunk.isFailure(chunk)) {
        finish(); // the client went away, the idle timeout or ours: the answer is written
        return;
      }
      left -= chunk.remaining();
      boolean last = chunk.isLast();
      chunk.release();
      if (last || left < 0) {
        finish();
        return;
      }
    }
  }

  private void finish() {
    if (done.compareAndSet(false, true)) {
      timer.cancel();
      callback.succeeded();
    }
  }
}
