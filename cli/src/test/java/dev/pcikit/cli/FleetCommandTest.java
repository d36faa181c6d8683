package dev.pcikit.cli;

import static dev.pcikit.cli.CliRun.run;
import static dev.pcikit.cli.FleetFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.fleet.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * pcikit fleet against a real PostgreSQL: a collector keeps two demo hosts' documents (as `pcikit
 * --host demo:NAME list -o json` prints them) in the database; find, hosts and history read it.
 */
@ExtendWith(PostgresExtension.class)
class FleetCommandTest {
  @TempDir Path dir;
  private String db;
  private FleetFixture fleet;

  @BeforeEach
  void setUp() throws Exception {
    System.setProperty("pcikit.stateDir", dir.resolve("state").toString());
    db = PostgresExtension.newDatabase();
    document("x86-workstation", "ws");
    document("nic-farm", "farm");
    fleet = new FleetFixture(dir);
    fleet.startCollector(
        db,
        "# the demo hosts' documents\nws file:"
            + dir.resolve("ws.json")
            + "\nfarm file:"
            + dir.resolve("farm.json")
            + "\n");
    await(() -> hostsAnswering() == 2);
  }

  @AfterEach
  void tearDown() throws Exception {
    fleet.close();
    System.clearProperty("pcikit.stateDir");
  }

  /** Writes the demo host's inventory document (what its agent would serve) to NAME.json. */
  private void document(String demo, String name) throws Exception {
    Run r = run("--host=demo:" + demo, "list", "-o", "json");
    assertThat(r.code()).as(r.err()).isZero();
    // the readiness check next to it (an agent's GET /v1/check): the exports need it
    Run check = run("--host=demo:" + demo, "check", "-o", "json");
    Files.writeString(dir.resolve(name + ".check.json"), check.out());
    Path tmp = dir.resolve(name + ".json.tmp");
    Files.writeString(tmp, r.out());
    Files.move(tmp, dir.resolve(name + ".json"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private int hostsAnswering() {
    return FleetFixture.answering(db);
  }

  private static void await(Callable<Boolean> condition) throws Exception {
    FleetFixture.await(Duration.ofSeconds(30), condition);
  }

  @Test
  void findsFreeVfsOfOneDeviceIdOnOneNumaNodeAcrossHosts() {
    JsonNode found =
        json(
            run(
                "fleet",
                "find",
                "--db",
                db,
                "-d",
                "8086:1592",
                "--numa",
                "0",
                "--free-vfs",
                "64",
                "-o",
                "json"));
    assertThat(found.get("schema").asString()).isEqualTo("pcikit/fleet-devices/v1");
    assertThat(found.get("devices")).hasSize(2);
    for (JsonNode d : found.get("devices")) {
      assertThat(d.get("host").asString()).isEqualTo("farm");
      assertThat(d.get("numaNode").asInt()).isZero();
      assertThat(d.get("freeVfs").asInt()).isEqualTo(128);
    }
    // class selectors: every Ethernet function on both hosts, VFs included
    assertThat(
            json(run(
                    "fleet", "find", "--db", db, "--class", "0200", "--limit", "100000", "-o",
                    "json"))
                .get("devices"))
        .hasSize(4 + 512 + 2);
    Run table = run("fleet", "find", "--db", db, "-d", "::0300");
    assertThat(table.out())
        .contains("HOST")
        .contains("ws")
        .contains("0000:01:00.0")
        .contains("nouveau");
    assertThat(table.out()).doesNotContain("farm");
    Run yaml = run("fleet", "find", "--db", db, "--driver", "nvme", "-o", "yaml");
    assertThat(yaml.out()).contains("schema: \"pcikit/fleet-devices/v1\"").contains("0000:02:00.0");
  }

  @Test
  void aBindShowsUpInFindAndHistory() throws Exception {
    assertThat(run("fleet", "find", "--db", db, "--driver", "vfio-pci").out()).doesNotContain("ws");
    Run bind = run("--host=demo:x86-workstation", "vfio", "bind", "03:00.0");
    assertThat(bind.code()).as(bind.err()).isZero();
    long t0 = System.nanoTime();
    document("x86-workstation", "ws");
    await(
        () ->
            json(run("fleet", "find", "--db", db, "--driver", "vfio-pci", "-o", "json"))
                    .get("devices")
                    .size()
                == 1);
    System.err.printf(
        "bind visible in fleet find after %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    JsonNode d =
        json(run("fleet", "find", "--db", db, "--driver", "vfio-pci", "--assignable", "-o", "json"))
            .get("devices")
            .get(0);
    assertThat(d.get("bdf").asString()).isEqualTo("0000:03:00.0");
    assertThat(d.get("groupStatus").asString()).isEqualTo("vfio-viable");

    JsonNode history = json(run("fleet", "history", "--db", db, "ws", "-o", "json"));
    JsonNode change = history.get("history").get(0);
    assertThat(change.get("kind").asString()).isEqualTo("changed");
    assertThat(change.get("details").get("driver").get("from").asString()).isEqualTo("igb");
    assertThat(change.get("details").get("driver").get("to").asString()).isEqualTo("vfio-pci");
    // the same change by the function's fingerprint
    JsonNode byFp =
        json(run("fleet", "history", "--db", db, d.get("fingerprint").asString(), "-o", "json"));
    assertThat(byFp.get("history")).hasSize(1);
    assertThat(run("fleet", "history", "--db", db, "nosuchhost").code())
        .isEqualTo(ExitCode.NOT_FOUND.code());
  }

  @Test
  void aHostThatStopsAnsweringIsMarkedNotDeleted() throws Exception {
    Files.delete(dir.resolve("ws.json"));
    await(() -> hostsAnswering() == 1);
    Run hosts = run("fleet", "hosts", "--db", db);
    assertThat(hosts.out()).containsPattern("ws +unreachable");
    // its functions are still there, but no longer assignable
    assertThat(
            json(run("fleet", "find", "--db", db, "--host-name", "ws", "-o", "json"))
                .get("devices"))
        .hasSize(14);
    assertThat(
            json(run(
                    "fleet", "find", "--db", db, "--host-name", "ws", "--assignable", "-o", "json"))
                .get("devices"))
        .isEmpty();
    document("x86-workstation", "ws");
    await(() -> hostsAnswering() == 2);
  }

  @Test
  void exportsOfAFleetHostAreTheDocumentsTheHostItselfPrints() throws Exception {
    await(() -> FleetFixture.withReadiness(db) == 2);
    String[][] formats = {
      {"dra"},
      {"dra", "-o", "json"},
      {"nova"},
      {"nova", "-o", "provider"},
      {"kubevirt"},
      {"cloudstack"}
    };
    for (String[] f : formats) {
      for (String[] h : new String[][] {{"x86-workstation", "ws"}, {"nic-farm", "farm"}}) {
        java.util.List<String> local =
            new java.util.ArrayList<>(java.util.List.of("--host=demo:" + h[0], "export"));
        local.addAll(java.util.List.of(f));
        local.addAll(java.util.List.of("--node", h[1]));
        java.util.List<String> fleet = new java.util.ArrayList<>(java.util.List.of("export"));
        fleet.addAll(java.util.List.of(f));
        fleet.addAll(java.util.List.of("--db", db, "--host-name", h[1]));
        Run a = run(local.toArray(String[]::new));
        Run b = run(fleet.toArray(String[]::new));
        assertThat(b.code()).as(String.join(" ", fleet) + ": " + b.err()).isEqualTo(a.code());
        assertThat(b.out()).as(String.join(" ", fleet)).isEqualTo(a.out()).isNotBlank();
      }
    }
    Run which = run("export", "dra", "--db", db);
    assertThat(which.code()).isEqualTo(ExitCode.USAGE.code());
    assertThat(which.err()).contains("the fleet has 2 hosts: name one with --host-name");
    assertThat(run("export", "dra", "--host-name", "ws").code()).isEqualTo(ExitCode.USAGE.code());
  }

  @Test
  void badInputIsOneLineAndADocumentedExitCode() {
    Run sel = run("fleet", "find", "--db", db, "-d", "zz:1");
    assertThat(sel.code()).isEqualTo(ExitCode.USAGE.code());
    assertThat(sel.err().lines()).hasSize(1);
    Run numa = run("fleet", "find", "--db", db, "--numa", "-1");
    assertThat(numa.code()).isEqualTo(ExitCode.USAGE.code());
    Run url = run("fleet", "hosts", "--db", "mysql://x");
    assertThat(url.code()).isEqualTo(ExitCode.USAGE.code());
    assertThat(url.err()).startsWith("pcikit: --db is neither");
    Run down = run("fleet", "hosts", "--db", "jdbc:postgresql://127.0.0.1:1/x?user=x");
    assertThat(down.code()).isEqualTo(ExitCode.BAD_INPUT.code());
    assertThat(down.err().lines()).hasSize(1);
    Run agents = run("fleet", "collect", "--db", db, "--agents", dir.resolve("nope").toString());
    assertThat(agents.code()).isEqualTo(ExitCode.NOT_FOUND.code());
  }
}
