package dev.pcikit.fleet;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A small HTTP/1.1 client for the agent API (issue 14), over the agent's Unix domain socket (its
 * default transport) or TCP with TLS and a bearer token. One request per connection ({@code
 * Connection: close}); bodies may be chunked (RFC 9112 section 7.1) or sized by Content-Length.
 *
 * <p>The JDK's HttpClient does not speak Unix sockets, hence this client: a request line, a few
 * headers, a status line and headers back, bounded everywhere (status line and headers 64 KiB,
 * bodies {@link InventoryDoc#MAX_BYTES}).
 */
public final class AgentClient {
  private static final int MAX_HEAD = 64 * 1024;

  /** Closes streams that sit idle past their timeout (a Unix SocketChannel has no SO_TIMEOUT). */
  private static final ScheduledExecutorService WATCHDOG =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "pcikit-agent-watchdog");
            t.setDaemon(true);
            return t;
          });

  private final String address;
  private final Path socket;
  private final URI base;
  private final String token;
  private final SSLContext tls;
  private final int timeoutMillis;

  /**
   * @param address {@code unix:/path/agent.sock}, {@code http://host:port} or {@code
   *     https://host:port}
   * @param tokenFile a file holding the bearer token (TCP only), or null
   * @param caFile PEM certificate(s) to trust for https (default: the JDK's trust store), or null
   */
  public AgentClient(String address, Path tokenFile, Path caFile, int timeoutMillis)
      throws IOException {
    this.address = address;
    this.timeoutMillis = timeoutMillis;
    if (address.startsWith("unix:")) {
      socket = Path.of(address.substring("unix:".length()));
      base = null;
    } else if (address.startsWith("http://") || address.startsWith("https://")) {
      socket = null;
      base = URI.create(address);
      if (base.getHost() == null) {
        throw new IOException("no host in " + address);
      }
    } else {
      throw new IOException("agent address is not unix:PATH, http:// or https://: " + address);
    }
    token = tokenFile == null ? null : readToken(tokenFile);
    tls = base != null && base.getScheme().equals("https") ? tlsContext(caFile) : null;
  }

  public String address() {
    return address;
  }

  private static String readToken(Path f) throws IOException {
    if (Files.size(f) > 4096) {
      throw new IOException("token file larger than 4 KiB: " + f);
    }
    String t = Files.readString(f, StandardCharsets.UTF_8).strip();
    // the file may hold "name:token" lines like the agent's --tokens file: take the first token
    int nl = t.indexOf('\n');
    t = nl < 0 ? t : t.substring(0, nl).strip();
    if (t.isEmpty() || t.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw new IOException("token file holds no printable token: " + f);
    }
    return t;
  }

  private static SSLContext tlsContext(Path caFile) throws IOException {
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      if (caFile == null) {
        ctx.init(null, null, null);
        return ctx;
      }
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(null, null);
      CertificateFactory cf = CertificateFactory.getInstance("X.509");
      try (InputStream in = Files.newInputStream(caFile)) {
        int i = 0;
        for (var cert : cf.generateCertificates(in)) {
          ks.setCertificateEntry("ca" + i++, (X509Certificate) cert);
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot use the CA file " + caFile + ": " + e.getMessage(), e);
    }
  }

  /** GET a document; a status other than 200 is an IOException naming it. */
  public byte[] get(String pathAndQuery) throws IOException {
    try (Response r = open(pathAndQuery, null, "application/json")) {
      if (r.status != 200) {
        throw new IOException(
            "agent " + address + " answered " + r.status + " to GET " + pathAndQuery);
      }
      return r.readBody(InventoryDoc.MAX_BYTES);
    }
  }

  /** An open response: status, then the body as a stream (the connection closes with it). */
  public static final class Response implements Closeable {
    public final int status;
    public final String contentType;
    private final InputStream body;
    private final Closeable conn;
    private final Watch watch;

    Response(int status, String contentType, InputStream body, Closeable conn, Watch watch) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
      this.conn = conn;
      this.watch = watch;
    }

    public InputStream body() {
      return body;
    }

    byte[] readBody(int max) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[65536];
      int n;
      while ((n = body.read(buf)) > 0) {
        out.write(buf, 0, n);
        if (out.size() > max) {
          throw new IOException("response body larger than " + max + " bytes");
        }
      }
      return out.toByteArray();
    }

    @Override
    public void close() throws IOException {
      watch.cancel();
      conn.close();
    }
  }

  /**
   * Sends {@code GET pathAndQuery}; the response's body is read through the returned stream.
   *
   * @param lastEventId the SSE {@code Last-Event-ID} header, or null
   */
  public Response open(String pathAndQuery, String lastEventId, String accept) throws IOException {
    Closeable conn;
    InputStream rawIn;
    OutputStream out;
    Watch watch;
    if (socket != null) {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      watch = new Watch(ch, timeoutMillis);
      try {
        ch.connect(UnixDomainSocketAddress.of(socket));
      } catch (IOException e) {
        watch.cancel();
        ch.close();
        throw new IOException("cannot connect to " + socket + ": " + e.getMessage(), e);
      }
      conn = ch;
      rawIn = watch.wrap(Channels.newInputStream(ch));
      out = Channels.newOutputStream(ch);
    } else {
      int port = base.getPort() > 0 ? base.getPort() : tls != null ? 443 : 80;
      Socket s;
      if (tls != null) {
        SSLSocket ss = (SSLSocket) tls.getSocketFactory().createSocket();
        SSLParameters p = ss.getSSLParameters();
        p.setEndpointIdentificationAlgorithm("HTTPS");
        ss.setSSLParameters(p);
        s = ss;
      } else {
        s = new Socket();
      }
      s.connect(new InetSocketAddress(base.getHost(), port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      conn = s;
      watch = new Watch(null, 0);
      rawIn = s.getInputStream();
      out = s.getOutputStream();
    }
    try {
      StringBuilder req = new StringBuilder();
      req.append("GET ").append(pathAndQuery).append(" HTTP/1.1\r\n");
      req.append("Host: ").append(base == null ? "localhost" : base.getHost()).append("\r\n");
      req.append("Accept: ").append(accept).append("\r\n");
      req.append("User-Agent: pcikit-fleet\r\n");
      req.append("Connection: close\r\n");
      if (token != null) {
        req.append("Authorization: Bearer ").append(token).append("\r\n");
      }
      if (lastEventId != null) {
        req.append("Last-Event-ID: ").append(lastEventId).append("\r\n");
      }
      req.append("\r\n");
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = new BufferedInputStream(rawIn, 65536);
      String status = line(in);
      String[] parts = status.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.1 answer from " + address);
      }
      int code = Integer.parseInt(parts[1]);
      long length = -1;
      boolean chunked = false;
      String contentType = null;
      int headBytes = status.length();
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        headBytes += h.length();
        if (headBytes > MAX_HEAD) {
          throw new IOException("response headers larger than 64 KiB from " + address);
        }
        int colon = h.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        String value = h.substring(colon + 1).strip();
        switch (name) {
          case "content-length" -> length = Long.parseLong(value);
          case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
          case "content-type" -> contentType = value;
          default -> {}
        }
      }
      InputStream body = chunked ? new Chunked(in) : length >= 0 ? new Limited(in, length) : in;
      return new Response(code, contentType, body, conn, watch);
    } catch (IOException | RuntimeException e) {
      watch.cancel();
      conn.close();
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
  }

  /** One CRLF- (or LF-) terminated line, at most 64 KiB. */
  static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(128);
    for (int c = in.read(); ; c = in.read()) {
      if (c < 0) {
        if (b.size() == 0) {
          throw new IOException("connection closed");
        }
        break;
      }
      if (c == '\n') {
        break;
      }
      b.write(c);
      if (b.size() > MAX_HEAD) {
        throw new IOException("line longer than 64 KiB");
      }
    }
    String s = b.toString(StandardCharsets.UTF_8);
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  /** Closes a Unix socket that has not delivered a byte for its timeout. */
  static final class Watch {
    private final SocketChannel ch;
    private final long timeoutNanos;
    private volatile long last = System.nanoTime();
    private final java.util.concurrent.ScheduledFuture<?> task;

    Watch(SocketChannel ch, int timeoutMillis) {
      this.ch = ch;
      this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
      task =
          ch == null
              ? null
              : WATCHDOG.scheduleWithFixedDelay(
                  this::check, timeoutMillis / 4 + 1, timeoutMillis / 4 + 1, TimeUnit.MILLISECONDS);
    }

    private void check() {
      if (System.nanoTime() - last > timeoutNanos) {
        try {
          ch.close();
        } catch (IOException e) {
          // closing is all we wanted
        }
        cancel();
      }
    }

    void cancel() {
      if (task != null) {
        task.cancel(false);
      }
    }

    InputStream wrap(InputStream in) {
      return new InputStream() {
        @Override
        public int read() throws IOException {
          int c = in.read();
          last = System.nanoTime();
          return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
          int n = in.read(b, off, len);
          last = System.nanoTime();
          return n;
        }
      };
    }
  }

  /** A Content-Length body. */
  static final class Limited extends InputStream {
    private final InputStream in;
    private long left;

    Limited(InputStream in, long length) {
      this.in = in;
      this.left = length;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int c = in.read();
      if (c >= 0) {
        left--;
      }
      return c;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n > 0) {
        left -= n;
      }
      return n;
    }
  }

  /** A chunked body (RFC 9112 section 7.1): size line, data, CRLF; a zero size ends it. */
  static final class Chunked extends InputStream {
    private final InputStream in;
    private long left;
    private boolean done;

    Chunked(InputStream in) {
      this.in = in;
    }

    private boolean next() throws IOException {
      if (done) {
        return false;
      }
      if (left == 0) {
        String size = line(in);
        int semi = size.indexOf(';');
        size = (semi < 0 ? size : size.substring(0, semi)).strip();
        if (size.isEmpty() || size.length() > 8) {
          throw new IOException("bad chunk size");
        }
        left = Long.parseLong(size, 16);
        if (left == 0) {
          done = true;
          return false;
        }
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (!next()) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new IOException("connection closed inside a chunk");
      }
      left -= n;
      if (left == 0) {
        line(in); // the CRLF after the chunk's data
      }
      return n;
    }
  }
}
