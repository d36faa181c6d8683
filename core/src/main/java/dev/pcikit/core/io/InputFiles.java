package dev.pcikit.core.io;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads files pcikit does not trust (snapshots, specs, XML, pci.ids, its own state files, files
 * under {@code --root}): only regular files are opened, and never more than a stated bound is held
 * in memory. Opening a FIFO blocks until a writer appears and a device node such as /dev/zero never
 * ends, so the file type is checked before the open (a FIFO swapped in between the check and the
 * open is outside the threat model: whoever can do that can write the file itself). Every failure
 * is one {@link PcikitException} naming the file: {@link Failure#NOT_FOUND} when it does not exist,
 * {@link Failure#BAD_INPUT} otherwise.
 */
public final class InputFiles {
  public static final int KIB = 1024;
  public static final int MIB = 1024 * 1024;

  private static final Path DEV_NULL = Path.of("/dev/null");

  private InputFiles() {}

  /** The whole file, at most {@code max} bytes; a larger file is refused, not cut. */
  public static byte[] read(Path file, int max, String what) {
    if (file.equals(DEV_NULL)) {
      return new byte[0]; // the usual way to say "no such input" (--pci-ids /dev/null)
    }
    if (requireRegular(file, what).size() > max) {
      throw tooLarge(file, max, what);
    }
    try (InputStream in = Files.newInputStream(file)) {
      return readAtMost(in, max, file, what);
    } catch (NoSuchFileException e) {
      throw notFound(file, what);
    } catch (IOException e) {
      throw unreadable(file, what, e);
    }
  }

  /** The whole file as UTF-8 text (invalid UTF-8 is refused), at most {@code max} bytes. */
  public static String readUtf8(Path file, int max, String what) {
    return utf8(read(file, max, what), file, what);
  }

  /** As {@link #readUtf8}, empty when the file does not exist. */
  public static Optional<String> readUtf8IfExists(Path file, int max, String what) {
    if (!Files.exists(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return Optional.empty();
    }
    return Optional.of(readUtf8(file, max, what));
  }

  /** The lines of a UTF-8 text file of at most {@code max} bytes. */
  public static List<String> readLines(Path file, int max, String what) {
    String s = readUtf8(file, max, what);
    if (s.isEmpty()) {
      return List.of();
    }
    List<String> lines = Arrays.asList(s.split("\r?\n", -1));
    // a final newline ends the last line; it does not start an empty one
    return s.endsWith("\n") ? lines.subList(0, lines.size() - 1) : lines;
  }

  /**
   * Opens a file for a caller that bounds what it reads itself (a line reader, a decompressor);
   * only regular files are opened.
   */
  public static InputStream open(Path file, String what) throws IOException {
    requireRegular(file, what);
    return Files.newInputStream(file);
  }

  /** Reads at most {@code max} bytes of a stream; one byte more is an error naming the file. */
  public static byte[] readAtMost(InputStream in, int max, Path file, String what)
      throws IOException {
    byte[] b = in.readNBytes(max);
    if (b.length == max && in.read() >= 0) {
      throw tooLarge(file, max, what);
    }
    return b;
  }

  /** Decodes strict UTF-8. */
  public static String utf8(byte[] bytes, Path file, String what) {
    return strictUtf8(bytes)
        .orElseThrow(
            () ->
                new PcikitException(
                    Failure.BAD_INPUT,
                    what + " " + file + ": not text (invalid UTF-8): corrupt file?"));
  }

  /**
   * Decodes strict UTF-8: malformed or unmappable input is refused, not replaced.
   *
   * @param bytes the bytes
   * @return the text, or empty when the bytes are not valid UTF-8
   */
  public static Optional<String> strictUtf8(byte[] bytes) {
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }

  /**
   * Refuses anything but a regular file (links are followed: a user may well point at a link to
   * their snapshot; what counts is what it ends at).
   */
  public static BasicFileAttributes requireRegular(Path file, String what) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw notFound(file, what);
    } catch (IOException e) {
      throw unreadable(file, what, e);
    }
    if (!a.isRegularFile()) {
      throw new PcikitException(
          Failure.BAD_INPUT,
          what + " " + file + " is " + typeOf(file, a) + ", not a regular file; not read");
    }
    return a;
  }

  /**
   * Refuses a directory path that is (or lies below) something other than a directory: a file where
   * a directory is expected is a usage error naming it, not an I/O failure later.
   */
  public static void requireDirectoryPath(Path dir, String what) {
    for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p)) {
        return;
      }
      if (Files.exists(p)) {
        String type;
        try {
          type = typeOf(p, Files.readAttributes(p, BasicFileAttributes.class));
        } catch (IOException e) {
          type = "not readable";
        }
        throw new PcikitException(
            Failure.INVALID_ARGUMENT,
            what
                + " "
                + dir
                + (p.equals(dir.toAbsolutePath()) ? "" : ": " + p)
                + " is "
                + type
                + ", not a directory");
      }
    }
  }

  /** "a FIFO", "a directory", "a character device"…: what a non-regular file is. */
  public static String typeOf(Path file, BasicFileAttributes a) {
    if (a.isDirectory()) {
      return "a directory";
    }
    if (a.isRegularFile()) {
      return "a regular file";
    }
    if (a.isSymbolicLink()) {
      return "a symbolic link";
    }
    try {
      int mode = (Integer) Files.getAttribute(file, "unix:mode");
      return switch (mode & 0170000) {
        case 0010000 -> "a FIFO";
        case 0020000 -> "a character device";
        case 0060000 -> "a block device";
        case 0140000 -> "a socket";
        default -> "a special file";
      };
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "a special file";
    }
  }

  public static PcikitException tooLarge(Path file, int max, String what) {
    return new PcikitException(
        Failure.BAD_INPUT,
        what + " " + file + " is larger than " + size(max) + " (the bound for a " + what + ")");
  }

  /** "64 MiB", "512 KiB", "100 bytes". */
  public static String size(long bytes) {
    if (bytes >= MIB && bytes % MIB == 0) {
      return bytes / MIB + " MiB";
    }
    if (bytes >= KIB && bytes % KIB == 0) {
      return bytes / KIB + " KiB";
    }
    return bytes + " bytes";
  }

  private static PcikitException notFound(Path file, String what) {
    return new PcikitException(Failure.NOT_FOUND, what + " " + file + " does not exist");
  }

  private static PcikitException unreadable(Path file, String what, IOException e) {
    String why =
        e instanceof AccessDeniedException ? "permission denied" : String.valueOf(e.getMessage());
    return new PcikitException(
        Failure.BAD_INPUT, "cannot read " + what + " " + file + ": " + why, e);
  }
}
