package dev.pcikit.fleet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** A host's agent (issue 14): GET /v1/devices, GET /v1/events?since=N, SSE /v1/events/stream. */
final class AgentSource implements Source {
  /** Pages of events read at most in one catch-up (the agent keeps a bounded ring anyway). */
  private static final int MAX_PAGES = 100;

  private final AgentClient client;
  private volatile boolean noEvents;

  AgentSource(AgentClient client) {
    this.client = client;
  }

  /** GET of a document; null when the agent does not have that resource (404). */
  private byte[] getOrNull(String path) throws IOException {
    try (AgentClient.Response r = client.open(path, null, "application/json")) {
      if (r.status == 404) {
        return null;
      }
      if (r.status != 200) {
        throw new IOException(
            "agent " + client.address() + " answered " + r.status + " to GET " + path);
      }
      return r.readBody(InventoryDoc.MAX_BYTES);
    }
  }

  @Override
  public byte[] inventory() throws IOException {
    return client.get("/v1/devices");
  }

  @Override
  public byte[] check() throws IOException {
    return getOrNull("/v1/check");
  }

  @Override
  public AgentEvent.Page eventsSince(long seq) throws IOException {
    List<AgentEvent> all = new ArrayList<>();
    long from = seq;
    long next = seq;
    boolean gap = false;
    boolean restarted = false;
    for (int i = 0; i < MAX_PAGES; i++) {
      byte[] body = getOrNull("/v1/events?since=" + from);
      if (body == null) {
        noEvents = true; // an agent without events: the feed re-reads the inventory instead
        break;
      }
      AgentEvent.Page p = AgentEvent.Page.parse(body);
      if (i == 0) {
        gap = p.gap();
        // a restarted agent replays what it has of its new numbering, all below the asked number
        restarted = p.restartedSince(seq);
      }
      next = p.next();
      if (p.events().isEmpty()) {
        break;
      }
      all.addAll(p.events());
      if (p.lastSeq() <= from && !(i == 0 && restarted)) {
        break;
      }
      from = p.lastSeq();
    }
    return new AgentEvent.Page(List.copyOf(all), next, gap, restarted);
  }

  @Override
  public Feed feed(long seq) throws IOException {
    AgentClient.Response r =
        client.open("/v1/events/stream", Long.toString(seq), "text/event-stream");
    if (r.status == 404) {
      r.close();
      return new PollingFeed(this, seq, noEvents);
    }
    if (r.status != 200) {
      r.close();
      throw new IOException(
          "agent " + client.address() + " answered " + r.status + " to the event stream");
    }
    return new SseFeed(r, client.address());
  }

  /**
   * An agent without the stream: asks for events every second; one without events at all has its
   * inventory read again every {@link #RESCAN_MILLIS} (the differences become history).
   */
  static final class PollingFeed implements Feed {
    static final long RESCAN_MILLIS = 5000;
    private final AgentSource source;
    private final boolean noEvents;
    private long seq;
    private long lastRescan = System.nanoTime();

    PollingFeed(AgentSource source, long seq, boolean noEvents) {
      this.source = source;
      this.seq = seq;
      this.noEvents = noEvents;
    }

    @Override
    public List<AgentEvent> next(long waitMillis) throws IOException {
      try {
        Thread.sleep(Math.min(waitMillis, 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted");
      }
      if (noEvents) {
        if (System.nanoTime() - lastRescan < RESCAN_MILLIS * 1_000_000) {
          return null;
        }
        lastRescan = System.nanoTime();
        return List.of();
      }
      AgentEvent.Page p = source.eventsSince(seq);
      List<AgentEvent> fresh = p.events().stream().filter(e -> e.seq() > seq).toList();
      if (fresh.isEmpty()) {
        return null;
      }
      seq = fresh.stream().mapToLong(AgentEvent::seq).max().getAsLong();
      return fresh;
    }

    @Override
    public void close() {}
  }
}
