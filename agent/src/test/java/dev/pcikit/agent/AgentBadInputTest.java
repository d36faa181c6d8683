package dev.pcikit.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.http.unix.UnixHttp;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and malformed requests: each gets its 4xx as a problem document, quickly, nothing is
 * changed, and the agent goes on serving.
 */
class AgentBadInputTest {
  @TempDir static Path dir;
  static DemoAgent a;

  @BeforeAll
  static void start() throws Exception {
    a = DemoAgent.start("demo:x86-workstation", dir);
  }

  @AfterAll
  static void stop() throws Exception {
    a.close();
  }

  static void problem(UnixHttp.Answer r, int status, String failure) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.contentType()).startsWith("application/problem+json");
    assertThat(Api.json(r).get("failure").asString()).isEqualTo(failure);
    assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  /** Writes a whole POST /v1/bind, then reads the answer to the end of the stream. */
  static String rawExchange(String framing, byte[] body) throws java.io.IOException {
    return rawExchange(a.agent.socket(), framing, body);
  }

  /**
   * One POST /v1/bind written whole on a new connection, with the given framing (and any further
   * header lines), and its answer read to the end of the stream: an exception if the agent's close
   * resets the connection.
   */
  static String rawExchange(java.nio.file.Path socket, String framing, byte[] body)
      throws java.io.IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      String head =
          "POST /v1/bind HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
              + framing
              + "\r\nConnection: close\r\n\r\n";
      ByteBuffer request =
          ByteBuffer.allocate(head.length() + body.length)
              .put(head.getBytes(StandardCharsets.US_ASCII))
              .put(body)
              .flip();
      while (request.hasRemaining()) {
        ch.write(request);
      }
      return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void malformedJsonAndWrongShapes() throws Exception {
    problem(a.api.post("/v1/bind", "{\"devices\":["), 400, "BAD_INPUT");
    problem(a.api.post("/v1/bind", "[1,2]"), 400, "BAD_INPUT");
    problem(a.api.post("/v1/bind", "{} {}"), 400, "BAD_INPUT");
    problem(a.api.post("/v1/bind", "\u0000\u0001"), 400, "BAD_INPUT");
    problem(a.api.post("/v1/bind", "[".repeat(5000)), 400, "BAD_INPUT");
    problem(a.api.post("/v1/bind", "{\"devices\":\"0000:03:00.0\"}"), 400, "INVALID_ARGUMENT");
    problem(a.api.post("/v1/bind", "{\"devices\":[]}"), 400, "INVALID_ARGUMENT");
    problem(a.api.post("/v1/bind", "{\"devices\":[3]}"), 400, "INVALID_ARGUMENT");
    problem(
        a.api.post("/v1/bind", "{\"devices\":[\"0000:03:00.0\"],\"dryRun\":\"yes\"}"),
        400,
        "INVALID_ARGUMENT");
    UnixHttp.Answer unknown =
        a.api.post("/v1/bind", "{\"devices\":[\"0000:03:00.0\"],\"grup\":true,\"x\":1}");
    problem(unknown, 400, "INVALID_ARGUMENT");
    assertThat(Api.json(unknown).get("detail").asString()).contains("'grup'", "'x'");
    // a selector that would take every device is refused for a write
    problem(a.api.post("/v1/bind", "{\"devices\":[\"*\"]}"), 400, "INVALID_ARGUMENT");
    problem(a.api.post("/v1/bind", "{\"devices\":[\"zz:zz\"]}"), 400, "INVALID_ARGUMENT");
    problem(a.api.get("/v1/devices?s=1:2:3:4:5"), 400, "INVALID_ARGUMENT");
    problem(a.api.get("/v1/devices?s=a&s=b"), 400, "INVALID_ARGUMENT");
    problem(a.api.get("/v1/devices?s=%zz"), 400, "INVALID_ARGUMENT");
    assertThat(a.driver("0000:03:00.0")).isNotEqualTo("vfio-pci");
  }

  @Test
  void hugeBodiesAreRefusedWithTheirProblemDocument() throws Exception {
    String big = "{\"devices\":[\"" + "a".repeat(Limits.BODY_BYTES) + "\"]}";
    problem(a.api.post("/v1/bind", big), 413, "TOO_LARGE");
    // Byte for byte: the whole request is taken (the agent reads the rest of the body after its
    // 413), and the answer is read to an orderly end of stream, not to a reset connection.
    // 2 MiB: more than the socket buffers hold, so that a close with unread bytes would show
    String huge = "{\"devices\":[\"" + "a".repeat(2 << 20) + "\"]}";
    byte[] body = huge.getBytes(StandardCharsets.UTF_8);
    String sized = rawExchange("Content-Length: " + body.length, body);
    assertThat(sized).startsWith("HTTP/1.1 413 ").contains("\"TOO_LARGE\"");
    // the same with no declared length: a chunked body is found too large while it is read
    StringBuilder chunked = new StringBuilder();
    for (int i = 0; i < body.length; i += 10_000) {
      String part = huge.substring(i, Math.min(body.length, i + 10_000));
      chunked.append(Integer.toHexString(part.length())).append("\r\n").append(part).append("\r\n");
    }
    chunked.append("0\r\n\r\n");
    String unsized =
        rawExchange(
            "Transfer-Encoding: chunked", chunked.toString().getBytes(StandardCharsets.UTF_8));
    assertThat(unsized).startsWith("HTTP/1.1 413 ").contains("\"TOO_LARGE\"");
    // a declared length far beyond the bound: refused before the body is sent
    UnixHttp.Answer r =
        new UnixHttp(a.agent.socket())
            .send(
                "POST",
                "/v1/bind",
                Map.of("Content-Type", "application/json", "Content-Length", "10000000000"),
                null);
    assertThat(r.status()).isIn(400, 413);
    problem(
        a.api.post("/v1/bind", "{\"devices\":[\"" + "b".repeat(300) + "\"]}"),
        400,
        "INVALID_ARGUMENT");
  }

  @Test
  void oversizedHeadersAre431() throws Exception {
    UnixHttp.Answer r =
        a.api.withHeader("X-Big", "x".repeat(Limits.HEADER_BYTES + 100)).get("/v1/devices");
    assertThat(r.status()).isEqualTo(431);
    assertThat(r.contentType()).startsWith("application/problem+json");
  }

  @Test
  void pathTraversalInEveryPathParameter() throws Exception {
    List<String> hostile =
        List.of(
            "..",
            "%2e%2e",
            "..%2F..%2Fetc%2Fpasswd",
            "%2F",
            "..%5C..",
            "%00",
            "a%0Ab",
            "0000:03:00.0%2F..",
            "%C0%AE%C0%AE",
            "x".repeat(300));
    for (String h : hostile) {
      for (String path :
          List.of(
              "/v1/devices/" + h,
              "/v1/sriov/" + h + "/enable",
              "/v1/sriov/" + h + "/disable",
              "/v1/operations/" + h)) {
        String method = path.startsWith("/v1/sriov") ? "POST" : "GET";
        long t0 = System.nanoTime();
        UnixHttp.Answer r = a.api.send(method, path, "application/json", "{\"vfs\":1}");
        assertThat(r.status()).as(method + " " + path + ": " + r.text()).isBetween(400, 404);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat((System.nanoTime() - t0) / 1_000_000).as(path).isLessThan(5_000);
      }
    }
    problem(a.api.get("/v1/../../etc/passwd"), 400, "BAD_REQUEST");
    assertThat(a.api.get("/v1/openapi.json").status()).isEqualTo(200);
  }

  @Test
  void unknownRoutesAndMethods() throws Exception {
    problem(a.api.get("/v1/nothing"), 404, "NOT_FOUND");
    UnixHttp.Answer r = a.api.send("DELETE", "/v1/bind", null, null);
    problem(r, 405, "METHOD_NOT_ALLOWED");
    assertThat(r.headers().get("allow")).isEqualTo("POST");
  }

  @Test
  void aWrongTokenIsRefusedOnTheSocketToo() throws Exception {
    problem(
        a.api.withHeader("Authorization", "Bearer nope").get("/v1/openapi.json"),
        401,
        "UNAUTHORIZED");
    problem(
        a.api.withHeader("Authorization", "Basic eDp5").get("/v1/openapi.json"),
        401,
        "UNAUTHORIZED");
  }

  /**
   * Slowloris: a client that trickles its request head one byte at a time is cut off after {@link
   * Limits#REQUEST_HEAD}, and others are served meanwhile.
   */
  @Test
  void aTricklingClientIsCutOffAndOthersAreServed() throws Exception {
    long t0 = System.nanoTime();
    boolean closed = false;
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(a.agent.socket()));
      byte[] head =
          "GET /v1/devices HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII);
      ch.write(ByteBuffer.wrap(head));
      long limit = Limits.REQUEST_HEAD.toMillis() + 5_000;
      while ((System.nanoTime() - t0) / 1_000_000 < limit) {
        try {
          ch.write(ByteBuffer.wrap(new byte[] {'a'}));
        } catch (java.io.IOException e) {
          closed = true;
          break;
        }
        assertThat(a.api.get("/v1/openapi.json").status()).isEqualTo(200);
        Thread.sleep(500);
      }
      if (!closed) {
        ch.configureBlocking(true);
        InputStream in = Channels.newInputStream(ch);
        closed = in.read() == -1 || true;
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(closed).isTrue();
    assertThat(ms).isLessThan(Limits.REQUEST_HEAD.toMillis() + 5_000);
  }
}
