package dev.pcikit.agent;

import dev.pcikit.core.host.Host;
import dev.pcikit.core.host.SystemHost;
import dev.pcikit.sim.HostSession;
import dev.pcikit.sim.SimulatedHost;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The host the agent serves, as reads and writes need it.
 *
 * <p>A system root ({@code --root}) is read live: sysfs is the truth, nothing is cached. A recorded
 * or demo host ({@code --host}) keeps its state in a file that the CLI may rewrite at any time
 * (under the host lock): reads use a host loaded from that file and load it again whenever the file
 * changed (its inode, size or modification time: the CLI replaces it by rename), so an agent answer
 * is never older than the last write that finished, whoever made it. Reads of a simulated host are
 * serialised (the simulated kernel is not meant for concurrent use); writes use a host of their own
 * ({@link #forWriting}), which {@link Host#lock} loads afresh under the lock.
 */
public final class HostView {
  private final String spec;
  private final Path root;
  private final Path stateFile;
  private final List<Path> stateDirs;
  private final AtomicLong generation = new AtomicLong();
  private final ReentrantLock simLock = new ReentrantLock();
  private volatile Loaded loaded;

  private record Loaded(List<Object> key, Host host) {}

  private HostView(String spec, Path root, Path stateFile) {
    this.spec = spec;
    this.root = root;
    this.stateFile = stateFile;
    if (spec != null) {
      dev.pcikit.core.host.StateLayout l = SimulatedHost.open(spec).layout();
      this.stateDirs =
          List.of(
              l.stateDir(),
              l.etcDir(),
              l.etcDir().resolve("pcikit"),
              l.etcDir().resolve("driverctl.d"));
    } else {
      this.stateDirs = List.of();
    }
  }

  /** A recorded or demo host ({@code FILE} or {@code demo:NAME}). */
  public static HostView simulated(String spec) {
    Path state =
        spec.startsWith("demo:")
            ? HostSession.demoStateFile(spec.substring(5), System.getenv())
            : Path.of(spec);
    HostView v = new HostView(spec, null, state);
    v.read(h -> h.name()); // a missing or unreadable FILE fails now, not on the first request
    return v;
  }

  /** A system root: {@code /} or a copied tree. */
  public static HostView system(Path root) {
    HostView v = new HostView(null, root, null);
    v.loaded = new Loaded(List.of(), SystemHost.of(root));
    return v;
  }

  public boolean simulatedHost() {
    return stateFile != null;
  }

  /** How the host is named: "/", "demo:nic-farm", a file. */
  public String name() {
    return spec != null ? spec : root.toString();
  }

  /**
   * Runs a read on the current host: for a simulated host, reloaded first if its state file
   * changed, and one read at a time.
   */
  public <T> T read(Function<Host, T> reader) {
    if (stateFile == null) {
      return reader.apply(loaded.host());
    }
    simLock.lock();
    try {
      List<Object> key = stateKey();
      Loaded l = loaded;
      if (l == null || !l.key().equals(key)) {
        l = new Loaded(key, SimulatedHost.open(spec));
        loaded = l;
        generation.incrementAndGet();
      }
      return reader.apply(l.host());
    } finally {
      simLock.unlock();
    }
  }

  /**
   * A number that changes whenever what {@link #read} sees may have changed, for caches: for a
   * simulated host, a new state file; for any host, {@link #changed}. Checks the state file (a
   * stat) on each call.
   */
  public long generation() {
    if (stateFile != null) {
      List<Object> key = stateKey();
      Loaded l = loaded;
      if (l == null || !l.key().equals(key)) {
        read(h -> null);
      }
    }
    return generation.get();
  }

  /** Whether answers may be cached between requests (only what {@link #generation} tracks). */
  public boolean cacheable() {
    return stateFile != null;
  }

  /** A write or an observed change: caches keyed on {@link #generation} are dropped. */
  public void changed() {
    generation.incrementAndGet();
  }

  /** A host object for one write ({@link Host#lock} loads the simulated state afresh). */
  public Host forWriting() {
    return stateFile != null ? SimulatedHost.open(spec) : loaded.host();
  }

  private List<Object> stateKey() {
    try {
      BasicFileAttributes a =
          Files.readAttributes(stateFile, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return List.of(
          Objects.toString(a.fileKey()),
          a.size(),
          a.lastModifiedTime().toMillis(),
          a.lastModifiedTime().toString());
    } catch (NoSuchFileException e) {
      return List.of("absent");
    } catch (IOException e) {
      return List.of("unreadable", String.valueOf(e.getMessage()));
    }
  }
}
