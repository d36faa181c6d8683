package dev.pcikit.http.unix;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An answer being read: its status and headers, then its body as a stream (a Server-Sent Events
 * stream is read this way). Closing it closes the connection.
 */
public final class Response implements Closeable {
  /** Largest status line plus headers. */
  static final int MAX_HEAD = 64 * 1024;

  private final Connection connection;
  private final int status;
  private final Map<String, String> headers;
  private final InputStream body;

  private Response(
      Connection connection, int status, Map<String, String> headers, InputStream body) {
    this.connection = connection;
    this.status = status;
    this.headers = Collections.unmodifiableMap(headers);
    this.body = body;
  }

  /** Reads the status line and headers (skipping 1xx interim answers) from {@code c}. */
  static Response read(Connection c, String method) throws IOException {
    InputStream in = c.in;
    while (true) {
      String statusLine = Wire.line(in, MAX_HEAD);
      String[] parts = statusLine.split(" ", 3);
      if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
        throw new IOException("not an HTTP/1.1 answer: " + abbreviate(statusLine));
      }
      int status;
      try {
        status = Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        throw new IOException("bad status in " + abbreviate(statusLine));
      }
      Map<String, String> headers = new LinkedHashMap<>();
      int headBytes = statusLine.length();
      for (String h = Wire.line(in, MAX_HEAD); !h.isEmpty(); h = Wire.line(in, MAX_HEAD)) {
        headBytes += h.length() + 2;
        if (headBytes > MAX_HEAD) {
          throw new IOException("answer head larger than " + MAX_HEAD + " bytes");
        }
        int colon = h.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = h.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        headers.merge(name, h.substring(colon + 1).strip(), (a, b) -> a + ", " + b);
      }
      if (status >= 100 && status < 200) {
        continue; // 100 Continue and other interim answers: the final one follows
      }
      return new Response(c, status, headers, body(in, method, status, headers));
    }
  }

  private static InputStream body(
      InputStream in, String method, int status, Map<String, String> headers) throws IOException {
    if (method.equals("HEAD") || status == 204 || status == 304) {
      return InputStream.nullInputStream(); // RFC 9112 section 6.3: these have no body
    }
    String te = headers.get("transfer-encoding");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      return new Wire.Chunked(in);
    }
    String cl = headers.get("content-length");
    if (cl != null) {
      try {
        long length = Long.parseLong(cl);
        if (length < 0) {
          throw new NumberFormatException();
        }
        return new Wire.Limited(in, length);
      } catch (NumberFormatException e) {
        throw new IOException("bad Content-Length: " + abbreviate(cl));
      }
    }
    return in; // until the server closes (Connection: close)
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "..." : s;
  }

  public int status() {
    return status;
  }

  /** The headers, names in lower case; a repeated header's values joined by ", ". */
  public Map<String, String> headers() {
    return headers;
  }

  /** The media type as sent, or "". */
  public String contentType() {
    return headers.getOrDefault("content-type", "");
  }

  /** The body, decoded from its transfer coding; it ends where the answer ends. */
  public InputStream body() {
    return body;
  }

  /** The whole body; more than {@code max} bytes is an IOException (nothing more is read). */
  public byte[] readBody(long max) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    for (int n; (n = body.read(buf)) >= 0; ) {
      if (out.size() + (long) n > max) {
        throw new IOException("answer body larger than " + max + " bytes");
      }
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  @Override
  public void close() throws IOException {
    connection.close();
  }
}
