package dev.pcikit.core.inventory;

import dev.pcikit.core.model.PciAddress;
import java.util.function.Predicate;

/**
 * lspci's device filters: {@code -s [[[[domain]:]bus]:][slot][.[func]]} and {@code -d
 * [vendor]:[device][:class[:progif]]}, each part omitted or '*' meaning any (pciutils
 * lib/filter.c).
 */
public final class DeviceFilter {
  private DeviceFilter() {}

  public static Predicate<PciDevice> slot(String spec) {
    String s = spec.strip();
    int domain = -1;
    int bus = -1;
    int slot = -1;
    int func = -1;
    String rest = s;
    int lastColon = s.lastIndexOf(':');
    if (lastColon >= 0) {
      String before = s.substring(0, lastColon);
      rest = s.substring(lastColon + 1);
      int firstColon = before.lastIndexOf(':');
      if (firstColon >= 0) {
        domain = field(before.substring(0, firstColon), 0x7fffffff, spec, "domain");
        bus = field(before.substring(firstColon + 1), 0xff, spec, "bus");
      } else {
        bus = field(before, 0xff, spec, "bus");
      }
    }
    int dot = rest.indexOf('.');
    if (dot >= 0) {
      slot = field(rest.substring(0, dot), 0x1f, spec, "slot");
      func = field(rest.substring(dot + 1), 7, spec, "function");
    } else {
      slot = field(rest, 0x1f, spec, "slot");
    }
    final int fd = domain;
    final int fb = bus;
    final int fs = slot;
    final int ff = func;
    return d -> {
      PciAddress a = d.address();
      return (fd < 0 || a.domain() == fd)
          && (fb < 0 || a.bus() == fb)
          && (fs < 0 || a.device() == fs)
          && (ff < 0 || a.function() == ff);
    };
  }

  public static Predicate<PciDevice> ids(String spec) {
    String[] parts = spec.strip().split(":", -1);
    if (parts.length < 2 || parts.length > 4) {
      throw new IllegalArgumentException(
          "invalid -d filter '" + spec + "': expected [vendor]:[device][:class[:progif]]");
    }
    int vendor = field(parts[0], 0xffff, spec, "vendor");
    int device = field(parts[1], 0xffff, spec, "device");
    int cls = parts.length > 2 ? field(parts[2], 0xffff, spec, "class") : -1;
    int progIf = parts.length > 3 ? field(parts[3], 0xff, spec, "prog-if") : -1;
    return d ->
        (vendor < 0 || d.vendor() == vendor)
            && (device < 0 || d.device() == device)
            && (cls < 0 || (d.classCode() >> 8) == cls)
            && (progIf < 0 || (d.classCode() & 0xff) == progIf);
  }

  private static int field(String text, int max, String spec, String what) {
    String t = text.strip();
    if (t.isEmpty() || t.equals("*")) {
      return -1;
    }
    try {
      long v = Long.parseLong(t, 16);
      if (v > max) {
        throw new IllegalArgumentException(
            "invalid filter '" + spec + "': " + what + " " + t + " out of range");
      }
      return (int) v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "invalid filter '" + spec + "': " + what + " '" + t + "' is not hexadecimal");
    }
  }
}
