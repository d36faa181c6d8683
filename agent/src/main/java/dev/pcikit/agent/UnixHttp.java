package dev.pcikit.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client over a Unix domain socket (one request per connection, {@code
 * Connection: close}): what tests, scripts' Java callers and the fleet use to talk to an agent
 * without a TCP listener. Reads at most 64 MiB of answer.
 */
public final class UnixHttp {
  private static final int MAX_ANSWER = 64 << 20;

  private final Path socket;

  public UnixHttp(Path socket) {
    this.socket = socket;
  }

  /** An answer: status, headers (names lower case) and body. */
  public record Answer(int status, Map<String, String> headers, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public String contentType() {
      return headers.getOrDefault("content-type", "");
    }
  }

  public Answer get(String path) throws IOException {
    return send("GET", path, Map.of(), null);
  }

  public Answer post(String path, String json) throws IOException {
    return send(
        "POST",
        path,
        Map.of("Content-Type", "application/json"),
        json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  /** Sends one request and reads the whole answer. */
  public Answer send(String method, String path, Map<String, String> headers, byte[] body)
      throws IOException {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
      head.append("Host: localhost\r\nConnection: close\r\n");
      headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
      if (body != null) {
        head.append("Content-Length: ").append(body.length).append("\r\n");
      }
      head.append("\r\n");
      ByteArrayOutputStream req = new ByteArrayOutputStream();
      req.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        req.writeBytes(body);
      }
      ByteBuffer buf = ByteBuffer.wrap(req.toByteArray());
      try {
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
      } catch (IOException sendFailed) {
        // A server may answer before the body is read (413 for a body over its bound, RFC 9110
        // 15.5.14) and close; the write then fails with EPIPE, but the answer is already in
        // this socket's receive buffer: read it, and fail only when there is none.
        byte[] early;
        try {
          early = readAnswer(ch);
        } catch (IOException readFailed) {
          sendFailed.addSuppressed(readFailed);
          throw sendFailed;
        }
        if (early.length == 0) {
          throw sendFailed;
        }
        return parse(early);
      }
      return parse(readAnswer(ch));
    }
  }

  private static byte[] readAnswer(SocketChannel ch) throws IOException {
    return Channels.newInputStream(ch).readNBytes(MAX_ANSWER);
  }

  static Answer parse(byte[] all) throws IOException {
    int end = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), 0);
    if (end < 0) {
      throw new IOException("no complete HTTP answer (" + all.length + " bytes)");
    }
    String[] lines = new String(all, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int c = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, c).toLowerCase(Locale.ROOT), lines[i].substring(c + 1).strip());
    }
    byte[] rest = java.util.Arrays.copyOfRange(all, end + 4, all.length);
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      rest = dechunk(rest);
    }
    return new Answer(status, headers, rest);
  }

  private static byte[] dechunk(byte[] b) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (true) {
      int eol = indexOf(b, new byte[] {'\r', '\n'}, i);
      if (eol < 0) {
        return out.toByteArray(); // cut short (a stream ended by the client)
      }
      String size = new String(b, i, eol - i, StandardCharsets.ISO_8859_1);
      int semi = size.indexOf(';');
      int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
      if (n == 0) {
        return out.toByteArray();
      }
      int from = eol + 2;
      out.write(b, from, Math.min(n, b.length - from));
      i = from + n + 2;
      if (i > b.length) {
        return out.toByteArray();
      }
    }
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    outer:
    for (int i = from; i <= hay.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
