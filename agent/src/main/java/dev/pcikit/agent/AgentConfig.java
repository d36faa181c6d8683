package dev.pcikit.agent;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * How an agent runs: the host ({@code --host SPEC} or {@code --root DIR}), its Unix domain socket
 * and the socket's group, and the optional TCP listener with its TLS certificate and key and the
 * token file.
 *
 * @param hostSpec {@code FILE} or {@code demo:NAME}, or null for the system root
 * @param root the system root (sysfs at ROOT/sys); the default socket is under it
 * @param socket the Unix domain socket, or null for {@code ROOT/run/pcikit/agent.sock}
 * @param socketGroup the group the socket is given (mode 0660), or null to keep the agent's
 * @param listen the TCP listener, or null for none
 * @param tlsCert PEM certificate chain for the TCP listener, or null (plain HTTP: loopback only)
 * @param tlsKey PEM PKCS#8 private key, or null
 * @param tokens the bearer token file, or null (then TCP is refused and socket peers use their uid)
 * @param audit the audit log (JSON lines), or null for {@code ROOT/var/log/pcikit/agent-audit.log}
 * @param pciIds the pci.ids file for names, or null for the system's (as {@code --pci-ids})
 */
public record AgentConfig(
    String hostSpec,
    Path root,
    Path socket,
    String socketGroup,
    InetSocketAddress listen,
    Path tlsCert,
    Path tlsKey,
    Path tokens,
    Path audit,
    Path pciIds) {

  /** A demo or recorded host on the given socket, nothing else configured (tests, scripts). */
  public static AgentConfig simulated(String hostSpec, Path socket) {
    return new AgentConfig(
        hostSpec, Path.of("/"), socket, null, null, null, null, null, null, null);
  }

  /** The socket path in force. */
  public Path socketPath() {
    return socket != null ? socket : root.resolve("run/pcikit/agent.sock");
  }

  public AgentConfig withListen(InetSocketAddress l) {
    return new AgentConfig(
        hostSpec, root, socket, socketGroup, l, tlsCert, tlsKey, tokens, audit, pciIds);
  }

  public AgentConfig withTokens(Path t) {
    return new AgentConfig(
        hostSpec, root, socket, socketGroup, listen, tlsCert, tlsKey, t, audit, pciIds);
  }

  public AgentConfig withTls(Path cert, Path key) {
    return new AgentConfig(
        hostSpec, root, socket, socketGroup, listen, cert, key, tokens, audit, pciIds);
  }

  public AgentConfig withPciIds(Path p) {
    return new AgentConfig(
        hostSpec, root, socket, socketGroup, listen, tlsCert, tlsKey, tokens, audit, p);
  }

  public AgentConfig withAudit(Path a) {
    return new AgentConfig(
        hostSpec, root, socket, socketGroup, listen, tlsCert, tlsKey, tokens, a, pciIds);
  }
}
