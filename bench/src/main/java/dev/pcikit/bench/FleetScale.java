package dev.pcikit.bench;

import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.fleet.DeviceRow;
import dev.pcikit.fleet.FleetDatabase;
import dev.pcikit.fleet.FleetQueries;
import dev.pcikit.fleet.InventoryDoc;
import dev.pcikit.fleet.Loader;
import dev.pcikit.fleet.LocalPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fleet at scale (docs/benchmarks-fleet.md, bench/scripts/fleet-scale.sh): HOSTS simulated
 * hosts of nic-farm's size loaded into PostgreSQL through the collector's loader, then `fleet find`
 * latencies (p50/p99 of the query as the CLI runs it) and the plans.
 *
 * <p>Each host is the nic-farm document (4 E810 PFs, 512 VFs) varied with a fixed seed: its PFs are
 * one of four NIC models (E810-C 8086:1592 on one host in ten), and a random share of the VFs is
 * bound to iavf (not free), so the selective question has about a hundred hosts to answer from.
 *
 * <p>Usage: FleetScale DOC.json HOSTS THREADS QUERIES OUTDIR [JDBC-URL]
 */
public final class FleetScale {
  private static final int[][] MODELS = {
    {0x8086, 0x1592, 0x1889},
    {0x8086, 0x159b, 0x1889},
    {0x15b3, 0x1017, 0x1018},
    {0x15b3, 0x101b, 0x101c}
  };

  public static void main(String[] args) throws Exception {
    Path docFile = Path.of(args[0]);
    int hosts = Integer.parseInt(args[1]);
    int threads = Integer.parseInt(args[2]);
    int queries = Integer.parseInt(args[3]);
    Path out = Path.of(args[4]);
    Files.createDirectories(out);
    LocalPostgres pg = null;
    String url;
    if (args.length > 5) {
      url = args[5];
    } else {
      pg = LocalPostgres.start(false);
      url = pg.jdbcUrl();
    }
    try {
      run(docFile, hosts, threads, queries, out, FleetDatabase.at(url));
    } finally {
      if (pg != null) {
        pg.close();
      }
    }
  }

