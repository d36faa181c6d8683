package dev.pcikit.agent;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.host.LockedHost;
import dev.pcikit.core.host.Recovery;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The running agent: recovery first, then Jetty serving the API on the Unix domain socket (and the
 * TCP listener when configured). {@link #start} returns once it serves; {@link #close} stops it.
 */
public final class Agent implements AutoCloseable {
  private final Server server;
  private final Path socket;
  private final AgentContext context;
  private final List<Recovery.Recovered> recovered;
  private final int port;

  private Agent(
      Server server,
      Path socket,
      AgentContext context,
      List<Recovery.Recovered> recovered,
      int port) {
    this.server = server;
    this.socket = socket;
    this.context = context;
    this.recovered = recovered;
    this.port = port;
  }

  /** The TCP listener's port (useful when configured as 0), or -1 without one. */
  public int port() {
    return port;
  }

  /**
   * The TCP listener: TLS from the PEM files; plain HTTP only on a loopback address (benchmarks, a
   * local proxy). Tokens are required: without them every request would be refused.
   */
  private static ServerConnector tcpConnector(
      Server server, HttpConfiguration http, AgentConfig config, Tokens tokens) {
    if (tokens.isEmpty()) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT, "--listen needs --tokens (a file with at least one token)");
    }
    boolean tls = config.tlsCert() != null || config.tlsKey() != null;
    if (tls && (config.tlsCert() == null || config.tlsKey() == null)) {
      throw new PcikitException(Failure.INVALID_ARGUMENT, "--tls-cert and --tls-key go together");
    }
    if (!tls && !config.listen().getAddress().isLoopbackAddress()) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT,
          "--listen on a non-loopback address needs --tls-cert and --tls-key");
    }
    ServerConnector c;
    if (tls) {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStore(Pem.keyStore(config.tlsCert(), config.tlsKey()));
      ssl.setKeyStorePassword("");
      ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
      HttpConfiguration https = new HttpConfiguration(http);
      SecureRequestCustomizer src = new SecureRequestCustomizer();
      // clients reach agents by IP address as often as by name: no SNI host check
      src.setSniHostCheck(false);
      https.addCustomizer(src);
      c =
          new ServerConnector(
              server,
              new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
              new HttpConnectionFactory(https));
    } else {
      c = new ServerConnector(server, new HttpConnectionFactory(http));
    }
    c.setHost(config.listen().getAddress().getHostAddress());
    c.setPort(config.listen().getPort());
    c.setIdleTimeout(Limits.IDLE.toMillis());
    c.setAcceptQueueSize(1024);
    return c;
  }

  /**
   * Opens the host, runs recovery under the host lock (a write a crash interrupted is finished or
   * undone before any request is answered), then starts serving.
   *
   * @param log where startup lines go ("recovered: ...", "listening on ...")
   */
  public static Agent start(AgentConfig config, Consumer<String> log) throws Exception {
    HostView view =
        config.hostSpec() != null
            ? HostView.simulated(config.hostSpec())
            : HostView.system(config.root());
    List<Recovery.Recovered> recovered;
    try (LockedHost locked = view.forWriting().lock(Limits.LOCK_WAIT)) {
      recovered = locked.recovered();
    }
    recovered.forEach(r -> log.accept("recovered: " + r.summary()));
    view.changed();
    Path socket =
        config.socket() != null
            ? config.socket()
            : view.simulatedHost()
                ? view.forWriting().layout().runDir().resolve("agent.sock")
                : config.socketPath();
    Path auditFile =
        config.audit() != null
            ? config.audit()
            : view.simulatedHost()
                ? view.forWriting().layout().stateDir().resolve("agent-audit.log")
                : config.root().resolve("var/log/pcikit/agent-audit.log");
    AgentContext context = new AgentContext(config, view, new Audit(auditFile));
    List<Route> routes = new ArrayList<>();
    for (RouteGroup g : RouteGroups.all()) {
      routes.addAll(g.routes(context));
    }
    Tokens tokens = config.tokens() != null ? Tokens.read(config.tokens()) : Tokens.NONE;

    QueuedThreadPool pool = new QueuedThreadPool(64, 4);
    pool.setName("pcikit-agent");
    Server server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setRequestHeaderSize(Limits.HEADER_BYTES);
    http.setResponseHeaderSize(Limits.HEADER_BYTES);
    http.setSendServerVersion(false);
    http.setSendDateHeader(true);

    prepareSocket(socket);
    UnixDomainServerConnector uds =
        new UnixDomainServerConnector(server, new HttpConnectionFactory(http));
    uds.setUnixDomainPath(socket);
    uds.setIdleTimeout(Limits.IDLE.toMillis());
    server.addConnector(uds);
    ServerConnector tcp = null;
    if (config.listen() != null) {
      tcp = tcpConnector(server, http, config, tokens);
      server.addConnector(tcp);
    }
    HeadTimeout headTimeout = new HeadTimeout(server.getScheduler(), Limits.REQUEST_HEAD);
    for (var c : server.getConnectors()) {
      ((org.eclipse.jetty.server.AbstractConnector) c).addBean(headTimeout);
    }
    server.addBean(new NetworkConnectionLimit(Limits.CONNECTIONS, server.getConnectors()));

    server.setHandler(new ApiHandler(routes, new Authenticator(tokens), context.audit()));
    server.setErrorHandler(new ProblemErrorHandler());
    server.setStopAtShutdown(false);
    // the baseline read before the first request: events are changes from here on
    context.watch(AgentWatch.start(view, AgentWatch.configuredInterval()));
    try {
      server.start();
    } catch (Exception e) {
      server.stop();
      context.watch().close(); // its threads and its udevadm child
      throw e;
    }
    restrictSocket(socket, config.socketGroup());
    log.accept("listening on " + socket + " (host " + view.name() + ")");
    int port = -1;
    if (tcp != null) {
      port = tcp.getLocalPort();
      log.accept(
          "listening on "
              + (config.tlsCert() != null ? "https://" : "http://")
              + config.listen().getHostString()
              + ":"
              + port);
    }
    return new Agent(server, socket, context, recovered, port);
  }

  /** What recovery did before the first request. */
  public List<Recovery.Recovered> recovered() {
    return recovered;
  }

  public Path socket() {
    return socket;
  }

  public AgentContext context() {
    return context;
  }

  /**
   * Serves until the JVM is asked to stop (SIGTERM, SIGINT): then stops taking requests, lets the
   * running write finish, removes the socket and returns.
   */
  public void serveUntilStopped(Consumer<String> log) throws InterruptedException {
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              try {
                close();
                log.accept("stopped");
              } catch (Exception e) {
                log.accept("stopping: " + e);
              } finally {
                stopped.countDown();
              }
            },
            "pcikit-agent-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    join();
    stopped.await();
  }

  /** Waits until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  @Override
  public void close() throws Exception {
    server.stop();
    context.close();
    Files.deleteIfExists(socket);
  }

  /**
   * A socket file left by an agent that was killed is removed; one another agent is listening on is
   * not (CONFLICT rather than two agents on one host).
   */
  private static void prepareSocket(Path socket) throws IOException {
    Files.createDirectories(socket.toAbsolutePath().getParent());
    if (!Files.exists(socket, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      throw new PcikitException(
          Failure.LOCKED, "another agent is listening on " + socket + "; stop it first");
    } catch (IOException stale) {
      Files.delete(socket);
    }
  }

  /** Mode 0660 and the configured group (docs/security.md). */
  private static void restrictSocket(Path socket, String group) throws IOException {
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
    if (group != null) {
      GroupPrincipal g =
          socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
      Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(g);
    }
  }
}
