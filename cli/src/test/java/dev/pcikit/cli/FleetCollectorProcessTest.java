package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.fleet.LocalPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Collectors as separate processes (`pcikit fleet collect`) against a PostgreSQL server of this
 * test's own: two share the hosts; one killed with -9 is replaced within lease + tick; the database
 * restarted under them loses and duplicates nothing.
 */
class FleetCollectorProcessTest {
  private static final int LEASE = 4;
  private static final int TICK = 1;

  @TempDir Path dir;
  private LocalPostgres pg;
  private final List<Process> collectors = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    System.setProperty("pcikit.stateDir", dir.resolve("state").toString());
    pg = LocalPostgres.start(false);
    document("x86-workstation", "ws");
    document("nic-farm", "farm");
    Files.writeString(
        dir.resolve("agents"),
        "ws file:" + dir.resolve("ws.json") + "\nfarm file:" + dir.resolve("farm.json") + "\n");
  }

  @AfterEach
  void tearDown() throws Exception {
    for (Process p : collectors) {
      p.destroy();
      p.waitFor();
    }
    pg.close();
    System.clearProperty("pcikit.stateDir");
  }

  private void document(String demo, String name) throws Exception {
    CliRun.Run r = CliRun.run("--host=demo:" + demo, "list", "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    Path tmp = dir.resolve(name + ".json.tmp");
    Files.writeString(tmp, r.out());
    Files.move(tmp, dir.resolve(name + ".json"), StandardCopyOption.ATOMIC_MOVE);
  }

  private Process collector(String name) throws Exception {
    Process p =
        FleetFixture.pcikitJvm(
                "fleet",
                "collect",
                "--db",
                pg.jdbcUrl(),
                "--agents",
                dir.resolve("agents").toString(),
                "--lease",
                Integer.toString(LEASE),
                "--tick",
                Integer.toString(TICK))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile())
            .start();
    collectors.add(p);
    return p;
  }

  /** host → owning collector's pid (from its id, HOSTNAME/PID/RANDOM). */
  private Map<String, Long> owners() throws Exception {
    Map<String, Long> m = new HashMap<>();
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT name, owner FROM hosts WHERE state = 'answering' AND lease_until > now()")) {
      while (rs.next()) {
        String o = rs.getString(2);
        if (o != null) {
          m.put(rs.getString(1), Long.parseLong(o.split("/")[1]));
        }
      }
    } catch (java.sql.SQLException e) {
      return Map.of(); // the server is restarting
    }
    return m;
  }

  private long query(String sql) throws Exception {
    try (Connection c = DriverManager.getConnection(pg.jdbcUrl());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      return -1;
    }
  }

  private static long await(Callable<Boolean> condition) throws Exception {
    long t0 = System.nanoTime();
    long end = t0 + Duration.ofSeconds(60).toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime()).as("condition not met in 60 s").isLessThan(end);
      Thread.sleep(50);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  @Test
  void twoCollectorsShareTheHostsAndOneKilledWithMinus9IsReplaced() throws Exception {
    Process a = collector("a");
    Process b = collector("b");
    // fair share: one host each
    await(() -> owners().size() == 2 && owners().values().stream().distinct().count() == 2);
    Map<String, Long> before = owners();
    String hostOfA =
        before.entrySet().stream()
            .filter(e -> e.getValue() == a.pid())
            .findFirst()
            .orElseThrow()
            .getKey();
    long seenBefore = query("SELECT count(*) FROM history");
    a.destroyForcibly(); // SIGKILL: no shutdown hook, the lease is not given back
    a.waitFor();
    long ms = await(() -> Long.valueOf(b.pid()).equals(owners().get(hostOfA)));
    System.err.printf(
        "collector killed with -9: %s taken over after %d ms (bound: lease %d s + tick %d s)%n",
        hostOfA, ms, LEASE, TICK);
    // the survivor read the host again and stored nothing twice: the document did not change
    await(() -> query("SELECT count(*) FROM devices") == 14 + 521);
    assertThat(query("SELECT count(*) FROM history WHERE kind <> 'host-loaded'")).isZero();
    assertThat(query("SELECT count(*) FROM history")).isEqualTo(seenBefore);
    assertThat(b.isAlive()).isTrue();
  }

  @Test
  void postgresRestartedUnderTheCollectorLosesAndDuplicatesNothing() throws Exception {
    collector("a");
    await(() -> query("SELECT count(*) FROM hosts WHERE state = 'answering'") == 2);
    pg.stop();
    // a change while the database is away
    StringWriter out = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(out),
            "--host=demo:x86-workstation",
            "vfio",
            "bind",
            "03:00.0");
    assertThat(code).as(out.toString()).isZero();
    document("x86-workstation", "ws");
    Thread.sleep(1500);
    pg.start();
    long ms = await(() -> query("SELECT count(*) FROM devices WHERE driver = 'vfio-pci'") == 1);
    System.err.printf(
        "change made while PostgreSQL was down stored %d ms after it restarted%n", ms);
    Thread.sleep(2 * TICK * 1000L);
    assertThat(query("SELECT count(*) FROM history WHERE kind = 'changed'")).isEqualTo(1);
    assertThat(query("SELECT count(*) FROM history WHERE kind = 'host-loaded'")).isEqualTo(2);
    assertThat(query("SELECT count(*) FROM devices")).isEqualTo(14 + 521);
  }
}
