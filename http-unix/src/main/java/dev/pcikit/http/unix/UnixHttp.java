package dev.pcikit.http.unix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * An HTTP/1.1 client for an agent's Unix domain socket (its default transport), or TCP with TLS and
 * a bearer token. One request per connection ({@code Connection: close}); answers are bounded (head
 * 64 KiB, body {@link #withMaxBody}) and every connection is closed after {@link #withTimeout} of
 * no progress.
 *
 * <p>A server may answer before it has read the whole request body (413 for a body over its bound,
 * RFC 9110 section 15.5.14) and stop reading; the client's write then fails (EPIPE, or ECONNRESET
 * on a Unix socket whose peer closed with unread data), yet the answer already sits in this
 * socket's receive queue. The client then reads that answer instead of failing on the write.
 *
 * <p>Instances are immutable and thread-safe; the {@code with...} methods return copies.
 */
public final class UnixHttp {
  /** Default bound on a whole answer's body: 64 MiB. */
  public static final long DEFAULT_MAX_BODY = 64L << 20;

  /** Default time a connection may make no progress before it is closed. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private final String address;
  private final Path socket;
  private final String host;
  private final int port;
  private final SSLContext tls;
  private final String bearer;
  private final Duration timeout;
  private final long maxBody;
  private final Map<String, String> defaultHeaders;

  /** A client of the Unix domain socket at {@code socket}. */
  public UnixHttp(Path socket) {
    this(
        "unix:" + socket, socket, null, 0, null, null, DEFAULT_TIMEOUT, DEFAULT_MAX_BODY, Map.of());
  }

  private UnixHttp(
      String address,
      Path socket,
      String host,
      int port,
      SSLContext tls,
      String bearer,
      Duration timeout,
      long maxBody,
      Map<String, String> defaultHeaders) {
    this.address = address;
    this.socket = socket;
    this.host = host;
    this.port = port;
    this.tls = tls;
    this.bearer = bearer;
    this.timeout = timeout;
    this.maxBody = maxBody;
    this.defaultHeaders = Map.copyOf(defaultHeaders);
  }

  /**
   * A client of {@code unix:/path/agent.sock}, {@code http://host:port} or {@code
   * https://host:port} (https trusts the JDK's trust store; see {@link #trusting}).
   */
  public static UnixHttp of(String address) throws IOException {
    if (address.startsWith("unix:")) {
      Path p = Path.of(address.substring("unix:".length()));
      return new UnixHttp(
          address, p, null, 0, null, null, DEFAULT_TIMEOUT, DEFAULT_MAX_BODY, Map.of());
    }
    if (address.startsWith("http://") || address.startsWith("https://")) {
      URI base = URI.create(address);
      if (base.getHost() == null) {
        throw new IOException("no host in " + address);
      }
      boolean https = base.getScheme().equals("https");
      int port = base.getPort() > 0 ? base.getPort() : https ? 443 : 80;
      return new UnixHttp(
          address,
          null,
          base.getHost(),
          port,
          https ? Tls.context(null) : null,
          null,
          DEFAULT_TIMEOUT,
          DEFAULT_MAX_BODY,
          Map.of());
    }
    throw new IOException("address is not unix:PATH, http:// or https://: " + address);
  }

  /** For an https address: trust the PEM certificate(s) in {@code caFile} instead. */
  public UnixHttp trusting(Path caFile) throws IOException {
    if (tls == null) {
      throw new IOException("a CA file is for https addresses, not " + address);
    }
    return new UnixHttp(
        address, socket, host, port, Tls.context(caFile), bearer, timeout, maxBody, defaultHeaders);
  }

  /** Sends {@code Authorization: Bearer TOKEN} with every request. */
  public UnixHttp withBearer(String token) {
    if (token.isEmpty() || token.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IllegalArgumentException("a bearer token is printable ASCII without spaces");
    }
    return new UnixHttp(address, socket, host, port, tls, token, timeout, maxBody, defaultHeaders);
  }

  /** Closes a connection (and fails its call) after this long without a byte read or written. */
  public UnixHttp withTimeout(Duration t) {
    if (t.isNegative() || t.isZero()) {
      throw new IllegalArgumentException("timeout must be positive");
    }
    return new UnixHttp(address, socket, host, port, tls, bearer, t, maxBody, defaultHeaders);
  }

  /** The largest body {@link #send} reads; a larger one is an IOException. */
  public UnixHttp withMaxBody(long bytes) {
    return new UnixHttp(address, socket, host, port, tls, bearer, timeout, bytes, defaultHeaders);
  }

  /** Sends this header with every request (a request's own headers win). */
  public UnixHttp withHeader(String name, String value) {
    Map<String, String> h = new LinkedHashMap<>(defaultHeaders);
    h.put(name, value);
    return new UnixHttp(address, socket, host, port, tls, bearer, timeout, maxBody, h);
  }

  /** The address as given ({@code unix:PATH}, {@code http://...}, {@code https://...}). */
  public String address() {
    return address;
  }

  /** A whole answer: status, headers (names lower case) and body. */
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

  /** Sends one request and reads the whole answer (at most {@link #withMaxBody} bytes of body). */
  public Answer send(String method, String path, Map<String, String> headers, byte[] body)
      throws IOException {
    try (Response r = open(method, path, headers, body)) {
      return new Answer(r.status(), r.headers(), r.readBody(maxBody));
    }
  }

  /**
   * Sends one request and returns once the answer's head is read; its body is read from the
   * returned {@link Response}, which must be closed. A {@code Content-Length} among {@code headers}
   * is sent as given (to test a server with a length that is not the body's).
   */
  public Response open(String method, String path, Map<String, String> headers, byte[] body)
      throws IOException {
    Connection c =
        socket != null
            ? Connection.unix(socket, timeout)
            : Connection.tcp(host, port, tls, timeout);
    try {
      IOException sendFailed = null;
      try {
        c.out.write(request(method, path, headers, body));
        c.out.flush();
      } catch (IOException e) {
        if (c.timedOut()) {
          throw e;
        }
        sendFailed = e; // the server may have answered early: see the class comment
      }
      try {
        return Response.read(c, method);
      } catch (IOException readFailed) {
        if (sendFailed == null) {
          throw readFailed;
        }
        sendFailed.addSuppressed(readFailed);
        throw sendFailed;
      }
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private byte[] request(String method, String path, Map<String, String> headers, byte[] body) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("Host", socket != null ? "localhost" : hostHeader());
    all.put("User-Agent", "pcikit");
    all.putAll(defaultHeaders);
    if (bearer != null) {
      all.put("Authorization", "Bearer " + bearer);
    }
    all.putAll(headers);
    all.put("Connection", "close");
    boolean lengthGiven =
        headers.keySet().stream()
            .anyMatch(k -> k.toLowerCase(Locale.ROOT).equals("content-length"));
    if (body != null && !lengthGiven) {
      all.put("Content-Length", Integer.toString(body.length));
    }
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    all.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    ByteArrayOutputStream req = new ByteArrayOutputStream();
    req.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    if (body != null) {
      req.writeBytes(body);
    }
    return req.toByteArray();
  }

  private String hostHeader() {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return port == (tls != null ? 443 : 80) ? h : h + ":" + port;
  }
}
