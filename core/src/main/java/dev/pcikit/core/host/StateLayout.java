package dev.pcikit.core.host;

import java.nio.file.Path;

/**
 * Where pcikit keeps its own state on a host: the state directory (journals, binding records), the
 * runtime directory (the lock) and the etc directory ({@code pcikit/} persistence, {@code
 * driverctl.d}).
 *
 * @param stateDir journals and binding records ({@code ROOT/var/lib/pcikit} on a system root)
 * @param runDir the lock ({@code ROOT/run/pcikit})
 * @param etcDir persisted bindings and driverctl overrides ({@code ROOT/etc})
 */
public record StateLayout(Path stateDir, Path runDir, Path etcDir) {

  /** The layout under a system root: {@code var/lib/pcikit}, {@code run/pcikit}, {@code etc}. */
  public static StateLayout under(Path root) {
    return new StateLayout(
        root.resolve("var/lib/pcikit"), root.resolve("run/pcikit"), root.resolve("etc"));
  }

  /** The same layout with another state directory. */
  public StateLayout withStateDir(Path dir) {
    return new StateLayout(dir, runDir, etcDir);
  }
}
