package dev.pcikit.agent;

import dev.pcikit.core.inventory.InventoryReader;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.model.PciAddress;
import dev.pcikit.sim.SimulatedHost;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * An agent on a demo host for one test: its state (pcikit.stateDir) and socket in a temporary
 * directory. Tests in one JVM run one at a time (the state directory is a system property).
 */
final class DemoAgent implements AutoCloseable {
  final String host;
  final Path dir;
  final Agent agent;
  final Api api;
  private final String before;

  private DemoAgent(String host, Path dir, Agent agent, String before) {
    this.host = host;
    this.dir = dir;
    this.agent = agent;
    this.api = new Api(agent.socket());
    this.before = before;
  }

  static DemoAgent start(String host, Path dir) throws Exception {
    return start(host, dir, c -> c);
  }

  static DemoAgent start(String host, Path dir, UnaryOperator<AgentConfig> config)
      throws Exception {
    String before = System.getProperty("pcikit.stateDir");
    System.setProperty("pcikit.stateDir", dir.toString());
    try {
      Agent a =
          Agent.start(
              config.apply(
                  AgentConfig.simulated(host, dir.resolve("agent.sock"))
                      .withPciIds(Path.of("/dev/null"))),
              line -> {});
      return new DemoAgent(host, dir, a, before);
    } catch (Exception | Error e) {
      restore(before);
      throw e;
    }
  }

  /** The driver of a device as the saved simulated host has it now (read afresh). */
  String driver(String bdf) {
    PciDevice d =
        SimulatedHost.open(host)
            .inventory(InventoryReader.Detail.LISTING)
            .device(PciAddress.parse(bdf))
            .orElseThrow();
    return d.driver().orElse(null);
  }

  @Override
  public void close() throws Exception {
    try {
      agent.close();
    } finally {
      restore(before);
    }
  }

  private static void restore(String before) {
    if (before == null) {
      System.clearProperty("pcikit.stateDir");
    } else {
      System.setProperty("pcikit.stateDir", before);
    }
  }
}
