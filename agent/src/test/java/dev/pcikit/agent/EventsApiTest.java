package dev.pcikit.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.http.unix.SseFrame;
import dev.pcikit.http.unix.UnixHttp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** GET /v1/events and the Server-Sent Events stream, on demo hosts, with writes through the API. */
class EventsApiTest {
  static final String NIC = "0000:03:00.0";
  static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  static String bind(String bdf) {
    return "{\"devices\":[\"" + bdf + "\"]}";
  }

  @Test
  void aLiveSubscriberSeesTheEventsOfABindInOrder() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", dir);
        SseClient sse = SseClient.open(a.agent.socket(), "/v1/events/stream", Map.of())) {
      assertThat(sse.status).isEqualTo(200);
      assertThat(sse.headers.get("content-type")).startsWith("text/event-stream");
      SseFrame hello = sse.next(WAIT); // the stream is open before the write
      assertThat(hello.fields()).containsEntry("retry", "2000");

      UnixHttp.Answer r = a.api.finish(a.api.post("/v1/bind", bind(NIC)));
      assertThat(r.status()).as(r.text()).isEqualTo(200);

      SseFrame first = sse.nextEvent(WAIT);
      SseFrame second = sse.nextEvent(WAIT);
      assertThat(first.event()).isEqualTo("driver-changed");
      assertThat(first.id()).isEqualTo("1");
      JsonNode e1 = Json.read(first.data().getBytes());
      assertThat(e1.get("seq").asLong()).isEqualTo(1);
      assertThat(e1.get("bdf").asString()).isEqualTo(NIC);
      assertThat(e1.get("details").get("from").asString()).isEqualTo("igb");
      assertThat(e1.get("details").get("to").asString()).isEqualTo("vfio-pci");
      assertThat(e1.get("fingerprint").asString()).contains("ids=");
      assertThat(second.event()).isEqualTo("group-viability-changed");
      assertThat(second.id()).isEqualTo("2");
      assertThat(Json.read(second.data().getBytes()).get("details").get("viable").asBoolean())
          .isTrue();

      // the same events, numbered alike, from the log (checked against the OpenAPI document)
      JsonNode page = Api.json(a.api.get("/v1/events?since=0"));
      assertThat(page.get("schema").asString()).isEqualTo("pcikit/events/v1");
      assertThat(page.get("events").get(0).toString()).isEqualTo(e1.toString());
      assertThat(page.get("next").asLong()).isEqualTo(2);
      assertThat(page.get("gap").asBoolean()).isFalse();
      assertThat(Api.json(a.api.get("/v1/events?since=2")).get("events")).isEmpty();
    }
  }

  @Test
  void reconnectingWithLastEventIdMissesNothing() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", dir)) {
      String lastSeen;
      try (SseClient sse = SseClient.open(a.agent.socket(), "/v1/events/stream", Map.of())) {
        sse.next(WAIT);
        a.api.finish(a.api.post("/v1/bind", bind(NIC)));
        lastSeen = sse.nextEvent(WAIT).id(); // the subscriber goes away after one event
      }
      // while it is away: the rest of the bind's events, then a release's
      UnixHttp.Answer rel = a.api.finish(a.api.post("/v1/release", bind(NIC)));
      assertThat(rel.status()).as(rel.text()).isEqualTo(200);
      awaitSeq(a, 4);

      List<String> replayed = new ArrayList<>();
      try (SseClient sse =
          SseClient.open(
              a.agent.socket(), "/v1/events/stream", Map.of("Last-Event-ID", lastSeen))) {
        for (int i = 0; i < 3; i++) {
          SseFrame f = sse.nextEvent(WAIT);
          replayed.add(f.id() + " " + f.event());
        }
        // and nothing more is pending
        assertThat(sse.nextEvent(Duration.ofMillis(300))).isNull();
      }
      assertThat(replayed)
          .containsExactly(
              "2 group-viability-changed", "3 driver-changed", "4 group-viability-changed");
    }
  }

  @Test
  void aLastEventIdFromAnEarlierRunIsAGapThenWhatIsKept() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", dir)) {
      a.api.finish(a.api.post("/v1/bind", bind(NIC)));
      awaitSeq(a, 2);
      try (SseClient sse =
          SseClient.open(a.agent.socket(), "/v1/events/stream", Map.of("Last-Event-ID", "900"))) {
        SseFrame gap = sse.nextEvent(WAIT);
        assertThat(gap.event()).isEqualTo("gap");
        assertThat(Json.read(gap.data().getBytes()).get("oldest").asLong()).isEqualTo(1);
        assertThat(sse.nextEvent(WAIT).id()).isEqualTo("1");
        assertThat(sse.nextEvent(WAIT).id()).isEqualTo("2");
      }
      JsonNode page = Api.json(a.api.get("/v1/events?since=900"));
      assertThat(page.get("gap").asBoolean()).isTrue();
      assertThat(page.get("events")).hasSize(2);
    }
  }

  @Test
  void anIdleStreamGetsKeepAliveComments() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", dir);
        SseClient sse = SseClient.open(a.agent.socket(), "/v1/events/stream", Map.of())) {
      sse.next(WAIT);
      SseFrame f = sse.next(SseStream.KEEP_ALIVE.multipliedBy(3));
      assertThat(f).isNotNull();
      assertThat(f.raw()).isEqualTo(": keep-alive");
    }
  }

  @Test
  void streamsAreCappedAndASlotFreesWhenASubscriberLeaves() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", dir)) {
      List<SseClient> open = new ArrayList<>();
      try {
        for (int i = 0; i < SseStream.MAX_SUBSCRIBERS; i++) {
          SseClient c = SseClient.open(a.agent.socket(), "/v1/events/stream", Map.of());
          open.add(c);
          assertThat(c.status).isEqualTo(200);
        }
        try (SseClient over = SseClient.open(a.agent.socket(), "/v1/events/stream", Map.of())) {
          assertThat(over.status).isEqualTo(503);
          assertThat(over.headers.get("retry-after")).isEqualTo("5");
        }
        // one leaves: its slot is free once the agent's next write to it fails (a keep-alive)
        open.remove(0).close();
        long deadline = System.nanoTime() + WAIT.toNanos();
        int status = 503;
        while (status == 503 && System.nanoTime() < deadline) {
          try (SseClient again = SseClient.open(a.agent.socket(), "/v1/events/stream", Map.of())) {
            status = again.status;
          }
          Thread.sleep(200);
        }
        assertThat(status).isEqualTo(200);
      } finally {
        for (SseClient c : open) {
          c.close();
        }
      }
    }
  }

  @Test
  void badSequenceNumbersAreBadRequests() throws Exception {
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", dir)) {
      for (String q : List.of("abc", "-1", "1e3", "99999999999999999999", "")) {
        UnixHttp.Answer r = a.api.get("/v1/events?since=" + q);
        assertThat(r.status()).as(q + ": " + r.text()).isEqualTo(400);
        assertThat(Json.read(r.body()).get("failure").asString()).isEqualTo("INVALID_ARGUMENT");
      }
      assertThat(a.api.get("/v1/events?limit=0").status()).isEqualTo(400);
      try (SseClient sse =
          SseClient.open(a.agent.socket(), "/v1/events/stream", Map.of("Last-Event-ID", "x1"))) {
        assertThat(sse.status).isEqualTo(400);
      }
    }
  }

  @Test
  void theCliWritingTheSameDemoHostIsSeenByThePeriodicRescanOnly() throws Exception {
    String before = System.getProperty("pcikit.agent.rescanMillis");
    System.setProperty("pcikit.agent.rescanMillis", "100");
    try (DemoAgent a = DemoAgent.start("demo:x86-workstation", dir)) {
      var watcher = a.agent.context().watch().watcher();
      Thread.sleep(1000);
      // nothing changed the state file: the periodic rescan did not read the host
      assertThat(watcher.stats().rescans()).isEqualTo(1);

      // "the CLI": its own host object on the same state file, under the same host lock
      dev.pcikit.sim.SimulatedHost cli = dev.pcikit.sim.SimulatedHost.open("demo:x86-workstation");
      try (var locked = cli.lock(Duration.ofSeconds(30))) {
        var e = locked.vfio();
        e.execute(
            e.planBind(
                new dev.pcikit.core.vfio.VfioEngine.BindRequest(
                    dev.pcikit.core.vfio.VfioEngine.exactly(
                        List.of(dev.pcikit.core.model.PciAddress.parse(NIC))),
                    false,
                    null,
                    false,
                    false)));
      }
      // the CLI saves the state ahead of each journal step, so a rescan may catch the device
      // between unbind and bind (as on a real kernel): the driver changes chain up to vfio-pci
      List<String> chain = new ArrayList<>();
      while (true) {
        long last = a.agent.context().watch().log().last();
        chain.clear();
        for (JsonNode e : Api.json(a.api.get("/v1/events?since=0")).get("events")) {
          if (e.get("type").asString().equals("driver-changed")) {
            assertThat(e.get("bdf").asString()).isEqualTo(NIC);
            String from =
                e.get("details").get("from").isNull()
                    ? "none"
                    : e.get("details").get("from").asString();
            assertThat(from).isEqualTo(chain.isEmpty() ? "igb" : chain.get(chain.size() - 1));
            chain.add(
                e.get("details").get("to").isNull()
                    ? "none"
                    : e.get("details").get("to").asString());
          }
        }
        if (chain.contains("vfio-pci")) {
          break;
        }
        awaitSeq(a, last + 1); // fails the test when nothing more comes within WAIT
      }
      assertThat(chain).last().isEqualTo("vfio-pci");
    } finally {
      if (before == null) {
        System.clearProperty("pcikit.agent.rescanMillis");
      } else {
        System.setProperty("pcikit.agent.rescanMillis", before);
      }
    }
  }

  /** Waits until the log holds event {@code seq} (the rescan after a write runs on its own). */
  static void awaitSeq(DemoAgent a, long seq) throws Exception {
    assertThat(a.agent.context().watch().log().awaitAfter(seq - 1, WAIT)).isTrue();
  }
}
