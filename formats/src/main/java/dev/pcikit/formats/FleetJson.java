package dev.pcikit.formats;

import dev.pcikit.fleet.FleetQueries;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The fleet's documents ({@code pcikit fleet find|hosts|history -o json}, docs/fleet.md): rows of
 * the fleet database as {@code pcikit/fleet-devices/v1}, {@code pcikit/fleet-hosts/v1} and {@code
 * pcikit/fleet-history/v1}. Times are UTC instants, IDs lowercase hexadecimal, and a value the
 * database does not have is null.
 */
public final class FleetJson {
  private FleetJson() {}

  /**
   * {@code pcikit/fleet-devices/v1}: the functions {@code fleet find} found.
   *
   * @param found the functions, by host then address
   * @return the document
   */
  public static ObjectNode devices(List<FleetQueries.Found> found) {
    ObjectNode doc = Documents.document("pcikit/fleet-devices/v1");
    ArrayNode arr = doc.putArray("devices");
    for (FleetQueries.Found f : found) {
      ObjectNode o = arr.addObject();
      o.put("host", f.host());
      o.put("hostState", f.hostState());
      o.put("bdf", f.bdf());
      o.put("fingerprint", f.fingerprint());
      o.put("vendor", hex(f.vendor(), "%04x"));
      o.put("device", hex(f.device(), "%04x"));
      o.put("class", hex(f.classCode(), "%06x"));
      o.put("vendorName", f.vendorName());
      o.put("deviceName", f.deviceName());
      o.put("driver", f.driver());
      o.put("numaNode", f.numaNode());
      o.put("iommuGroup", f.iommuGroup());
      o.put("groupStatus", f.groupStatus());
      o.put("sriovRole", f.sriovRole());
      o.put("totalVfs", f.totalVfs());
      o.put("numVfs", f.numVfs());
      o.put("freeVfs", f.freeVfs());
      ArrayNode h = o.putArray("heldBy");
      f.heldBy().forEach(h::add);
      o.put("notResponding", f.notResponding());
    }
    return doc;
  }

  /**
   * {@code pcikit/fleet-hosts/v1}: the hosts of the fleet.
   *
   * @param hosts the hosts, by name
   * @return the document
   */
  public static ObjectNode hosts(List<FleetQueries.HostRow> hosts) {
    ObjectNode doc = Documents.document("pcikit/fleet-hosts/v1");
    ArrayNode arr = doc.putArray("hosts");
    for (FleetQueries.HostRow h : hosts) {
      ObjectNode o = arr.addObject();
      o.put("name", h.name());
      o.put("address", h.address());
      o.put("state", h.state());
      o.put("stateSince", instant(h.stateSince()));
      o.put("lastSeen", instant(h.lastSeen()));
      o.put("lastSeq", h.lastSeq());
      o.put("functions", h.functions());
      o.put("collector", h.owner());
      o.put("leaseUntil", instant(h.leaseUntil()));
      o.put("lastError", h.lastError());
    }
    return doc;
  }

  /**
   * {@code pcikit/fleet-history/v1}: what changed on a host or to a function.
   *
   * @param rows the entries, newest first; their details are JSON text
   * @return the document
   */
  public static ObjectNode history(List<FleetQueries.HistoryRow> rows) {
    ObjectNode doc = Documents.document("pcikit/fleet-history/v1");
    ArrayNode arr = doc.putArray("history");
    for (FleetQueries.HistoryRow h : rows) {
      ObjectNode o = arr.addObject();
      o.put("host", h.host());
      o.put("time", instant(h.at()));
      o.put("seq", h.seq());
      o.put("source", h.source());
      o.put("kind", h.kind());
      o.put("fingerprint", h.fingerprint());
      o.put("bdf", h.bdf());
      o.set("details", Documents.json().readTree(h.details()));
    }
    return doc;
  }

  /**
   * A time as the documents write it.
   *
   * @param t a time, or null
   * @return its UTC instant ({@code 2026-12-01T10:00:00.123Z}), or null
   */
  public static String instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant().toString();
  }

  private static String hex(Integer v, String format) {
    return v == null ? null : String.format(Locale.ROOT, format, v);
  }
}
