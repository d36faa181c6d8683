package dev.pcikit.core.vfio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Crash-safe file replacement: write a temp file in the same directory, fsync it, rename it over
 * the target, fsync the directory. After power loss the file is either the old or the new one.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Something to do before a write. */
  public interface IoAction {
    void run() throws IOException;
  }

  /** A write-ahead action registered with {@link #beforeWritesUnder}; closing removes it. */
  public interface Registration extends AutoCloseable {
    @Override
    void close();

    Registration NONE = () -> {};
  }

  private record Ahead(List<Path> dirs, IoAction action) {}

  private static final List<Ahead> AHEAD = new CopyOnWriteArrayList<>();

  /**
   * Until closed, runs {@code action} before every write or delete of a file under one of {@code
   * dirs}. A rehearsed host (--host) saves its simulated kernel's state there, so that the saved
   * host is never older than the journal and records describing it: after a kill -9 at any point
   * the two agree, as a real kernel's state (always "saved") and pcikit's files do
   * (docs/simulation.md).
   */
  public static Registration beforeWritesUnder(List<Path> dirs, IoAction action) {
    Ahead a = new Ahead(dirs.stream().map(d -> d.toAbsolutePath().normalize()).toList(), action);
    AHEAD.add(a);
    return () -> AHEAD.remove(a);
  }

  private static void ahead(Path target) throws IOException {
    Path t = target.toAbsolutePath().normalize();
    for (Ahead a : AHEAD) {
      if (a.dirs().stream().anyMatch(t::startsWith)) {
        a.action().run();
      }
    }
  }

  public static void write(Path target, String content) throws IOException {
    ahead(target);
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buf = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    syncDir(dir);
  }

  public static void delete(Path target) throws IOException {
    if (Files.exists(target)) {
      ahead(target);
    }
    if (Files.deleteIfExists(target)) {
      syncDir(target.toAbsolutePath().getParent());
    }
  }

  private static void syncDir(Path dir) {
    // Linux allows fsync on a directory opened read-only; it makes the rename durable.
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some file systems refuse directory fsync; the rename itself is still atomic.
    }
  }
}
