package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;

/**
 * lspci-style device selectors:
 *
 * <ul>
 *   <li>{@code -s [[[[domain]:]bus]:][slot][.[func]]}: omitted or {@code *} parts match anything
 *       ({@code 01:00} is every function of slot 0 on bus 1, {@code 0000:03:00.1} one function);
 *   <li>{@code -d [vendor]:[device][:class]}: hex IDs, omitted or {@code *} match anything.
 * </ul>
 *
 * A bare argument is an ID selector when one of its parts has more than two hex digits ({@code
 * 8086:1521}), otherwise a slot selector; use -s / -d to say which.
 */
public sealed interface DeviceSelector {

  boolean matches(PciAddress a, int vendor, int device, int classCode);

  String text();

  /** Parses a bare DEV argument. */
  static DeviceSelector parse(String arg) {
    String s = arg.strip();
    if (!s.contains(".")) {
      String[] p = s.split(":", -1);
      for (String x : p) {
        if (x.length() > 2 && !x.equals("*")) {
          return ids(s);
        }
      }
    }
    return slot(s);
  }

  static DeviceSelector slot(String s) {
    String rest = s;
    Integer func = null;
    int dot = rest.indexOf('.');
    if (dot >= 0) {
      func = field(rest.substring(dot + 1), 7, s);
      rest = rest.substring(0, dot);
    }
    String[] parts = rest.isEmpty() ? new String[0] : rest.split(":", -1);
    if (parts.length > 3) {
      throw new IllegalArgumentException("not a slot selector: '" + s + "'");
    }
    Integer slot = parts.length >= 1 ? field(parts[parts.length - 1], 0x1f, s) : null;
    Integer bus = parts.length >= 2 ? field(parts[parts.length - 2], 0xff, s) : null;
    Integer domain = parts.length == 3 ? field(parts[0], Integer.MAX_VALUE, s) : null;
    return new Slot(s, domain, bus, slot, func);
  }

  static DeviceSelector ids(String s) {
    String[] p = s.split(":", -1);
    if (p.length < 2 || p.length > 3) {
      throw new IllegalArgumentException("not a vendor:device selector: '" + s + "'");
    }
    return new Ids(
        s,
        field(p[0], 0xffff, s),
        field(p[1], 0xffff, s),
        p.length == 3 ? field(p[2], 0xffffff, s) : null);
  }

  private static Integer field(String f, int max, String whole) {
    if (f.isEmpty() || f.equals("*")) {
      return null;
    }
    try {
      long v = Long.parseLong(f, 16);
      if (v > max) {
        throw new IllegalArgumentException(
            "'" + f + "' is out of range in selector '" + whole + "'");
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + f + "' is not hex in selector '" + whole + "'");
    }
  }

  /** A -s selector. */
  record Slot(String text, Integer domain, Integer bus, Integer slot, Integer func)
      implements DeviceSelector {
    @Override
    public boolean matches(PciAddress a, int vendor, int device, int classCode) {
      return (domain == null || domain == a.domain())
          && (bus == null || bus == a.bus())
          && (slot == null || slot == a.device())
          && (func == null || func == a.function());
    }
  }

  /** A -d selector; the class matches the full class code or its class/subclass part. */
  record Ids(String text, Integer vendor, Integer device, Integer cls) implements DeviceSelector {
    @Override
    public boolean matches(PciAddress a, int v, int d, int classCode) {
      return (vendor == null || vendor == v)
          && (device == null || device == d)
          && (cls == null || cls == classCode || cls == classCode >> 8);
    }
  }
}
