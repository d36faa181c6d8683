package dev.pcikit.bench;

import dev.pcikit.sim.demo.DemoHosts;
import dev.pcikit.sim.snapshot.TreeMaterializer;
import java.nio.file.Path;

/**
 * Writes a demo host's sysfs as a directory tree, to be read with {@code --root} or by {@link
 * FirstScanTime} through the file system (where syscalls can be counted).
 *
 * <p>Usage: {@code java -cp pcikit-bench.jar dev.pcikit.bench.MaterializeDemo NAME DIR/sys}
 */
public final class MaterializeDemo {
  private MaterializeDemo() {}

  public static void main(String[] args) throws Exception {
    TreeMaterializer.materialize(DemoHosts.load(args[0]), Path.of(args[1]));
  }
}
