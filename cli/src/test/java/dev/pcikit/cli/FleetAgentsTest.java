package dev.pcikit.cli;

import static dev.pcikit.cli.CliRun.run;
import static dev.pcikit.cli.FleetFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.fleet.PostgresExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * The fleet end to end: three `pcikit agent` processes on demo hosts (Unix sockets), a collector, a
 * real PostgreSQL. A bind through one agent's API shows up in `fleet find`; an agent killed with -9
 * leaves its host marked unreachable (its functions kept) until it is back.
 */
@ExtendWith(PostgresExtension.class)
class FleetAgentsTest {
  private static final String[] DEMOS = {"x86-workstation", "nic-farm", "power9"};

  @org.junit.jupiter.api.io.TempDir Path dir;
  private String db;
  private FleetFixture fleet;

  @BeforeEach
  void setUp() throws Exception {
    db = PostgresExtension.newDatabase();
    fleet = new FleetFixture(dir);
    StringBuilder file = new StringBuilder();
    for (String demo : DEMOS) {
      fleet.startAgent(demo, demo);
      file.append(demo).append(' ').append(fleet.address(demo)).append('\n');
    }
    fleet.startCollector(db, file.toString());
    await(() -> answering() == 3);
  }

  @AfterEach
  void tearDown() throws Exception {
    fleet.close();
  }

  private int answering() {
    return FleetFixture.answering(db);
  }

  private static long await(Callable<Boolean> condition) throws Exception {
    return FleetFixture.await(condition);
  }

  @Test
  void aBindThroughOneAgentShowsUpInFleetFind() throws Exception {
    assertThat(
            json(run("fleet", "find", "--db", db, "--driver", "vfio-pci", "-o", "json"))
                .get("devices"))
        .isEmpty();
    List<Long> latencies = new ArrayList<>();
    String[] devices = {"0000:03:00.0", "0000:02:00.0"};
    for (String bdf : devices) {
      String answer =
          fleet.post(
              "x86-workstation", "/v1/bind", "{\"devices\":[\"" + bdf + "\"],\"force\":true}");
      assertThat(answer).startsWith("HTTP/1.1 200");
      long t0 = System.nanoTime();
      await(
          () ->
              run(
                      "fleet",
                      "find",
                      "--db",
                      db,
                      "--driver",
                      "vfio-pci",
                      "--host-name",
                      "x86-workstation")
                  .out()
                  .contains(bdf));
      latencies.add((System.nanoTime() - t0) / 1_000_000);
    }
    System.err.println("agent bind visible in fleet find after (ms): " + latencies);
    JsonNode history = json(run("fleet", "history", "--db", db, "x86-workstation", "-o", "json"));
    assertThat(history.toString()).contains("\"to\":\"vfio-pci\"");
  }

  @Test
  void exportFromTheFleetIsWhatTheHostExportsItself() throws Exception {
    await(() -> FleetFixture.withReadiness(db) == 3);
    System.setProperty("pcikit.stateDir", dir.resolve("state").toString());
    try {
      for (String demo : DEMOS) {
        for (String[] f : new String[][] {{"dra"}, {"nova", "-o", "json"}, {"kubevirt"}}) {
          List<String> local = new ArrayList<>(List.of("--host=demo:" + demo, "export"));
          local.addAll(List.of(f));
          local.addAll(List.of("--node", demo));
          List<String> fleet = new ArrayList<>(List.of("export"));
          fleet.addAll(List.of(f));
          fleet.addAll(List.of("--db", db, "--host-name", demo));
          Run a = run(local.toArray(String[]::new));
          Run b = run(fleet.toArray(String[]::new));
          assertThat(b.code()).as(String.join(" ", fleet) + ": " + b.err()).isEqualTo(a.code());
          assertThat(b.out()).as(String.join(" ", fleet)).isEqualTo(a.out());
        }
      }
    } finally {
      System.clearProperty("pcikit.stateDir");
    }
  }

  @Test
  void anAgentKilledWithMinus9IsMarkedUnreachableAndComesBack() throws Exception {
    Process p = fleet.agent("power9");
    p.destroyForcibly();
    p.waitFor();
    long down = await(() -> answering() == 2);
    Run hosts = run("fleet", "hosts", "--db", db);
    assertThat(hosts.out()).containsPattern("power9 +unreachable");
    assertThat(
            json(run("fleet", "find", "--db", db, "--host-name", "power9", "-o", "json"))
                .get("devices"))
        .isNotEmpty();
    fleet.startAgent("power9", "power9");
    long up = await(() -> answering() == 3);
    System.err.printf(
        "agent killed: unreachable after %d ms; restarted: answering after %d ms%n", down, up);
  }
}
