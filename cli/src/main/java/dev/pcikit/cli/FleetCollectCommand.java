package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.fleet.AgentsFile;
import dev.pcikit.fleet.Collector;
import dev.pcikit.fleet.FleetDatabase;
import dev.pcikit.fleet.FleetException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pcikit fleet collect}: keeps the agents' inventories current in the fleet database. */
@Command(
    name = "collect",
    description = {
      "Keep the inventory of the agents listed in FILE current in the fleet database, until"
          + " stopped (SIGTERM or SIGINT give the hosts back to the other collectors at once).",
      "FILE: one agent per line, NAME ADDRESS [token=FILE] [ca=FILE]; ADDRESS unix:/path/agent.sock,"
          + " https://host:port, http://host:port or file:/path/inventory.json. See docs/fleet.md.",
      "Several collectors may run against one database: they share the hosts, never two writing"
          + " one host; a collector that dies is replaced within lease + tick."
    })
final class FleetCollectCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;
  @CommandLine.Mixin FleetCommand.Db db = new FleetCommand.Db();

  @Option(names = "--agents", paramLabel = "FILE", required = true, description = "The agents file")
  Path agents;

  @Option(
      names = "--lease",
      paramLabel = "SECONDS",
      description = "How long hosts stay with a collector that stopped (default: ${DEFAULT-VALUE})")
  int lease = 10;

  @Option(
      names = "--tick",
      paramLabel = "SECONDS",
      description = "How often leases are renewed and free hosts taken (default: ${DEFAULT-VALUE})")
  int tick = 2;

  @Override
  public Integer call() throws InterruptedException {
    if (tick < 1 || lease < 2 * tick || lease > 3600) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT, "want 1 <= --tick and 2 x --tick <= --lease <= 3600");
    }
    PrintWriter err = spec.commandLine().getErr();
    try {
      List<AgentsFile.Agent> list = AgentsFile.read(agents);
      FleetDatabase fdb = db.open();
      Collector.Options o =
          new Collector.Options(
              Duration.ofSeconds(lease),
              Duration.ofSeconds(tick),
              Collector.Options.defaults().agentTimeoutMillis(),
              Collector.Options.defaults().connections());
      Collector c = new Collector(fdb, list, o, err);
      Thread hook =
          new Thread(
              () -> {
                c.close();
                fdb.close();
              },
              "pcikit-collect-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      c.run();
      return 0;
    } catch (FleetException e) {
      throw FleetCommand.failure(e);
    }
  }
}
