package dev.pcikit.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP port that forwards each connection byte for byte to the agent's Unix domain
 * socket: Prometheus scrapes over TCP, and the agent's TCP listener needs TLS and tokens that are
 * not what the scrape test is about. Tests only; bound to 127.0.0.1 on a free port.
 */
final class TcpBridge implements AutoCloseable {
  private final ServerSocket server;
  private final Path socket;
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();

  TcpBridge(Path socket) throws IOException {
    this.socket = socket;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread t = new Thread(this::accept, "tcp-bridge");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket tcp = server.accept();
        SocketChannel uds = SocketChannel.open(StandardProtocolFamily.UNIX);
        uds.connect(UnixDomainSocketAddress.of(socket));
        open.add(tcp);
        open.add(uds);
        pump(tcp.getInputStream(), Channels.newOutputStream(uds), () -> uds.shutdownOutput());
        pump(Channels.newInputStream(uds), tcp.getOutputStream(), tcp::shutdownOutput);
      } catch (IOException e) {
        // closed, or the agent went away: the scrape fails and Prometheus says so
      }
    }
  }

  private interface Shut {
    void run() throws IOException;
  }

  private static void pump(InputStream in, OutputStream out, Shut done) {
    Thread t =
        new Thread(
            () -> {
              try {
                in.transferTo(out);
                out.flush();
                done.run();
              } catch (IOException e) {
                // one side closed
              }
            },
            "tcp-bridge-pump");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws Exception {
    server.close();
    for (AutoCloseable c : open) {
      c.close();
    }
  }
}
