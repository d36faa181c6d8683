package dev.pcikit.core.plan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A minimal QMP client over a unix socket, for tests. */
final class Qmp implements AutoCloseable {
  private final SocketChannel ch;
  private final BufferedReader in;
  private final Writer out;

  private Qmp(SocketChannel ch) throws IOException {
    this.ch = ch;
    in =
        new BufferedReader(
            new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
    out = Channels.newWriter(ch, StandardCharsets.UTF_8);
    in.readLine(); // greeting
    command("{\"execute\":\"qmp_capabilities\"}");
  }

  static Qmp connect(Path socket, Process qemu) throws IOException, InterruptedException {
    for (int i = 0; i < 300; i++) {
      if (Files.exists(socket)) {
        try {
          SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
          ch.connect(UnixDomainSocketAddress.of(socket));
          return new Qmp(ch);
        } catch (IOException e) {
          // not listening yet
        }
      }
      if (!qemu.isAlive()) {
        throw new IOException(
            "QEMU exited: "
                + new String(qemu.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      Thread.sleep(100);
    }
    throw new IOException("QMP socket did not come up");
  }

  /** Sends one command and returns its "return" value (events are skipped). */
  Object command(String json) throws IOException {
    out.write(json + "\n");
    out.flush();
    while (true) {
      String line = in.readLine();
      if (line == null) {
        throw new IOException("QMP closed");
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) MiniJson.parse(line);
      if (m.containsKey("return")) {
        return m.get("return");
      }
      if (m.containsKey("error")) {
        throw new IOException("QMP error: " + line);
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      out.write("{\"execute\":\"quit\"}\n");
      out.flush();
    } catch (IOException e) {
      // already gone
    }
    ch.close();
  }
}
