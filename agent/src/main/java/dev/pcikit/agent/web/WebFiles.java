package dev.pcikit.agent.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The web page's files, read once from the class path (resources next to this class, {@code
 * dev/pcikit/agent/web/}) with their URL path, media type and entity tag. The list is the whole
 * page: a file not named here is never served.
 */
public final class WebFiles {
  /** Largest file accepted from the class path (the page is a few tens of KiB). */
  static final int MAX_BYTES = 1 << 20;

  /**
   * One file of the page.
   *
   * @param path the URL path it is served at
   * @param resource its name next to this class
   * @param contentType its media type (the agent adds {@code charset=utf-8} to text types)
   * @param body its bytes
   * @param etag a strong entity tag: the first 128 bits of its SHA-256, quoted
   */
  public record File(String path, String resource, String contentType, byte[] body, String etag) {}

  private final List<File> files;

  private WebFiles(List<File> files) {
    this.files = List.copyOf(files);
  }

  /** The page's files; a missing one is a packaging error (IllegalStateException). */
  public static WebFiles load() {
    return new WebFiles(
        List.of(
            file("/", "index.html", "text/html"),
            file("/app.js", "app.js", "text/javascript"),
            file("/app.css", "app.css", "text/css"),
            file("/favicon.svg", "favicon.svg", "image/svg+xml")));
  }

  public List<File> all() {
    return files;
  }

  private static File file(String path, String resource, String contentType) {
    byte[] body;
    try (InputStream in = WebFiles.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("web page file missing from the class path: " + resource);
      }
      body = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read web page file " + resource, e);
    }
    if (body.length > MAX_BYTES) {
      throw new IllegalStateException("web page file larger than " + MAX_BYTES + ": " + resource);
    }
    return new File(path, resource, contentType, body, etag(body));
  }

  static String etag(byte[] body) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(body);
      return "\"" + HexFormat.of().formatHex(d, 0, 16) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }
}
