package dev.pcikit.cli;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pcikit agent}: the host service (docs/agent.md). The options only; {@link AgentRunner}
 * starts it, so that building this command's model (help, completion) loads no Jetty class.
 */
@Command(
    name = "agent",
    description =
        "Serve the REST API (reads, transactional writes) on a Unix domain socket, and optionally"
            + " on TCP with TLS and bearer tokens. Recovers any interrupted operation first;"
            + " runs until stopped (SIGTERM).")
final class AgentCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--socket",
      paramLabel = "PATH",
      description =
          "Unix domain socket (default ROOT/run/pcikit/agent.sock; with --host, next to the"
              + " host's state)")
  Path socket;

  @Option(
      names = "--socket-group",
      paramLabel = "GROUP",
      description = "Group of the socket (mode 0660): its members may read")
  String socketGroup;

  @Option(
      names = "--listen",
      paramLabel = "ADDR:PORT",
      description = "Also listen on TCP (needs --tokens; --tls-cert/--tls-key unless loopback)")
  String listen;

  @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key (PKCS#8)")
  Path tlsKey;

  @Option(
      names = "--tokens",
      paramLabel = "FILE",
      description = "Bearer tokens, one 'NAME read|admin TOKEN' per line (mode 0600)")
  Path tokens;

  @Option(
      names = "--audit-log",
      paramLabel = "FILE",
      description =
          "JSON lines, one per write (default ROOT/var/log/pcikit/agent-audit.log; with --host,"
              + " next to the host's state)")
  Path audit;

  @Override
  public Integer call() throws Exception {
    GlobalOptions global = GlobalOptions.of(spec);
    if (global.hostSpec().isPresent() && !global.root.equals(Path.of("/"))) {
      throw new PcikitException(
          Failure.INVALID_ARGUMENT, "--root and --host cannot be used together");
    }
    PrintWriter err = spec.commandLine().getErr();
    return AgentRunner.run(this, global, err);
  }

  /** ADDR:PORT ([v6]:PORT for IPv6); a usage error otherwise. */
  static InetSocketAddress address(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new PcikitException(Failure.INVALID_ARGUMENT, "--listen takes ADDR:PORT, not " + s);
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(s.substring(colon + 1));
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new PcikitException(Failure.INVALID_ARGUMENT, "--listen: bad port in " + s);
    }
    return new InetSocketAddress(host, port);
  }
}
