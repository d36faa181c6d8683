package dev.pcikit.sim;

import dev.pcikit.core.sysfs.Errno;

/**
 * A sysfs file whose content is not recorded: a binary or action file (resourceN, rom, reset,
 * remove, rescan), a write-only attribute, or a file whose read failed. Snapshots keep its mode and
 * size (or error) so that a materialized tree looks like the recorded one.
 *
 * @param kind what the file is
 * @param mode the {@code ls -l} mode string, e.g. {@code --w-------}
 * @param size the size {@code ls -l} showed (STAT only)
 * @param error the strerror text of the failed read (ERROR only)
 */
public record SpecialFile(Kind kind, String mode, long size, String error) {

  /** The snapshot record that carries the file. */
  public enum Kind {
    /** {@code S}: binary or action file, not read. */
    STAT,
    /** {@code W}: write-only attribute. */
    WRITE_ONLY,
    /** {@code E}: the read failed. */
    ERROR
  }

  public static final String WRITE_ONLY_MODE = "--w-------";

  public static SpecialFile stat(String mode, long size) {
    return new SpecialFile(Kind.STAT, mode, size, "");
  }

  public static SpecialFile writeOnly() {
    return new SpecialFile(Kind.WRITE_ONLY, WRITE_ONLY_MODE, 0, "");
  }

  public static SpecialFile error(String error) {
    return new SpecialFile(Kind.ERROR, "-r--r--r--", 0, error);
  }

  /** The errno a read of this file answers with. */
  public Errno readErrno() {
    return switch (kind) {
      case WRITE_ONLY -> Errno.EACCES; // kernfs refuses O_RDONLY on attributes without show()
      case ERROR -> Errno.fromMessage(error).orElse(Errno.EIO);
      case STAT -> Errno.EIO;
    };
  }
}
