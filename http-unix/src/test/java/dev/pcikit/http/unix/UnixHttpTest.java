package dev.pcikit.http.unix;

import static dev.pcikit.http.unix.ScriptedServer.readHead;
import static dev.pcikit.http.unix.ScriptedServer.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client against a real Unix domain socket server whose every byte the test scripts. */
class UnixHttpTest {
  @TempDir Path dir;

  @Test
  void getsADocumentAndSendsItsHeaders() throws Exception {
    AtomicReference<String> head = new AtomicReference<>();
    try (ScriptedServer s =
        new ScriptedServer(
            dir,
            ch -> {
              head.set(readHead(ch));
              write(
                  ch,
                  "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-A: 1\r\nX-A: 2\r\n"
                      + "Content-Length: 11\r\n\r\n{\"ok\":true}");
            })) {
      UnixHttp.Answer a = new UnixHttp(s.socket).withBearer("t0ken").get("/v1/devices?s=03:00.0");
      s.await();
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.contentType()).isEqualTo("application/json");
      assertThat(a.headers()).containsEntry("x-a", "1, 2");
      assertThat(a.text()).isEqualTo("{\"ok\":true}");
      assertThat(head.get())
          .startsWith("GET /v1/devices?s=03:00.0 HTTP/1.1\r\n")
          .contains("Host: localhost\r\n", "Connection: close\r\n")
          .contains("Authorization: Bearer t0ken\r\n");
    }
  }

  @Test
  void decodesAChunkedBodyAndSkipsAnInterimAnswer() throws Exception {
    try (ScriptedServer s =
        new ScriptedServer(
            dir,
            ch -> {
              readHead(ch);
              write(ch, "HTTP/1.1 100 Continue\r\n\r\n");
              write(ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
              write(ch, "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\n\r\n");
            })) {
      UnixHttp.Answer a = new UnixHttp(s.socket).post("/v1/x", "{}");
      s.await();
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.text()).isEqualTo("hello world");
    }
  }

  @Test
  void aHeadAnswerHasNoBodyWhateverItsLength() throws Exception {
    CountDownLatch clientDone = new CountDownLatch(1);
    try (ScriptedServer s =
        new ScriptedServer(
            dir,
            ch -> {
              readHead(ch);
              write(ch, "HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n");
              // keep the connection open: a client waiting for 500 bytes would hang
              clientDone.await(30, TimeUnit.SECONDS);
            })) {
      UnixHttp.Answer a =
          new UnixHttp(s.socket)
              .withTimeout(Duration.ofSeconds(20))
              .send("HEAD", "/app.css", Map.of(), null);
      clientDone.countDown();
      s.await();
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.body()).isEmpty();
      assertThat(a.headers()).containsEntry("content-length", "500");
    }
  }

  /**
   * The server answers 413 after the head and closes without reading the 8 MiB body (far more than
   * the socket's buffers): the client's write fails, and the client reads the answer that is
   * already in its receive queue instead of reporting the failed write.
   */
  @Test
  void readsTheAnswerOfAServerThatStoppedReadingTheBody() throws Exception {
    try (ScriptedServer s =
        new ScriptedServer(
            dir,
            ch -> {
              String head = readHead(ch);
              assertThat(head).contains("Content-Length: 8388608");
              write(
                  ch,
                  "HTTP/1.1 413 Content Too Large\r\nContent-Type: application/problem+json\r\n"
                      + "Content-Length: 23\r\n\r\n{\"failure\":\"TOO_LARGE\"}");
              ch.close(); // with most of the body unread
            })) {
      UnixHttp.Answer a =
          new UnixHttp(s.socket)
              .send(
                  "POST",
                  "/v1/bind",
                  Map.of("Content-Type", "application/json"),
                  new byte[8 << 20]);
      s.await();
      assertThat(a.status()).isEqualTo(413);
      assertThat(a.contentType()).isEqualTo("application/problem+json");
      assertThat(a.text()).isEqualTo("{\"failure\":\"TOO_LARGE\"}");
    }
  }

  @Test
  void aWriteFailureWithNoAnswerIsReported() throws Exception {
    try (ScriptedServer s =
        new ScriptedServer(
            dir,
            ch -> {
              readHead(ch);
              ch.close(); // no answer at all
            })) {
      assertThatThrownBy(
              () -> new UnixHttp(s.socket).send("POST", "/v1/bind", Map.of(), new byte[8 << 20]))
          .isInstanceOf(IOException.class);
      s.await();
    }
  }

  @Test
  void aBodyOverTheBoundIsRefused() throws Exception {
    try (ScriptedServer s =
        new ScriptedServer(
            dir,
            ch -> {
              readHead(ch);
              write(ch, "HTTP/1.1 200 OK\r\nContent-Length: 2000000\r\n\r\n");
              ByteBuffer b = ByteBuffer.allocate(2_000_000);
              try {
                while (b.hasRemaining()) {
                  ch.write(b);
                }
              } catch (IOException clientGaveUp) {
                // the client stops reading at its bound and closes
              }
            })) {
      assertThatThrownBy(() -> new UnixHttp(s.socket).withMaxBody(1 << 20).get("/big"))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("larger than 1048576 bytes");
      s.await();
    }
  }

  @Test
  void aChunkedBodyOverTheBoundIsRefused() throws Exception {
    try (ScriptedServer s =
        new ScriptedServer(
            dir,
            ch -> {
              readHead(ch);
              write(ch, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
              try {
                for (int i = 0; i < 100; i++) {
                  write(ch, "4000\r\n" + "x".repeat(0x4000) + "\r\n");
                }
              } catch (IOException clientGaveUp) {
                // expected
              }
            })) {
      assertThatThrownBy(() -> new UnixHttp(s.socket).withMaxBody(100_000).get("/big"))
          .hasMessageContaining("larger than 100000 bytes");
      s.await();
    }
  }

  @Test
  void aHeadOverTheBoundIsRefused() throws Exception {
    try (ScriptedServer s =
        new ScriptedServer(
            dir,
            ch -> {
              readHead(ch);
              try {
                write(ch, "HTTP/1.1 200 OK\r\n");
                for (int i = 0; i < 100; i++) {
                  write(ch, "X-" + i + ": " + "y".repeat(1000) + "\r\n");
                }
              } catch (IOException clientGaveUp) {
                // expected
              }
            })) {
      assertThatThrownBy(() -> new UnixHttp(s.socket).get("/"))
          .hasMessageContaining("head larger than");
      s.await();
    }
  }

  @Test
  void aSilentServerTimesOut() throws Exception {
    CountDownLatch clientDone = new CountDownLatch(1);
    try (ScriptedServer s =
        new ScriptedServer(
            dir,
            ch -> {
              readHead(ch);
              clientDone.await(30, TimeUnit.SECONDS); // never answers
            })) {
      assertThatThrownBy(
              () -> new UnixHttp(s.socket).withTimeout(Duration.ofMillis(300)).get("/slow"))
          .isInstanceOf(SocketTimeoutException.class);
      clientDone.countDown();
      s.await();
    }
  }

  @Test
  void aMissingSocketIsAConnectFailureNamingIt() {
    Path none = dir.resolve("none.sock");
    assertThatThrownBy(() -> new UnixHttp(none).get("/"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("cannot connect to " + none);
  }

  @Test
  void addressesAreUnixHttpOrHttps() throws Exception {
    assertThat(UnixHttp.of("unix:/run/pcikit/agent.sock").address())
        .isEqualTo("unix:/run/pcikit/agent.sock");
    assertThat(UnixHttp.of("https://agent.example:8443").address())
        .isEqualTo("https://agent.example:8443");
    assertThatThrownBy(() -> UnixHttp.of("ftp://x")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> UnixHttp.of("unix:/x").trusting(dir.resolve("ca.pem")))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> new UnixHttp(dir).withBearer("two words"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
