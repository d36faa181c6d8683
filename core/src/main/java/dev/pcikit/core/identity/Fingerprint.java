package dev.pcikit.core.identity;

import dev.pcikit.core.text.Hex;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the hardware and firmware say a PCI function is, independent of its bus number.
 *
 * @param dsn the PCIe Device Serial Number as lspci prints it ({@code 00-11-22-33-44-55-66-77})
 * @param vpdSerial the VPD-R {@code SN} keyword
 * @param slot the physical slot name ({@code bus/pci/slots/NAME/address}) of the function or of the
 *     upstream device that sits in the slot
 * @param locationCode POWER firmware location code ({@code of_node/ibm,loc-code})
 * @param zpci s390x zPCI identity ({@code uid 0x.. fid 0x..})
 * @param path device.function of each hop from the root bus ({@code pci0000:00/1c.0/00.0}); a VF is
 *     its PF's path plus {@code /vfN}. Unique within one host.
 * @param position where the function sits below its strongest anchor: the function number (for
 *     serial), the path below the slot (for slot), so that the functions of one card differ
 */
public record Fingerprint(
    Strength strength,
    Optional<String> dsn,
    Optional<String> vpdSerial,
    Optional<String> slot,
    Optional<String> locationCode,
    Optional<String> zpci,
    String path,
    String position,
    int vendor,
    int device,
    int subsystemVendor,
    int subsystemDevice,
    int classCode,
    int revision) {

  /** Strength from what is present. */
  public static Strength strengthOf(
      Optional<String> dsn,
      Optional<String> vpdSerial,
      Optional<String> slot,
      Optional<String> locationCode,
      Optional<String> zpci) {
    if (dsn.isPresent() || vpdSerial.isPresent()) {
      return Strength.SERIAL;
    }
    if (slot.isPresent() || locationCode.isPresent() || zpci.isPresent()) {
      return Strength.SLOT;
    }
    return Strength.PATH_ONLY;
  }

  /** vendor:device:subvendor:subdevice, lower-case hex. */
  public String ids() {
    return Hex.pad(vendor, 4)
        + ":"
        + Hex.pad(device, 4)
        + ":"
        + Hex.pad(subsystemVendor, 4)
        + ":"
        + Hex.pad(subsystemDevice, 4);
  }

  /**
   * The identity this fingerprint is matched on, strongest anchor first: {@code dsn=…/fn=…}, {@code
   * sn=…/fn=…}, {@code slot=…/pos=…}, {@code loc=…/pos=…}, {@code zpci=…}, or {@code path=…};
   * always with the IDs and class (a revision can change with a firmware update, so it is shown,
   * not matched).
   */
  public String identity() {
    String anchor;
    if (dsn.isPresent()) {
      anchor = "dsn=" + dsn.get() + "/fn=" + position;
    } else if (vpdSerial.isPresent()) {
      anchor = "sn=" + vpdSerial.get() + "/fn=" + position;
    } else if (zpci.isPresent()) {
      anchor = "zpci=" + zpci.get();
    } else if (locationCode.isPresent()) {
      anchor = "loc=" + locationCode.get() + "/pos=" + position;
    } else if (slot.isPresent()) {
      anchor = "slot=" + slot.get() + "/pos=" + position;
    } else {
      anchor = "path=" + path;
    }
    return anchor + " ids=" + ids() + " class=" + Hex.pad(classCode, 6);
  }

  /** A one-line summary for tables: strength, then the anchors present. */
  public String describe() {
    List<String> parts = new ArrayList<>();
    dsn.ifPresent(v -> parts.add("DSN " + v));
    vpdSerial.ifPresent(v -> parts.add("VPD SN " + Vpd.lspciEscape(v)));
    slot.ifPresent(v -> parts.add("slot " + v));
    locationCode.ifPresent(v -> parts.add("loc " + v));
    zpci.ifPresent(v -> parts.add("zPCI " + v));
    parts.add("path " + path);
    return strength.label() + ": " + String.join(", ", parts);
  }

  /**
   * The fields as ordered key/value pairs: the persisted-bindings file and the JSON use these keys.
   */
  public Map<String, String> fields() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("strength", strength.label().replace(' ', '-'));
    dsn.ifPresent(v -> m.put("dsn", v));
    vpdSerial.ifPresent(v -> m.put("vpd-sn", v));
    slot.ifPresent(v -> m.put("slot", v));
    locationCode.ifPresent(v -> m.put("loc", v));
    zpci.ifPresent(v -> m.put("zpci", v));
    m.put("path", path);
    m.put("pos", position);
    m.put("ids", ids());
    m.put("class", Hex.pad(classCode, 6));
    m.put("rev", Hex.pad(revision, 2));
    return m;
  }

  /** The inverse of {@link #fields()}; throws IllegalArgumentException naming what is wrong. */
  public static Fingerprint fromFields(Map<String, String> m) {
    String path = require(m, "path");
    String ids = require(m, "ids");
    String[] id = ids.split(":");
    if (id.length != 4) {
      throw new IllegalArgumentException("ids must be VENDOR:DEVICE:SUBVENDOR:SUBDEVICE: " + ids);
    }
    Optional<String> dsn = Optional.ofNullable(m.get("dsn"));
    Optional<String> sn = Optional.ofNullable(m.get("vpd-sn"));
    Optional<String> slot = Optional.ofNullable(m.get("slot"));
    Optional<String> loc = Optional.ofNullable(m.get("loc"));
    Optional<String> zpci = Optional.ofNullable(m.get("zpci"));
    return new Fingerprint(
        strengthOf(dsn, sn, slot, loc, zpci),
        dsn,
        sn,
        slot,
        loc,
        zpci,
        path,
        m.getOrDefault("pos", ""),
        hex(id[0], 0xffff),
        hex(id[1], 0xffff),
        hex(id[2], 0xffff),
        hex(id[3], 0xffff),
        hex(require(m, "class"), 0xffffff),
        hex(m.getOrDefault("rev", "0"), 0xff));
  }

  private static String require(Map<String, String> m, String key) {
    String v = m.get(key);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("fingerprint lacks '" + key + "'");
    }
    return v;
  }

  private static int hex(String s, int max) {
    int v;
    try {
      v = Integer.parseInt(s, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a hex number: " + s);
    }
    if (v < 0 || v > max) {
      throw new IllegalArgumentException("out of range: " + s);
    }
    return v;
  }
}
