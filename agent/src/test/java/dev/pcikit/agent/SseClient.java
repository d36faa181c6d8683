package dev.pcikit.agent;

import dev.pcikit.http.unix.Response;
import dev.pcikit.http.unix.SseFrame;
import dev.pcikit.http.unix.SseReader;
import dev.pcikit.http.unix.UnixHttp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events reader over the agent's Unix domain socket, for tests: opens the stream with
 * the shared client, reads frames on a thread of its own and hands them out with a timeout. Closing
 * it drops the connection, as a browser closing its EventSource.
 */
final class SseClient implements AutoCloseable {
  final int status;
  final Map<String, String> headers;
  private final Response response;
  private final LinkedBlockingQueue<Object> frames = new LinkedBlockingQueue<>(10_000);

  private SseClient(Response response) {
    this.response = response;
    this.status = response.status();
    this.headers = response.headers();
    Thread t = new Thread(this::read, "sse-client");
    t.setDaemon(true);
    t.start();
  }

  static SseClient open(Path socket, String path, Map<String, String> extra) throws IOException {
    Map<String, String> headers = new LinkedHashMap<>(extra);
    headers.put("Accept", "text/event-stream");
    return new SseClient(new UnixHttp(socket).open("GET", path, headers, null));
  }

  /** The next frame, or null when none came within {@code timeout} or the stream ended. */
  SseFrame next(Duration timeout) throws InterruptedException {
    Object o = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return o instanceof SseFrame f ? f : null;
  }

  /** The next frame that is not a comment (keep-alive), or null. */
  SseFrame nextEvent(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      SseFrame f = next(Duration.ofNanos(left));
      if (f == null || !f.comment()) {
        return f;
      }
    }
  }

  private void read() {
    SseReader reader = new SseReader(response.body());
    try {
      for (SseFrame f = reader.next(); f != null; f = reader.next()) {
        frames.put(f);
      }
    } catch (IOException | InterruptedException e) {
      // closed
    }
    frames.offer("end");
  }

  @Override
  public void close() throws IOException {
    response.close();
  }
}
