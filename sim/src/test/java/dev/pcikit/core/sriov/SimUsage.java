package dev.pcikit.core.sriov;

import dev.pcikit.core.vfio.HostUsage;
import dev.pcikit.core.vfio.VfioDriverChooser;
import dev.pcikit.core.vfio.VfioEnvironment;
import dev.pcikit.sim.SimKernel;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** A simulated host's usage (nothing mounted; VFIO groups open as the sim says) and environment. */
final class SimUsage {
  private SimUsage() {}

  static HostUsage of(SimKernel kernel) {
    return new HostUsage() {
      public Set<String> mountedBlockDevices() {
        return Set.of();
      }

      public Set<String> swapDevices() {
        return Set.of();
      }

      public Set<String> defaultRouteInterfaces() {
        return Set.of();
      }

      public Set<String> interfacesWithAddresses() {
        return Set.of();
      }

      public Map<Integer, List<String>> openVfioGroups() {
        Map<Integer, List<String>> out = new TreeMap<>();
        for (int g : kernel.tree().groups()) {
          if (kernel.groupOpen(g)) {
            out.put(g, List.of("a simulated VM"));
          }
        }
        return out;
      }
    };
  }

  static VfioEnvironment env(SimKernel kernel, Path root) {
    return VfioEnvironment.underRoot(
        kernel, root, of(kernel), kernel::modprobe, VfioDriverChooser.GENERIC);
  }
}
