package dev.pcikit.cli;

import dev.pcikit.core.error.ExitCode;
import dev.pcikit.core.error.PcikitException;
import dev.pcikit.core.modalias.ModuleAliases;
import dev.pcikit.core.sysfs.SystemRoot;
import dev.pcikit.core.vfio.AliasVfioChooser;
import dev.pcikit.core.vfio.HostLock;
import dev.pcikit.core.vfio.ModprobeLoader;
import dev.pcikit.core.vfio.ModuleLoader;
import dev.pcikit.core.vfio.ProcHostUsage;
import dev.pcikit.core.vfio.VfioEngine;
import dev.pcikit.core.vfio.VfioEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens the binding engine on the host the global options name: sysfs at ROOT/sys, state in
 * ROOT/var/lib/pcikit, lock in ROOT/run/pcikit, persistence in ROOT/etc/pcikit. Modules are loaded
 * with modprobe only on the running system (--root /).
 */
final class VfioHost {
  private VfioHost() {}

  static VfioEnvironment environment(GlobalOptions global, Path stateDir, int lockTimeout) {
    if (global.host().isPresent()) {
      throw new PcikitException(
          ExitCode.USAGE,
          "--host is not available for vfio commands in this build (the simulated kernel is wired"
              + " in by the rehearsal work); use --root DIR");
    }
    SystemRoot root = global.systemRoot();
    boolean live = root.root().toAbsolutePath().normalize().equals(Path.of("/"));
    ModuleLoader modules = live ? new ModprobeLoader() : ModuleLoader.NONE;
    VfioEnvironment env =
        VfioEnvironment.underRoot(
                global.sysfs(),
                root.root(),
                new ProcHostUsage(root.proc()),
                modules,
                new AliasVfioChooser(
                    global.sysfs(),
                    () -> ModuleAliases.load(root, ModuleAliases.runningRelease(root))))
            .withLockTimeout(Duration.ofSeconds(lockTimeout));
    if (live) {
      env =
          new VfioEnvironment(
              env.sysfs(),
              "/sys",
              env.stateDir(),
              env.runDir(),
              env.etcDir(),
              env.usage(),
              env.modules(),
              env.chooser(),
              env.lockTimeout());
    }
    return stateDir == null ? env : env.withStateDir(stateDir);
  }

  /** A write command's frame: take the lock, finish any interrupted operation, run. */
  interface Work<T> {
    T run(VfioEngine engine) throws IOException;
  }

  static <T> T locked(VfioEnvironment env, PrintWriter err, Work<T> work) {
    try (HostLock lock = HostLock.acquire(env.runDir(), env.lockTimeout())) {
      VfioEngine engine = new VfioEngine(env);
      engine.recover().ifPresent(m -> err.println("pcikit: recovered: " + m));
      err.flush();
      return work.run(engine);
    } catch (IOException e) {
      throw new PcikitException(ExitCode.KERNEL_REFUSED, e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw new PcikitException(ExitCode.KERNEL_REFUSED, e.getCause().getMessage(), e);
    }
  }
}
