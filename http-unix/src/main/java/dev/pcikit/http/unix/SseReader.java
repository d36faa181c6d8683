package dev.pcikit.http.unix;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads Server-Sent Events frames from a body ({@code text/event-stream}, WHATWG HTML "Server-sent
 * events"): lines {@code name: value}, a line starting with {@code :} is a comment, a blank line
 * ends the frame. Each frame is bounded.
 */
public final class SseReader {
  /** Default bound on one frame (its lines together): 1 MiB. */
  public static final int DEFAULT_MAX_FRAME = 1 << 20;

  private final InputStream in;
  private final int maxFrame;

  public SseReader(InputStream body) {
    this(body, DEFAULT_MAX_FRAME);
  }

  public SseReader(InputStream body, int maxFrame) {
    this.in = body;
    this.maxFrame = maxFrame;
  }

  /**
   * The next frame; null when the stream ended (a frame cut short by the end is dropped, as the
   * specification says). A frame over the bound is an IOException.
   */
  public SseFrame next() throws IOException {
    StringBuilder raw = new StringBuilder();
    Map<String, String> fields = new LinkedHashMap<>();
    while (true) {
      String line;
      try {
        line = Wire.lineOrEnd(in, Math.max(0, maxFrame - raw.length()));
      } catch (Wire.LineTooLong e) {
        throw new IOException("Server-Sent Events frame larger than " + maxFrame + " bytes");
      }
      if (line == null) {
        return null;
      }
      if (line.isEmpty()) {
        if (raw.length() == 0) {
          continue; // blank lines between frames
        }
        return new SseFrame(raw.toString(), fields);
      }
      if (raw.length() > 0) {
        raw.append('\n');
      }
      raw.append(line);
      if (raw.length() > maxFrame) {
        throw new IOException("Server-Sent Events frame larger than " + maxFrame + " bytes");
      }
      if (line.startsWith(":")) {
        continue;
      }
      int c = line.indexOf(':');
      String name = c < 0 ? line : line.substring(0, c);
      String value = c < 0 ? "" : line.substring(c + 1);
      value = value.startsWith(" ") ? value.substring(1) : value;
      if (name.equals("data")) {
        fields.merge("data", value, (a, b) -> a + "\n" + b);
      } else {
        fields.put(name, value);
      }
    }
  }
}
