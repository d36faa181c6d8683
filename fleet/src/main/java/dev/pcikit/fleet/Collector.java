package dev.pcikit.fleet;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code pcikit fleet collect}: keeps the inventory of the agents in an agents file current in the
 * fleet database. Per host: a full inventory on first contact (and after each reconnect, with the
 * events since the last stored sequence), then the agent's event stream, each burst of events
 * stored with the inventory read after it in one transaction.
 *
 * <p>Several collectors share the hosts through PostgreSQL: a host is written only by the collector
 * whose lease on its row ({@code hosts.owner}, {@code hosts.lease_until}) is valid, and every write
 * checks that lease under the row's lock (SELECT … FOR UPDATE), so two collectors never write one
 * host even when one of them is paused past its lease. Each tick a collector heartbeats, renews its
 * leases, takes free or expired hosts (FOR UPDATE SKIP LOCKED) up to its fair share (hosts / live
 * collectors) and gives back what is above it. A collector that dies stops renewing: its hosts are
 * free when their lease ends and taken by another at its next tick, so they are collected again
 * within {@code lease + tick} (10 s + 2 s by default) plus one inventory read.
 */
public final class Collector implements AutoCloseable {
  /**
   * @param lease how long a host stays with a collector that stopped renewing
   * @param tick how often leases are renewed and free hosts taken (well below the lease)
   * @param agentTimeoutMillis connect/read timeout towards agents; a quiet event stream is reopened
   *     after it (with a catch-up read)
   */
  public record Options(Duration lease, Duration tick, int agentTimeoutMillis, int connections) {
    public static Options defaults() {
      return new Options(Duration.ofSeconds(10), Duration.ofSeconds(2), 30_000, 4);
    }
  }

  private final FleetDatabase db;
  private final List<AgentsFile.Agent> agents;
  private final Options options;
  private final String id;
  private final PrintWriter log;
  private final Pool pool;
  private final Map<String, Worker> workers = new ConcurrentHashMap<>();
  private volatile boolean running = true;
  private Connection leaseConn;

  public Collector(
      FleetDatabase db, List<AgentsFile.Agent> agents, Options options, PrintWriter log) {
    this.db = db;
    this.agents = agents;
    this.options = options;
    this.log = log;
    this.id = collectorId();
    this.pool = new Pool(db, options.connections());
  }

