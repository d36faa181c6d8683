package dev.pcikit.fleet;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes one host's inventory into the fleet database, each call one transaction.
 *
 * <p>The state of the functions always comes from an inventory document (the agent's {@code GET
 * /v1/devices} read after the events, or a full snapshot); the events are stored as history with
 * their sequence numbers. Storing is idempotent by (host, seq): events at or below the host's
 * {@code last_seq} are skipped (and a unique index refuses them anyway), and a document equal to
 * what is stored changes nothing. So a collector that resumes a stream from the last stored
 * sequence, or replays a page it had already stored before the database went away, neither loses
 * nor duplicates anything.
 */
public final class Loader {
  private static final int BATCH = 1000;

  /** What one {@link #apply} did. */
  public record Result(int added, int changed, int removed, int events) {}

  private Loader() {}

  /** Registers a host (or updates its address); its inventory comes with the first apply. */
  public static void ensureHost(Connection c, String host, String address) throws SQLException {
    Sql.update(
        c,
        "INSERT INTO hosts (name, address) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET"
            + " address = excluded.address WHERE hosts.address IS DISTINCT FROM"
            + " excluded.address",
        host,
        address);
  }

  /**
   * Stores the host's events and brings its functions to {@code rows}, in one transaction.
   *
   * @param rows the host's whole inventory as read after the events
   * @param events events not yet stored (older ones are skipped)
   * @param cursor the sequence the document is known to include (the host's last_seq becomes the
   *     greatest of it, the events' and the stored one)
   */
  public static Result apply(
      Connection c, String host, List<DeviceRow> rows, List<AgentEvent> events, long cursor)
      throws SQLException {
    return apply(c, host, rows, events, cursor, null, false);
  }

  /**
   * As {@link #apply(Connection, String, List, List, long)}, by the collector {@code owner}: only
   * while its lease on the host is valid (checked under the host row's lock, so a collector that
   * lost the host writes nothing).
   */
  public static Result apply(
      Connection c,
      String host,
      List<DeviceRow> rows,
      List<AgentEvent> events,
      long cursor,
      String owner,
      boolean newEpoch)
      throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      long[] locked = lockHost(c, host, owner);
      if (locked != null && newEpoch) {
        // the agent restarted and numbers from 1 again: a new epoch, its events all new
        Sql.update(c, "UPDATE hosts SET epoch = epoch + 1, last_seq = 0 WHERE name = ?", host);
        locked = new long[] {0, locked[1] + 1};
      }
      Long lastSeq = locked == null ? null : locked[0];
      if (lastSeq == null) {
        throw new FleetException(
            FleetException.Kind.NOT_FOUND,
            owner == null
                ? "no host " + host + " in the fleet"
                : "the lease on " + host + " is no longer " + owner + "'s");
      }
      List<AgentEvent> fresh = events.stream().filter(e -> e.seq() > lastSeq).toList();
      long seq = Math.max(lastSeq, cursor);
      for (AgentEvent e : fresh) {
        seq = Math.max(seq, e.seq());
      }
      int stored = storeEvents(c, host, (int) locked[1], fresh);
      Result r = applyRows(c, host, rows, seq, fresh.isEmpty() ? null : seq);
      Sql.update(
          c,
          "UPDATE hosts SET last_seq = ?, last_seen = now(), last_error = NULL,"
              + " state_since = CASE WHEN state = 'answering' THEN state_since ELSE now() END,"
              + " state = 'answering' WHERE name = ?",
          seq,
          host);
      c.commit();
      return new Result(r.added, r.changed, r.removed, stored);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  /**
   * Stores the host's readiness check (pcikit/check/v1) after checking it reads as one; by the
   * collector {@code owner} only while it holds the host's lease.
   */
  public static void storeReadiness(Connection c, String host, byte[] doc, String owner)
      throws SQLException {
    if (doc.length > InventoryDoc.MAX_BYTES) {
      throw new FleetException(FleetException.Kind.INVALID_INPUT, "check document too large");
    }
    tools.jackson.databind.JsonNode n;
    try {
      n = InventoryDoc.JSON.readTree(doc);
      StoredHost.check(n);
    } catch (tools.jackson.core.JacksonException | IllegalArgumentException e) {
      throw new FleetException(
          FleetException.Kind.INVALID_INPUT, "check document: " + e.getMessage());
    }
    Sql.update(
        c,
        "UPDATE hosts SET readiness = ?::jsonb, readiness_at = now() WHERE name = ? AND"
            + " (?::text IS NULL OR (owner = ? AND lease_until > now()))",
        InventoryDoc.JSON.writeValueAsString(n),
        host,
        owner,
        owner);
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }

