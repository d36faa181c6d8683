package dev.pcikit.sim.snapshot;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.sim.HostSysfs;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Loading and saving snapshot files: whole-file reads, atomic writes (temp file + rename). */
public final class Snapshots {
  private Snapshots() {}

  public static HostSysfs load(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new PcikitException(Failure.NOT_FOUND, "snapshot " + file + ": no such file");
    } catch (IOException e) {
      throw new PcikitException(Failure.BAD_INPUT, "snapshot " + file + ": " + e.getMessage(), e);
    }
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(java.nio.ByteBuffer.wrap(bytes))
              .toString();
    } catch (CharacterCodingException e) {
      throw new PcikitException(
          Failure.BAD_INPUT, "snapshot " + file + ": not text (invalid UTF-8): corrupt file?");
    }
    return SnapshotReader.read(text, file.toString());
  }

  /** Records a host and writes the snapshot to a file atomically. */
  public static void save(Sysfs sysfs, Path file) throws IOException {
    writeAtomically(file, SysfsRecorder.record(sysfs));
  }

  /** Writes a file so that readers see the old or the new content, never a part. */
  public static void writeAtomically(Path file, String content) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