  private static void run(
      Path docFile, int hosts, int threads, int queries, Path out, FleetDatabase db)
      throws Exception {
    JsonMapper json = JsonMapper.builder().build();
    byte[] bytes = Files.readAllBytes(docFile);
    ObjectNode base = (ObjectNode) json.readTree(bytes);
    // one parse of the real document, timed alone
    long p0 = System.nanoTime();
    int parses = 20;
    for (int i = 0; i < parses; i++) {
      InventoryDoc.parse(bytes);
    }
    double parseMs = (System.nanoTime() - p0) / 1e6 / parses;
    try (Connection c = db.connect()) {
      try (Statement st = c.createStatement()) {
        st.execute("TRUNCATE hosts, devices, history");
      }
      for (int h = 0; h < hosts; h++) {
        Loader.ensureHost(c, host(h), "unix:/run/pcikit/" + host(h) + ".sock");
      }
    }
    AtomicLong rowsLoaded = new AtomicLong();
    AtomicLong loadNanos = new AtomicLong();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    long t0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      fs.add(
          pool.submit(
              () -> {
                try (Connection c = db.connectPlain()) {
                  for (int h = first; h < hosts; h += threads) {
                    List<DeviceRow> rows = InventoryDoc.rows(vary(base, h));
                    long s = System.nanoTime();
                    Loader.apply(c, host(h), rows, List.of(), 0);
                    loadNanos.addAndGet(System.nanoTime() - s);
                    rowsLoaded.addAndGet(rows.size());
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    double wall = (System.nanoTime() - t0) / 1e9;
    StringBuilder report = new StringBuilder();
    try (Connection c = db.connect()) {
      try (Statement st = c.createStatement()) {
        st.execute("VACUUM ANALYZE devices");
        st.execute("VACUUM ANALYZE hosts");
      }
      report.append(
          String.format(
              Locale.ROOT,
              "hosts %d, functions %d, threads %d%nparse of one nic-farm document: %.1f ms%n"
                  + "load wall time (documents varied, parsed and stored): %.1f s = %.0f rows/s%n"
                  + "of which in Loader.apply (database): %.1f s summed over threads%n"
                  + "database size: %s%n",
              hosts,
              rowsLoaded.get(),
              threads,
              parseMs,
              wall,
              rowsLoaded.get() / wall,
              loadNanos.get() / 1e9,
              scalar(c, "SELECT pg_size_pretty(pg_database_size(current_database()))")));
      Case[] cases = {
        new Case(
            "selective: -d 8086:1592 --numa 0 --free-vfs 1",
            criteria("8086:1592", false, 0, 1, null)),
        new Case(
            "selective: -d 15b3:1018 --numa 1 --driver none --assignable (free VFs of one VF ID)",
            criteria("15b3:1018", true, 1, null, "none")),
        new Case(
            "broad: --class 0200 --assignable (first 1000)",
            criteria("::0200", true, null, null, null)),
        new Case(
            "broad: -d 8086:1889 --driver none --limit 1000000 (every free E810 VF)",
            new FleetQueries.Criteria(
                (DeviceSelector.Ids) DeviceSelector.ids("8086:1889"),
                false,
                null,
                null,
                "none",
                null,
                null,
                1_000_000)),
      };
      for (Case k : cases) {
        int n = k.criteria.limit() > 1000 ? Math.max(10, queries / 20) : queries;
        long[] ns = new long[n];
        int found = 0;
        for (int i = 0; i < 20; i++) {
          FleetQueries.find(c, k.criteria);
        }
        for (int i = 0; i < n; i++) {
          long s = System.nanoTime();
          found = FleetQueries.find(c, k.criteria).size();
          ns[i] = System.nanoTime() - s;
        }
        Arrays.sort(ns);
        report.append(
            String.format(
                Locale.ROOT,
                "%s: %d rows, p50 %.2f ms, p99 %.2f ms, max %.2f ms (%d runs)%n",
                k.name,
                found,
                ns[n / 2] / 1e6,
                ns[(int) Math.ceil(n * 0.99) - 1] / 1e6,
                ns[n - 1] / 1e6,
                n));
      }
      report.append(serverSide(c, queries));
      Files.writeString(out.resolve("explain.txt"), explain(c));
    }
    Files.writeString(out.resolve("report.txt"), report.toString());
    System.out.print(report);
  }

  private record Case(String name, FleetQueries.Criteria criteria) {}

  private static FleetQueries.Criteria criteria(
      String ids, boolean assignable, Integer numa, Integer freeVfs, String driver) {
    return new FleetQueries.Criteria(
        (DeviceSelector.Ids) DeviceSelector.ids(ids),
        assignable,
        numa,
        freeVfs,
        driver,
        null,
        null,
        FleetQueries.DEFAULT_LIMIT);
  }

  static String host(int h) {
    return String.format(Locale.ROOT, "farm%04d", h);
  }

  /** The nic-farm document as host h has it: its NIC model, some VFs in use. */
  static JsonNode vary(ObjectNode base, int h) {
    Random r = new Random(h);
    int[] model = h % 10 == 0 ? MODELS[0] : MODELS[1 + r.nextInt(3)];
    double busy = r.nextDouble();
    ObjectNode doc = base.deepCopy();
    for (JsonNode n : doc.get("devices")) {
      ObjectNode d = (ObjectNode) n;
      String role = d.path("sriovRole").asString("");
      if (role.equals("PF") || role.equals("VF")) {
        d.put("vendor", String.format(Locale.ROOT, "%04x", model[0]));
        d.put(
            "device", String.format(Locale.ROOT, "%04x", role.equals("PF") ? model[1] : model[2]));
        ObjectNode fp = (ObjectNode) d.get("fingerprint");
        fp.put(
            "ids",
            String.format(
                Locale.ROOT,
                "%04x:%04x:%s",
                model[0],
                role.equals("PF") ? model[1] : model[2],
                fp.get("ids").asString().substring(10)));
        if (role.equals("VF") && r.nextDouble() < busy) {
          d.put("driver", "iavf");
        }
      }
    }
    return doc;
  }

  private static String scalar(Connection c, String sql) throws Exception {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * The selective query's execution time inside PostgreSQL (EXPLAIN ANALYZE's "Execution Time"),
   * p50/p99: what the indexes make it, apart from the client and the machine's scheduling.
   */
  private static String serverSide(Connection c, int runs) throws Exception {
    String sql =
        "EXPLAIN (ANALYZE, FORMAT JSON) SELECT d.host, d.bdf, d.free_vfs FROM devices d JOIN hosts h"
            + " ON h.name = d.host WHERE d.vendor = 32902 AND d.device = 5522 AND d.numa_node = 0"
            + " AND d.free_vfs >= 1 ORDER BY d.host, d.bdf LIMIT 1000";
    double[] ms = new double[runs];
    JsonMapper json = JsonMapper.builder().build();
    for (int i = 0; i < runs; i++) {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery(sql)) {
        rs.next();
        ms[i] = json.readTree(rs.getString(1)).get(0).get("Execution Time").asDouble();
      }
    }
    Arrays.sort(ms);
    return String.format(
        Locale.ROOT,
        "selective, inside PostgreSQL (EXPLAIN ANALYZE execution time): p50 %.2f ms, p99 %.2f ms (%d"
            + " runs)%n",
        ms[runs / 2],
        ms[(int) Math.ceil(runs * 0.99) - 1],
        runs);
  }

  /** EXPLAIN ANALYZE of the selective and a broad query, as `fleet find` sends them. */
  private static String explain(Connection c) throws Exception {
    String[] sqls = {
      "SELECT d.host, d.bdf, d.free_vfs FROM devices d JOIN hosts h ON h.name = d.host WHERE true"
          + " AND d.vendor = 32902 AND d.device = 5522 AND d.numa_node = 0 AND d.free_vfs >= 1"
          + " ORDER BY d.host, d.bdf LIMIT 1000",
      "SELECT d.host, d.bdf FROM devices d JOIN hosts h ON h.name = d.host WHERE true"
          + " AND (d.class_code >> 8) = 512 AND NOT d.bridge AND (d.class_code >> 16) <> 6 AND"
          + " d.iommu_group IS NOT NULL AND d.group_status <> 'mixed' AND d.held_by = '{}' AND NOT"
          + " d.not_responding AND h.state = 'answering' ORDER BY d.host, d.bdf LIMIT 1000"
    };
    StringBuilder sb = new StringBuilder();
    for (String sql : sqls) {
      sb.append("-- ").append(sql).append('\n');
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + sql)) {
        while (rs.next()) {
          sb.append(rs.getString(1)).append('\n');
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }
}
