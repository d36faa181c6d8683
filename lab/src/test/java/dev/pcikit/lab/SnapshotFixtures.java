package dev.pcikit.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Snapshots recorded in a lab guest and kept as fixtures in lab/src/test/resources/fixtures. A
 * fixture is written when it does not exist yet or with -Dpcikit.regenerate=true; otherwise each
 * run checks that the kernel still produces the same topology (its stable records: device
 * directories, IOMMU group members, driver bindings; counters and timings naturally differ).
 */
public final class SnapshotFixtures {
  private SnapshotFixtures() {}

  public static Path dir() {
    return LabEnvironment.labDir().resolve("src/test/resources/fixtures");
  }

  public static boolean regenerate() {
    return Boolean.parseBoolean(System.getProperty("pcikit.regenerate", "false"));
  }

  /** The snapshot proper (BEGIN..END markers included) out of a recorder's output. */
  public static List<String> extract(List<String> recorderOutput) {
    int begin = -1;
    int end = -1;
    for (int i = 0; i < recorderOutput.size(); i++) {
      String l = recorderOutput.get(i);
      if (begin < 0 && l.startsWith("=====BEGIN PCI SYSFS SNAPSHOT")) {
        begin = i;
      } else if (begin >= 0 && l.startsWith("=====END PCI SYSFS SNAPSHOT")) {
        end = i;
        break;
      }
    }
    if (begin < 0 || end < 0) {
      throw new IllegalArgumentException("no complete snapshot in the recorder's output");
    }
    return List.copyOf(recorderOutput.subList(begin, end + 1));
  }

  /**
   * Records that describe the machine rather than its moment: D, "G n devices", R. The H records
   * (kernel release) are left out so that a Debian kernel update alone does not fail.
   */
  public static List<String> stableRecords(List<String> snapshot) {
    return snapshot.stream()
        .filter(
            l ->
                l.startsWith("D ")
                    || l.startsWith("R ")
                    || (l.startsWith("G ") && l.matches("G \\d+ devices .*")))
        .map(String::stripTrailing)
        .toList();
  }

  /** Writes the fixture if missing (or regenerating) and returns the fixture's lines. */
  public static List<String> keep(String name, List<String> snapshot) throws IOException {
    Path f = dir().resolve(name);
    if (regenerate() || !Files.exists(f)) {
      Files.createDirectories(f.getParent());
      Files.write(f, snapshot, StandardCharsets.UTF_8);
    }
    return Files.readAllLines(f, StandardCharsets.UTF_8);
  }
}
