package dev.pcikit.fleet;

import dev.pcikit.core.model.DeviceSelector;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The questions {@code pcikit fleet find|hosts|history} ask the fleet database. */
public final class FleetQueries {
  /** Most rows one query returns unless told otherwise. */
  public static final int DEFAULT_LIMIT = 1000;

  private FleetQueries() {}

  /**
   * What {@code fleet find} filters on; null fields do not filter.
   *
   * @param ids an lspci {@code -d} selector (vendor, device, class with x digits, prog-if)
   * @param assignable only functions a guest can take now: see {@link #find}
   * @param freeVfs only PFs with at least this many free VFs
   * @param heldBy only functions held by this guest (libvirt domain) or process ({@code comm})
   */
  public record Criteria(
      DeviceSelector.Ids ids,
      boolean assignable,
      Integer numa,
      Integer freeVfs,
      String driver,
      String heldBy,
      String host,
      int limit) {}

  /** One function found, with its host's state. */
  public record Found(
      String host,
      String hostState,
      String bdf,
      String fingerprint,
      Integer vendor,
      Integer device,
      Integer classCode,
      String vendorName,
      String deviceName,
      String driver,
      Integer numaNode,
      Integer iommuGroup,
      String groupStatus,
      String sriovRole,
      Integer totalVfs,
      Integer numVfs,
      Integer freeVfs,
      List<String> heldBy,
      boolean notResponding) {}

