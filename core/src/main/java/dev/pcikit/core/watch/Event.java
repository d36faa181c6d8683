package dev.pcikit.core.watch;

import dev.pcikit.core.export.JsonText;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A numbered {@link Change}: what {@code GET /v1/events} lists and Server-Sent Events carry.
 *
 * @param seq the log's sequence number, from 1, +1 per event, never reused within one log
 * @param time when the rescan that saw the change finished
 */
public record Event(long seq, Instant time, Change change) {

  public EventType type() {
    return change.type();
  }

  /**
   * The event as the API's JSON object: {@code
   * {"seq","time","type","bdf","fingerprint","details"}}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seq", seq);
    m.put("time", time.toString());
    m.put("type", change.type().wire());
    m.put("bdf", change.address().toString());
    m.put("fingerprint", change.fingerprint().orElse(null));
    m.put("details", change.details());
    return m;
  }

  /** {@link #toMap()} as one line of JSON (an SSE {@code data:} line must not break). */
  public String toJson() {
    return JsonText.compact(toMap());
  }
}