  private static String collectorId() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return host
        + "/"
        + ProcessHandle.current().pid()
        + "/"
        + UUID.randomUUID().toString().substring(0, 8);
  }

  public String id() {
    return id;
  }

  /** Registers the agents' hosts; then renews leases and runs workers until {@link #close()}. */
  public void run() throws InterruptedException {
    try (Connection c = db.connect()) {
      for (AgentsFile.Agent a : agents) {
        Loader.ensureHost(c, a.name(), a.address());
      }
    } catch (SQLException e) {
      throw new FleetException(
          FleetException.Kind.DATABASE, "fleet database: " + e.getMessage(), e);
    }
    log("collector " + id + " started: " + agents.size() + " agents");
    while (running) {
      long started = System.nanoTime();
      tick();
      long left = options.tick().toMillis() - (System.nanoTime() - started) / 1_000_000;
      if (left > 0 && running) {
        synchronized (this) {
          wait(left);
        }
      }
    }
  }

  /** One round of heartbeat, renew, take, give back, and worker reconciliation. */
  void tick() {
    Set<String> owned;
    try {
      owned = leases();
    } catch (SQLException e) {
      log(
          "database: "
              + FleetDatabase.oneLine(e.getMessage())
              + " (leases kept until they expire)");
      closeLeaseConn();
      return; // workers go on; their writes check the lease in the database
    }
    for (String h : owned) {
      workers.computeIfAbsent(
          h,
          name -> {
            Worker w = new Worker(this, agent(name));
            w.start();
            log("collecting " + name);
            return w;
          });
    }
    for (Map.Entry<String, Worker> e : workers.entrySet()) {
      if (!owned.contains(e.getKey())) {
        e.getValue().stop();
        workers.remove(e.getKey());
        log("no longer collecting " + e.getKey());
      }
    }
  }

  private AgentsFile.Agent agent(String name) {
    return agents.stream().filter(a -> a.name().equals(name)).findFirst().orElseThrow();
  }

  private Set<String> leases() throws SQLException {
    if (leaseConn == null || leaseConn.isClosed()) {
      leaseConn = db.connectPlain();
    }
    Connection c = leaseConn;
    long leaseMs = options.lease().toMillis();
    Array names = c.createArrayOf("text", agents.stream().map(AgentsFile.Agent::name).toArray());
    c.setAutoCommit(false);
    try {
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO collectors (id) VALUES (?) ON CONFLICT (id) DO UPDATE SET heartbeat ="
                  + " now()")) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
      int live;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT count(*) FROM collectors WHERE heartbeat > now() - ? * interval '1 ms'")) {
        ps.setLong(1, leaseMs);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          live = Math.max(1, rs.getInt(1));
        }
      }
      Set<String> owned = new HashSet<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE hosts SET lease_until = now() + ? * interval '1 ms' WHERE owner = ? AND"
                  + " name = ANY (?) RETURNING name")) {
        ps.setLong(1, leaseMs);
        ps.setString(2, id);
        ps.setArray(3, names);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            owned.add(rs.getString(1));
          }
        }
      }
      int share = (agents.size() + live - 1) / live;
      if (owned.size() < share) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "WITH free AS (SELECT name FROM hosts WHERE name = ANY (?) AND (owner IS NULL OR"
                    + " lease_until IS NULL OR lease_until < now()) ORDER BY name LIMIT ? FOR"
                    + " UPDATE SKIP LOCKED) UPDATE hosts h SET owner = ?, lease_until = now() + ?"
                    + " * interval '1 ms' FROM free WHERE h.name = free.name RETURNING h.name")) {
          ps.setArray(1, names);
          ps.setInt(2, share - owned.size());
          ps.setString(3, id);
          ps.setLong(4, leaseMs);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              owned.add(rs.getString(1));
            }
          }
        }
      }
      c.commit();
      if (owned.size() > share) {
        List<String> extra = new ArrayList<>(owned).stream().sorted().toList();
        extra = extra.subList(share, extra.size());
        for (String h : extra) {
          Worker w = workers.remove(h);
          if (w != null) {
            w.stopAndWait(); // it writes nothing more before the host is given back
          }
          owned.remove(h);
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "UPDATE hosts SET owner = NULL, lease_until = NULL WHERE owner = ? AND name = ANY"
                    + " (?)")) {
          ps.setString(1, id);
          ps.setArray(2, c.createArrayOf("text", extra.toArray()));
          ps.executeUpdate();
        }
        c.commit();
        log("gave back " + extra.size() + " hosts (fair share " + share + ")");
      }
      return owned;
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the connection is gone: closed below
      }
      throw e;
    }
  }

  private void closeLeaseConn() {
    try {
      if (leaseConn != null) {
        leaseConn.close();
      }
    } catch (SQLException ignored) {
      // already broken
    }
    leaseConn = null;
  }

  /** The hosts this collector is collecting now. */
  public Set<String> collecting() {
    return Set.copyOf(workers.keySet());
  }

  /** Stops the workers and gives the hosts back at once (no lease wait for the others). */
  @Override
  public void close() {
    running = false;
    synchronized (this) {
      notifyAll();
    }
    for (Worker w : workers.values()) {
      w.stopAndWait();
    }
    try {
      if (leaseConn == null || leaseConn.isClosed()) {
        leaseConn = db.connectPlain();
      }
      leaseConn.setAutoCommit(true);
      try (PreparedStatement ps =
          leaseConn.prepareStatement(
              "UPDATE hosts SET owner = NULL, lease_until = NULL WHERE owner = ?")) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
      try (PreparedStatement ps =
          leaseConn.prepareStatement("DELETE FROM collectors WHERE id = ?")) {
        ps.setString(1, id);
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      log("could not give the hosts back: " + FleetDatabase.oneLine(e.getMessage()));
    }
    closeLeaseConn();
    workers.clear();
    pool.close();
  }

  void log(String line) {
    if (log != null) {
      synchronized (log) {
        log.println(java.time.Instant.now() + " " + line);
        log.flush();
      }
    }
  }

  Pool pool() {
    return pool;
  }

  Options options() {
    return options;
  }

  boolean running() {
    return running;
  }

  /** A source for an agent's address. */
  static Source source(AgentsFile.Agent a, int timeoutMillis) throws IOException {
    if (a.address().startsWith("file:")) {
      return new FileSource(Path.of(a.address().substring("file:".length())));
    }
    return new AgentSource(AgentSource.client(a.address(), a.token(), a.ca(), timeoutMillis));
  }
}
