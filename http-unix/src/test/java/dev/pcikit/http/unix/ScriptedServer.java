package dev.pcikit.http.unix;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real Unix domain socket server for the client's tests: each accepted connection is handed to
 * the script of the test, which reads and writes raw bytes (the JDK's own server would not let a
 * test answer before reading the body, delay a chunk's CRLF or send a broken head).
 */
final class ScriptedServer implements AutoCloseable {
  interface Script {
    void run(SocketChannel ch) throws Exception;
  }

  private final ServerSocketChannel server;
  private final Thread thread;
  private final LinkedBlockingQueue<Object> outcomes = new LinkedBlockingQueue<>();
  final Path socket;

  ScriptedServer(Path dir, Script script) throws IOException {
    socket = dir.resolve("http.sock");
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    thread =
        new Thread(
            () -> {
              try (SocketChannel ch = server.accept()) {
                script.run(ch);
                outcomes.add("done");
              } catch (Exception | AssertionError e) {
                outcomes.add(e);
              }
            },
            "scripted-server");
    thread.setDaemon(true);
    thread.start();
  }

  /** Waits for the script to end and rethrows what it threw. */
  void await() throws Exception {
    Object o = outcomes.poll(30, TimeUnit.SECONDS);
    if (o instanceof Exception e) {
      throw e;
    }
    if (o instanceof Error e) {
      throw e;
    }
    if (o == null) {
      throw new AssertionError("the server's script did not end");
    }
  }

  /** Reads the request head (through the blank line), byte by byte so that no body is read. */
  static String readHead(SocketChannel ch) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    ByteBuffer one = ByteBuffer.allocate(1);
    while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      one.clear();
      if (ch.read(one) < 0) {
        throw new IOException("client closed inside the head");
      }
      b.write(one.array()[0]);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  static void write(SocketChannel ch, String s) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  @Override
  public void close() throws Exception {
    server.close();
    thread.join(5000);
  }
}
