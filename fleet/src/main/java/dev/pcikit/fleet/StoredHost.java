package dev.pcikit.fleet;

import dev.pcikit.core.check.CheckReport;
import dev.pcikit.core.check.DeviceReport;
import dev.pcikit.core.check.Finding;
import dev.pcikit.core.check.Verdict;
import dev.pcikit.core.inventory.Inventory;
import dev.pcikit.core.inventory.IommuGroup;
import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.inventory.SriovInfo;
import dev.pcikit.core.model.PciAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * A fleet host as core's export builders take it: its {@link Inventory} rebuilt from the stored
 * inventory documents (pcikit/inventory/v1) and its {@link CheckReport} from the stored readiness
 * check (pcikit/check/v1, the agent's {@code GET /v1/check}). So {@code pcikit export FORMAT --db}
 * prints for a fleet host the documents {@code pcikit export FORMAT} prints on it.
 *
 * <p>What the documents do not carry is left out: config space (only its size is stored; a bridge
 * is told by its class), the sysfs path.
 */
public record StoredHost(String name, String state, Inventory inventory, CheckReport check) {

  /** The stored host; NOT_FOUND when unknown, or when no readiness check was stored for it. */
  public static StoredHost load(Connection c, String host) throws SQLException {
    String state;
    String checkDoc;
    try (PreparedStatement ps =
        c.prepareStatement("SELECT state, readiness::text FROM hosts WHERE name = ?")) {
      ps.setString(1, host);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new FleetException(
              FleetException.Kind.NOT_FOUND, "no host " + host + " in the fleet");
        }
        state = rs.getString(1);
        checkDoc = rs.getString(2);
      }
    }
    if (checkDoc == null) {
      throw new FleetException(
          FleetException.Kind.NOT_FOUND,
          "no readiness check stored for " + host + " (its agent has not answered GET /v1/check)");
    }
    List<PciDevice> devices = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement("SELECT doc::text FROM devices WHERE host = ? ORDER BY bdf")) {
      ps.setString(1, host);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          devices.add(device(InventoryDoc.JSON.readTree(rs.getString(1))));
        }
      }
    }
    devices.sort((a, b) -> a.address().compareTo(b.address()));
    Map<Integer, List<PciAddress>> members = new TreeMap<>();
    for (PciDevice d : devices) {
      d.iommuGroup()
          .ifPresent(g -> members.computeIfAbsent(g, k -> new ArrayList<>()).add(d.address()));
    }
    Map<Integer, IommuGroup> groups = new TreeMap<>();
    members.forEach((g, m) -> groups.put(g, new IommuGroup(g, m)));
    Inventory inv = new Inventory(devices, groups, List.of());
    return new StoredHost(host, state, inv, check(InventoryDoc.JSON.readTree(checkDoc)));
  }

  /** One function from its inventory JSON (InventoryJson.device in the CLI). */
  static PciDevice device(JsonNode o) {
    JsonNode sriov = o.get("sriov");
    Optional<SriovInfo> s = Optional.empty();
    if (sriov != null && sriov.isObject()) {
      s =
          Optional.of(
              new SriovInfo(
                  sriov.path("totalVfs").asInt(0),
                  sriov.path("numVfs").asInt(0),
                  sriov.has("driversAutoprobe")
                      ? (sriov.get("driversAutoprobe").asBoolean() ? 1 : 0)
                      : -1,
                  sriov.path("offset").asInt(-1),
                  sriov.path("stride").asInt(-1),
                  hex(o.get("sriov"), "vfDevice")));
    }
    List<PciAddress> virtfns = new ArrayList<>();
    for (JsonNode v : o.path("virtfns")) {
      virtfns.add(PciAddress.parse(v.asString()));
    }
    Optional<List<String>> resets = Optional.empty();
    if (o.has("resetMethods") && o.get("resetMethods").isArray()) {
      List<String> r = new ArrayList<>();
      o.get("resetMethods").forEach(x -> r.add(x.asString()));
      resets = Optional.of(r);
    }
    return new PciDevice(
        PciAddress.parse(o.get("bdf").asString()),
        "",
        hex(o, "vendor"),
        hex(o, "device"),
        hex(o, "subsystemVendor"),
        hex(o, "subsystemDevice"),
        hex(o, "class"),
        hex(o, "revision"),
        text(o, "modalias"),
        text(o, "driver"),
        text(o, "driverModule"),
        text(o, "driverOverride"),
        o.path("numaNode").isNull() || !o.has("numaNode") ? -1 : o.get("numaNode").asInt(),
        o.path("iommuGroup").isIntegralNumber()
            ? Optional.of(o.get("iommuGroup").asInt())
            : Optional.empty(),
        text(o, "physfn").map(PciAddress::parse),
        virtfns,
        s,
        resets,
        o.has("bootVga") ? Optional.of(o.get("bootVga").asBoolean()) : Optional.empty(),
        o.has("enabled") ? Optional.of(o.get("enabled").asBoolean()) : Optional.empty(),
        text(o, "parent").map(PciAddress::parse),
        text(o, "rootBus").orElse(""),
        new byte[0],
        o.path("zpciVfn").asInt(0),
        List.of());
  }

  /** The readiness check from its pcikit/check/v1 document. */
  static CheckReport check(JsonNode doc) {
    if (!"pcikit/check/v1".equals(doc.path("schema").asString(""))) {
      throw new FleetException(
          FleetException.Kind.INVALID_INPUT, "stored check is not pcikit/check/v1");
    }
    List<Finding> host = findings(doc.path("host"));
    List<DeviceReport> devices = new ArrayList<>();
    for (JsonNode d : doc.path("devices")) {
      List<PciAddress> peers = new ArrayList<>();
      d.path("groupPeers").forEach(p -> peers.add(PciAddress.parse(p.asString())));
      devices.add(
          new DeviceReport(
              PciAddress.parse(d.get("bdf").asString()),
              findings(d.path("findings")),
              d.path("iommuGroup").isIntegralNumber() ? d.get("iommuGroup").asInt() : null,
              peers));
    }
    return new CheckReport(host, devices);
  }

  private static List<Finding> findings(JsonNode arr) {
    List<Finding> out = new ArrayList<>();
    for (JsonNode f : arr) {
      out.add(
          new Finding(
              f.path("code").asString(""),
              Verdict.valueOf(f.path("verdict").asString("ok").toUpperCase(Locale.ROOT)),
              f.path("subject").asString(""),
              f.path("message").asString(""),
              f.path("fix").isNull() ? null : f.path("fix").asString(null)));
    }
    return out;
  }

  private static Optional<String> text(JsonNode o, String field) {
    return Optional.ofNullable(InventoryDoc.text(o, field));
  }

  private static int hex(JsonNode o, String field) {
    String s = InventoryDoc.text(o, field);
    return s == null ? -1 : Integer.parseInt(s, 16);
  }
}
