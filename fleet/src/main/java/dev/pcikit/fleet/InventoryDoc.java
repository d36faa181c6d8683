package dev.pcikit.fleet;

import dev.pcikit.core.inventory.PciDevice;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a pcikit/inventory/v1 document (what {@code pcikit list -o json} prints and the agent
 * serves at {@code GET /v1/devices}) into the rows the fleet stores.
 */
public final class InventoryDoc {
  public static final String SCHEMA = "pcikit/inventory/v1";

  /** Largest document accepted: nic-farm's 521 functions are about 0.6 MB. */
  public static final int MAX_BYTES = 64 << 20;

  /** Most functions in one host's document (PCI allows 256 buses x 32 slots x 8 functions). */
  public static final int MAX_DEVICES = 65_536;

  static final ObjectMapper JSON = JsonMapper.builder().build();

  private InventoryDoc() {}

  /** Parses a document; a malformed one is one {@link FleetException} line, nothing stored. */
  public static List<DeviceRow> parse(byte[] json) {
    if (json.length > MAX_BYTES) {
      throw invalid("inventory document larger than " + (MAX_BYTES >> 20) + " MB");
    }
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JacksonException e) {
      throw invalid("inventory document is not JSON: " + e.getOriginalMessage());
    }
    return rows(root);
  }

  /** The rows of a parsed document. */
  public static List<DeviceRow> rows(JsonNode root) {
    if (root == null || !root.isObject() || !SCHEMA.equals(root.path("schema").asString(""))) {
      throw invalid("not a " + SCHEMA + " document");
    }
    JsonNode devices = root.get("devices");
    if (devices == null || !devices.isArray()) {
      throw invalid("inventory document has no \"devices\" array");
    }
    if (devices.size() > MAX_DEVICES) {
      throw invalid("inventory document lists more than " + MAX_DEVICES + " functions");
    }
    Map<String, String> fingerprintOf = new HashMap<>();
    java.util.Set<String> keys = new java.util.HashSet<>();
    Map<String, JsonNode> byBdf = new LinkedHashMap<>();
    Map<Integer, List<JsonNode>> groups = new HashMap<>();
    for (JsonNode d : devices) {
      String bdf = text(d, "bdf");
      if (bdf == null || bdf.length() > 32 || byBdf.containsKey(bdf)) {
        throw invalid("inventory document has a function with a missing or repeated bdf");
      }
      byBdf.put(bdf, d);
      String fp = identity(d.get("fingerprint"), bdf);
      if (!keys.add(fp)) {
        fp = fp + " #" + bdf; // two functions the firmware cannot tell apart: keep both
        keys.add(fp);
      }
      fingerprintOf.put(bdf, fp);
      Integer g = integer(d, "iommuGroup");
      if (g != null) {
        groups.computeIfAbsent(g, k -> new ArrayList<>()).add(d);
      }
    }
    Map<Integer, String> groupStatus = new HashMap<>();
    groups.forEach((g, members) -> groupStatus.put(g, groupStatus(members)));
    Map<String, Integer> freeVfs = new HashMap<>();
    for (JsonNode d : devices) {
      String pf = text(d, "physfn");
      if (pf != null) {
        freeVfs.merge(pf, freeVf(d) ? 1 : 0, Integer::sum);
      }
    }
    List<DeviceRow> out = new ArrayList<>(devices.size());
    for (JsonNode d : devices) {
      String bdf = text(d, "bdf");
      Integer cls = hex(d, "class");
      Integer g = integer(d, "iommuGroup");
      JsonNode sriov = d.get("sriov");
      boolean pf = sriov != null && sriov.isObject();
      String physfn = text(d, "physfn");
      String docText = JSON.writeValueAsString(d);
      out.add(
          new DeviceRow(
              fingerprintOf.get(bdf),
              bdf,
              hex(d, "vendor"),
              hex(d, "device"),
              hex(d, "subsystemVendor"),
              hex(d, "subsystemDevice"),
              cls,
              text(d, "vendorName"),
              text(d, "deviceName"),
              text(d, "driver"),
              integer(d, "numaNode"),
              g,
              g == null ? null : groupStatus.get(g),
              isBridge(cls),
              text(d, "sriovRole"),
              physfn == null ? null : fingerprintOf.get(physfn),
              pf ? integer(sriov, "totalVfs") : null,
              pf ? integer(sriov, "numVfs") : null,
              pf ? freeVfs.getOrDefault(bdf, 0) : null,
              holders(d.get("heldBy")),
              d.path("notResponding").asBoolean(false),
              docText,
              sha256(docText)));
    }
    return out;
  }

  /**
   * The fingerprint's identity string, as core's {@code Fingerprint.identity()} builds it: the
   * strongest anchor ({@code dsn=…/fn=…}, {@code sn=…/fn=…}, {@code zpci=…}, {@code loc=…/pos=…},
   * {@code slot=…/pos=…}, else {@code path=…}), then the IDs and class. The agent's events carry
   * the same string. A function whose fingerprint could not be read is keyed by its address.
   */
  static String identity(JsonNode fp, String bdf) {
    if (fp == null || !fp.isObject() || text(fp, "path") == null) {
      return "bdf=" + bdf;
    }
    String position = text(fp, "position");
    String anchor;
    if (text(fp, "dsn") != null) {
      anchor = "dsn=" + text(fp, "dsn") + "/fn=" + position;
    } else if (text(fp, "vpdSerial") != null) {
      anchor = "sn=" + text(fp, "vpdSerial") + "/fn=" + position;
    } else if (text(fp, "zpci") != null) {
      anchor = "zpci=" + text(fp, "zpci");
    } else if (text(fp, "locationCode") != null) {
      anchor = "loc=" + text(fp, "locationCode") + "/pos=" + position;
    } else if (text(fp, "slot") != null) {
      anchor = "slot=" + text(fp, "slot") + "/pos=" + position;
    } else {
      anchor = "path=" + text(fp, "path");
    }
    return anchor + " ids=" + text(fp, "ids") + " class=" + text(fp, "class");
  }

  /** As core's GroupStatus: bridges don't count; vfio-viable, host or mixed. */
  private static String groupStatus(List<JsonNode> members) {
    int vfio = 0;
    int blockers = 0;
    for (JsonNode d : members) {
      if (isBridge(hex(d, "class"))) {
        continue;
      }
      String driver = text(d, "driver");
      if (driver != null && PciDevice.isVfioDriver(driver)) {
        vfio++;
      } else if (driver != null) {
        blockers++;
      }
    }
    if (blockers == 0 && vfio > 0) {
      return "vfio-viable";
    }
    return vfio == 0 ? "host" : "mixed";
  }

  /** A VF a guest can take now: on no driver or on VFIO, held by nobody, responding. */
  private static boolean freeVf(JsonNode d) {
    String driver = text(d, "driver");
    JsonNode held = d.get("heldBy");
    return (driver == null || PciDevice.isVfioDriver(driver))
        && (held == null || held.isEmpty())
        && !d.path("notResponding").asBoolean(false);
  }

  private static boolean isBridge(Integer cls) {
    if (cls == null) {
      return false;
    }
    int baseSub = cls >> 8;
    return baseSub == 0x0604 || baseSub == 0x0609;
  }

  /** Who holds the function: the libvirt domain's name, else {@code comm[pid]}. */
  private static List<String> holders(JsonNode held) {
    if (held == null || !held.isArray()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode h : held) {
      String domain = text(h, "domain");
      if (domain != null) {
        out.add(domain);
      } else {
        Integer pid = integer(h, "pid");
        out.add(text(h, "comm") + (pid == null ? "" : "[" + pid + "]"));
      }
    }
    return List.copyOf(out);
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  private static Integer integer(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      throw invalid("field " + field + " is not an integer");
    }
    return v.asInt();
  }

  private static Integer hex(JsonNode n, String field) {
    String s = text(n, field);
    if (s == null) {
      return null;
    }
    if (s.isEmpty() || s.length() > 6 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
      throw invalid("field " + field + " is not hexadecimal: " + s);
    }
    return Integer.parseInt(s, 16);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static FleetException invalid(String message) {
    return new FleetException(FleetException.Kind.INVALID_INPUT, message);
  }
}
