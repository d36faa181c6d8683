package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bindings to re-apply at every boot ({@code ETC/pcikit/vfio-bindings.conf}), written by {@code
 * vfio bind --persist}, removed by {@code vfio release}, applied by {@code vfio apply-persisted}
 * (dist/pcikit-bind.service). Format, one device per line, '#' comments:
 *
 * <pre>
 * # BDF        VENDOR:DEVICE DRIVER
 * 0000:01:00.0 10de:1b80     vfio-pci
 * </pre>
 *
 * The IDs guard against a renumbered bus: a line whose device now has other IDs is skipped with a
 * warning rather than binding the wrong device.
 */
public final class PersistedBindings {
  private static final String HEAD =
      "# pcikit persisted VFIO bindings: written by 'pcikit vfio bind --persist', re-applied at boot"
          + " by\n"
          + "# 'pcikit vfio apply-persisted' (pcikit-bind.service). One device per line:\n"
          + "# BDF VENDOR:DEVICE DRIVER\n";

  /** One persisted device. */
  public record Entry(PciAddress address, String ids, String driver) {}

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
      if (f.length != 3
          || !PciAddress.isAddress(f[0])
          || !f[1].matches("[0-9a-f]{4}:[0-9a-f]{4}")) {
        throw StateFiles.corruptRecords(
            file,
            "line "
                + (i + 1)
                + ": expected 'BDF VENDOR:DEVICE DRIVER', got '"
                + StateFiles.shown(l)
                + "'");
      }
      PciAddress a = PciAddress.parse(f[0]);
      out.put(a, new Entry(a, f[1], f[2]));
    }
    return out;
  }

  public void write(Map<PciAddress, Entry> entries) throws IOException {
    StringBuilder sb = new StringBuilder(HEAD);
    for (Entry e : entries.values()) {
      sb.append(e.address())
          .append(' ')
          .append(e.ids())
          .append(' ')
          .append(e.driver())
          .append('\n');
    }
    AtomicFiles.write(file, sb.toString());
  }
}
