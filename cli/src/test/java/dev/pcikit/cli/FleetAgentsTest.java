package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.fleet.AgentsFile;
import dev.pcikit.fleet.Collector;
import dev.pcikit.fleet.FleetDatabase;
import dev.pcikit.fleet.PostgresExtension;
import dev.pcikit.formats.Documents;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
  private final Map<String, Process> agents = new HashMap<>();
  private Collector collector;
  private Thread thread;

  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(code, out.toString(), err.toString());
  }

  private Process agent(String demo) throws Exception {
    Path sock = dir.resolve(demo + ".sock");
    Files.deleteIfExists(sock);
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.pcikit.cli.Main",
                "--host",
                "demo:" + demo,
                "agent",
                "--socket",
                sock.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(demo + ".log").toFile()));
    pb.environment().put("PCIKIT_STATE_DIR", dir.resolve("state").toString());
    Process p = pb.start();
    agents.put(demo, p);
    await(() -> AgentSockets.accepting(sock));
    return p;
  }

  @BeforeEach
  void setUp() throws Exception {
    db = PostgresExtension.newDatabase();
    StringBuilder file = new StringBuilder();
    for (String demo : DEMOS) {
      agent(demo);
      file.append(demo).append(" unix:").append(dir.resolve(demo + ".sock")).append('\n');
    }
    Files.writeString(dir.resolve("agents"), file);
    collector =
        new Collector(
            FleetDatabase.at(db),
            AgentsFile.read(dir.resolve("agents")),
            new Collector.Options(Duration.ofSeconds(4), Duration.ofSeconds(1), 5000, 2),
            new PrintWriter(System.err));
    thread =
        new Thread(
            () -> {
              try {
                collector.run();
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    thread.start();
    await(() -> answering() == 3);
  }

  @AfterEach
  void tearDown() throws Exception {
    collector.close();
    thread.join(10_000);
    for (Process p : agents.values()) {
      p.destroy();
      p.waitFor();
    }
  }

  private int answering() {
    JsonNode doc = json(run("fleet", "hosts", "--db", db, "-o", "json"));
    int n = 0;
    for (JsonNode h : doc.get("hosts")) {
      n += h.get("state").asString().equals("answering") ? 1 : 0;
    }
    return n;
  }

  private static JsonNode json(Run r) {
    assertThat(r.code()).as(r.err()).isZero();
    return Documents.json().readTree(r.out());
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

  /** POST with a JSON body over the agent's Unix socket; returns the status line and body. */
  private String post(String demo, String path, String body) throws Exception {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(dir.resolve(demo + ".sock")));
      byte[] b = body.getBytes(StandardCharsets.UTF_8);
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + b.length
              + "\r\nConnection: close\r\n\r\n";
      ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
      ch.write(ByteBuffer.wrap(b));
      InputStream in = Channels.newInputStream(ch);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
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
          post("x86-workstation", "/v1/bind", "{\"devices\":[\"" + bdf + "\"],\"force\":true}");
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
    await(
        () -> {
          try (var c = java.sql.DriverManager.getConnection(db);
              var st = c.createStatement();
              var rs = st.executeQuery("SELECT count(*) FROM hosts WHERE readiness IS NOT NULL")) {
            rs.next();
            return rs.getInt(1) == 3;
          }
        });
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
    Process p = agents.get("power9");
    p.destroyForcibly();
    p.waitFor();
    long down = await(() -> answering() == 2);
    Run hosts = run("fleet", "hosts", "--db", db);
    assertThat(hosts.out()).containsPattern("power9 +unreachable");
    assertThat(
            json(run("fleet", "find", "--db", db, "--host-name", "power9", "-o", "json"))
                .get("devices"))
        .isNotEmpty();
    agent("power9");
    long up = await(() -> answering() == 3);
    System.err.printf(
        "agent killed: unreachable after %d ms; restarted: answering after %d ms%n", down, up);
  }
}
