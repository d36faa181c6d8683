package dev.pcikit.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * An inventory document on disk ({@code file:/path}): read again when its modification time or size
 * changes. No events: the history holds what the collector saw change between two reads.
 */
final class FileSource implements Source {
  private final Path file;
  private volatile String readStamp = "";

  FileSource(Path file) {
    this.file = file;
  }

  @Override
  public byte[] inventory() throws IOException {
    if (Files.size(file) > InventoryDoc.MAX_BYTES) {
      throw new IOException(file + " is larger than " + (InventoryDoc.MAX_BYTES >> 20) + " MB");
    }
    // the stamp before the read: a change while reading is seen again by the feed
    readStamp = stamp();
    return Files.readAllBytes(file);
  }

  /** {@code NAME.check.json} next to {@code NAME.json}, when there is one. */
  @Override
  public byte[] check() throws IOException {
    String name = file.getFileName().toString().replaceFirst("\\.json$", "") + ".check.json";
    Path f = file.resolveSibling(name);
    if (!Files.isRegularFile(f)) {
      return null;
    }
    if (Files.size(f) > InventoryDoc.MAX_BYTES) {
      throw new IOException(f + " is larger than " + (InventoryDoc.MAX_BYTES >> 20) + " MB");
    }
    return Files.readAllBytes(f);
  }

  @Override
  public AgentEvent.Page eventsSince(long seq) {
    return new AgentEvent.Page(List.of(), -1, false, false);
  }

  @Override
  public Feed feed(long seq) throws IOException {
    return new Feed() {
      private String stamp = readStamp;

      @Override
      public List<AgentEvent> next(long waitMillis) throws IOException {
        long end = System.currentTimeMillis() + waitMillis;
        while (System.currentTimeMillis() < end) {
          String now = stamp();
          if (!now.equals(stamp)) {
            stamp = now;
            return List.of();
          }
          try {
            Thread.sleep(Math.min(100, waitMillis));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
          }
        }
        return null;
      }

      @Override
      public void close() {}
    };
  }

  private String stamp() throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    return a.lastModifiedTime().toMillis() + "/" + a.size() + "/" + a.fileKey();
  }
}
