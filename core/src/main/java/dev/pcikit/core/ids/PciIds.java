package dev.pcikit.core.ids;

import dev.pcikit.core.io.InputFiles;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * Names from a pci.ids file, looked up the way pciutils' lib/names.c does: subsystem names fall
 * back to the device's own name when subsystem == device; class names fall back from subclass to
 * class.
 */
public final class PciIds {
  /** Where distributions put pci.ids (hwdata on Fedora/Debian ≥ 13, misc on Debian 12). */
  public static final List<String> STANDARD_LOCATIONS =
      List.of(
          "/usr/share/hwdata/pci.ids",
          "/usr/share/hwdata/pci.ids.gz",
          "/usr/share/misc/pci.ids",
          "/usr/share/misc/pci.ids.gz",
          "/usr/share/pci.ids",
          "/usr/share/pci.ids.gz",
          "/usr/local/share/pci.ids");

  private static final PciIds EMPTY = new PciIds();

  private final Map<Integer, String> vendors = new HashMap<>();
  private final Map<Integer, String> devices = new HashMap<>();
  private final Map<Long, String> subsystems = new HashMap<>();
  private final Map<Integer, String> classes = new HashMap<>();
  private final Map<Integer, String> subclasses = new HashMap<>();
  private final Map<Integer, String> progIfs = new HashMap<>();

  private PciIds() {}

  public static PciIds empty() {
    return EMPTY;
  }

  /** Loads a pci.ids file (gzip when it ends in .gz); all vendors. */
  public static PciIds load(Path file) throws IOException {
    return load(file, null);
  }

  /**
   * Loads a pci.ids file keeping only the given vendors' entries (null: all). Listing a host needs
   * a few dozen of the ~2,500 vendors; skipping the rest keeps start-up short.
   */
  public static PciIds load(Path file, Set<Integer> wantedVendors) throws IOException {
    byte[] data = InputFiles.read(file, MAX_BYTES, "pci.ids file");
    if (file.getFileName().toString().endsWith(".gz")) {
      // bounded after decompression too: a few KiB of gzip can expand to gigabytes
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
        data = InputFiles.readAtMost(in, MAX_BYTES, file, "pci.ids file");
      }
    }
    return parse(data, wantedVendors);
  }

  /** pci.ids is about 1.5 MiB today; 32 MiB leaves room for decades of growth. */
  public static final int MAX_BYTES = 32 * InputFiles.MIB;

  static PciIds parse(byte[] data, Set<Integer> wantedVendors) {
    PciIds ids = new PciIds();
    int n = data.length;
    int pos = 0;
    int vendor = -1; // current vendor, or -1 when skipping/in classes
    int device = -1;
    int cls = -1;
    int subclass = -1;
    boolean inClasses = false;
    while (pos < n) {
      int end = pos;
      while (end < n && data[end] != '\n') {
        end++;
      }
      int lineEnd = end;
      if (lineEnd > pos && data[lineEnd - 1] == '\r') {
        lineEnd--;
      }
      int tabs = 0;
      while (pos + tabs < lineEnd && data[pos + tabs] == '\t') {
        tabs++;
      }
      int s = pos + tabs;
      if (s < lineEnd && data[s] != '#') {
        if (tabs == 0) {
          if (data[s] == 'C' && s + 1 < lineEnd && data[s + 1] == ' ') {
            inClasses = true;
            vendor = -1;
            cls = hex(data, s + 2, 2, lineEnd);
            if (cls >= 0) {
              ids.classes.put(cls, name(data, s + 4, lineEnd));
            }
          } else if (isHex(data, s, 4, lineEnd)) {
            inClasses = false;
            int v = hex(data, s, 4, lineEnd);
            boolean wanted = wantedVendors == null || wantedVendors.contains(v);
            vendor = wanted ? v : -1;
            if (wanted) {
              ids.vendors.put(v, name(data, s + 4, lineEnd));
            }
          } else {
            // another section (e.g. "X" lines) ends the vendor/class context
            vendor = -1;
            inClasses = false;
          }
        } else if (inClasses) {
          if (tabs == 1 && cls >= 0) {
            subclass = hex(data, s, 2, lineEnd);
            if (subclass >= 0) {
              ids.subclasses.put(cls << 8 | subclass, name(data, s + 2, lineEnd));
            }
          } else if (tabs == 2 && cls >= 0 && subclass >= 0) {
            int pi = hex(data, s, 2, lineEnd);
            if (pi >= 0) {
              ids.progIfs.put(cls << 16 | subclass << 8 | pi, name(data, s + 2, lineEnd));
            }
          }
        } else if (vendor >= 0) {
          if (tabs == 1 && isHex(data, s, 4, lineEnd)) {
            device = hex(data, s, 4, lineEnd);
            ids.devices.put(vendor << 16 | device, name(data, s + 4, lineEnd));
          } else if (tabs == 2
              && device >= 0
              && isHex(data, s, 4, lineEnd)
              && isHex(data, s + 5, 4, lineEnd)) {
            int sv = hex(data, s, 4, lineEnd);
            int sd = hex(data, s + 5, 4, lineEnd);
            ids.subsystems.put(subsysKey(vendor, device, sv, sd), name(data, s + 9, lineEnd));
          }
        }
      }
      pos = end + 1;
    }
    return ids;
  }

  private static long subsysKey(int v, int d, int sv, int sd) {
    return ((long) (v << 16 | d) << 32) | ((long) (sv << 16 | sd) & 0xffffffffL);
  }

  private static boolean isHex(byte[] b, int from, int count, int end) {
    return hex(b, from, count, end) >= 0
        && (from + count == end || b[from + count] == ' ' || b[from + count] == '\t');
  }

  private static int hex(byte[] b, int from, int count, int end) {
    if (from + count > end) {
      return -1;
    }
    int v = 0;
    for (int i = from; i < from + count; i++) {
      int c = Character.digit(b[i], 16);
      if (c < 0) {
        return -1;
      }
      v = v << 4 | c;
    }
    return v;
  }

  private static String name(byte[] b, int from, int end) {
    int s = from;
    while (s < end && (b[s] == ' ' || b[s] == '\t')) {
      s++;
    }
    return new String(b, s, end - s, StandardCharsets.UTF_8);
  }

  // ---- lookups (lib/names.c) --------------------------------------------------------------

  public Optional<String> vendor(int vendor) {
    return Optional.ofNullable(vendors.get(vendor));
  }

  public Optional<String> device(int vendor, int device) {
    return Optional.ofNullable(devices.get(vendor << 16 | device));
  }

  /** id_lookup_subsys(): per-device entry, else the device's name when subsystem == device. */
  public Optional<String> subsystem(int vendor, int device, int subVendor, int subDevice) {
    String s = subsystems.get(subsysKey(vendor, device, subVendor, subDevice));
    if (s == null && vendor == subVendor && device == subDevice) {
      s = devices.get(vendor << 16 | device);
    }
    return Optional.ofNullable(s);
  }

  /** Subclass name of a 24-bit class code, else its base class name. */
  public Optional<String> className(int classCode) {
    int cs = classCode >> 8;
    String s = subclasses.get(cs);
    if (s == null) {
      s = classes.get(cs >> 8);
    }
    return Optional.ofNullable(s);
  }

  /** Whether only the base class (not the subclass) is named: lspci then prints the number. */
  public boolean subclassKnown(int classCode) {
    return subclasses.containsKey(classCode >> 8);
  }

  public Optional<String> progIf(int classCode) {
    return Optional.ofNullable(progIfs.get(classCode));
  }

  public int vendorCount() {
    return vendors.size();
  }
}
