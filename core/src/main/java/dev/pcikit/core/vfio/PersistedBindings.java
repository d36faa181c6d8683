package dev.pcikit.core.vfio;

import dev.pcikit.core.identity.Fingerprint;
import dev.pcikit.core.model.PciAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Bindings to re-apply at every boot ({@code ETC/pcikit/vfio-bindings.conf}), written by {@code
 * vfio bind --persist}, removed by {@code vfio release}, applied by {@code vfio apply-persisted}
 * (dist/pcikit-bind.service). One device per line, '#' comments:
 *
 * <pre>
 * # BDF        VENDOR:DEVICE DRIVER   FINGERPRINT (key=value…)
 * 0000:01:00.0 10de:1b80     vfio-pci strength=serial dsn=00-11-… path=pci0000:00/01.0/00.0 …
 * </pre>
 *
 * The fingerprint (see {@link Fingerprint#fields()}) lets apply-persisted find the device when bus
 * numbers shift and refuse a different device at the recorded address. Values are percent-encoded
 * (a VPD serial may hold any byte). Lines of the first format (three fields, no fingerprint) are
 * read; apply-persisted upgrades them in place.
 */
public final class PersistedBindings {
  private static final String HEAD =
      "# pcikit persisted VFIO bindings, re-applied at every boot (pcikit-bind.service)."
          + " One device per line:\n"
          + "# BDF VENDOR:DEVICE DRIVER FINGERPRINT (key=value, percent-encoded)\n";

  /** Largest file read: thousands of lines are far more than any host persists. */
  private static final long MAX_SIZE = 4 << 20;

  /** One persisted device; {@code fingerprint} is empty for a line of the first format. */
  public record Entry(
      PciAddress address, String ids, String driver, Optional<Fingerprint> fingerprint) {
    public Entry(PciAddress address, String ids, String driver) {
      this(address, ids, driver, Optional.empty());
    }

    public Entry at(PciAddress a) {
      return new Entry(a, ids, driver, fingerprint);
    }
  }

  private final Path file;

  public PersistedBindings(Path etcDir) {
    this.file = etcDir.resolve("pcikit/vfio-bindings.conf");
  }

  public Path file() {
    return file;
  }

  public Map<PciAddress, Entry> read() throws IOException {
    Map<PciAddress, Entry> out = new TreeMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    List<String> lines = StateFiles.lines(file, "persisted-bindings file");
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty() || l.startsWith("#")) {
        continue;
      }
      String[] f = l.split("\\s+");
      if (f.length < 3 || !PciAddress.isAddress(f[0]) || !f[1].matches("[0-9a-f]{4}:[0-9a-f]{4}")) {
        throw StateFiles.corruptRecords(
            file,
            "line "
                + (i + 1)
                + ": expected 'BDF VENDOR:DEVICE DRIVER [FINGERPRINT]', got '"
                + StateFiles.shown(l)
                + "'");
      }
      Optional<Fingerprint> fp = Optional.empty();
      if (f.length > 3) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int k = 3; k < f.length; k++) {
          int eq = f[k].indexOf('=');
          if (eq <= 0) {
            throw StateFiles.corruptRecords(
                file,
                "line "
                    + (i + 1)
                    + ": fingerprint field is not key=value: "
                    + StateFiles.shown(f[k]));
          }
          try {
            fields.put(f[k].substring(0, eq), decode(f[k].substring(eq + 1)));
          } catch (IOException e) {
            throw StateFiles.corruptRecords(file, "line " + (i + 1) + ": " + e.getMessage());
          }
        }
        try {
          fp = Optional.of(Fingerprint.fromFields(fields));
        } catch (IllegalArgumentException e) {
          throw StateFiles.corruptRecords(file, "line " + (i + 1) + ": " + e.getMessage());
        }
      }
      PciAddress a = PciAddress.parse(f[0]);
      out.put(a, new Entry(a, f[1], f[2], fp));
    }
    return out;
  }

  /** Whether any line is of the first format (no fingerprint). */
  public static boolean needsUpgrade(Map<PciAddress, Entry> entries) {
    return entries.values().stream().anyMatch(e -> e.fingerprint().isEmpty());
  }

  public void write(Map<PciAddress, Entry> entries) throws IOException {
    StringBuilder sb = new StringBuilder(HEAD);
    for (Entry e : entries.values()) {
      sb.append(e.address()).append(' ').append(e.ids()).append(' ').append(e.driver());
      e.fingerprint()
          .ifPresent(
              fp ->
                  fp.fields()
                      .forEach((k, v) -> sb.append(' ').append(k).append('=').append(encode(v))));
      sb.append('\n');
    }
    AtomicFiles.write(file, sb.toString());
  }

  /** Percent-encodes everything but a conservative set of printable ASCII. */
  static String encode(String v) {
    StringBuilder sb = new StringBuilder();
    for (byte b : v.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._:/+,".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return sb.toString();
  }

  static String decode(String v) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '%') {
        try {
          out.write(Integer.parseInt(v.substring(i + 1, i + 3), 16));
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
          throw new IOException("bad percent escape in: " + v);
        }
        i += 2;
      } else {
        out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