  /**
   * Functions matching every criterion, by host then address.
   *
   * <p>{@code assignable}: an endpoint (no bridge, class 06 bridges included) in an IOMMU group
   * that is not mixed (VFIO takes a group only when every endpoint is on a VFIO driver or none:
   * drivers/vfio/group.c), held by nobody, responding, on a host that answers its collector. The
   * fleet does not run the host's readiness check: {@code pcikit check} on the host (or its agent's
   * {@code /v1/check}) has the last word.
   */
  public static List<Found> find(Connection c, Criteria k) throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT d.host, h.state, d.bdf, d.fingerprint, d.vendor, d.device, d.class_code,"
                + " d.vendor_name, d.device_name, d.driver, d.numa_node, d.iommu_group,"
                + " d.group_status, d.sriov_role, d.total_vfs, d.num_vfs, d.free_vfs, d.held_by,"
                + " d.not_responding FROM devices d JOIN hosts h ON h.name = d.host WHERE true");
    List<Object> args = new ArrayList<>();
    DeviceSelector.Ids ids = k.ids();
    if (ids != null) {
      if (ids.vendor() != null) {
        sql.append(" AND d.vendor = ?");
        args.add(ids.vendor());
      }
      if (ids.device() != null) {
        sql.append(" AND d.device = ?");
        args.add(ids.device());
      }
      if (ids.cls() != null && ids.classMask() != 0) {
        if (ids.classMask() == 0xffff) {
          // an equality the expression index devices_class serves
          sql.append(" AND (d.class_code >> 8) = ?");
          args.add(ids.cls());
        } else {
          sql.append(" AND ((d.class_code >> 8) # ?) & ? = 0");
          args.add(ids.cls());
          args.add(ids.classMask());
        }
      }
      if (ids.progIf() != null) {
        sql.append(" AND (d.class_code & 255) = ?");
        args.add(ids.progIf());
      }
    }
    if (k.numa() != null) {
      sql.append(" AND d.numa_node = ?");
      args.add(k.numa());
    }
    if (k.freeVfs() != null) {
      sql.append(" AND d.free_vfs >= ?");
      args.add(k.freeVfs());
    }
    if (k.driver() != null) {
      if (k.driver().equals("none")) {
        sql.append(" AND d.driver IS NULL");
      } else {
        sql.append(" AND d.driver = ?");
        args.add(k.driver());
      }
    }
    if (k.heldBy() != null) {
      sql.append(" AND (d.held_by && ARRAY[?]::text[] OR EXISTS (SELECT 1 FROM unnest(d.held_by)")
          .append(" x WHERE x LIKE ? || '[%'))");
      args.add(k.heldBy());
      args.add(k.heldBy().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_"));
    }
    if (k.host() != null) {
      sql.append(" AND d.host = ?");
      args.add(k.host());
    }
    if (k.assignable()) {
      sql.append(
          " AND NOT d.bridge AND (d.class_code >> 16) <> 6 AND d.iommu_group IS NOT NULL"
              + " AND d.group_status <> 'mixed' AND d.held_by = '{}' AND NOT d.not_responding"
              + " AND h.state = 'answering'");
    }
    sql.append(" ORDER BY d.host, d.bdf LIMIT ?");
    args.add(k.limit() > 0 ? k.limit() : DEFAULT_LIMIT);
    List<Found> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new Found(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  integer(rs, 5),
                  integer(rs, 6),
                  integer(rs, 7),
                  rs.getString(8),
                  rs.getString(9),
                  rs.getString(10),
                  integer(rs, 11),
                  integer(rs, 12),
                  rs.getString(13),
                  rs.getString(14),
                  integer(rs, 15),
                  integer(rs, 16),
                  integer(rs, 17),
                  strings(rs.getArray(18)),
                  rs.getBoolean(19)));
        }
      }
    }
    return out;
  }

  /** One host of the fleet. */
  public record HostRow(
      String name,
      String address,
      String state,
      OffsetDateTime stateSince,
      OffsetDateTime lastSeen,
      long lastSeq,
      String owner,
      OffsetDateTime leaseUntil,
      int functions,
      String lastError) {}

  public static List<HostRow> hosts(Connection c) throws SQLException {
    List<HostRow> out = new ArrayList<>();
    try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT h.name, h.address, h.state, h.state_since, h.last_seen, h.last_seq,"
                    + " h.owner, h.lease_until, (SELECT count(*) FROM devices d WHERE d.host ="
                    + " h.name), h.last_error FROM hosts h ORDER BY h.name");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(
            new HostRow(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getObject(4, OffsetDateTime.class),
                rs.getObject(5, OffsetDateTime.class),
                rs.getLong(6),
                rs.getString(7),
                rs.getObject(8, OffsetDateTime.class),
                rs.getInt(9),
                rs.getString(10)));
      }
    }
    return out;
  }

  /** One history entry: an agent event or a change the collector saw between two documents. */
  public record HistoryRow(
      String host,
      OffsetDateTime at,
      Long seq,
      String source,
      String kind,
      String fingerprint,
      String bdf,
      String details) {}

  /**
   * The history of a host (when {@code subject} names one) or of a function (by fingerprint, on
   * every host), newest first.
   */
  public static List<HistoryRow> history(
      Connection c, String subject, OffsetDateTime since, int limit) throws SQLException {
    boolean host;
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM hosts WHERE name = ?")) {
      ps.setString(1, subject);
      try (ResultSet rs = ps.executeQuery()) {
        host = rs.next();
      }
    }
    String where = host ? "host = ?" : "fingerprint = ?";
    List<HistoryRow> out = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT host, at, seq, source, kind, fingerprint, bdf, details::text FROM history"
                + " WHERE "
                + where
                + " AND at >= ? ORDER BY at DESC, id DESC LIMIT ?")) {
      ps.setString(1, subject);
      ps.setObject(2, since != null ? since : OffsetDateTime.parse("1970-01-01T00:00:00Z"));
      ps.setInt(3, limit > 0 ? limit : DEFAULT_LIMIT);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(3);
          out.add(
              new HistoryRow(
                  rs.getString(1),
                  rs.getObject(2, OffsetDateTime.class),
                  rs.wasNull() ? null : seq,
                  rs.getString(4),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getString(8)));
        }
      }
    }
    if (out.isEmpty() && !host && !fingerprintKnown(c, subject)) {
      throw new FleetException(
          FleetException.Kind.NOT_FOUND, "no host or fingerprint '" + subject + "' in the fleet");
    }
    return out;
  }

  private static boolean fingerprintKnown(Connection c, String fp) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM devices WHERE fingerprint = ? LIMIT 1")) {
      ps.setString(1, fp);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The stored inventory document of one host (pcikit/inventory/v1), for the exports. */
  public static byte[] inventoryDocument(Connection c, String host) throws SQLException {
    StringBuilder sb =
        new StringBuilder("{\"schema\":\"" + InventoryDoc.SCHEMA + "\",\"devices\":[");
    boolean first = true;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT doc::text FROM devices WHERE host = ? ORDER BY bdf")) {
      ps.setString(1, host);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          sb.append(first ? "" : ",").append(rs.getString(1));
          first = false;
        }
      }
    }
    return sb.append("],\"problems\":[]}")
        .toString()
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
  }

  private static Integer integer(ResultSet rs, int i) throws SQLException {
    int v = rs.getInt(i);
    return rs.wasNull() ? null : v;
  }

  private static List<String> strings(Array a) throws SQLException {
    return a == null ? List.of() : Arrays.asList((String[]) a.getArray());
  }
}
