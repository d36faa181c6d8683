package dev.pcikit.fleet;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One agent event (pcikit/events/v1): {@code {"seq","time","type","bdf","fingerprint","details"}}.
 *
 * @param details the event's details object as JSON text
 */
public record AgentEvent(
    long seq, OffsetDateTime time, String type, String bdf, String fingerprint, String details) {

  /** The types the agent sends (issue 14); others are stored as they come. */
  public static final List<String> TYPES =
      List.of(
          "device-added",
          "device-removed",
          "driver-changed",
          "vfs-changed",
          "group-viability-changed",
          "device-not-responding",
          "device-responding");

  /** Reads one event object; a malformed one is a {@link FleetException}. */
  public static AgentEvent of(JsonNode e) {
    JsonNode seq = e.get("seq");
    String type = InventoryDoc.text(e, "type");
    if (seq == null || !seq.canConvertToLong() || seq.asLong() < 0 || type == null) {
      throw new FleetException(FleetException.Kind.INVALID_INPUT, "event without seq or type");
    }
    OffsetDateTime time;
    try {
      String t = InventoryDoc.text(e, "time");
      time = t == null ? OffsetDateTime.now() : OffsetDateTime.parse(t);
    } catch (DateTimeParseException ex) {
      throw new FleetException(FleetException.Kind.INVALID_INPUT, "event time is not ISO-8601");
    }
    JsonNode details = e.get("details");
    return new AgentEvent(
        seq.asLong(),
        time,
        bounded(type, 64),
        bounded(InventoryDoc.text(e, "bdf"), 64),
        bounded(InventoryDoc.text(e, "fingerprint"), 1024),
        details == null || details.isNull() ? "{}" : InventoryDoc.JSON.writeValueAsString(details));
  }

  /** Reads one event from its JSON text (an SSE {@code data:} payload). */
  public static AgentEvent parse(String json) {
    try {
      return of(InventoryDoc.JSON.readTree(json));
    } catch (JacksonException ex) {
      throw new FleetException(FleetException.Kind.INVALID_INPUT, "event is not JSON");
    }
  }

  /**
   * A pcikit/events/v1 page: the events and {@code next}, the cursor to ask from next time.
   *
   * @param next the agent's cursor (-1 when the page has none)
   * @param gap the agent no longer has some events after the asked number (state must be re-read)
   * @param restarted the agent numbers from 1 again: a new epoch of the host's events
   */
  public record Page(List<AgentEvent> events, long next, boolean gap, boolean restarted) {
    public static Page parse(byte[] json) {
      JsonNode root;
      try {
        root = InventoryDoc.JSON.readTree(json);
      } catch (JacksonException ex) {
        throw new FleetException(FleetException.Kind.INVALID_INPUT, "events page is not JSON");
      }
      if (!"pcikit/events/v1".equals(root.path("schema").asString(""))) {
        throw new FleetException(
            FleetException.Kind.INVALID_INPUT, "not a pcikit/events/v1 document");
      }
      List<AgentEvent> out = new ArrayList<>();
      for (JsonNode e : root.path("events")) {
        out.add(of(e));
      }
      JsonNode next = root.get("next");
      return new Page(
          List.copyOf(out),
          next != null && next.canConvertToLong() ? next.asLong() : -1,
          root.path("gap").asBoolean(false),
          false);
    }

    /**
     * The highest sequence number the page holds (0: none). The collector asks again from it;
     * events it has already stored come back and are skipped by their (host, seq).
     */
    public long lastSeq() {
      return events.stream().mapToLong(AgentEvent::seq).max().orElse(0);
    }

    /**
     * Whether the agent numbers from 1 again (it restarted): asked for the events after {@code
     * asked}, it says it never made that number (gap, and nothing at or beyond it).
     */
    public boolean restartedSince(long asked) {
      return gap && asked > 0 && next < asked && lastSeq() < asked;
    }
  }

  private static String bounded(String s, int max) {
    if (s != null && s.length() > max) {
      throw new FleetException(FleetException.Kind.INVALID_INPUT, "event field longer than " + max);
    }
    return s;
  }
}
