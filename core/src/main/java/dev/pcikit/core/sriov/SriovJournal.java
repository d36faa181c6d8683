package dev.pcikit.core.sriov;

import dev.pcikit.core.model.PciAddress;
import dev.pcikit.core.vfio.AtomicFiles;
import dev.pcikit.core.vfio.StateFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The intent journal of {@code sriov enable} ({@code STATE/sriov-journal}): written before the
 * first write to the PF, deleted once the VFs are bound (or the PF is back where it was). It sits
 * next to the binding engine's own journal, which covers the bind transaction inside.
 *
 * <pre>
 * pcikit-sriov-journal 1
 * pf 0000:01:00.0
 * for vfio|host
 * count N
 * prior-numvfs M
 * prior-autoprobe 0|1
 * </pre>
 */
public final class SriovJournal {
  static final String HEADER = "pcikit-sriov-journal 1";

  /** What an interrupted {@code sriov enable} was doing, and what the PF was before it. */
  public record Entry(
      PciAddress pf, boolean forVfio, int count, int priorNumVfs, boolean priorAutoprobe) {
    String encode() {
      return HEADER
          + "\npf "
          + pf
          + "\nfor "
          + (forVfio ? "vfio" : "host")
          + "\ncount "
          + count
          + "\nprior-numvfs "
          + priorNumVfs
          + "\nprior-autoprobe "
          + (priorAutoprobe ? 1 : 0)
          + "\n";
    }
  }

  private final Path file;

  public SriovJournal(Path stateDir) {
    this.file = stateDir.resolve("sriov-journal");
  }

  public Path file() {
    return file;
  }

  public void write(Entry e) throws IOException {
    AtomicFiles.write(file, e.encode());
  }

  public void clear() throws IOException {
    AtomicFiles.delete(file);
  }

  public Optional<Entry> read() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    List<String> lines = StateFiles.lines(file, "SR-IOV journal");
    if (lines.size() < 6 || !lines.get(0).equals(HEADER)) {
      throw StateFiles.corruptJournal(file, "not a pcikit SR-IOV journal");
    }
    try {
      return Optional.of(
          new Entry(
              PciAddress.parse(value(lines, 1, "pf")),
              value(lines, 2, "for").equals("vfio"),
              Integer.parseInt(value(lines, 3, "count")),
              Integer.parseInt(value(lines, 4, "prior-numvfs")),
              value(lines, 5, "prior-autoprobe").equals("1")));
    } catch (RuntimeException e) {
      throw StateFiles.corruptJournal(file, StateFiles.shown(String.valueOf(e.getMessage())));
    }
  }

  private static String value(List<String> lines, int i, String key) {
    String l = lines.get(i);
    if (!l.startsWith(key + " ")) {
      throw new IllegalArgumentException("line " + (i + 1) + " is not '" + key + " ...'");
    }
    return l.substring(key.length() + 1).strip();
  }
}
