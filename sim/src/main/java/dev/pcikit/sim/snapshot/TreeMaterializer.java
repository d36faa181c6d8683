package dev.pcikit.sim.snapshot;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.sim.HostSysfs;
import dev.pcikit.sim.LinkChains;
import dev.pcikit.sim.SpecialFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * Writes a host tree into a real directory that tools read like a sysfs ({@code lspci -A
 * linux-sysfs -O sysfs.path=DIR/bus/pci}): files with their bytes, relative links as stored,
 * special files with the recorded mode and (sparse) size. A file whose read failed on the recorded
 * host is written with mode 0000 and the error text as content: real sysfs has no mode-0000 files,
 * so {@link SysfsRecorder} and the shell recorder turn it back into an {@code E} record.
 */
public final class TreeMaterializer {
  /** The mode that marks a file whose read failed. */
  public static final String ERROR_MODE = "----------";

  private TreeMaterializer() {}

  /**
   * Writes the tree under {@code dir}; refused (exit 4, nothing written) when a link of the tree
   * would resolve outside {@code dir} once on disk ({@link LinkChains}).
   */
  public static void materialize(HostSysfs fs, Path dir) throws IOException {
    LinkChains.firstEscape(fs)
        .ifPresent(
            why -> {
              throw new PcikitException(
                  Failure.BAD_INPUT, "refused to materialize: " + why + "; nothing written");
            });
    Files.createDirectories(dir);
    walk(fs, "", dir);
  }

  private static void walk(HostSysfs fs, String path, Path out) throws IOException {
    for (String name : fs.list(path)) {
      String p = path.isEmpty() ? name : path + "/" + name;
      Path o = out.resolve(name);
      Optional<String> link = fs.readLink(p);
      if (link.isPresent()) {
        Files.deleteIfExists(o);
        Files.createSymbolicLink(o, Path.of(link.get()));
      } else if (fs.isDirectory(p)) {
        Files.createDirectories(o);
        walk(fs, p, o);
      } else {
        Optional<SpecialFile> s = fs.special(p);
        if (s.isEmpty()) {
          Files.write(o, fs.readBytes(p, Integer.MAX_VALUE));
        } else if (s.get().kind() == SpecialFile.Kind.ERROR) {
          Files.write(o, s.get().error().getBytes(StandardCharsets.UTF_8));
          Files.setPosixFilePermissions(o, Set.of());
        } else {
          Files.write(o, new byte[0]);
          if (s.get().size() > 0) {
            try (RandomAccessFile raf = new RandomAccessFile(o.toFile(), "rw")) {
              raf.setLength(s.get().size());
            }
          }
          Files.setPosixFilePermissions(o, permissions(s.get().mode()));
        }
      }
    }
  }

  static Set<PosixFilePermission> permissions(String mode) {
    String m = mode.length() == 10 ? mode.substring(1) : mode;
    return PosixFilePermissions.fromString(m);
  }
}
