package dev.pcikit.formats;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.plan.DeviceRequest;
import dev.pcikit.core.plan.GuestSpec;
import dev.pcikit.core.plan.MachineType;
import dev.pcikit.core.plan.Policies;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;
import tools.jackson.dataformat.yaml.YAMLParser;

/**
 * Reads a guest spec (YAML, or JSON, which is YAML too):
 *
 * <pre>
 * name: db1
 * machine: pseries            # pseries | q35 | virt | s390-ccw-virtio
 * emulatedDevices: 2
 * spares: 2                   # default 2
 * policies: {sharePhbs: false, keepMultifunction: true, numa: true,
 *            pcikitBinds: true, extendedConfig: true, wholeGroups: true}
 * devices:
 *   - 0001:01:00.0            # a BDF, IDs (8086:10d3) or group:N
 *   - {select: 0002:01:00.0, phb: 3, slot: 1, driverModel: mlx5_vfio_pci}
 *   - {select: 0003:00:00.0, zpci: {uid: 0x10, fid: 7}}
 * </pre>
 *
 * Unknown keys are refused, so a typo never silently falls back to a default. Every refusal is a
 * {@link PcikitException} with one line naming the source and, where known, the line: {@link
 * Failure#BAD_INPUT} for text that is not a guest spec, {@link Failure#INVALID_ARGUMENT} for a
 * number out of range.
 */
public final class GuestSpecReader {
  /** The largest guest spec read, in characters (1 MiB). */
  public static final int MAX_BYTES = 1024 * 1024;

  private static final Set<String> TOP =
      Set.of("name", "machine", "emulatedDevices", "spares", "policies", "devices");
  private static final Set<String> DEVICE = Set.of("select", "phb", "slot", "zpci", "driverModel");
  private static final Set<String> POLICIES =
      Set.of(
          "sharePhbs", "keepMultifunction", "numa", "pcikitBinds", "extendedConfig", "wholeGroups");

  /**
   * Duplicate keys are an error (YAML 1.2 says keys are unique; Jackson would keep the last value
   * silently), and so is anything after the first document.
   */
  private static final YAMLMapper MAPPER =
      YAMLMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private GuestSpecReader() {}

  /**
   * Refuses anchors and aliases: Jackson's YAML tree reader does not resolve an alias, it reads
   * {@code *name} as the string "name", so a spec that used one would silently mean something else.
   * A spec is a few lines; writing the value twice costs nothing.
   */
  private static void refuseAliases(String text, String source) {
    try (JsonParser p = MAPPER.createParser(text)) {
      while (p.nextToken() != null) {
        YAMLParser y = (YAMLParser) p;
        if (y.isCurrentAlias() || y.getObjectId() != null) {
          throw bad(
              source
                  + " line "
                  + p.currentLocation().getLineNr()
                  + ": YAML anchors and aliases (&name, *name) are not supported; write the"
                  + " value out");
        }
      }
    }
  }

  private static String line(JacksonException e) {
    return e.getLocation() == null || e.getLocation().getLineNr() < 1
        ? ""
        : " (line " + e.getLocation().getLineNr() + ")";
  }

  /**
   * Parses a guest spec.
   *
   * @param text the spec, YAML or JSON, at most {@link #MAX_BYTES} characters
   * @param source what to call it in messages (a file name)
   * @return the spec
   * @throws PcikitException when the text is not a valid guest spec
   */
  public static GuestSpec parse(String text, String source) {
    if (text.length() > MAX_BYTES) {
      throw bad(source + ": a guest spec is limited to 1 MiB");
    }
    JsonNode root;
    try {
      refuseAliases(text, source);
      root = MAPPER.readTree(text);
    } catch (JacksonException e) {
      throw bad(
          source
              + ": not valid YAML/JSON"
              + line(e)
              + ": "
              + dev.pcikit.core.text.SafeText.field(e.getOriginalMessage()));
    }
    if (root == null || !root.isObject()) {
      throw bad(source + ": a guest spec is a mapping with at least 'machine' and 'devices'");
    }
    known(root, TOP, source);
    if (!root.has("machine")) {
      throw bad(source + ": 'machine' is missing (pseries, q35, virt or s390-ccw-virtio)");
    }
    MachineType machine = MachineType.parse(text(root.get("machine"), "machine", source));
    String name =
        root.has("name")
            ? guestName(text(root.get("name"), "name", source), source)
            : "pcikit-guest";
    int emulated =
        root.has("emulatedDevices")
            ? (int) number(root.get("emulatedDevices"), "emulatedDevices", source, 0, 256)
            : 0;
    OptionalInt spares =
        root.has("spares")
            ? OptionalInt.of((int) number(root.get("spares"), "spares", source, 0, 256))
            : OptionalInt.empty();
    Policies pol = policies(root.get("policies"), source);
    List<DeviceRequest> devices = new ArrayList<>();
    JsonNode devs = root.get("devices");
    if (devs != null && !devs.isNull()) {
      if (!devs.isArray()) {
        throw bad(source + ": 'devices' must be a list");
      }
      for (JsonNode d : devs) {
        devices.add(device(d, source));
      }
    }
    return new GuestSpec(name, machine, devices, emulated, spares, pol);
  }

