package dev.pcikit.fleet;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL server from the binaries installed on this machine (Debian's {@code
 * postgresql} package: {@code /usr/lib/postgresql/VERSION/bin}), in a directory of its own,
 * listening on loopback only (a free port) and on a Unix socket inside that directory.
 *
 * <p>initdb and postgres refuse to run as root ("cannot be run as root", src/bin/initdb/initdb.c),
 * so as root they run as the {@code postgres} user through {@code setpriv} (which execs: the
 * process we hold is the postmaster itself), in a data directory that user owns. Authentication is
 * {@code trust} on loopback: the server is for tests and for trying the fleet out, never a
 * production database (production points {@code --db} at its own server).
 *
 * <p>{@link #stop()} then {@link #start()} restarts the same cluster on the same port (tests use it
 * to restart the database under a running collector).
 */
public final class LocalPostgres implements AutoCloseable {
  /** The database user and database created in the cluster. */
  public static final String USER = "pcikit";

  private final Path bin;
  private final Path dir;
  private final Path data;
  private final boolean asPostgresUser;
  private final boolean durable;
  private int port;
  private Process server;

  private LocalPostgres(Path bin, Path dir, boolean asPostgresUser, boolean durable) {
    this.bin = bin;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.asPostgresUser = asPostgresUser;
    this.durable = durable;
  }

  /**
   * The newest {@code /usr/lib/postgresql/N/bin} with initdb and postgres, or {@code
   * $PCIKIT_PG_BIN}.
   */
  public static Optional<Path> installedBinaries() {
    String env = System.getenv("PCIKIT_PG_BIN");
    if (env != null && !env.isBlank()) {
      Path p = Path.of(env);
      return Files.isExecutable(p.resolve("postgres")) ? Optional.of(p) : Optional.empty();
    }
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(base)) {
      return s.map(p -> p.resolve("bin"))
          .filter(p -> Files.isExecutable(p.resolve("initdb")))
          .filter(p -> Files.isExecutable(p.resolve("postgres")))
          .max(Comparator.comparingInt(LocalPostgres::majorOf));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int majorOf(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** The installed PostgreSQL binaries; an IOException saying what to install when none are. */
  private static Path binaries() throws IOException {
    return installedBinaries()
        .orElseThrow(
            () ->
                new IOException(
                    "no PostgreSQL binaries under /usr/lib/postgresql (install Debian's"
                        + " postgresql package, or give --db URL)"));
  }

  /**
   * Creates a cluster in a new temporary directory and starts it.
   *
   * @param durable false turns fsync off (tests and benchmarks: the cluster is thrown away)
   */
  public static LocalPostgres start(boolean durable) throws IOException {
    Path bin = binaries();
    Path dir = Files.createTempDirectory("pcikit-pg-");
    LocalPostgres pg = new LocalPostgres(bin, dir, runningAsRoot(), durable);
    try {
      pg.ownDir();
      pg.initdb();
      pg.start();
      pg.createDatabase();
      return pg;
    } catch (IOException | RuntimeException e) {
      pg.close();
      throw e;
    }
  }

  /**
   * Starts the cluster kept in {@code dir}, creating it on first use; {@link #stopKeepingData()}
   * stops it and keeps the data for next time.
   */
  public static LocalPostgres startIn(Path dir, boolean durable) throws IOException {
    Path bin = binaries();
    Files.createDirectories(dir);
    LocalPostgres pg = new LocalPostgres(bin, dir, runningAsRoot(), durable);
    pg.ownDir();
    if (!Files.isRegularFile(pg.data.resolve("PG_VERSION"))) {
      pg.initdb();
      pg.start();
      pg.createDatabase();
    } else {
      pg.start();
    }
    return pg;
  }

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** As root, the directory belongs to the postgres user (initdb and postgres run as it). */
  private void ownDir() throws IOException {
    if (asPostgresUser) {
      UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(dir, users.lookupPrincipalByName("postgres"));
    }
  }

  /** Stops the server; the cluster stays for the next {@link #startIn}. */
  public void stopKeepingData() {
    stop();
  }

  /** The JDBC URL of the {@code pcikit} database of a local server on {@code port}. */
  public static String urlFor(int port) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + USER + "?user=" + USER;
  }

  private List<String> command(String program, String... args) {
    List<String> cmd = new ArrayList<>();
    if (asPostgresUser) {
      cmd.addAll(
          List.of(
              "setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--reset-env"));
    }
    cmd.add(bin.resolve(program).toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  private void initdb() throws IOException {
    Process p =
        new ProcessBuilder(
                command(
                    "initdb",
                    "-D",
                    data.toString(),
                    "-U",
                    USER,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    "--no-sync"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("initdb.log").toFile())
            .start();
    if (!waitFor(p, 120) || p.exitValue() != 0) {
      throw new IOException("initdb failed: " + tail(dir.resolve("initdb.log")));
    }
  }

  /** Starts (or restarts) the server on its port; returns once it accepts connections. */
  public synchronized void start() throws IOException {
    if (server != null && server.isAlive()) {
      return;
    }
    if (port == 0) {
      port = freePort();
    }
    // a server killed without a shutdown leaves postmaster.pid; postgres itself checks whether
    // that pid still runs and refuses to start only then
    List<String> cmd =
        new ArrayList<>(
            command(
                "postgres",
                "-D",
                data.toString(),
                "-p",
                Integer.toString(port),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "unix_socket_directories=" + dir,
                "-c",
                "max_connections=200",
                "-c",
                "shared_buffers=128MB"));
    if (!durable) {
      cmd.addAll(List.of("-c", "fsync=off", "-c", "synchronous_commit=off"));
    }
    server =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IOException("postgres exited: " + tail(dir.resolve("server.log")));
      }
      try (Connection c = DriverManager.getConnection(url("postgres"), USER, "")) {
        return;
      } catch (SQLException e) {
        last = e;
        sleep(50);
      }
    }
    throw new IOException("postgres did not accept connections in 60 s: " + last);
  }

  private void createDatabase() throws IOException {
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, "");
        var st = c.createStatement()) {
      st.execute("CREATE DATABASE " + USER);
    } catch (SQLException e) {
      throw new IOException("cannot create the database: " + e.getMessage(), e);
    }
  }

  /**
   * Stops the server with a fast shutdown (SIGINT: clients are disconnected, the cluster is
   * consistent, per the PostgreSQL docs "Shutting Down the Server").
   */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).inheritIO().start().waitFor();
      if (!waitFor(server, 30)) {
        server.destroyForcibly();
        waitFor(server, 10);
      }
    } catch (IOException e) {
      server.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.destroyForcibly();
    }
    server = null;
  }

  public int port() {
    return port;
  }

  /** The JDBC URL of the {@code pcikit} database (user {@code pcikit}, no password). */
  public String jdbcUrl() {
    return url(USER);
  }

  private String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
  }

  @Override
  public void close() {
    stop();
    deleteTree(dir);
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // best effort: a temporary directory
                }
              });
    } catch (IOException e) {
      // already gone
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static boolean waitFor(Process p, int seconds) {
    try {
      return p.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }
}
