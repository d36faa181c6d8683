package dev.pcikit.core.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pcikit.core.model.PciAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class EventLogTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  static List<Change> changes(int n) {
    List<Change> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new Change(
              EventType.DRIVER_CHANGED,
              new PciAddress(0, 3, 0, i % 8),
              Optional.empty(),
              Map.of("i", i)));
    }
    return out;
  }

  @Test
  void numbersFromOneAndPagesAfterTheGivenNumber() {
    EventLog log = new EventLog(10);
    assertThat(log.since(0, 100)).isEqualTo(new EventLog.Page(List.of(), 0, 0, false));
    List<Event> made = log.append(changes(3), T);
    assertThat(made).extracting(Event::seq).containsExactly(1L, 2L, 3L);
    EventLog.Page p = log.since(1, 100);
    assertThat(p.events()).extracting(Event::seq).containsExactly(2L, 3L);
    assertThat(p.next()).isEqualTo(3);
    assertThat(p.gap()).isFalse();
    assertThat(log.since(3, 100)).isEqualTo(new EventLog.Page(List.of(), 3, 1, false));
    assertThat(log.since(0, 2).events()).extracting(Event::seq).containsExactly(1L, 2L);
    assertThat(log.since(0, 2).next()).isEqualTo(2);
  }

  @Test
  void aReaderBehindTheRingIsToldItMissedEvents() {
    EventLog log = new EventLog(4);
    log.append(changes(10), T);
    assertThat(log.oldest()).isEqualTo(7);
    EventLog.Page p = log.since(2, 100);
    assertThat(p.gap()).isTrue();
    assertThat(p.oldest()).isEqualTo(7);
    assertThat(p.events()).extracting(Event::seq).containsExactly(7L, 8L, 9L, 10L);
    // exactly at the edge: 6 seen, 7 kept: nothing missed
    assertThat(log.since(6, 100).gap()).isFalse();
    assertThat(log.since(5, 100).gap()).isTrue();
  }

  @Test
  void aNumberFromAnEarlierRunIsAGapAndReplaysWhatIsKept() {
    EventLog log = new EventLog(8);
    assertThat(log.since(500, 10)).isEqualTo(new EventLog.Page(List.of(), 0, 0, true));
    log.append(changes(2), T);
    EventLog.Page p = log.since(500, 10);
    assertThat(p.gap()).isTrue();
    assertThat(p.events()).extracting(Event::seq).containsExactly(1L, 2L);
    assertThat(p.next()).isEqualTo(2);
    assertThatThrownBy(() -> log.since(-1, 10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void waitersWakeOnAppendAndListenersSeeEveryEventInOrder() throws Exception {
    EventLog log = new EventLog(8);
    List<Long> seen = new ArrayList<>();
    try (AutoCloseable sub = log.subscribe(e -> seen.add(e.seq()))) {
      assertThat(log.awaitAfter(0, Duration.ofMillis(20))).isFalse();
      Thread t = new Thread(() -> log.append(changes(3), T));
      t.start();
      assertThat(log.awaitAfter(0, Duration.ofSeconds(30))).isTrue();
      t.join();
    }
    log.append(changes(1), T);
    assertThat(seen).containsExactly(1L, 2L, 3L);
  }

  @Test
  void theJsonIsOneLineWithTheContractFields() {
    Event e =
        new Event(
            7,
            T,
            new Change(
                EventType.DEVICE_ADDED,
                PciAddress.parse("0000:03:00.0"),
                Optional.of("path=pci0000:00/1c.0/00.0 ids=8086:10d3:8086:0000 class=020000"),
                Map.of("driver", "e1000e\n")));
    assertThat(e.toJson())
        .isEqualTo(
            "{\"seq\": 7, \"time\": \"2026-01-01T00:00:00Z\", \"type\": \"device-added\","
                + " \"bdf\": \"0000:03:00.0\", \"fingerprint\":"
                + " \"path=pci0000:00/1c.0/00.0 ids=8086:10d3:8086:0000 class=020000\","
                + " \"details\": {\"driver\": \"e1000e\\n\"}}");
  }

  /**
   * Whatever the capacity, batches and reader position: a page holds exactly the kept events after
   * the position (up to the limit), in order, and says gap exactly when some are not kept.
   */
  @Property(tries = 300)
  void pagesAreExactlyTheKeptEventsAfterThePosition(
      @ForAll @IntRange(min = 1, max = 20) int capacity,
      @ForAll @Size(max = 8) List<@IntRange(min = 0, max = 9) Integer> batches,
      @ForAll @IntRange(min = 0, max = 120) int after,
      @ForAll @IntRange(min = 1, max = 30) int limit) {
    EventLog log = new EventLog(capacity);
    long total = 0;
    for (int b : batches) {
      log.append(changes(b), T);
      total += b;
    }
    long oldest = total == 0 ? 0 : Math.max(1, total - capacity + 1);
    EventLog.Page p = log.since(after, limit);
    long from = after > total ? Math.max(1, oldest) : Math.max(after + 1, Math.max(1, oldest));
    List<Long> expected = new ArrayList<>();
    for (long s = from; s <= total && expected.size() < limit; s++) {
      expected.add(s);
    }
    assertThat(p.events()).extracting(Event::seq).containsExactlyElementsOf(expected);
    assertThat(p.gap()).isEqualTo(after > total || (total > 0 && after + 1 < oldest));
    assertThat(p.oldest()).isEqualTo(oldest);
    // reading on from next never repeats and never skips a kept event
    if (!expected.isEmpty()) {
      assertThat(p.next()).isEqualTo(expected.get(expected.size() - 1));
    }
  }
}
