package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.export.JsonText;
import dev.pcikit.core.watch.Event;
import dev.pcikit.core.watch.EventLog;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/events?since=N[&limit=L]} (a page of the event log) and {@code GET
 * /v1/events/stream} (Server-Sent Events, {@link SseStream}). docs/agent-events.md describes the
 * documents and how a client learns it missed events ({@code "gap": true}, SSE {@code event: gap}).
 */
final class EventsRoutes implements RouteGroup {
  /** The longest decimal sequence number accepted (Long.MAX_VALUE has 19 digits). */
  private static final int MAX_DIGITS = 19;

  @Override
  public List<Route> routes(AgentContext ctx) {
    return List.of(
        new Route("GET", "/v1/events", Access.READ, call -> page(ctx, call)),
        new Route(
            "GET",
            "/v1/events/stream",
            Access.READ,
            call -> {
              EventLog log = ctx.watch().log();
              Optional<String> lastId =
                  Optional.ofNullable(call.request().getHeaders().get("Last-Event-ID"));
              // Last-Event-ID (a reconnecting EventSource) wins over ?since= (a first connection
              // that knows where to start); without either the stream starts from now
              long from =
                  lastId.isPresent()
                      ? number(lastId.get(), "Last-Event-ID")
                      : call.query("since").map(s -> number(s, "since")).orElse(log.last());
              return SseStream.start(ctx.watch(), call, from);
            }));
  }

  private static Reply page(AgentContext ctx, Call call) {
    long since = call.query("since").map(s -> number(s, "since")).orElse(0L);
    int limit =
        (int)
            Math.min(
                EventLog.MAX_PAGE,
                call.query("limit").map(s -> number(s, "limit")).orElse((long) EventLog.MAX_PAGE));
    if (limit < 1) {
      throw new PcikitException(Failure.INVALID_ARGUMENT, "limit must be at least 1");
    }
    EventLog.Page p = ctx.watch().log().since(since, limit);
    List<Object> events = new ArrayList<>();
    for (Event e : p.events()) {
      events.add(e.toMap());
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schema", "pcikit/events/v1");
    doc.put("events", events);
    doc.put("next", p.next());
    doc.put("oldest", p.oldest());
    doc.put("gap", p.gap());
    return new Reply(200, Reply.JSON, JsonText.write(doc).getBytes(StandardCharsets.UTF_8));
  }

  /** A sequence number: decimal digits only, at most 19 of them, within a long. */
  static long number(String s, String what) {
    if (s.isEmpty() || s.length() > MAX_DIGITS || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT, what + " must be a non-negative decimal number");
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new PcikitException(Failure.INVALID_ARGUMENT, what + " is too large");
    }
  }
}
