package dev.pcikit.core.vfio;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.io.InputFiles;
import java.nio.file.Path;
import java.util.List;

/**
 * Reading pcikit's own state files (journals, binding records, persisted bindings): bounded, only
 * regular files, and a damaged file is {@link Failure#BAD_INPUT} naming the file and the way out,
 * never an internal error or a "kernel refused".
 */
final class StateFiles {
  /** A journal or record file for 4,096 devices is about 400 KiB. */
  public static final int MAX_BYTES = 16 * InputFiles.MIB;

  private StateFiles() {}

  /** The file's lines; {@code what} names it in errors ("journal", "bindings file"). */
  public static List<String> lines(Path file, String what) {
    return InputFiles.readLines(file, MAX_BYTES, what);
  }

  /**
   * A journal that cannot be parsed: nothing can be recovered automatically, and every write
   * command would stop at it, so the message says how to get out.
   */
  public static PcikitException corruptJournal(Path file, String detail) {
    return new PcikitException(
        Failure.BAD_INPUT,
        "journal "
            + file
            + " is corrupt ("
            + detail
            + "); an interrupted operation cannot be finished or undone from it: check the devices'"
            + " drivers, then move the file aside (mv "
            + file
            + " "
            + file
            + ".corrupt) and run again");
  }

  /** A binding-record or persisted-bindings file that cannot be parsed. */
  public static PcikitException corruptRecords(Path file, String detail) {
    return new PcikitException(
        Failure.BAD_INPUT,
        file
            + " is corrupt ("
            + detail
            + "); fix or delete the bad line (the file is pcikit's own record; see docs/vfio.md)");
  }

  /** A line shown in an error message: abbreviated, control characters escaped. */
  public static String shown(String line) {
    String s = line.length() > 80 ? line.substring(0, 80) + "..." : line;
    return dev.pcikit.core.text.SafeText.field(s);
  }
}
