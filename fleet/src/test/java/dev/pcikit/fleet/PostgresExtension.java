package dev.pcikit.fleet;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real PostgreSQL server for tests: Debian's binaries (scripts/install-deps.sh installs the
 * {@code postgresql} package), started once per test JVM by {@link LocalPostgres} in a temporary
 * directory on loopback and stopped when the JVM's tests are done. Each test takes a database of
 * its own with {@link #newDatabase()}.
 *
 * <p>Use with {@code @ExtendWith(PostgresExtension.class)}.
 */
public final class PostgresExtension implements BeforeAllCallback {
  private static LocalPostgres server;
  private static final AtomicInteger DATABASES = new AtomicInteger();

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    server();
    context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            PostgresExtension.class,
            k -> (ExtensionContext.Store.CloseableResource) PostgresExtension::stop,
            ExtensionContext.Store.CloseableResource.class);
  }

  /** The shared server, started on first use. */
  public static synchronized LocalPostgres server() throws java.io.IOException {
    if (server == null) {
      server = LocalPostgres.start(false);
    }
    return server;
  }

  private static synchronized void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** A new empty database on the shared server; returns its JDBC URL. */
  public static String newDatabase() throws Exception {
    String name = "t" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
    try (Connection c = DriverManager.getConnection(server().jdbcUrl());
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    }
    return server().jdbcUrl().replace("/" + LocalPostgres.USER + "?", "/" + name + "?");
  }

  public static Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url);
  }
}
