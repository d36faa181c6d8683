package dev.pcikit.http.unix;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * One open connection: its streams, each call guarded by a {@link Watchdog} (a call that makes no
 * progress for the timeout fails with a {@link SocketTimeoutException}).
 */
final class Connection implements Closeable {
  private final Closeable socket;
  private final Watchdog watch;
  private final String address;
  private final Duration timeout;
  final InputStream in;
  final OutputStream out;

  private Connection(
      Closeable socket, InputStream rawIn, OutputStream rawOut, String address, Duration timeout) {
    this.socket = socket;
    this.address = address;
    this.timeout = timeout;
    this.watch = new Watchdog(socket, timeout);
    this.in = new BufferedInputStream(new GuardedIn(rawIn), 65536);
    this.out = new GuardedOut(rawOut);
  }

  static Connection unix(Path path, Duration timeout) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      // connect(2) on a Unix socket does not wait for the server: it succeeds or fails at once
      ch.connect(UnixDomainSocketAddress.of(path));
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot connect to " + path + ": " + e.getMessage(), e);
    }
    return new Connection(
        ch, Channels.newInputStream(ch), Channels.newOutputStream(ch), "unix:" + path, timeout);
  }

  static Connection tcp(String host, int port, SSLContext tls, Duration timeout)
      throws IOException {
    Socket s;
    if (tls != null) {
      SSLSocket ss = (SSLSocket) tls.getSocketFactory().createSocket();
      SSLParameters p = ss.getSSLParameters();
      p.setEndpointIdentificationAlgorithm("HTTPS");
      ss.setSSLParameters(p);
      s = ss;
    } else {
      s = new Socket();
    }
    try {
      s.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      return new Connection(s, s.getInputStream(), s.getOutputStream(), host + ":" + port, timeout);
    } catch (IOException e) {
      s.close();
      throw e;
    }
  }

  /** The watchdog closed this connection: calls fail as timeouts. */
  boolean timedOut() {
    return watch.fired();
  }

  private IOException translate(IOException e) {
    if (watch.fired() && !(e instanceof SocketTimeoutException)) {
      SocketTimeoutException t =
          new SocketTimeoutException(
              "no progress talking to " + address + " for " + timeout.toMillis() + " ms");
      t.initCause(e);
      return t;
    }
    return e;
  }

  @Override
  public void close() throws IOException {
    watch.cancel();
    socket.close();
  }

  private final class GuardedIn extends Wire.BlockInput {
    private final InputStream raw;

    GuardedIn(InputStream raw) {
      this.raw = raw;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        int n = raw.read(b, off, len);
        watch.progress();
        return n;
      } catch (IOException e) {
        throw translate(e);
      }
    }
  }

  private final class GuardedOut extends OutputStream {
    private final OutputStream raw;

    GuardedOut(OutputStream raw) {
      this.raw = raw;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      // in slices, so that a large body that the peer reads slowly still counts as progress
      try {
        for (int i = off; i < off + len; i += 65536) {
          raw.write(b, i, Math.min(65536, off + len - i));
          watch.progress();
        }
      } catch (IOException e) {
        throw translate(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        raw.flush();
      } catch (IOException e) {
        throw translate(e);
      }
    }
  }
}
