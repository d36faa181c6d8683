package dev.pcikit.core.vfio;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.error.Remedy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * The exclusive lock that serialises pcikit invocations that change a host: {@code
 * RUN/pcikit/lock}, an fcntl lock ({@link FileChannel#lock}), released by the kernel when the
 * process dies, so a kill -9 never leaves it stuck. A second invocation waits up to a timeout, then
 * fails with {@link dev.pcikit.core.error.Failure#LOCKED}. The holder writes its pid into the file
 * for the message.
 */
public final class HostLock implements AutoCloseable {
  private static final long POLL_MS = 20;
  private final FileChannel channel;
  private final FileLock lock;

  private HostLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  public static HostLock acquire(Path runDir, Duration timeout) throws IOException {
    Files.createDirectories(runDir);
    Path file = runDir.resolve("lock");
    // a lock that is a link would truncate whatever it points at; a FIFO or device is not ours
    if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)
        && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      throw new PcikitException(
          Failure.BAD_INPUT,
          "lock file "
              + file
              + " is "
              + dev.pcikit.core.io.InputFiles.typeOf(
                  file,
                  Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS))
              + ", not a regular file; remove it (pcikit creates its own)");
    }
    FileChannel ch =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (true) {
        FileLock l;
        try {
          l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          l = null; // held by another thread of this JVM (locks are per process)
        }
        if (l != null) {
          ch.truncate(0);
          ch.write(
              ByteBuffer.wrap(
                  (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
              0);
          return new HostLock(ch, l);
        }
        if (System.nanoTime() >= deadline) {
          String holder = holder(file);
          ch.close();
          throw new PcikitException(
              Failure.LOCKED,
              Remedy.WAIT_LONGER,
              "another pcikit"
                  + holder
                  + " holds "
                  + file
                  + " and did not finish within "
                  + timeout.toSeconds()
                  + " s; try again later");
        }
        try {
          Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          ch.close();
          throw new IOException("interrupted while waiting for " + file, e);
        }
      }
    } catch (IOException | RuntimeException e) {
      if (ch.isOpen()) {
        ch.close();
      }
      throw e;
    }
  }

  private static String holder(Path file) {
    try {
      // at most a pid and a newline: a few bytes, whatever the file holds
      String pid;
      try (var in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        pid = new String(in.readNBytes(32), StandardCharsets.US_ASCII).strip();
      }
      if (!pid.matches("[0-9]{1,10}")) {
        return "";
      }
      return pid.isEmpty() ? "" : " (pid " + pid + ")";
    } catch (IOException e) {
      return "";
    }
  }

  /** Whether some process (or thread) holds the lock now. */
  public static boolean isHeld(Path runDir) throws IOException {
    Path file = runDir.resolve("lock");
    if (!Files.exists(file)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock.isValid()) {
        lock.release();
      }
    } finally {
      channel.close();
    }
  }
}
