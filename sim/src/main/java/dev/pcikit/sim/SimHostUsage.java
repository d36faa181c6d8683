package dev.pcikit.sim;

import dev.pcikit.core.vfio.HostUsage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Host usage of a simulated host (--host): a recording has no mounts, swap or routes of its own;
 * the groups held open are those the simulated kernel's VFIO users opened.
 */
public final class SimHostUsage implements HostUsage {
  private final Supplier<SimKernel> kernel;

  /**
   * @param kernel asked only when groups are checked: the host session opens lazily
   */
  public SimHostUsage(Supplier<SimKernel> kernel) {
    this.kernel = kernel;
  }

  public SimHostUsage(SimKernel kernel) {
    this(() -> kernel);
  }

  /** The groups held open, as the simulated kernel's VFIO users opened them. */
  public static Map<Integer, List<String>> openVfioGroups(SimKernel k) {
    Map<Integer, List<String>> out = new TreeMap<>();
    for (int g : k.tree().groups()) {
      if (k.groupOpen(g)) {
        out.put(g, List.of("a simulated VM"));
      }
    }
    return out;
  }

  @Override
  public Set<String> mountedBlockDevices() {
    return Set.of();
  }

  @Override
  public Set<String> swapDevices() {
    return Set.of();
  }

  @Override
  public Set<String> defaultRouteInterfaces() {
    return Set.of();
  }

  @Override
  public Set<String> interfacesWithAddresses() {
    return Set.of();
  }

  @Override
  public Map<Integer, List<String>> openVfioGroups() {
    return openVfioGroups(kernel.get());
  }
}
