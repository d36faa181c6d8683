package dev.pcikit.agent;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What a route answers: a status, a media type, the body bytes and extra headers. {@link #TAKEN}
 * means the route wrote the response itself (streams such as Server-Sent Events).
 */
public final class Reply {
  /** The route completed the Jetty response and its callback itself. */
  public static final Reply TAKEN = new Reply(0, null, new byte[0]);

  public static final String JSON = "application/json";
  public static final String PROBLEM = "application/problem+json";

  private final int status;
  private final String contentType;
  private final byte[] body;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private volatile byte[] gzipped;
  private volatile java.nio.ByteBuffer direct;
  private volatile java.nio.ByteBuffer directGzipped;

  public Reply(int status, String contentType, byte[] body) {
    this.status = status;
    this.contentType = contentType;
    this.body = body;
  }

  /** A JSON document (as {@link Json#bytes}). */
  public static Reply json(int status, JsonNode doc) {
    return new Reply(status, JSON, Json.bytes(doc));
  }

  public static Reply ok(JsonNode doc) {
    return json(200, doc);
  }

  /** Text of the given media type ({@code charset=utf-8} is added for text types). */
  public static Reply text(int status, String contentType, String body) {
    return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  public Reply header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  public int status() {
    return status;
  }

  public String contentType() {
    return contentType;
  }

  public byte[] body() {
    return body;
  }

  /** The body gzip-compressed, when kept (cached answers), else null. */
  public byte[] gzipped() {
    return gzipped;
  }

  void gzipped(byte[] g) {
    gzipped = g;
  }

  /**
   * Keeps the body (and its gzip form) in direct memory too: a cached answer is then written to the
   * socket straight from there, without the copy into a temporary direct buffer the JDK makes for
   * every write of a heap buffer (and caches per thread: 64 threads x 558 KB).
   */
  void keepDirect() {
    direct = toDirect(body);
    if (gzipped != null) {
      directGzipped = toDirect(gzipped);
    }
  }

  /** A view of the body in direct memory when kept, else null. */
  java.nio.ByteBuffer directBody(boolean gzip) {
    java.nio.ByteBuffer b = gzip ? directGzipped : direct;
    return b == null ? null : b.duplicate();
  }

  private static java.nio.ByteBuffer toDirect(byte[] b) {
    java.nio.ByteBuffer d = java.nio.ByteBuffer.allocateDirect(b.length);
    d.put(b).flip();
    return d.asReadOnlyBuffer();
  }

  public Map<String, String> headers() {
    return headers;
  }
}
