package dev.pcikit.http.unix;

import static dev.pcikit.http.unix.ScriptedServer.readHead;
import static dev.pcikit.http.unix.ScriptedServer.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SseReaderTest {
  @TempDir Path dir;

  /**
   * Jetty sends the CRLF that ends a chunk together with the next chunk: an event must be handed
   * out when its own chunk's data has arrived, not when the next one does.
   */
  @Test
  void anEventIsReadBeforeTheNextChunkArrives() throws Exception {
    CountDownLatch firstSeen = new CountDownLatch(1);
    try (ScriptedServer s =
            new ScriptedServer(
                dir,
                ch -> {
                  assertThat(readHead(ch)).contains("Accept: text/event-stream\r\n");
                  write(ch, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n");
                  write(ch, "Transfer-Encoding: chunked\r\n\r\n");
                  String first = "retry: 2000\n\nid: 1\nevent: x\ndata: a\ndata: b\n\n";
                  write(ch, Integer.toHexString(first.length()) + "\r\n" + first);
                  firstSeen.await(30, TimeUnit.SECONDS);
                  String second = ": keep-alive\n\n";
                  write(ch, "\r\n" + Integer.toHexString(second.length()) + "\r\n" + second);
                  write(ch, "\r\n0\r\n\r\n");
                });
        Response r =
            new UnixHttp(s.socket)
                .withTimeout(Duration.ofSeconds(10))
                .open("GET", "/v1/events/stream", Map.of("Accept", "text/event-stream"), null)) {
      SseReader events = new SseReader(r.body());
      SseFrame hello = events.next();
      assertThat(hello.fields()).containsEntry("retry", "2000");
      assertThat(hello.comment()).isTrue();
      SseFrame one = events.next();
      firstSeen.countDown();
      assertThat(one.id()).isEqualTo("1");
      assertThat(one.event()).isEqualTo("x");
      assertThat(one.data()).isEqualTo("a\nb");
      SseFrame keepAlive = events.next();
      assertThat(keepAlive.raw()).isEqualTo(": keep-alive");
      assertThat(keepAlive.fields()).isEmpty();
      assertThat(events.next()).isNull();
      s.await();
    }
  }

  @Test
  void aFrameOverTheBoundIsRefused() {
    String big = "data: " + "x".repeat(2000) + "\n\n";
    SseReader r =
        new SseReader(new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8)), 1000);
    assertThatThrownBy(r::next).hasMessageContaining("larger than 1000 bytes");
  }

  @Test
  void aFrameCutShortByTheEndIsDropped() throws Exception {
    SseReader r =
        new SseReader(
            new ByteArrayInputStream("data: 1\r\n\r\ndata: 2".getBytes(StandardCharsets.UTF_8)));
    assertThat(r.next().data()).isEqualTo("1");
    assertThat(r.next()).isNull();
  }
}
