package dev.pcikit.core.sriov;

import dev.pcikit.core.vfio.VfioDriverChooser;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.sim.SimHostUsage;
import dev.pcikit.sim.SimKernel;
import java.nio.file.Path;

/** A VFIO environment on a simulated host: nothing mounted, VFIO groups open as the sim says. */
final class SimUsage {
  private SimUsage() {}

  static VfioEnvironment env(SimKernel kernel, Path root) {
    return VfioEnvironment.underRoot(
        kernel, root, new SimHostUsage(kernel), kernel::modprobe, VfioDriverChooser.GENERIC);
  }
}
