package dev.pcikit.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Test only: a TCP listener on 127.0.0.1 (port chosen by the kernel) whose connections are carried
 * byte for byte to the agent's Unix domain socket, as {@code ssh -L PORT:/run/pcikit/agent.sock}
 * does. Chromium speaks HTTP over TCP only; the agent sees a socket peer (this JVM's user).
 */
final class LoopbackTunnel implements AutoCloseable {
  private final ServerSocketChannel server;
  private final Path socket;
  private final List<SocketChannel> open = new ArrayList<>();
  private final Thread acceptor;

  LoopbackTunnel(Path socket) throws IOException {
    this.socket = socket;
    this.server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    acceptor = new Thread(this::acceptLoop, "loopback-tunnel");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() throws IOException {
    return ((InetSocketAddress) server.getLocalAddress()).getPort();
  }

  private void acceptLoop() {
    try {
      while (true) {
        SocketChannel tcp = server.accept();
        SocketChannel unix = SocketChannel.open(StandardProtocolFamily.UNIX);
        unix.connect(UnixDomainSocketAddress.of(socket));
        synchronized (open) {
          open.add(tcp);
          open.add(unix);
        }
        pump(tcp, unix);
        pump(unix, tcp);
      }
    } catch (IOException closed) {
      // the tunnel was closed
    }
  }

  private static void pump(SocketChannel from, SocketChannel to) {
    Thread t =
        new Thread(
            () -> {
              ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
              try {
                while (from.read(buf) >= 0) {
                  buf.flip();
                  while (buf.hasRemaining()) {
                    to.write(buf);
                  }
                  buf.clear();
                }
                to.shutdownOutput();
              } catch (IOException e) {
                closeQuietly(to);
                closeQuietly(from);
              }
            },
            "loopback-tunnel-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(SocketChannel c) {
    try {
      c.close();
    } catch (IOException ignored) {
      // closing
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (open) {
      open.forEach(LoopbackTunnel::closeQuietly);
    }
  }
}
