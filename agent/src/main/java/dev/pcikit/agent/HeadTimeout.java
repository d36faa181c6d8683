package dev.pcikit.agent;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Closes a connection that has not sent a whole first request head {@link Limits#REQUEST_HEAD}
 * after it opened. Jetty's idle timeout is reset by every byte, so a client trickling one header
 * byte at a time (slowloris) would otherwise hold a connection for as long as it likes; this bounds
 * it. Later requests on a kept-alive connection are bounded by the idle timeout and the header size
 * limit.
 */
final class HeadTimeout implements Connection.Listener {
  private final Scheduler scheduler;
  private final Duration limit;

  HeadTimeout(Scheduler scheduler, Duration limit) {
    this.scheduler = scheduler;
    this.limit = limit;
  }

  @Override
  public void onOpened(Connection c) {
    if (c.getClass().getSimpleName().equals("HttpConnection")) {
      scheduler.schedule(
          () -> {
            if (c.getMessagesIn() == 0 && c.getEndPoint().isOpen()) {
              c.getEndPoint().close();
            }
          },
          limit.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }
}
