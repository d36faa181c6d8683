package dev.pcikit.core.ids;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.sysfs.SystemRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/** Finds and loads pci.ids: an explicit file, else the root's, else this system's copies. */
public final class PciIdsLocator {
  private PciIdsLocator() {}

  public static Optional<Path> find(SystemRoot root) {
    for (String loc : PciIds.STANDARD_LOCATIONS) {
      Path p = root.resolve(loc);
      if (Files.isReadable(p)) {
        return Optional.of(p);
      }
    }
    if (!root.root().equals(Path.of("/"))) {
      for (String loc : PciIds.STANDARD_LOCATIONS) {
        Path p = Path.of(loc);
        if (Files.isReadable(p)) {
          return Optional.of(p);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Loads names. An explicit file that cannot be read is an error; a missing system copy just means
   * numeric IDs.
   */
  public static PciIds load(Path explicit, SystemRoot root, Set<Integer> vendors) {
    if (explicit != null) {
      try {
        return PciIds.load(explicit, vendors);
      } catch (IOException e) {
        throw new PcikitException(
            Failure.NOT_FOUND, "cannot read pci.ids file " + explicit + ": " + e.getMessage());
      }
    }
    Optional<Path> found = find(root);
    if (found.isEmpty()) {
      return PciIds.empty();
    }
    try {
      return PciIds.load(found.get(), vendors);
    } catch (IOException | PcikitException e) {
      return PciIds.empty();
    }
  }
}
