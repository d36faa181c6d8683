package dev.pcikit.cli;

import static dev.pcikit.cli.CliRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.cli.CliRun.Run;
import dev.pcikit.fleet.AgentsFile;
import dev.pcikit.fleet.Collector;
import dev.pcikit.fleet.FleetDatabase;
import dev.pcikit.formats.Documents;
import dev.pcikit.http.unix.UnixHttp;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
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
import tools.jackson.databind.JsonNode;

/**
 * A fleet for one test, in its temporary directory: `pcikit agent` processes on demo hosts (each on
 * {@code NAME.sock}, its output in {@code NAME.log}, their state in {@code state/}), and a {@link
 * Collector} on its own thread reading the agents file {@code agents}. {@link #close()} stops the
 * collector, then the agents. Every request a fleet test makes to an agent goes through here.
 */
final class FleetFixture implements AutoCloseable {
  /** Lease, tick, agent timeout and connections short enough for a test to see hosts change. */
  static final Collector.Options OPTIONS =
      new Collector.Options(Duration.ofSeconds(4), Duration.ofSeconds(1), 5000, 2);

  private final Path dir;
  private final Map<String, Process> agents = new HashMap<>();
  private Collector collector;
  private Thread thread;

  FleetFixture(Path dir) {
    this.dir = dir;
  }

  Path socket(String name) {
    return dir.resolve(name + ".sock");
  }

  /** The agents-file address of agent NAME. */
  String address(String name) {
    return "unix:" + socket(name);
  }

  /**
   * Starts {@code pcikit --host demo:DEMO agent --socket NAME.sock} in its own JVM (a second start
   * of NAME replaces the entry of a killed one) and returns once it accepts connections.
   */
  Process startAgent(String name, String demo) throws Exception {
    Path sock = socket(name);
    Files.deleteIfExists(sock);
    ProcessBuilder pb =
        pcikitJvm("--host", "demo:" + demo, "agent", "--socket", sock.toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile()));
    pb.environment().put("PCIKIT_STATE_DIR", dir.resolve("state").toString());
    Process p = pb.start();
    agents.put(name, p);
    await(() -> AgentSockets.accepting(sock));
    return p;
  }

  /** `pcikit ARGS` in a JVM of its own, on this test's class path. */
  static ProcessBuilder pcikitJvm(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd);
  }

  Process agent(String name) {
    return agents.get(name);
  }

  /** Writes {@code agents} (one "NAME ADDRESS" a line) and starts a collector on it. */
  Collector startCollector(String jdbcUrl, String agentsFile) throws Exception {
    Files.writeString(dir.resolve("agents"), agentsFile);
    collector =
        new Collector(
            FleetDatabase.at(jdbcUrl),
            AgentsFile.read(dir.resolve("agents")),
            OPTIONS,
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
    return collector;
  }

  @Override
  public void close() throws Exception {
    if (collector != null) {
      collector.close();
      thread.join(10_000);
    }
    for (Process p : agents.values()) {
      p.destroy();
      p.waitFor();
    }
  }

  /** The document a successful run printed. */
  static JsonNode json(Run r) {
    assertThat(r.code()).as(r.err()).isZero();
    return Documents.json().readTree(r.out());
  }

  /** How many hosts `pcikit fleet hosts` shows as answering. */
  static int answering(String db) {
    int n = 0;
    for (JsonNode h : json(run("fleet", "hosts", "--db", db, "-o", "json")).get("hosts")) {
      n += h.get("state").asString().equals("answering") ? 1 : 0;
    }
    return n;
  }

  /** How many hosts have their readiness check stored (the exports need it). */
  static int withReadiness(String db) throws Exception {
    try (var c = java.sql.DriverManager.getConnection(db);
        var st = c.createStatement();
        var rs = st.executeQuery("SELECT count(*) FROM hosts WHERE readiness IS NOT NULL")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Polls CONDITION until it holds, for 60 s at the most; returns the milliseconds it took. */
  static long await(Callable<Boolean> condition) throws Exception {
    return await(Duration.ofSeconds(60), condition);
  }

  static long await(Duration limit, Callable<Boolean> condition) throws Exception {
    long t0 = System.nanoTime();
    long end = t0 + limit.toNanos();
    while (!condition.call()) {
      assertThat(System.nanoTime())
          .as("condition not met in " + limit.toSeconds() + " s")
          .isLessThan(end);
      Thread.sleep(50);
    }
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /** GET through the shared agent client; returns the body. */
  byte[] get(String name, String path) throws Exception {
    return new UnixHttp(socket(name)).get(path).body();
  }

  /**
   * POST with a JSON body over agent NAME's Unix socket; returns the raw answer (status line,
   * headers, body), so that a test sees the status line as the agent wrote it.
   */
  String post(String name, String path, String body) throws Exception {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket(name)));
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
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Channels.newInputStream(ch).transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
