package dev.pcikit.core.watch;

import dev.pcikit.core.host.Host;
import dev.pcikit.core.host.SystemHost;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Kernel uevents from a {@code udevadm monitor --kernel --subsystem-match=pci} child process. Java
 * cannot open an AF_NETLINK socket (NETLINK_KOBJECT_UEVENT) without native code, and pcikit's core
 * has no native code; udevadm listens on that socket for us and prints one line per event ({@link
 * Uevent#parse}), line-buffered (systemd's udevadm-monitor.c: "callers are expecting to see events
 * as they happen"), so each event crosses the pipe at once. The kernel sends uevents to the initial
 * network namespace only, so a process in a container with its own network namespace hears nothing:
 * the periodic rescan covers that case.
 */
public final class UdevadmMonitor implements AutoCloseable {
  private static final List<String> PLACES =
      List.of("/usr/bin/udevadm", "/bin/udevadm", "/sbin/udevadm", "/usr/sbin/udevadm");

  private final Process process;
  private final Thread reader;

  private UdevadmMonitor(Process process, Thread reader) {
    this.process = process;
    this.reader = reader;
  }

  /**
   * The command to hear {@code host}'s uevents with: only for the running system's root (a copied
   * tree or a simulated host has no kernel sending them) and when udevadm is installed.
   */
  public static Optional<List<String>> commandFor(Host host) {
    if (!(host instanceof SystemHost s) || !s.live()) {
      return Optional.empty();
    }
    for (String p : PLACES) {
      if (Files.isExecutable(Path.of(p))) {
        return Optional.of(List.of(p, "monitor", "--kernel", "--subsystem-match=pci"));
      }
    }
    return Optional.empty();
  }

  /**
   * Starts {@code command} and hands each PCI uevent it prints to {@code sink} (on a daemon thread
   * of its own); {@code onExit} gets one sentence when the child ends or cannot be read.
   */
  public static UdevadmMonitor start(
      List<String> command, Consumer<Uevent> sink, Consumer<String> onExit) throws IOException {
    Process p =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = p.getInputStream()) {
                readLines(in, line -> Uevent.parse(line).ifPresent(sink));
                onExit.accept(command.get(0) + " ended (exit " + p.waitFor() + ")");
              } catch (IOException e) {
                onExit.accept(command.get(0) + " unreadable: " + e.getMessage());
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "pcikit-uevents");
    t.setDaemon(true);
    t.start();
    return new UdevadmMonitor(p, t);
  }

  /** Splits a stream into lines, dropping (not buffering) the rest of any line over the bound. */
  static void readLines(InputStream in, Consumer<String> line) throws IOException {
    byte[] buf = new byte[Uevent.MAX_LINE];
    int n = 0;
    boolean overlong = false;
    int b;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        if (!overlong) {
          line.accept(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        n = 0;
        overlong = false;
      } else if (n < buf.length) {
        buf[n++] = (byte) b;
      } else {
        overlong = true;
      }
    }
  }

  /** Whether the child still runs. */
  public boolean alive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
    reader.interrupt();
  }
}
