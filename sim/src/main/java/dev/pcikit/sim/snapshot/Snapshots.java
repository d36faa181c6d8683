package dev.pcikit.sim.snapshot;

import dev.pcikit.core.io.InputFiles;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.sim.HostSysfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Loading and saving snapshot files: whole-file reads, atomic writes (temp file + rename). */
public final class Snapshots {
  private Snapshots() {}

  /**
   * The bound on a snapshot file: a recorded host with 4,000 functions is about 60 MiB (the
   * 256-function demo nic-farm is 4 MiB); anything larger is refused before it is read.
   */
  public static final int MAX_BYTES = 64 * InputFiles.MIB;

  public static HostSysfs load(Path file) {
    String text = InputFiles.readUtf8(file, MAX_BYTES, "snapshot");
    return SnapshotReader.read(text, file.toString());
  }

  /** Records a host and writes the snapshot to a file atomically. */
  public static void save(Sysfs sysfs, Path file) throws IOException {
    writeAtomically(file, SysfsRecorder.recordChecked(sysfs));
  }

  /** Writes a file so that readers see the old or the new content, never a part. */
  public static void writeAtomically(Path file, String content) throws IOException {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
    try {
      try (java.nio.channels.FileChannel ch =
          java.nio.channels.FileChannel.open(
              tmp,
              java.nio.file.StandardOpenOption.WRITE,
              java.nio.file.StandardOpenOption.TRUNCATE_EXISTING)) {
        java.nio.ByteBuffer buf =
            java.nio.ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true); // durable before the rename: pcikit's journal may follow it (fsynced)
      }
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
