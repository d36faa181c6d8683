package dev.pcikit.core.model;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.util.Optional;

/**
 * The one device selector of pcikit, with lspci's grammar and strictness (pciutils lib/filter.c,
 * v3.8+, {@code pci_filter_parse_slot} / {@code pci_filter_parse_id}):
 *
 * <ul>
 *   <li>{@code -s [[[[domain]:]bus]:][slot][.[func]]}: an empty or {@code *} part matches anything
 *       ({@code 01:00} is every function of slot 0 on bus 1 in any domain, {@code 0000:03:00.1} one
 *       function);
 *   <li>{@code -d [vendor]:[device][:class[:progif]]}: hex IDs; the class may have {@code x} digits
 *       matching anything ({@code ::02xx}).
 * </ul>
 *
 * Like lspci, a field is ASCII hex digits only (no sign, no {@code 0x}, no blanks, no other
 * scripts' digits), bounded (domain 0x7fffffff, bus 0xff, slot 0x1f, function 7, IDs 0xffff,
 * prog-if 0xff), an expression has at most 63 characters, and anything else is a usage error (exit
 * 2) naming the field.
 */
public sealed interface DeviceSelector {
  /** lspci's BUF_SIZE - 1: longer expressions are rejected ("Expression too long"). */
  int MAX_LENGTH = 63;

  /** The selector as typed. */
  String text();

  boolean matches(PciAddress a, int vendor, int device, int classCode);

  /** The one address this selector names, when it gives every field (domain included). */
  Optional<PciAddress> exactAddress();

  /** Whether no field is given: the selector matches every device. */
  boolean matchesEverything();

  /**
   * Whether it names devices narrowly enough for a write command: a slot with its bus (one
   * function, or every function of one slot), or one device model (vendor and device given).
   */
  boolean namesDevices();

  /**
   * Parses a bare DEV argument: an ID selector when it has exactly one ':', no '.', and a part of
   * more than two characters ({@code 8086:1521}); otherwise a slot selector. -s / -d say which.
   */
  static DeviceSelector parse(String arg) {
    String s = bounded(arg);
    int colons = (int) s.chars().filter(c -> c == ':').count();
    if (colons == 1 && s.indexOf('.') < 0) {
      for (String part : s.split(":", -1)) {
        if (part.length() > 2 && !part.equals("*")) {
          return ids(s);
        }
      }
    }
    return slot(s);
  }

  /** The selector naming exactly this address. */
  static DeviceSelector of(PciAddress a) {
    return new Slot(a.toString(), a.domain(), a.bus(), a.device(), a.function());
  }

  /** An lspci -s selector. */
  static Slot slot(String text) {
    try {
      return parseSlot(text);
    } catch (PcikitException e) {
      throw relabel(e, "-s");
    }
  }

  /** An lspci -d selector. */
  static Ids ids(String text) {
    try {
      return parseIds(text);
    } catch (PcikitException e) {
      throw relabel(e, "-d");
    }
  }

  private static PcikitException relabel(PcikitException e, String opt) {
    return new PcikitException(
        Failure.INVALID_ARGUMENT,
        e.getMessage().replaceFirst("^invalid selector", "invalid " + opt + " selector"));
  }

  private static Slot parseSlot(String text) {
    String s = bounded(text);
    String[] f = fields(s, ':', 3, text);
    int i = 0;
    Integer domain = null;
    Integer bus = null;
    if (f.length == 3) {
      domain = field(f[0], 0x7fffffff, text, "domain number");
      i++;
    }
    if (f.length > i + 1) {
      bus = field(f[i], 0xff, text, "bus number");
      i++;
    }
    Integer slot = null;
    Integer func = null;
    if (defined(f[i])) {
      String[] sf = fields(f[i], '.', 2, text);
      slot = field(sf[0], 0x1f, text, "slot number");
      func = sf.length > 1 ? field(sf[1], 7, text, "function number") : null;
    }
    return new Slot(text, domain, bus, slot, func);
  }

  private static Ids parseIds(String text) {
    String s = bounded(text);
    String[] f = fields(s, ':', 4, text);
    if (f.length < 2) {
      throw invalid(text, "at least two fields must be given ([vendor]:[device])");
    }
    Integer vendor = field(f[0], 0xffff, text, "vendor ID");
    Integer device = field(f[1], 0xffff, text, "device ID");
    Integer cls = null;
    int mask = 0;
    if (f.length > 2 && defined(f[2])) {
      int[] vm = classField(f[2], text);
      cls = vm[0];
      mask = vm[1];
    }
    Integer progIf = f.length > 3 ? field(f[3], 0xff, text, "programming interface code") : null;
    return new Ids(text, vendor, device, cls, mask, progIf);
  }

