package dev.pcikit.agent;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events reader over the agent's Unix domain socket, for tests: sends the GET, reads
 * the head, decodes the chunked body on a thread of its own and hands out whole frames (the text
 * between blank lines). Closing it drops the connection, as a browser closing its EventSource.
 */
final class SseClient implements AutoCloseable {
  /** One frame: its fields (the last of each name) and whether it was a comment only. */
  record Frame(Map<String, String> fields, String raw) {
    String id() {
      return fields.get("id");
    }

    String event() {
      return fields.get("event");
    }

    String data() {
      return fields.get("data");
    }

    boolean comment() {
      return !fields.containsKey("data");
    }
  }

  final int status;
  final Map<String, String> headers;
  private final SocketChannel channel;
  private final LinkedBlockingQueue<Object> frames = new LinkedBlockingQueue<>(10_000);

  private SseClient(SocketChannel ch, int status, Map<String, String> headers, InputStream body) {
    this.channel = ch;
    this.status = status;
    this.headers = headers;
    Thread t = new Thread(() -> read(body), "sse-client");
    t.setDaemon(true);
    t.start();
  }

  static SseClient open(Path socket, String path, Map<String, String> extra) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(socket));
    StringBuilder head =
        new StringBuilder(
            "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n");
    extra.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    Channels.newOutputStream(ch).write(head.toString().getBytes(StandardCharsets.US_ASCII));
    InputStream in = new BufferedInputStream(Channels.newInputStream(ch));
    String status = line(in);
    Map<String, String> headers = new LinkedHashMap<>();
    for (String l = line(in); !l.isEmpty(); l = line(in)) {
      int c = l.indexOf(':');
      headers.put(l.substring(0, c).strip().toLowerCase(Locale.ROOT), l.substring(c + 1).strip());
    }
    return new SseClient(ch, Integer.parseInt(status.split(" ")[1]), headers, in);
  }

  /** The next frame, or null when none came within {@code timeout} or the stream ended. */
  Frame next(Duration timeout) throws InterruptedException {
    Object o = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return o instanceof Frame f ? f : null;
  }

  /** The next frame that is not a comment (keep-alive), or null. */
  Frame nextEvent(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return null;
      }
      Frame f = next(Duration.ofNanos(left));
      if (f == null || !f.comment()) {
        return f;
      }
    }
  }

  private void read(InputStream in) {
    StringBuilder text = new StringBuilder();
    try {
      while (true) {
        String size = line(in);
        int n =
            Integer.parseInt(size.contains(";") ? size.substring(0, size.indexOf(';')) : size, 16);
        if (n == 0) {
          break;
        }
        text.append(new String(in.readNBytes(n), StandardCharsets.UTF_8));
        int end;
        while ((end = text.indexOf("\n\n")) >= 0) {
          frames.put(frame(text.substring(0, end)));
          text.delete(0, end + 2);
        }
        // the CRLF that ends a chunk: Jetty sends it with the next chunk's size line
        line(in);
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      // closed
    }
    frames.offer("end");
  }

  private static Frame frame(String raw) {
    Map<String, String> f = new LinkedHashMap<>();
    for (String l : raw.split("\n")) {
      if (l.startsWith(":")) {
        continue;
      }
      int c = l.indexOf(':');
      String name = c < 0 ? l : l.substring(0, c);
      String value = c < 0 ? "" : l.substring(c + 1);
      f.put(name, value.startsWith(" ") ? value.substring(1) : value);
    }
    return new Frame(f, raw);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0 && c != '\n') {
      if (c != '\r') {
        b.write(c);
      }
    }
    if (c < 0 && b.size() == 0) {
      throw new IOException("end of stream");
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
