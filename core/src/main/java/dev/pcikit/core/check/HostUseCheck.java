package dev.pcikit.core.check;

import dev.pcikit.core.inventory.PciDevice;
import java.util.List;

/**
 * What the running host uses a device for, as far as handing it to a guest would break the host:
 * mounted disks, swap, md/dm/LVM holders, a NIC carrying the default route, a VFIO group a VM holds
 * open. The binding engine's safety rules answer this on a live host ({@code
 * dev.pcikit.core.vfio}); {@link #NONE} when nothing is known about usage (then {@code check} says
 * so in a host finding).
 */
public interface HostUseCheck {

  /** One finding per use; BLOCKING for uses the host cannot lose, WARNING for lesser ones. */
  List<Finding> uses(PciDevice device);

  /** Whether this implementation looked at mounts, swap and routes at all. */
  default boolean inspectsUsage() {
    return true;
  }

  HostUseCheck NONE =
      new HostUseCheck() {
        @Override
        public List<Finding> uses(PciDevice device) {
          return List.of();
        }

        @Override
        public boolean inspectsUsage() {
          return false;
        }
      };
}