  /** Marks a host that stopped answering; its functions stay as last seen. */
  public static void markUnreachable(Connection c, String host, String error, String owner)
      throws SQLException {
    Sql.update(
        c,
        "UPDATE hosts SET last_error = ?,"
            + " state_since = CASE WHEN state = 'unreachable' THEN state_since ELSE now() END,"
            + " state = 'unreachable' WHERE name = ? AND (?::text IS NULL OR (owner = ? AND"
            + " lease_until > now()))",
        error == null ? null : error.substring(0, Math.min(500, error.length())),
        host,
        owner,
        owner);
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }

  /**
   * The host's last stored event sequence and epoch, the row locked; null when the host is unknown
   * or (with an owner) not leased by it.
   */
  private static long[] lockHost(Connection c, String host, String owner) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT last_seq, epoch FROM hosts WHERE name = ? AND (?::text IS NULL OR (owner = ? AND"
                + " lease_until > now())) FOR UPDATE")) {
      ps.setString(1, host);
      ps.setString(2, owner);
      ps.setString(3, owner);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? new long[] {rs.getLong(1), rs.getInt(2)} : null;
      }
    }
  }

  /** The host's last stored event sequence (0 when none or no such host). */
  public static long lastSeq(Connection c, String host) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT last_seq FROM hosts WHERE name = ?")) {
      ps.setString(1, host);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  private static int storeEvents(Connection c, String host, int epoch, List<AgentEvent> events)
      throws SQLException {
    if (events.isEmpty()) {
      return 0;
    }
    int n = 0;
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO history (host, at, seq, source, kind, fingerprint, bdf, details, epoch)"
                + " VALUES (?, ?, ?, 'event', ?, ?, ?, ?::jsonb, ?)"
                + " ON CONFLICT (host, epoch, seq) WHERE source = 'event' DO NOTHING")) {
      for (AgentEvent e : events) {
        ps.setString(1, host);
        ps.setObject(2, e.time());
        ps.setLong(3, e.seq());
        ps.setString(4, e.type());
        ps.setString(5, e.fingerprint());
        ps.setString(6, e.bdf());
        ps.setString(7, e.details());
        ps.setInt(8, epoch);
        n += ps.executeUpdate();
      }
    }
    return n;
  }

  private record Stored(
      String bdf,
      String driver,
      String groupStatus,
      Integer freeVfs,
      List<String> heldBy,
      String hash) {}

  private static Result applyRows(
      Connection c, String host, List<DeviceRow> rows, long seq, Long historySeq)
      throws SQLException {
    Map<String, Stored> stored = new HashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT fingerprint, bdf, driver, group_status, free_vfs, held_by, doc_hash"
                + " FROM devices WHERE host = ?")) {
      ps.setString(1, host);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Array held = rs.getArray(6);
          stored.put(
              rs.getString(1),
              new Stored(
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  (Integer) rs.getObject(5),
                  Arrays.asList((String[]) held.getArray()),
                  rs.getString(7)));
        }
      }
    }
    boolean first = stored.isEmpty();
    List<DeviceRow> inserts = new ArrayList<>();
    List<DeviceRow> updates = new ArrayList<>();
    List<History> history = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (DeviceRow r : rows) {
      seen.add(r.fingerprint());
      Stored s = stored.get(r.fingerprint());
      if (s == null) {
        inserts.add(r);
        if (!first) {
          history.add(new History("device-added", r.fingerprint(), r.bdf(), added(r)));
        }
      } else if (!s.hash.equals(r.docHash())
          || !Objects.equals(s.groupStatus, r.groupStatus())
          || !Objects.equals(s.freeVfs, r.freeVfs())) {
        updates.add(r);
        ObjectNode d = changes(s, r);
        if (!d.isEmpty()) {
          history.add(new History("changed", r.fingerprint(), r.bdf(), d));
        }
      }
    }
    List<String> gone = new ArrayList<>();
    for (Map.Entry<String, Stored> e : stored.entrySet()) {
      if (!seen.contains(e.getKey())) {
        gone.add(e.getKey());
        ObjectNode d = InventoryDoc.JSON.createObjectNode();
        d.put("driver", e.getValue().driver);
        history.add(new History("device-removed", e.getKey(), e.getValue().bdf, d));
      }
    }
    if (first && !rows.isEmpty()) {
      ObjectNode d = InventoryDoc.JSON.createObjectNode();
      d.put("functions", rows.size());
      history.add(new History("host-loaded", null, null, d));
    }
    if (inserts.size() >= COPY_THRESHOLD) {
      copy(c, host, inserts, seq);
    } else {
      write(c, host, inserts, false, seq);
    }
    write(c, host, updates, true, seq);
    delete(c, host, gone);
    storeHistory(c, host, history, historySeq != null ? historySeq : seq);
    return new Result(inserts.size(), updates.size(), gone.size(), 0);
  }

  private record History(String kind, String fingerprint, String bdf, ObjectNode details) {}

  private static ObjectNode added(DeviceRow r) {
    ObjectNode d = InventoryDoc.JSON.createObjectNode();
    d.put("driver", r.driver());
    return d;
  }

  /** The fields a scheduler cares about, each {@code {"from":…,"to":…}} when it changed. */
  private static ObjectNode changes(Stored s, DeviceRow r) {
    ObjectNode d = InventoryDoc.JSON.createObjectNode();
    diff(d, "bdf", s.bdf, r.bdf());
    diff(d, "driver", s.driver, r.driver());
    diff(d, "groupStatus", s.groupStatus, r.groupStatus());
    diff(d, "freeVfs", s.freeVfs, r.freeVfs());
    diff(d, "heldBy", String.join(",", s.heldBy), String.join(",", r.heldBy()));
    return d;
  }

  private static void diff(ObjectNode d, String field, Object from, Object to) {
    if (!Objects.equals(from, to)) {
      ObjectNode o = d.putObject(field);
      o.putPOJO("from", from);
      o.putPOJO("to", to);
    }
  }

  private static final String COLUMNS =
      "bdf, vendor, device, subsystem_vendor, subsystem_device, class_code, vendor_name,"
          + " device_name, driver, numa_node, iommu_group, group_status, bridge, sriov_role,"
          + " pf_fingerprint, total_vfs, num_vfs, free_vfs, held_by, not_responding, doc,"
          + " doc_hash, changed_seq";

  private static void write(
      Connection c, String host, List<DeviceRow> rows, boolean update, long seq)
      throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    String sql =
        update
            ? "UPDATE devices SET ("
                + COLUMNS
                + ", changed_at) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?::jsonb, ?, ?, now()) WHERE host = ? AND fingerprint = ?"
            : "INSERT INTO devices ("
                + COLUMNS
                + ", host, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int n = 0;
      for (DeviceRow r : rows) {
        int i = 1;
        ps.setString(i++, r.bdf());
        setInt(ps, i++, r.vendor());
        setInt(ps, i++, r.device());
        setInt(ps, i++, r.subsystemVendor());
        setInt(ps, i++, r.subsystemDevice());
        setInt(ps, i++, r.classCode());
        ps.setString(i++, r.vendorName());
        ps.setString(i++, r.deviceName());
        ps.setString(i++, r.driver());
        setInt(ps, i++, r.numaNode());
        setInt(ps, i++, r.iommuGroup());
        ps.setString(i++, r.groupStatus());
        ps.setBoolean(i++, r.bridge());
        ps.setString(i++, r.sriovRole());
        ps.setString(i++, r.pfFingerprint());
        setInt(ps, i++, r.totalVfs());
        setInt(ps, i++, r.numVfs());
        setInt(ps, i++, r.freeVfs());
        ps.setArray(i++, c.createArrayOf("text", r.heldBy().toArray()));
        ps.setBoolean(i++, r.notResponding());
        ps.setString(i++, r.doc());
        ps.setString(i++, r.docHash());
        ps.setLong(i++, seq);
        ps.setString(i++, host);
        ps.setString(i++, r.fingerprint());
        ps.addBatch();
        if (++n % BATCH == 0) {
          ps.executeBatch();
        }
      }
      ps.executeBatch();
    }
  }

  /** From this many new rows on, COPY (one round trip, no per-row parse/bind) beats a batch. */
  private static final int COPY_THRESHOLD = 64;

  /** Inserts with COPY … FROM STDIN in PostgreSQL's text format (docs: "COPY", "File Formats"). */
  private static void copy(Connection c, String host, List<DeviceRow> rows, long seq)
      throws SQLException {
    StringBuilder sb = new StringBuilder(rows.size() * 2048);
    for (DeviceRow r : rows) {
      Object[] v = {
        r.bdf(),
        r.vendor(),
        r.device(),
        r.subsystemVendor(),
        r.subsystemDevice(),
        r.classCode(),
        r.vendorName(),
        r.deviceName(),
        r.driver(),
        r.numaNode(),
        r.iommuGroup(),
        r.groupStatus(),
        r.bridge(),
        r.sriovRole(),
        r.pfFingerprint(),
        r.totalVfs(),
        r.numVfs(),
        r.freeVfs(),
        arrayLiteral(r.heldBy()),
        r.notResponding(),
        r.doc(),
        r.docHash(),
        seq,
        host,
        r.fingerprint()
      };
      for (int i = 0; i < v.length; i++) {
        if (i > 0) {
          sb.append('\t');
        }
        copyValue(sb, v[i]);
      }
      sb.append('\n');
    }
    try {
      org.postgresql.copy.CopyManager cm = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI();
      cm.copyIn(
          "COPY devices (" + COLUMNS + ", host, fingerprint) FROM STDIN",
          new java.io.StringReader(sb.toString()));
    } catch (java.io.IOException e) {
      throw new SQLException("COPY failed: " + e.getMessage(), e);
    }
  }

  private static void copyValue(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("\\N");
      return;
    }
    String s = v instanceof Boolean b ? (b ? "t" : "f") : v.toString();
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      switch (ch) {
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> sb.append(ch);
      }
    }
  }

  /** A text[] literal: every element double-quoted, backslash and quote escaped. */
  private static String arrayLiteral(List<String> items) {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append('"').append(items.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
    }
    return sb.append('}').toString();
  }

  private static void delete(Connection c, String host, List<String> gone) throws SQLException {
    if (gone.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM devices WHERE host = ? AND fingerprint = ANY (?)")) {
      ps.setString(1, host);
      ps.setArray(2, c.createArrayOf("text", gone.toArray()));
      ps.executeUpdate();
    }
  }

  private static void storeHistory(Connection c, String host, List<History> history, long seq)
      throws SQLException {
    if (history.isEmpty()) {
      return;
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO history (host, at, seq, source, kind, fingerprint, bdf, details)"
                + " VALUES (?, ?, ?, 'snapshot', ?, ?, ?, ?::jsonb)")) {
      Timestamp now = new Timestamp(System.currentTimeMillis());
      for (History h : history) {
        ps.setString(1, host);
        ps.setTimestamp(2, now);
        ps.setLong(3, seq);
        ps.setString(4, h.kind);
        ps.setString(5, h.fingerprint);
        ps.setString(6, h.bdf);
        ps.setString(7, InventoryDoc.JSON.writeValueAsString(h.details));
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, v);
    }
  }
}
