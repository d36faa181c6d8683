package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.export.ExportHost;
import dev.pcikit.core.export.K8sNames;
import java.util.List;
import picocli.CommandLine;

/** {@code pcikit export FORMAT --db URL}: the export of a fleet host (docs/fleet.md). */
final class FleetExport {
  private FleetExport() {}

  /**
   * A fleet host: the inventory and readiness check its collector stored, rebuilt for core's
   * builders (dev.pcikit.fleet.StoredHost); vendor and device names from this machine's pci.ids.
   */
  static ExportHost host(CommandLine.Model.CommandSpec spec, ExportCommand.Common common) {
    GlobalOptions global = GlobalOptions.of(spec);
    FleetCommand.Db db = new FleetCommand.Db();
    db.url = common.db;
    dev.pcikit.fleet.StoredHost stored =
        FleetCommand.query(
            db,
            c -> {
              String name = common.hostName;
              if (name == null) {
                List<dev.pcikit.fleet.FleetQueries.HostRow> hosts =
                    dev.pcikit.fleet.FleetQueries.hosts(c);
                if (hosts.size() != 1) {
                  throw new dev.pcikit.fleet.FleetException(
                      dev.pcikit.fleet.FleetException.Kind.INVALID_INPUT,
                      "the fleet has " + hosts.size() + " hosts: name one with --host-name");
                }
                name = hosts.get(0).name();
              }
              return dev.pcikit.fleet.StoredHost.load(c, name);
            });
    if (!stored.state().equals("answering")) {
      spec.commandLine()
          .getErr()
          .println("note: " + stored.name() + " is " + stored.state() + ": as last seen");
    }
    String node = common.node != null ? common.node : stored.name();
    String name = K8sNames.nodeName(node);
    if (name.isEmpty() || (common.node != null && !name.equals(common.node))) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "node name '" + node + "' is not a DNS subdomain; give one with --node NAME");
    }
    return new ExportHost(
        stored.inventory(), stored.check(), name, HostAccess.names(global, stored.inventory()));
  }
}
