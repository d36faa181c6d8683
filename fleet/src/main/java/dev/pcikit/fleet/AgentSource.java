package dev.pcikit.fleet;

import dev.pcikit.http.unix.Response;
import dev.pcikit.http.unix.UnixHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A host's agent (issue 14): GET /v1/devices, GET /v1/events?since=N, SSE /v1/events/stream. */
final class AgentSource implements Source {
  /** Pages of events read at most in one catch-up (the agent keeps a bounded ring anyway). */
  private static final int MAX_PAGES = 100;

  private final UnixHttp client;
  private volatile boolean noEvents;

  AgentSource(UnixHttp client) {
    this.client = client;
  }

  /**
   * The client for an agent's address ({@code unix:PATH}, {@code http://} or {@code https://}): the
   * bearer token of {@code tokenFile} if given, the certificates of {@code caFile} trusted for
   * https (ignored for other addresses), bodies bounded by {@link InventoryDoc#MAX_BYTES}.
   */
  static UnixHttp client(String address, Path tokenFile, Path caFile, int timeoutMillis)
      throws IOException {
    if (!address.startsWith("unix:")
        && !address.startsWith("http://")
        && !address.startsWith("https://")) {
      throw new IOException("agent address is not unix:PATH, http:// or https://: " + address);
    }
    UnixHttp c =
        UnixHttp.of(address)
            .withTimeout(Duration.ofMillis(timeoutMillis))
            .withMaxBody(InventoryDoc.MAX_BYTES)
            .withHeader("User-Agent", "pcikit-fleet");
    if (caFile != null && address.startsWith("https://")) {
      c = c.trusting(caFile);
    }
    return tokenFile == null ? c : c.withBearer(readToken(tokenFile));
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

  private Response open(String path, Map<String, String> headers) throws IOException {
    return client.open("GET", path, headers, null);
  }

  /** GET of a document; null when the agent does not have that resource (404). */
  private byte[] getOrNull(String path) throws IOException {
    try (Response r = open(path, Map.of("Accept", "application/json"))) {
      if (r.status() == 404) {
        return null;
      }
      return body(r, path);
    }
  }

  private byte[] body(Response r, String path) throws IOException {
    if (r.status() != 200) {
      throw new IOException(
          "agent " + client.address() + " answered " + r.status() + " to GET " + path);
    }
    return r.readBody(InventoryDoc.MAX_BYTES);
  }

  @Override
  public byte[] inventory() throws IOException {
    try (Response r = open("/v1/devices", Map.of("Accept", "application/json"))) {
      return body(r, "/v1/devices");
    }
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
    Response r =
        open(
            "/v1/events/stream",
            Map.of("Accept", "text/event-stream", "Last-Event-ID", Long.toString(seq)));
    if (r.status() == 404) {
      r.close();
      return new PollingFeed(this, seq, noEvents);
    }
    if (r.status() != 200) {
      r.close();
      throw new IOException(
          "agent " + client.address() + " answered " + r.status() + " to the event stream");
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
