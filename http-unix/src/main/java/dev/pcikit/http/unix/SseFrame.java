package dev.pcikit.http.unix;

import java.util.Map;

/**
 * One Server-Sent Events frame: the lines between two blank lines ({@code raw}, comments included)
 * and its fields. A field given more than once keeps its last value, except {@code data}, whose
 * values are joined by a line feed (WHATWG HTML, "Server-sent events", interpreting an event
 * stream). A frame of comments only (a keep-alive) has no fields.
 */
public record SseFrame(String raw, Map<String, String> fields) {
  public SseFrame {
    fields = Map.copyOf(fields);
  }

  public String id() {
    return fields.get("id");
  }

  /** The event type, or null (an unnamed "message" event). */
  public String event() {
    return fields.get("event");
  }

  public String data() {
    return fields.get("data");
  }

  /** No data: a comment (keep-alive) or a frame of other fields only. */
  public boolean comment() {
    return !fields.containsKey("data");
  }
}
