package dev.pcikit.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** When a test may talk to an agent it started as a process. */
final class AgentSockets {
  private AgentSockets() {}

  /**
   * True once the agent accepts connections on {@code sock}. The socket file alone is not enough:
   * the JDK binds a Unix domain server socket (which creates the file) and calls listen(2) after
   * it, and a connect in between is refused (ECONNREFUSED).
   */
  static boolean accepting(Path sock) {
    if (!Files.exists(sock)) {
      return false;
    }
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      ch.connect(UnixDomainSocketAddress.of(sock));
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }
}