  private static Policies policies(JsonNode n, String source) {
    Policies d = Policies.defaults();
    if (n == null || n.isNull()) {
      return d;
    }
    if (!n.isObject()) {
      throw bad(source + ": 'policies' must be a mapping");
    }
    known(n, POLICIES, source);
    return new Policies(
        flag(n, "sharePhbs", d.sharePhbs(), source),
        flag(n, "keepMultifunction", d.keepMultifunction(), source),
        flag(n, "numa", d.numa(), source),
        flag(n, "pcikitBinds", d.pcikitBinds(), source),
        flag(n, "extendedConfig", d.extendedConfig(), source),
        flag(n, "wholeGroups", d.wholeGroups(), source));
  }

  private static DeviceRequest device(JsonNode d, String source) {
    if (d.isString()) {
      return DeviceRequest.of(d.stringValue());
    }
    if (d.isNumber()) {
      throw bad(source + ": device '" + d + "' was read as a number; quote it");
    }
    if (!d.isObject()) {
      throw bad(source + ": a device is a selector string or a mapping with 'select'");
    }
    known(d, DEVICE, source);
    if (!d.has("select")) {
      throw bad(source + ": a device mapping needs 'select'");
    }
    OptionalInt uid = OptionalInt.empty();
    OptionalLong fid = OptionalLong.empty();
    JsonNode z = d.get("zpci");
    if (z != null) {
      known(z, Set.of("uid", "fid"), source);
      if (z.has("uid")) {
        uid = OptionalInt.of((int) number(z.get("uid"), "zpci uid", source, 0, 0x10000));
      }
      if (z.has("fid")) {
        fid = OptionalLong.of(number(z.get("fid"), "zpci fid", source, 0, 0x1_0000_0000L));
      }
    }
    return new DeviceRequest(
        text(d.get("select"), "select", source),
        d.has("phb")
            ? OptionalInt.of((int) number(d.get("phb"), "phb", source, 0, 256))
            : OptionalInt.empty(),
        d.has("slot")
            ? OptionalInt.of((int) number(d.get("slot"), "slot", source, 0, 256))
            : OptionalInt.empty(),
        uid,
        fid,
        d.has("driverModel")
            ? Optional.of(driverModel(text(d.get("driverModel"), "driverModel", source), source))
            : Optional.empty());
  }

  /**
   * A guest name goes into libvirt XML and file names: control characters (which XML 1.0 cannot
   * hold, not even as character references) and '/' (libvirt's QEMU driver refuses it: the name
   * becomes a file name) are refused, as is an empty or very long name.
   */
  private static String guestName(String n, String source) {
    boolean bad = n.isEmpty() || n.length() > 200 || n.indexOf('/') >= 0;
    for (int i = 0; i < n.length() && !bad; ) {
      int cp = n.codePointAt(i);
      i += Character.charCount(cp);
      bad =
          dev.pcikit.core.text.SafeText.unsafeForTerminal(cp)
              || cp == '\n'
              || cp == '\t'
              || !dev.pcikit.core.text.SafeText.xmlAllowed(cp);
    }
    if (bad) {
      throw bad(
          source
              + ": guest name '"
              + dev.pcikit.core.text.SafeText.field(n)
              + "' is not usable: 1 to 200 characters, no control characters, no '/'");
    }
    return n;
  }

  private static String driverModel(String m, String source) {
    if (!m.matches("[A-Za-z0-9_-]{1,64}")) {
      throw bad(source + ": driverModel '" + m + "' is not a module name");
    }
    return m;
  }

  private static void known(JsonNode n, Set<String> allowed, String source) {
    if (!n.isObject()) {
      throw bad(source + ": expected a mapping, got '" + n + "'");
    }
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      if (!allowed.contains(e.getKey())) {
        throw bad(
            source
                + ": unknown key '"
                + e.getKey()
                + "' (known: "
                + new java.util.TreeSet<>(allowed)
                + ")");
      }
    }
  }

  private static boolean flag(JsonNode n, String key, boolean dflt, String source) {
    JsonNode v = n.get(key);
    if (v == null) {
      return dflt;
    }
    if (!v.isBoolean()) {
      throw bad(source + ": policy '" + key + "' must be true or false");
    }
    return v.booleanValue();
  }

  private static String text(JsonNode n, String what, String source) {
    if (n == null || !(n.isString() || n.isNumber())) {
      throw bad(source + ": '" + what + "' must be a string");
    }
    return n.asString();
  }

  /** Numbers may be YAML ints or strings such as "0x10". */
  private static long number(JsonNode n, String what, String source, long min, long maxExclusive) {
    long v;
    try {
      if (n.isIntegralNumber() && n.canConvertToLong()) {
        v = n.longValue();
      } else if (n.isString()) {
        String s = n.stringValue().strip();
        v =
            s.startsWith("0x") || s.startsWith("0X")
                ? Long.parseLong(s.substring(2), 16)
                : Long.parseLong(s);
      } else {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw bad(source + ": '" + what + "' must be a whole number, got '" + n + "'");
    }
    if (v < min || v >= maxExclusive) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT, source + ": '" + what + "' " + v + " is out of range");
    }
    return v;
  }

  private static PcikitException bad(String msg) {
    return new PcikitException(Failure.BAD_INPUT, msg);
  }
}
