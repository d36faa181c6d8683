package dev.pcikit.core.vfio;

import dev.pcikit.core.model.PciAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What pcikit bound and what each device had before ({@code STATE/bindings}), so that release
 * returns a device to its own prior driver. Format:
 *
 * <pre>
 * pcikit-bindings 1
 * BDF BOUND_DRIVER PRIOR_DRIVER PRIOR_OVERRIDE     ('-' = none)
 * </pre>
 */
public final class BindingRecords {
  private static final String HEADER = "pcikit-bindings 1";

  /** One device pcikit bound. */
  public record Record(PciAddress address, String driver, Binding prior) {}

  private final Path file;

  public BindingRecords(Path stateDir) {
    this.file = stateDir.resolve("bindings");
  }

  public Map<PciAddress, Record> read() throws IOException {
    Map<PciAddress, Record> out = new TreeMap<>();
    if (!Files.exists(file)) {
      return out;
    }
    var lines = StateFiles.lines(file, "bindings file");
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw StateFiles.corruptRecords(file, "not a pcikit bindings file: no '" + HEADER + "' line");
    }
    for (int i = 1; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.isEmpty()) {
        continue;
      }
      String[] f = l.split(" ");
      try {
        if (f.length != 4) {
          throw new IllegalArgumentException("not 4 fields");
        }
        PciAddress a = PciAddress.parse(f[0]);
        if (out.containsKey(a)) {
          throw new IllegalArgumentException("device recorded twice");
        }
        out.put(a, new Record(a, f[1], Binding.decode(f[2], f[3])));
      } catch (RuntimeException e) {
        throw StateFiles.corruptRecords(
            file,
            "line "
                + (i + 1)
                + ": expected 'BDF DRIVER PRIOR_DRIVER PRIOR_OVERRIDE', got '"
                + StateFiles.shown(l)
                + "'");
      }
    }
    return out;
  }

  public void write(Map<PciAddress, Record> records) throws IOException {
    StringBuilder sb = new StringBuilder(HEADER).append('\n');
    for (Record r : records.values()) {
      sb.append(r.address())
          .append(' ')
          .append(r.driver())
          .append(' ')
          .append(r.prior().encode())
          .append('\n');
    }
    AtomicFiles.write(file, sb.toString());
  }
}
