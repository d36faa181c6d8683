package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.fleet.AgentEvent;
import dev.pcikit.fleet.LocalPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL restarted under a collector that follows a real agent's event stream: the events the
 * agent made while the database was down are all stored once the database is back (the collector
 * resumes from the last stored sequence), none twice.
 */
class FleetPostgresRestartTest {
  @TempDir Path dir;
  private LocalPostgres pg;
  private FleetFixture fleet;

  @AfterEach
  void tearDown() throws Exception {
    if (fleet != null) {
      fleet.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  private static long await(Callable<Boolean> condition) throws Exception {
    return FleetFixture.await(condition);
  }

  private List<Long> storedSeqs() {
    List<Long> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery("SELECT seq FROM history WHERE source = 'event' ORDER BY seq")) {
      while (rs.next()) {
        out.add(rs.getLong(1));
      }
    } catch (java.sql.SQLException e) {
      return List.of(-1L);
    }
    return out;
  }

  @Test
  void eventsMadeWhilePostgresIsDownAreStoredOnceWhenItIsBack() throws Exception {
    pg = LocalPostgres.start(false);
    fleet = new FleetFixture(dir);
    fleet.startAgent("ws", "x86-workstation");
    fleet.startCollector(pg.jdbcUrl(), "ws " + fleet.address("ws") + "\n");
    // one event stored before the database goes away
    assertThat(fleet.post("ws", "/v1/bind", "{\"devices\":[\"0000:03:00.0\"]}"))
        .startsWith("HTTP/1.1 200");
    await(() -> !storedSeqs().isEmpty() && storedSeqs().get(0) > 0);

    pg.stop();
    for (String body :
        new String[] {
          "{\"devices\":[\"0000:03:00.0\"]}", "{\"devices\":[\"0000:02:00.0\"],\"force\":true}"
        }) {
      String path = body.contains("03:00.0") ? "/v1/release" : "/v1/bind";
      assertThat(fleet.post("ws", path, body)).startsWith("HTTP/1.1 200");
    }
    Callable<List<Long>> agentSeqs =
        () -> {
          List<Long> seqs = new ArrayList<>();
          AgentEvent.Page p = AgentEvent.Page.parse(fleet.get("ws", "/v1/events?since=0"));
          p.events().forEach(e -> seqs.add(e.seq()));
          return seqs;
        };
    await(() -> agentSeqs.call().size() >= 3);
    Thread.sleep(1500);
    List<Long> before = storedSeqs();
    assertThat(before).containsExactly(-1L); // the database is down
    pg.start();
    long ms = await(() -> storedSeqs().equals(agentSeqs.call()));
    List<Long> made = agentSeqs.call();
    System.err.printf(
        "after the restart: %d agent events stored, each once, %d ms after PostgreSQL was back%n",
        made.size(), ms);
    Thread.sleep(2000); // a later catch-up stores nothing again
    assertThat(storedSeqs()).isEqualTo(made).doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(3);
  }
}
