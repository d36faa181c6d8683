package dev.pcikit.cli;

import dev.pcikit.core.error.ExitCode;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.io.InputFiles;
import dev.pcikit.core.modalias.ModuleAliases;
import dev.pcikit.core.sysfs.SystemRoot;
import dev.pcikit.core.vfio.AliasVfioChooser;
import dev.pcikit.core.vfio.HostLock;
import dev.pcikit.core.vfio.HostUsage;
import dev.pcikit.core.vfio.ModprobeLoader;
import dev.pcikit.core.vfio.ModuleLoader;
import dev.pcikit.core.vfio.ProcHostUsage;
import dev.pcikit.core.vfio.VfioDriverChooser;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.sim.HostSession;
import dev.pcikit.sim.SimHostUsage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens the binding engine on the host the global options name.
 *
 * <ul>
 *   <li>this machine or a --root tree: sysfs at ROOT/sys, state in ROOT/var/lib/pcikit, lock in
 *       ROOT/run/pcikit, persistence in ROOT/etc/pcikit; modules loaded with modprobe only on the
 *       running system (--root /);
 *   <li>--host FILE|demo:NAME: the simulated kernel; journal, records, lock and persistence next to
 *       the host's state file ({@code STATEFILE.pcikit/}), modules loaded by the simulated kernel,
 *       groups held open as the simulation knows them. The session is loaded only once the lock is
 *       held, and saved before it is released.
 * </ul>
 */
final class VfioHost {
  private VfioHost() {}

  static VfioEnvironment environment(GlobalOptions global, Path stateDir, int lockTimeout) {
    if (lockTimeout < 0) {
      throw new PcikitException(
          ExitCode.USAGE, "--lock-timeout takes 0 or more seconds, not " + lockTimeout);
    }
    VfioEnvironment env = global.host().isPresent() ? simulated(global) : onRoot(global);
    env = env.withLockTimeout(Duration.ofSeconds(lockTimeout));
    env = stateDir == null ? env : env.withStateDir(stateDir);
    InputFiles.requireDirectoryPath(env.stateDir(), "state directory");
    InputFiles.requireDirectoryPath(env.runDir(), "lock directory");
    InputFiles.requireDirectoryPath(env.etcDir(), "etc directory");
    return env;
  }

  private static VfioEnvironment onRoot(GlobalOptions global) {
    SystemRoot root = global.systemRoot();
    boolean live = root.root().toAbsolutePath().normalize().equals(Path.of("/"));
    ModuleLoader modules = live ? new ModprobeLoader() : ModuleLoader.NONE;
    return VfioEnvironment.underRoot(
        global.sysfs(),
        root.root(),
        new ProcHostUsage(root.proc()),
        modules,
        new AliasVfioChooser(
            global.sysfs(), () -> ModuleAliases.load(root, ModuleAliases.runningRelease(root))));
  }

  /**
   * Where a recorded or demo host's sysfs was: what --dry-run prints, so that the lines can be run
   * on that host. Only shown, never opened here.
   */
  private static final String RECORDED_HOST_SYSFS = "/sys";

  private static VfioEnvironment simulated(GlobalOptions global) {
    String spec = global.host().orElseThrow();
    Path stateFile =
        spec.startsWith("demo:")
            ? HostSession.demoStateFile(spec.substring(5), System.getenv())
            : Path.of(spec);
    Path base = stateFile.toAbsolutePath().resolveSibling(stateFile.getFileName() + ".pcikit");
    LazySysfs sysfs = new LazySysfs(global::sysfs);
    HostUsage usage = new SimHostUsage(() -> global.hostSession().orElseThrow().kernel());
    return new VfioEnvironment(
        sysfs,
        RECORDED_HOST_SYSFS,
        base.resolve("var/lib/pcikit"),
        base.resolve("run/pcikit"),
        base.resolve("etc"),
        usage,
        m -> global.hostSession().orElseThrow().kernel().modprobe(m),
        VfioDriverChooser.GENERIC,
        Duration.ofSeconds(30));
  }

  /** A write command's frame: take the lock, finish any interrupted operation, run. */
  interface Work<T> {
    T run(VfioEngine engine) throws IOException;
  }

  static <T> T locked(GlobalOptions global, VfioEnvironment env, PrintWriter err, Work<T> work) {
    try (HostLock lock = HostLock.acquire(env.runDir(), env.lockTimeout())) {
      try {
        VfioEngine engine = new VfioEngine(env);
        engine.recover().ifPresent(m -> err.println("pcikit: recovered: " + m));
        // an interrupted 'sriov enable' after the bind transaction inside it
        new dev.pcikit.core.sriov.SriovPools(env)
            .recover()
            .ifPresent(m -> err.println("pcikit: recovered: " + m));
        err.flush();
        return work.run(engine);
      } finally {
        // --host: the simulated kernel's state is saved while the lock is still held (also when
        // the command failed part-way: the kernel kept what it did)
        global.saveHost();
      }
    } catch (IOException e) {
      throw new PcikitException(ExitCode.KERNEL_REFUSED, e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new PcikitException(ExitCode.KERNEL_REFUSED, e.getCause().getMessage(), e);
    }
  }
}
