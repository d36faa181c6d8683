package dev.pcikit.fleet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema migrations: {@code db/V<n>__<what>.sql} on the class path, applied in order,
 * each in its own transaction, recorded in {@code fleet_schema} with a SHA-256 of its text.
 *
 * <p>Why not Flyway: the fleet has a handful of PostgreSQL-only scripts; Flyway would add a few MB
 * to the CLI jar and a class-path scan to every {@code fleet} command, for features (other
 * databases, undo, callbacks, placeholders) unused here. PostgreSQL runs DDL inside transactions,
 * so a migration that fails leaves nothing half-applied; a transaction-scoped advisory lock makes
 * collectors that start together migrate one after the other.
 */
public final class Migrations {
  /** The scripts, in order. Appending one is the only way to change the schema. */
  static final List<String> SCRIPTS =
      List.of(
          "V1__hosts_devices_history.sql",
          "V2__collector_leases.sql",
          "V3__find_indexes.sql",
          "V4__agent_epochs.sql",
          "V5__host_readiness.sql");

  /** Advisory lock key of the migrator (an arbitrary constant: "pcikit" in ASCII). */
  private static final long LOCK = 0x7063696b6974L;

  private Migrations() {}

  public static int latest() {
    return SCRIPTS.size();
  }

  /** Brings the schema to the latest version; returns the versions applied. */
  public static List<Integer> migrate(Connection c) throws SQLException {
    return migrate(c, latest());
  }

  /**
   * Brings the schema to {@code target}. Refuses a database whose schema is newer than this pcikit,
   * or whose applied script differs from the one shipped (someone edited a released migration).
   */
  public static List<Integer> migrate(Connection c, int target) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      List<Integer> applied = new java.util.ArrayList<>();
      for (int v = 1; v <= target; v++) {
        try (Statement st = c.createStatement()) {
          st.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
          st.execute(
              "CREATE TABLE IF NOT EXISTS fleet_schema (version integer PRIMARY KEY,"
                  + " script text NOT NULL, sha256 text NOT NULL,"
                  + " applied_at timestamptz NOT NULL DEFAULT now())");
        }
        int current = current(c);
        if (current > latest()) {
          c.rollback();
          throw new FleetException(
              "the fleet database has schema version "
                  + current
                  + ", newer than this pcikit knows ("
                  + latest()
                  + "): upgrade pcikit");
        }
        String script = SCRIPTS.get(v - 1);
        String text = read(script);
        String sum = InventoryDoc.sha256(text);
        if (v <= current) {
          String stored = storedSum(c, v);
          if (!sum.equals(stored)) {
            c.rollback();
            throw new FleetException(
                "schema version " + v + " in the database differs from " + script);
          }
          c.commit();
          continue;
        }
        try (Statement st = c.createStatement()) {
          st.execute(text);
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO fleet_schema (version, script, sha256) VALUES (?, ?, ?)")) {
          ps.setInt(1, v);
          ps.setString(2, script);
          ps.setString(3, sum);
          ps.executeUpdate();
        }
        c.commit();
        applied.add(v);
      }
      return applied;
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /** The schema version of the database (0: none). */
  public static int current(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT CASE WHEN to_regclass('fleet_schema') IS NULL THEN 0 ELSE"
                    + " (SELECT coalesce(max(version), 0) FROM fleet_schema) END")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static String storedSum(Connection c, int v) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT sha256 FROM fleet_schema WHERE version = ?")) {
      ps.setInt(1, v);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  static String read(String script) {
    try (InputStream in = Migrations.class.getResourceAsStream("db/" + script)) {
      if (in == null) {
        throw new IllegalStateException("missing migration " + script);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
