package dev.pcikit.core.vfio;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the running system uses, as far as unbinding a device could hurt it: mounts, swap, network
 * routes and addresses, and processes holding VFIO groups open (running VMs). Read from {@code
 * ROOT/proc} by {@link ProcHostUsage}; the simulated kernel answers group holders itself.
 */
public interface HostUsage {

  /** Block device names (without /dev/) that are mounted, e.g. "nvme0n1p2", "dm-0". */
  Set<String> mountedBlockDevices() throws IOException;

  /** Block device names used as swap. */
  Set<String> swapDevices() throws IOException;

  /** Interfaces that carry the IPv4 default route. */
  Set<String> defaultRouteInterfaces() throws IOException;

  /** Interfaces with an address (IPv4 connected route, or a non-link-local IPv6 address). */
  Set<String> interfacesWithAddresses() throws IOException;

  /** VFIO group number → processes ("pid 4242 (qemu-system-x86)") that hold /dev/vfio/N open. */
  Map<Integer, List<String>> openVfioGroups() throws IOException;
}
