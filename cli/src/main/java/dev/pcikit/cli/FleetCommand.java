package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.fleet.FleetDatabase;
import dev.pcikit.fleet.FleetException;
import dev.pcikit.fleet.FleetQueries;
import dev.pcikit.formats.Documents;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

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
      PrintWriter out = spec.commandLine().getOut();
      if (output.format == OutputFormat.table) {
        Table t =
            new Table(
                "HOST", "BDF", "IDS", "CLASS", "DEVICE", "DRIVER", "NUMA", "GROUP", "VFS",
                "HELD BY");
        for (FleetQueries.Found f : found) {
          t.row(
              f.host() + (f.hostState().equals("answering") ? "" : " (" + f.hostState() + ")"),
              f.bdf(),
              hex4(f.vendor()) + ":" + hex4(f.device()),
              f.classCode() == null ? "-" : String.format("%04x", f.classCode() >> 8),
              f.deviceName() == null ? "-" : f.deviceName(),
              f.driver() == null ? "-" : f.driver(),
              f.numaNode() == null ? "-" : f.numaNode().toString(),
              f.iommuGroup() == null ? "-" : f.iommuGroup() + " " + f.groupStatus(),
              f.totalVfs() == null
                  ? (f.sriovRole() == null ? "-" : f.sriovRole())
                  : f.freeVfs() + " free/" + f.numVfs() + "/" + f.totalVfs(),
              f.heldBy().isEmpty() ? "-" : String.join(",", f.heldBy()));
        }
        t.print(out);
        out.flush();
      } else {
        ObjectNode doc = Documents.document("pcikit/fleet-devices/v1");
        ArrayNode arr = doc.putArray("devices");
        for (FleetQueries.Found f : found) {
          ObjectNode o = arr.addObject();
          o.put("host", f.host());
          o.put("hostState", f.hostState());
          o.put("bdf", f.bdf());
          o.put("fingerprint", f.fingerprint());
          o.put("vendor", f.vendor() == null ? null : hex4(f.vendor()));
          o.put("device", f.device() == null ? null : hex4(f.device()));
          o.put("class", f.classCode() == null ? null : String.format("%06x", f.classCode()));
          o.put("vendorName", f.vendorName());
          o.put("deviceName", f.deviceName());
          o.put("driver", f.driver());
          putInt(o, "numaNode", f.numaNode());
          putInt(o, "iommuGroup", f.iommuGroup());
          o.put("groupStatus", f.groupStatus());
          o.put("sriovRole", f.sriovRole());
          putInt(o, "totalVfs", f.totalVfs());
          putInt(o, "numVfs", f.numVfs());
          putInt(o, "freeVfs", f.freeVfs());
          ArrayNode h = o.putArray("heldBy");
          f.heldBy().forEach(h::add);
          o.put("notResponding", f.notResponding());
        }
        Documents.write(doc, output.format.document(), out);
      }
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
      PrintWriter out = spec.commandLine().getOut();
      if (output.format == OutputFormat.table) {
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
              h.owner() == null ? "-" : h.owner(),
              h.address());
        }
        t.print(out);
        out.flush();
      } else {
        ObjectNode doc = Documents.document("pcikit/fleet-hosts/v1");
        ArrayNode arr = doc.putArray("hosts");
        for (FleetQueries.HostRow h : hosts) {
          ObjectNode o = arr.addObject();
          o.put("name", h.name());
          o.put("address", h.address());
          o.put("state", h.state());
          o.put("stateSince", iso(h.stateSince()));
          o.put("lastSeen", iso(h.lastSeen()));
          o.put("lastSeq", h.lastSeq());
          o.put("functions", h.functions());
          o.put("collector", h.owner());
          o.put("leaseUntil", iso(h.leaseUntil()));
          o.put("lastError", h.lastError());
        }
        Documents.write(doc, output.format.document(), out);
      }
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
      PrintWriter out = spec.commandLine().getOut();
      if (output.format == OutputFormat.table) {
        Table t = new Table("TIME", "HOST", "SEQ", "WHAT", "BDF", "DETAILS");
        for (FleetQueries.HistoryRow h : rows) {
          t.row(
              time(h.at()),
              h.host(),
              h.seq() == null ? "-" : h.seq().toString(),
              h.kind() + (h.source().equals("event") ? "" : " (seen)"),
              h.bdf() == null ? "-" : h.bdf(),
              h.details());
        }
        t.print(out);
        out.flush();
      } else {
        ObjectNode doc = Documents.document("pcikit/fleet-history/v1");
        ArrayNode arr = doc.putArray("history");
        for (FleetQueries.HistoryRow h : rows) {
          ObjectNode o = arr.addObject();
          o.put("host", h.host());
          o.put("time", iso(h.at()));
          if (h.seq() == null) {
            o.putNull("seq");
          } else {
            o.put("seq", h.seq());
          }
          o.put("source", h.source());
          o.put("kind", h.kind());
          o.put("fingerprint", h.fingerprint());
          o.put("bdf", h.bdf());
          o.set("details", Documents.json().readTree(h.details()));
        }
        Documents.write(doc, output.format.document(), out);
      }
      return 0;
    }
  }

  static String hex4(Integer v) {
    return v == null ? "-" : String.format("%04x", v);
  }

  private static void putInt(ObjectNode o, String field, Integer v) {
    if (v == null) {
      o.putNull(field);
    } else {
      o.put(field, v);
    }
  }

  static String iso(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  static String time(OffsetDateTime t) {
    return t == null
        ? "-"
        : t.toInstant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
  }
}