  private static String bounded(String text) {
    if (text == null) {
      throw invalid("", "empty");
    }
    if (text.length() > MAX_LENGTH) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "invalid selector '"
              + text.substring(0, 20)
              + "…': expression too long ("
              + text.length()
              + " characters, at most "
              + MAX_LENGTH
              + ")");
    }
    return text;
  }

  /** pciutils split_to_fields: at most {@code max} fields, else "Too many fields". */
  private static String[] fields(String s, char sep, int max, String whole) {
    String[] f = s.split(java.util.regex.Pattern.quote(String.valueOf(sep)), -1);
    if (f.length > max) {
      throw invalid(whole, "too many '" + sep + "'-separated fields (at most " + max + ")");
    }
    return f;
  }

  private static boolean defined(String f) {
    return !f.isEmpty() && !f.equals("*");
  }

  /** pciutils parse_hex_field: ASCII hex digits only, bounded as they are read. */
  private static Integer field(String f, int max, String whole, String what) {
    if (!defined(f)) {
      return null;
    }
    long v = 0;
    for (int k = 0; k < f.length(); k++) {
      int d = asciiHex(f.charAt(k));
      if (d < 0) {
        throw invalid(whole, "invalid " + what + " '" + f + "' (hexadecimal digits 0-9 a-f)");
      }
      v = v << 4 | d;
      if (v > max) {
        throw invalid(
            whole,
            "invalid " + what + " '" + f + "' (at most " + Integer.toHexString(max) + " hex)");
      }
    }
    return (int) v;
  }

  /** A class field: hex digits or {@code x} (any digit); returns {value, mask}. */
  private static int[] classField(String f, String whole) {
    long value = 0;
    long bound = 0;
    long mask = 0;
    for (int k = 0; k < f.length(); k++) {
      char c = f.charAt(k);
      if (c == 'x' || c == 'X') {
        value <<= 4;
        bound = bound << 4 | 1;
        mask <<= 4;
      } else {
        int d = asciiHex(c);
        if (d < 0) {
          throw invalid(whole, "invalid class code '" + f + "' (hex digits or x)");
        }
        value = value << 4 | d;
        bound = bound << 4 | d;
        mask = mask << 4 | 0xf;
      }
      if (bound > 0xffff) {
        throw invalid(whole, "invalid class code '" + f + "' (at most ffff)");
      }
    }
    // Fewer than four digits: lspci compares the value against the whole 16-bit class with the
    // mask's upper bits set (~0U << 4n), so "2" is class 0x0002, not 0x02xx.
    long full = (~0L << (4 * f.length())) | mask;
    return new int[] {(int) value, (int) (full & 0xffff)};
  }

  private static int asciiHex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static PcikitException invalid(String text, String why) {
    return new PcikitException(Failure.INVALID_ARGUMENT, "invalid selector '" + text + "': " + why);
  }

  /** A -s selector; null fields match anything. */
  record Slot(String text, Integer domain, Integer bus, Integer slot, Integer func)
      implements DeviceSelector {
    @Override
    public boolean matches(PciAddress a, int vendor, int device, int classCode) {
      return (domain == null || domain == a.domain())
          && (bus == null || bus == a.bus())
          && (slot == null || slot == a.device())
          && (func == null || func == a.function());
    }

    @Override
    public Optional<PciAddress> exactAddress() {
      return domain != null && bus != null && slot != null && func != null
          ? Optional.of(new PciAddress(domain, bus, slot, func))
          : Optional.empty();
    }

    @Override
    public boolean matchesEverything() {
      return domain == null && bus == null && slot == null && func == null;
    }

    @Override
    public boolean namesDevices() {
      return bus != null && slot != null;
    }
  }

  /**
   * A -d selector; null fields match anything. The class is the 16-bit class/subclass, compared
   * under {@code classMask} (x digits), the prog-if the low byte of the class code.
   */
  record Ids(
      String text, Integer vendor, Integer device, Integer cls, int classMask, Integer progIf)
      implements DeviceSelector {
    @Override
    public boolean matches(PciAddress a, int v, int d, int classCode) {
      return (vendor == null || vendor == v)
          && (device == null || device == d)
          && (cls == null || ((cls ^ (classCode >> 8)) & classMask) == 0)
          && (progIf == null || progIf == (classCode & 0xff));
    }

    @Override
    public Optional<PciAddress> exactAddress() {
      return Optional.empty();
    }

    @Override
    public boolean matchesEverything() {
      return vendor == null && device == null && (cls == null || classMask == 0) && progIf == null;
    }

    @Override
    public boolean namesDevices() {
      return vendor != null && device != null;
    }
  }
}
