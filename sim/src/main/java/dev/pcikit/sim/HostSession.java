package dev.pcikit.sim;

import dev.pcikit.core.error.Failure;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.sysfs.Sysfs;
import dev.pcikit.sim.demo.DemoHosts;
import dev.pcikit.sim.snapshot.Snapshots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A recorded or demo host opened for a command ({@code --host FILE} or {@code --host demo:NAME}):
 * its simulated kernel serves reads and writes, and {@link #save()} stores the new state back
 * atomically (temp file + rename), so consecutive commands see earlier writes.
 *
 * <p>{@code FILE} is loaded and saved in place. A demo host starts from its shipped snapshot and
 * keeps its state in {@code $PCIKIT_STATE_DIR/demo/NAME.snapshot} (system property {@code
 * pcikit.stateDir} first), else {@code $XDG_STATE_HOME/pcikit/demo/NAME.snapshot}, else {@code
 * ~/.local/state/pcikit/demo/NAME.snapshot}; {@link #resetDemo} forgets it.
 */
public final class HostSession {
  private final String spec;
  private final Path stateFile;
  private final SimKernel kernel;
  private final boolean demo;

  private final KillPoints killPoints = KillPoints.fromSystem();

  private HostSession(String spec, Path stateFile, SimKernel kernel, boolean demo) {
    this.spec = spec;
    this.stateFile = stateFile;
    this.kernel = kernel;
    this.demo = demo;
    kernel.beforeWrite(killPoints::event);
  }

  /** Opens {@code FILE} or {@code demo:NAME} with the process environment. */
  public static HostSession open(String spec) {
    return open(spec, System.getenv());
  }

  public static HostSession open(String spec, Map<String, String> env) {
    if (spec.startsWith("demo:")) {
      String name = spec.substring("demo:".length());
      Path state = demoStateFile(name, env);
      HostSysfs fs = Files.exists(state) ? Snapshots.load(state) : DemoHosts.load(name);
      return new HostSession(spec, state, new SimKernel(fs), true);
    }
    Path file = Path.of(spec);
    return new HostSession(spec, file, new SimKernel(Snapshots.load(file)), false);
  }

  /** Where a demo host's state lives. */
  public static Path demoStateFile(String name, Map<String, String> env) {
    if (!DemoHosts.NAMES.contains(name)) {
      throw new PcikitException(
          Failure.NOT_FOUND,
          "no demo host '" + name + "' (demo hosts: " + String.join(", ", DemoHosts.NAMES) + ")");
    }
    Path dir = stateDir(env);
    dev.pcikit.core.io.InputFiles.requireDirectoryPath(dir, "demo state directory");
    return dir.resolve(name + ".snapshot");
  }

  static Path stateDir(Map<String, String> env) {
    // system property for embedding applications and in-process tests (env cannot be set there)
    String own = System.getProperty("pcikit.stateDir", env.get("PCIKIT_STATE_DIR"));
    if (own != null && !own.isEmpty()) {
      return Path.of(own, "demo");
    }
    String xdg = env.get("XDG_STATE_HOME");
    if (xdg != null && !xdg.isEmpty()) {
      return Path.of(xdg, "pcikit", "demo");
    }
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    return Path.of(home, ".local", "state", "pcikit", "demo");
  }

  /** Forgets a demo host's state: the next command starts from the shipped snapshot. */
  public static boolean resetDemo(String name, Map<String, String> env) throws IOException {
    return Files.deleteIfExists(demoStateFile(name, env));
  }

  /** The host as every command sees it. */
  public Sysfs sysfs() {
    return kernel;
  }

  public SimKernel kernel() {
    return kernel;
  }

  public String spec() {
    return spec;
  }

  public boolean isDemo() {
    return demo;
  }

  /** The file the state is saved to. */
  public Path stateFile() {
    return stateFile;
  }

  private int savedWrites;

  /** Whether a write reached the kernel since the host was opened or last saved. */
  public boolean changed() {
    return kernel.writes() > savedWrites;
  }

  /**
   * Saves the state back (atomically and durably) if anything was written. Called ahead of every
   * write of pcikit's journal, records and persisted bindings and at the end of a write command, so
   * that the saved host is never older than those files (docs/simulation.md).
   */
  public void save() {
    killPoints.event();
    if (!changed()) {
      killPoints.event();
      return;
    }
    try {
      Snapshots.save(kernel, stateFile);
      killPoints.event();
      // a command that saved under its lock must not save again after releasing it (another
      // invocation may have saved a newer state in between)
      savedWrites = kernel.writes();
    } catch (IOException e) {
      throw new PcikitException(
          Failure.INTERNAL, "cannot save host state to " + stateFile + ": " + e.getMessage(), e);
    }
  }
}
