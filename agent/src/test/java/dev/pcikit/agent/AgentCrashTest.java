package dev.pcikit.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.http.unix.UnixHttp;
import dev.pcikit.sim.DemoStateDir;
import dev.pcikit.sim.KillPoints;
import dev.pcikit.sim.SimulatedHost;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 of an agent in the middle of a bind (a kill point of the simulated kernel), then a new
 * agent: it recovers (the journal says how) before it listens, so its first answer already sees the
 * recovered host.
 */
class AgentCrashTest {
  @RegisterExtension final DemoStateDir state = new DemoStateDir();
  static final String HOST = "demo:x86-workstation";
  static final String NIC = "0000:03:00.0";

  /** An agent JVM and its stderr lines. */
  record AgentProcess(Process process, BlockingQueue<String> lines, List<String> seen) {
    String await(String prefix, long seconds) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
      while (System.nanoTime() < deadline) {
        String l = lines.poll(100, TimeUnit.MILLISECONDS);
        if (l != null) {
          seen.add(l);
          if (l.startsWith(prefix)) {
            return l;
          }
        }
      }
      throw new AssertionError("no '" + prefix + "' line in " + seconds + " s; saw " + seen);
    }
  }

  AgentProcess start(Path socket, Integer killPoint) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(state.jvmOption());
    if (killPoint != null) {
      cmd.add("-D" + KillPoints.PROPERTY + "=" + killPoint);
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(AgentMain.class.getName(), HOST, socket.toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    BlockingQueue<String> q = new LinkedBlockingQueue<>();
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                  q.add(l);
                }
              } catch (java.io.IOException e) {
                // the process died
              }
            });
    t.setDaemon(true);
    t.start();
    return new AgentProcess(p, q, new ArrayList<>());
  }

  String driver() {
    return SimulatedHost.open(HOST)
        .inventory(InventoryReader.Detail.LISTING)
        .device(PciAddress.parse(NIC))
        .orElseThrow()
        .driver()
        .orElse(null);
  }

  @Test
  void killedMidBindThenRestartedRecoversBeforeServing() throws Exception {
    String original = driver();
    int recoveredRuns = 0;
    // kill points of one bind: the journal write's save, then each kernel write; a few of them
    for (int killPoint : new int[] {3, 5, 7}) {
      Path socket = state.path().resolve("agent-" + killPoint + ".sock");
      AgentProcess first = start(socket, killPoint);
      first.await("pcikit agent: listening", 60);
      UnixHttp http = new UnixHttp(socket);
      UnixHttp.Answer accepted =
          http.send(
              "POST",
              "/v1/bind",
              java.util.Map.of("Content-Type", "application/json", "Prefer", "respond-async"),
              ("{\"devices\":[\"" + NIC + "\"]}").getBytes(StandardCharsets.UTF_8));
      assertThat(accepted.status()).as(accepted.text()).isEqualTo(202);
      first.await(KillPoints.MARK.strip(), 60);
      first.process().destroyForcibly(); // SIGKILL
      assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      boolean pending = SimulatedHost.open(HOST).vfio().journal().exists();
      assertThat(socket).exists(); // a killed agent leaves its socket file

      AgentProcess second = start(socket, null);
      String listening = second.await("pcikit agent: listening", 60);
      assertThat(listening).isNotNull();
      List<String> startup = new ArrayList<>(second.seen());
      if (pending) {
        recoveredRuns++;
        assertThat(startup.get(0))
            .as("recovered before listening")
            .startsWith("pcikit agent: recovered: ");
      }
      // the first answer already sees the recovered host: no journal, the device whole
      UnixHttp.Answer devices = new UnixHttp(socket).get("/v1/devices?s=03:00.0");
      assertThat(devices.status()).isEqualTo(200);
      assertThat(SimulatedHost.open(HOST).vfio().journal().exists()).isFalse();
      String now = driver();
      assertThat(now).isIn(original, "vfio-pci");
      assertThat(devices.text())
          .contains("\"driver\" : " + (now == null ? "null" : "\"" + now + "\""));
      second.process().destroy();
      assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(socket).doesNotExist(); // SIGTERM: the agent removed its socket
      // back to the start for the next kill point
      if ("vfio-pci".equals(now)) {
        try (Agent a = Agent.start(AgentConfig.simulated(HOST, socket), l -> {})) {
          assertThat(
                  new UnixHttp(socket)
                      .post("/v1/release", "{\"devices\":[\"" + NIC + "\"]}")
                      .status())
              .isEqualTo(200);
        }
      }
      assertThat(driver()).isEqualTo(original);
      assertThat(Files.exists(socket)).isFalse();
    }
    // the kill points are inside the transaction: each left a journal to recover
    assertThat(recoveredRuns).isEqualTo(3);
  }
}
