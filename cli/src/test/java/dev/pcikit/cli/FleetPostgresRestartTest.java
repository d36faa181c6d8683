package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.fleet.AgentEvent;
import dev.pcikit.fleet.AgentsFile;
import dev.pcikit.fleet.Collector;
import dev.pcikit.fleet.FleetDatabase;
import dev.pcikit.fleet.LocalPostgres;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
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
  private Process agent;
  private Collector collector;
  private Thread thread;

  @AfterEach
  void tearDown() throws Exception {
    if (collector != null) {
      collector.close();
      thread.join(10_000);
    }
    if (agent != null) {
      agent.destroy();
      agent.waitFor();
    }
    if (pg != null) {
      pg.close();
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

  private String post(Path sock, String path, String body) throws Exception {
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(sock));
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

  @Test
  void eventsMadeWhilePostgresIsDownAreStoredOnceWhenItIsBack() throws Exception {
    pg = LocalPostgres.start(false);
    Path sock = dir.resolve("ws.sock");
    ProcessBuilder pb =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.pcikit.cli.Main",
                "--host",
                "demo:x86-workstation",
                "agent",
                "--socket",
                sock.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("agent.log").toFile());
    pb.environment().put("PCIKIT_STATE_DIR", dir.resolve("state").toString());
    agent = pb.start();
    await(() -> AgentSockets.accepting(sock));
    Files.writeString(dir.resolve("agents"), "ws unix:" + sock + "\n");
    collector =
        new Collector(
            FleetDatabase.at(pg.jdbcUrl()),
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
    UnixHttp client = new UnixHttp(sock);
    // one event stored before the database goes away
    assertThat(post(sock, "/v1/bind", "{\"devices\":[\"0000:03:00.0\"]}"))
        .startsWith("HTTP/1.1 200");
    await(() -> !storedSeqs().isEmpty() && storedSeqs().get(0) > 0);

    pg.stop();
    for (String body :
        new String[] {
          "{\"devices\":[\"0000:03:00.0\"]}", "{\"devices\":[\"0000:02:00.0\"],\"force\":true}"
        }) {
      String path = body.contains("03:00.0") ? "/v1/release" : "/v1/bind";
      assertThat(post(sock, path, body)).startsWith("HTTP/1.1 200");
    }
    Callable<List<Long>> agentSeqs =
        () -> {
          List<Long> seqs = new ArrayList<>();
          AgentEvent.Page p = AgentEvent.Page.parse(client.get("/v1/events?since=0").body());
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
