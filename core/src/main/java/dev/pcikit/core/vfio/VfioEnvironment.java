package dev.pcikit.core.vfio;

import dev.pcikit.core.sysfs.Sysfs;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the binding engine touches, as parameters: the sysfs port, how to show its root in
 * --dry-run lines, the state directory (journal, bindings), the runtime directory (lock), the etc
 * directory (pcikit/ persistence, driverctl.d), and the ports for host usage and module loading.
 */
public record VfioEnvironment(
    Sysfs sysfs,
    String sysfsDisplayRoot,
    Path stateDir,
    Path runDir,
    Path etcDir,
    HostUsage usage,
    ModuleLoader modules,
    VfioDriverChooser chooser,
    Duration lockTimeout) {

  /** The default layout under a system root: var/lib/pcikit, run/pcikit, etc. */
  public static VfioEnvironment underRoot(
      Sysfs sysfs, Path root, HostUsage usage, ModuleLoader modules, VfioDriverChooser chooser) {
    return new VfioEnvironment(
        sysfs,
        root.resolve("sys").toString(),
        root.resolve("var/lib/pcikit"),
        root.resolve("run/pcikit"),
        root.resolve("etc"),
        usage,
        modules,
        chooser,
        Duration.ofSeconds(30));
  }

  public VfioEnvironment withModules(ModuleLoader m) {
    return new VfioEnvironment(
        sysfs, sysfsDisplayRoot, stateDir, runDir, etcDir, usage, m, chooser, lockTimeout);
  }

  public VfioEnvironment withLockTimeout(Duration d) {
    return new VfioEnvironment(
        sysfs, sysfsDisplayRoot, stateDir, runDir, etcDir, usage, modules, chooser, d);
  }

  public VfioEnvironment withStateDir(Path d) {
    return new VfioEnvironment(
        sysfs, sysfsDisplayRoot, d, runDir, etcDir, usage, modules, chooser, lockTimeout);
  }
}
