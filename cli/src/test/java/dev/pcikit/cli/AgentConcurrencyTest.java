package dev.pcikit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.pcikit.agent.Agent;
import dev.pcikit.agent.AgentConfig;
import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.BindingRecords;
import dev.pcikit.http.unix.UnixHttp;
import dev.pcikit.sim.DemoStateDir;
import dev.pcikit.sim.SimulatedHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Eight API clients bind and release overlapping sets of VFs of demo:nic-farm while the CLI, in its
 * own JVM, does the same: the host lock serialises them (the agent's writes one at a time, the
 * CLI's between them), so every write commits or is refused whole, nothing is left pending, every
 * device ends on vfio-pci with a record or off it without one, and the agent and the CLI then print
 * the same inventory.
 */
class AgentConcurrencyTest {
  @RegisterExtension final DemoStateDir state = new DemoStateDir();
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String HOST = "demo:nic-farm";

  /** VFs 0000:17:01.0 ... of the first PF; client i takes 6 of them starting at 3*i (overlap). */
  static List<String> vfs(int from, int count) {
    List<String> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(String.format("0000:17:%02x.%d", 1 + i / 8, i % 8));
    }
    return out;
  }

  static String body(List<String> devices) {
    return "{\"devices\":[\"" + String.join("\",\"", devices) + "\"]}";
  }

  /** A write's final status: 202 is polled until the operation ends. */
  static int finish(UnixHttp http, UnixHttp.Answer a) throws Exception {
    if (a.status() != 202) {
      return a.status();
    }
    String location = a.headers().get("location");
    for (int i = 0; i < 6000; i++) {
      JsonNode op = JSON.readTree(http.get(location).body());
      if (op.get("state").asString().matches("done|failed")) {
        return op.get("status").asInt();
      }
      Thread.sleep(50);
    }
    throw new AssertionError("operation did not end: " + location);
  }

  @Test
  void eightClientsAndTheCliNeverInterleave() throws Exception {
    Path socket = state.path().resolve("agent.sock");
    List<String> all = vfs(0, 3 * 7 + 6);
    try (Agent agent =
        Agent.start(
            AgentConfig.simulated(HOST, socket).withPciIds(Path.of("/dev/null")), l -> {})) {
      UnixHttp http = new UnixHttp(agent.socket());
      ExecutorService pool = Executors.newFixedThreadPool(9);
      List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
      List<Future<?>> futures = new ArrayList<>();
      for (int c = 0; c < 8; c++) {
        List<String> mine = vfs(3 * c, 6);
        futures.add(
            pool.submit(
                () -> {
                  for (String op : List.of("/v1/bind", "/v1/release")) {
                    statuses.add(finish(http, http.post(op, body(mine))));
                  }
                  return null;
                }));
      }
      List<Integer> cliCodes = Collections.synchronizedList(new ArrayList<>());
      futures.add(
          pool.submit(
              () -> {
                List<String> mine = vfs(4, 12);
                for (int round = 0; round < 2; round++) {
                  for (String op : List.of("bind", "release")) {
                    cliCodes.add(cli(concat(List.of("vfio", op, "--lock-timeout", "600"), mine)));
                  }
                }
                return null;
              }));
      for (Future<?> f : futures) {
        f.get(20, TimeUnit.MINUTES);
      }
      pool.shutdown();

      // each write committed whole (200) or was refused whole (409: e.g. a release of a VF
      // another client had already released is "not bound by pcikit"); never a kernel failure
      assertThat(statuses).hasSize(16).allMatch(s -> s == 200 || s == 409);
      assertThat(statuses).contains(200);
      assertThat(cliCodes).hasSize(4).allMatch(code -> code == 0 || code == 5);

      SimulatedHost host = SimulatedHost.open(HOST);
      assertThat(host.vfio().journal().exists()).as("journal pending").isFalse();
      Map<PciAddress, BindingRecords.Record> records =
          new BindingRecords(host.layout().stateDir()).read();
      for (String bdf : all) {
        PciDevice d =
            host.inventory(InventoryReader.Detail.LISTING)
                .device(PciAddress.parse(bdf))
                .orElseThrow();
        boolean onVfio = "vfio-pci".equals(d.driver().orElse(null));
        assertThat(records.containsKey(d.address()))
            .as(bdf + " on vfio-pci <=> recorded")
            .isEqualTo(onVfio);
        assertThat(d.driver().orElse("none")).as(bdf).isIn("vfio-pci", "none");
      }
      // every agent write has its audit line
      List<String> audit = Files.readAllLines(agent.context().audit().file());
      assertThat(audit).hasSize(16);
      // the agent and the CLI see the same host
      String cliList =
          cliOut("--host", HOST, "--pci-ids", "/dev/null", "list", "-s", "17:", "-o", "json");
      assertThat(http.get("/v1/devices?s=17:").text()).isEqualTo(cliList);
    }
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The CLI in its own JVM on the same demo host and state; its exit code. */
  private int cli(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add(state.jvmOption());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
    cmd.addAll(List.of("--host", HOST));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    assertThat(code).as(String.join(" ", args) + ": " + out).isIn(0, 5);
    return code;
  }

  private static String cliOut(String... args) {
    CliRun.Run r = CliRun.run(args);
    assertThat(r.code()).as(r.err()).isZero();
    return r.out();
  }
}
