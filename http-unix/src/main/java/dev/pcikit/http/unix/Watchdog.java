package dev.pcikit.http.unix;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection that has made no progress (no byte read or written) for its timeout. A
 * blocking Unix domain {@code SocketChannel} has no SO_TIMEOUT, and a write blocked on a peer that
 * does not read has no timeout on any socket; closing the channel from another thread wakes the
 * blocked call with an AsynchronousCloseException.
 */
final class Watchdog {
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread th = new Thread(r, "pcikit-http-watchdog");
              th.setDaemon(true);
              return th;
            });
    t.setRemoveOnCancelPolicy(true); // one task per connection: drop it when the connection ends
    return t;
  }

  private final Closeable connection;
  private final long timeoutNanos;
  private final ScheduledFuture<?> task;
  private volatile long last = System.nanoTime();
  private volatile boolean fired;

  Watchdog(Closeable connection, Duration timeout) {
    this.connection = connection;
    this.timeoutNanos = timeout.toNanos();
    long period = Math.max(1, timeout.toMillis() / 4);
    task = TIMER.scheduleWithFixedDelay(this::check, period, period, TimeUnit.MILLISECONDS);
  }

  private void check() {
    if (System.nanoTime() - last > timeoutNanos) {
      fired = true;
      cancel();
      try {
        connection.close();
      } catch (IOException e) {
        // closing is all we wanted
      }
    }
  }

  void progress() {
    last = System.nanoTime();
  }

  boolean fired() {
    return fired;
  }

  void cancel() {
    task.cancel(false);
  }
}
