package dev.pcikit.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal QMP client over QEMU's unix socket: one JSON object per line; after the greeting,
 * qmp_capabilities enters command mode; each command is answered by a "return" or "error" line,
 * asynchronous "event" lines may come in between (kept in the transcript).
 */
public final class Qmp implements AutoCloseable {
  private final SocketChannel channel;
  private final BufferedReader in;
  private final OutputStream out;
  private final List<String> transcript = new ArrayList<>();

  private Qmp(SocketChannel channel) {
    this.channel = channel;
    this.in =
        new BufferedReader(
            new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
    this.out = Channels.newOutputStream(channel);
  }

  public static Qmp connect(Path socket) throws IOException {
    SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
    ch.connect(UnixDomainSocketAddress.of(socket));
    Qmp q = new Qmp(ch);
    q.transcript.add("<- " + q.in.readLine()); // greeting
    q.execute("{\"execute\":\"qmp_capabilities\"}");
    return q;
  }

  /** Sends one command and returns its answer line ({"return":...} or {"error":...}). */
  public String execute(String json) throws IOException {
    transcript.add("-> " + json);
    out.write((json + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    for (String line; (line = in.readLine()) != null; ) {
      transcript.add("<- " + line);
      if (line.contains("\"return\"") || line.contains("\"error\"")) {
        return line;
      }
    }
    throw new IOException("QMP connection closed");
  }

  public List<String> transcript() {
    return List.copyOf(transcript);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
