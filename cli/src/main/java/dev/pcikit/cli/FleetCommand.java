package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.fleet.FleetDatabase;
import dev.pcikit.fleet.FleetException;
import dev.pcikit.fleet.FleetQueries;
import dev.pcikit.formats.FleetJson;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code pcikit fleet}: every host's PCI inventory in PostgreSQL (module fleet), kept current from
 * the agents by {@code fleet collect}, queried by {@code find}, {@code hosts} and {@code history}.
 * See docs/fleet.md.
 */
@Command(
    name = "fleet",
    description = {
      "The PCI inventory of many hosts in PostgreSQL, kept current from their agents: find a free"
          + " VF or an assignable GPU across hosts, see what changed where. See docs/fleet.md.",
      "Without --db a local PostgreSQL is started by pcikit (Debian's postgresql binaries) in"
          + " $PCIKIT_FLEET_DIR (default /var/lib/pcikit/fleet as root, else"
          + " ~/.local/share/pcikit/fleet)."
    },
    subcommands = {
      FleetCommand.Find.class,
      FleetCommand.Hosts.class,
      FleetCommand.History.class,
      FleetCollectCommand.class
    })
final class FleetCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand: find, hosts, history or collect");
  }

  /** {@code --db URL}: the fleet database (every fleet subcommand and {@code export --db}). */
  static final class Db {
    @Option(
        names = "--db",
        paramLabel = "URL",
        description =
            "The fleet database: jdbc:postgresql://HOST:PORT/DB?user=U or postgresql://U@HOST:PORT/DB"
                + " (password from PGPASSWORD). Default: a local PostgreSQL started by pcikit")
    String url;

    FleetDatabase open() {
      return url != null
          ? FleetDatabase.at(url)
          : FleetDatabase.local(FleetDatabase.defaultLocalDir());
    }
  }

  /** Runs a query on a fresh connection; fleet failures become one line and an exit code. */
  interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  static <T> T query(Db db, Query<T> q) {
    try (FleetDatabase fdb = db.open();
        Connection c = fdb.connect()) {
      return q.run(c);
    } catch (SQLException e) {
      throw failure(
          new FleetException(FleetException.Kind.DATABASE, "fleet database: " + e.getMessage(), e));
    } catch (FleetException e) {
      throw failure(e);
    }
  }

  /** The CLI's exit code of a fleet failure (docs/fleet.md). */
  static PcikitException failure(FleetException e) {
    Failure f =
        switch (e.kind()) {
          case INVALID_INPUT -> Failure.INVALID_ARGUMENT;
          case NOT_FOUND -> Failure.NOT_FOUND;
          case DATABASE -> Failure.BAD_INPUT;
        };
    String msg = e.getMessage();
    int nl = msg.indexOf('\n');
    return new PcikitException(f, nl < 0 ? msg : msg.substring(0, nl));
  }

  @Command(
      name = "find",
      description = {
        "PCI functions across the fleet: lspci's -d selector (IDs and class) and the filters below,"
            + " all of which must match. By host, then address.",
        "--assignable: an endpoint in an IOMMU group that is not mixed (host and VFIO drivers),"
            + " held by nobody, responding, on a host that answers; `pcikit check` on the host has"
            + " the last word."
      })
  static final class Find implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Db db = new Db();
    @CommandLine.Mixin OutputOption output;

    @Option(
        names = "-d",
        paramLabel = "[VENDOR]:[DEVICE][:CLASS[:PROGIF]]",
        description =
            "Only functions with these IDs (lspci syntax, hexadecimal; class digits may be x)")
    String ids;

    @Option(
        names = "--class",
        paramLabel = "CLASS",
        description =
            "Only functions of this class (lspci's class: 02, 0200, 03xx; same as -d ::CLASS)")
    String cls;

    @Option(names = "--assignable", description = "Only functions a guest can take now")
    boolean assignable;

    @Option(names = "--numa", paramLabel = "N", description = "Only functions on NUMA node N")
    Integer numa;

    @Option(
        names = "--free-vfs",
        paramLabel = "N",
        description =
            "Only SR-IOV PFs with at least N free VFs (on no driver or VFIO, held by nobody)")
    Integer freeVfs;

    @Option(
        names = "--driver",
        paramLabel = "NAME",
        description = "Only functions bound to this driver ('none': to no driver)")
    String driver;

    @Option(
        names = "--held-by",
        paramLabel = "NAME",
        description = "Only functions held by this guest (libvirt domain) or process (comm)")
    String heldBy;

    @Option(names = "--host-name", paramLabel = "HOST", description = "Only functions of this host")
    String host;

    @Option(
        names = "--limit",
        paramLabel = "N",
        description = "At most N functions (default: ${DEFAULT-VALUE})")
    int limit = FleetQueries.DEFAULT_LIMIT;

    @Override
    public Integer call() {
      DeviceSelector.Ids sel = selector();
      if (numa != null && (numa < 0 || numa > 4095)) {
        throw usage("--numa must be 0..4095");
      }
      if (freeVfs != null && (freeVfs < 0 || freeVfs > 65535)) {
        throw usage("--free-vfs must be 0..65535");
      }
      if (limit < 1 || limit > 1_000_000) {
        throw usage("--limit must be 1..1000000");
      }
      for (String s : new String[] {driver, heldBy, host}) {
        if (s != null && s.length() > 256) {
          throw usage("a name longer than 256 characters");
        }
      }
      FleetQueries.Criteria k =
          new FleetQueries.Criteria(sel, assignable, numa, freeVfs, driver, heldBy, host, limit);
      List<FleetQueries.Found> found = query(db, c -> FleetQueries.find(c, k));
      output.print(
          spec.commandLine().getOut(), () -> findTable(found), () -> FleetJson.devices(found));
      return 0;
    }

    private DeviceSelector.Ids selector() {
      if (ids != null && cls != null) {
        throw usage("give -d or --class, not both");
      }
      String text = ids != null ? ids : cls != null ? "::" + cls : null;
      if (text == null) {
        return null;
      }
      try {
        return (DeviceSelector.Ids) DeviceSelector.ids(text);
      } catch (PcikitException e) {
        throw e;
      } catch (RuntimeException e) {
        throw usage("bad selector " + text + ": " + e.getMessage());
      }
    }

    private PcikitException usage(String msg) {
      return new PcikitException(Failure.INVALID_ARGUMENT, msg);
    }
  }

  @Command(
      name = "hosts",
      description =
          "The hosts of the fleet: address, answering or unreachable since when, last"
              + " event sequence stored, which collector holds it, functions.")
  static final class Hosts implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Db db = new Db();
    @CommandLine.Mixin OutputOption output;

    @Override
    public Integer call() {
      List<FleetQueries.HostRow> hosts = query(db, FleetQueries::hosts);
      output.print(
          spec.commandLine().getOut(), () -> hostsTable(hosts), () -> FleetJson.hosts(hosts));
      return 0;
    }
  }

  @Command(
      name = "history",
      description =
          "What changed on a host, or to one function (its fingerprint, on any host):"
              + " agent events with their sequence numbers and the changes the collector stored,"
              + " newest first.")
  static final class History implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin Db db = new Db();
    @CommandLine.Mixin OutputOption output;

    @Parameters(paramLabel = "HOST|FINGERPRINT", description = "A host name or a fingerprint")
    String subject;

    @Option(
        names = "--since",
        paramLabel = "TIME",
        description = "Only entries at or after TIME (ISO-8601, e.g. 2026-12-01T00:00:00Z)")
    String since;

    @Option(
        names = "--limit",
        paramLabel = "N",
        description = "At most N entries (default: ${DEFAULT-VALUE})")
    int limit = FleetQueries.DEFAULT_LIMIT;

    @Override
    public Integer call() {
      if (subject.length() > 1024) {
        throw new PcikitException(Failure.INVALID_ARGUMENT, "HOST|FINGERPRINT longer than 1024");
      }
      if (limit < 1 || limit > 1_000_000) {
        throw new PcikitException(Failure.INVALID_ARGUMENT, "--limit must be 1..1000000");
      }
      OffsetDateTime from;
      try {
        from = since == null ? null : OffsetDateTime.parse(since);
      } catch (DateTimeParseException e) {
        throw new PcikitException(
            Failure.INVALID_ARGUMENT, "--since is not an ISO-8601 time with offset: " + since);
      }
      List<FleetQueries.HistoryRow> rows =
          query(db, c -> FleetQueries.history(c, subject, from, limit));
      output.print(
          spec.commandLine().getOut(), () -> historyTable(rows), () -> FleetJson.history(rows));
      return 0;
    }
  }

  /** {@code fleet find}'s table. */
  static Table findTable(List<FleetQueries.Found> found) {
    Table t =
        new Table(
            "HOST", "BDF", "IDS", "CLASS", "DEVICE", "DRIVER", "NUMA", "GROUP", "VFS", "HELD BY");
    for (FleetQueries.Found f : found) {
      t.row(
          f.host() + (f.hostState().equals("answering") ? "" : " (" + f.hostState() + ")"),
          f.bdf(),
          hex4(f.vendor()) + ":" + hex4(f.device()),
          f.classCode() == null ? "-" : String.format(Locale.ROOT, "%04x", f.classCode() >> 8),
          orDash(f.deviceName()),
          orDash(f.driver()),
          orDash(f.numaNode()),
          f.iommuGroup() == null ? "-" : f.iommuGroup() + " " + f.groupStatus(),
          f.totalVfs() == null
              ? orDash(f.sriovRole())
              : f.freeVfs() + " free/" + f.numVfs() + "/" + f.totalVfs(),
          f.heldBy().isEmpty() ? "-" : String.join(",", f.heldBy()));
    }
    return t;
  }

  /** {@code fleet hosts}' table. */
  static Table hostsTable(List<FleetQueries.HostRow> hosts) {
    Table t =
        new Table(
            "HOST", "STATE", "SINCE", "LAST SEEN", "SEQ", "FUNCTIONS", "COLLECTOR", "ADDRESS");
    for (FleetQueries.HostRow h : hosts) {
      t.row(
          h.name(),
          h.state(),
          time(h.stateSince()),
          time(h.lastSeen()),
          Long.toString(h.lastSeq()),
          Integer.toString(h.functions()),
          orDash(h.owner()),
          h.address());
    }
    return t;
  }

  /** {@code fleet history}'s table. */
  static Table historyTable(List<FleetQueries.HistoryRow> rows) {
    Table t = new Table("TIME", "HOST", "SEQ", "WHAT", "BDF", "DETAILS");
    for (FleetQueries.HistoryRow h : rows) {
      t.row(
          time(h.at()),
          h.host(),
          orDash(h.seq()),
          h.kind() + (h.source().equals("event") ? "" : " (seen)"),
          orDash(h.bdf()),
          h.details());
    }
    return t;
  }

  private static String orDash(Object v) {
    return v == null ? "-" : v.toString();
  }

  static String hex4(Integer v) {
    return v == null ? "-" : String.format(Locale.ROOT, "%04x", v);
  }

  static String time(OffsetDateTime t) {
    return t == null
        ? "-"
        : t.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }
}
