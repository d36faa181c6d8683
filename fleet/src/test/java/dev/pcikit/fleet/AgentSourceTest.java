package dev.pcikit.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The collector's agent client against a real HTTP/1.1 server (the JDK's, on loopback): chunked
 * bodies, the events page, the SSE stream with its id/event/data lines, comments, a burst and a
 * gap, the Last-Event-ID it resumes from, and the bearer token.
 */
class AgentSourceTest {
  private HttpServer server;
  private final List<String> lastEventIds = new CopyOnWriteArrayList<>();
  private final List<String> auth = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/devices",
        ex -> {
          auth.add(ex.getRequestHeaders().getFirst("Authorization"));
          send(ex, 200, "application/json", Fixtures.bytes("nic-farm"), true);
        });
    server.createContext(
        "/v1/events",
        ex -> {
          String q = ex.getRequestURI().getQuery();
          String body =
              q.equals("since=1")
                  ? "{\"schema\":\"pcikit/events/v1\",\"events\":[],\"next\":1,\"oldest\":1,"
                      + "\"gap\":false}"
                  : q.equals("since=0")
                      ? "{\"schema\":\"pcikit/events/v1\",\"events\":["
                          + event(1)
                          + ","
                          + event(2)
                          + "],\"next\":2,\"oldest\":1,\"gap\":false}"
                      : q.equals("since=2")
                          ? "{\"schema\":\"pcikit/events/v1\",\"events\":[],\"next\":2,\"oldest\":1,"
                              + "\"gap\":false}"
                          // asked beyond what it made: it restarted and numbers from 1 again
                          : "{\"schema\":\"pcikit/events/v1\",\"events\":["
                              + event(1)
                              + "],\"next\":1,\"oldest\":1,\"gap\":true}";
          send(ex, 200, "application/json", body.getBytes(StandardCharsets.UTF_8), false);
        });
    server.createContext(
        "/v1/events/stream",
        ex -> {
          lastEventIds.add(ex.getRequestHeaders().getFirst("Last-Event-ID"));
          ex.getResponseHeaders().set("Content-Type", "text/event-stream");
          ex.sendResponseHeaders(200, 0); // chunked
          OutputStream out = ex.getResponseBody();
          String burst =
              ": pcikit events after 2\nretry: 1000\n\n"
                  + "id: 3\nevent: driver-changed\ndata: "
                  + event(3)
                  + "\n\n"
                  + "id: 4\nevent: driver-changed\ndata: "
                  + event(4)
                  + "\n\n";
          out.write(burst.getBytes(StandardCharsets.UTF_8));
          out.flush();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          out.write(
              "event: gap\ndata: {\"oldest\": 9, \"next\": 12}\n\n"
                  .getBytes(StandardCharsets.UTF_8));
          out.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static String event(long seq) {
    return "{\"seq\":"
        + seq
        + ",\"time\":\"2026-12-02T09:00:0"
        + seq
        + "Z\",\"type\":\"driver-changed\",\"bdf\":\"0000:17:01.0\",\"fingerprint\":"
        + "\"path=pci0000:00/02.0/00.0/vf0 ids=8086:1889:8086:0002 class=020000\","
        + "\"details\":{\"from\":null,\"to\":\"vfio-pci\"}}";
  }

  private static void send(HttpExchange ex, int status, String type, byte[] body, boolean chunked)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, chunked ? 0 : body.length);
    try (OutputStream out = ex.getResponseBody()) {
      // in small pieces, so that the chunked decoder sees many chunks
      for (int i = 0; i < body.length; i += 7000) {
        out.write(body, i, Math.min(7000, body.length - i));
        out.flush();
      }
    }
  }

  private AgentSource source() throws Exception {
    java.nio.file.Path token = java.nio.file.Files.createTempFile("token", "");
    java.nio.file.Files.writeString(token, "s3cret-token\n");
    return new AgentSource(
        AgentSource.client("http://127.0.0.1:" + server.getAddress().getPort(), token, null, 5000));
  }

  @Test
  void readsTheInventoryTheEventsAndTheStream() throws Exception {
    AgentSource s = source();
    List<DeviceRow> rows = InventoryDoc.parse(s.inventory());
    assertThat(rows).hasSize(521);
    assertThat(auth).containsExactly("Bearer s3cret-token");

    AgentEvent.Page page = s.eventsSince(0);
    assertThat(page.events()).extracting(AgentEvent::seq).containsExactly(1L, 2L);
    assertThat(page.restarted()).isFalse();
    assertThat(page.events().get(0).fingerprint()).startsWith("path=pci0000:00/02.0/00.0/vf0");

    try (Source.Feed feed = s.feed(2)) {
      List<AgentEvent> burst = feed.next(5000);
      assertThat(burst).extracting(AgentEvent::seq).containsExactly(3L, 4L);
      assertThat(lastEventIds).containsExactly("2");
      assertThat(feed.next(100)).isNull(); // nothing more yet
      release.countDown();
      assertThatThrownBy(() -> feed.next(5000)).isInstanceOf(SseFeed.Resync.class);
    }
  }

  @Test
  void anAgentThatRestartedIsSeenByItsPage() throws Exception {
    AgentEvent.Page page = source().eventsSince(40);
    assertThat(page.gap()).isTrue();
    assertThat(page.restarted()).isTrue();
    assertThat(page.events()).extracting(AgentEvent::seq).containsExactly(1L);
  }
}
