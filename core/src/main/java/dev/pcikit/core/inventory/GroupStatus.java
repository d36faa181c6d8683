package dev.pcikit.core.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Whether an IOMMU group can be handed to a guest as it is. VFIO accepts a group only when every
 * endpoint in it is bound to a VFIO driver or to no driver; bridges don't count
 * (drivers/vfio/group.c, vfio_dev_viable; pcieport on a root port is fine).
 */
public record GroupStatus(
    IommuGroup group, Kind kind, List<PciDevice> endpoints, List<PciDevice> blockers) {

  /** Whether a group can be given to a VM as it is. */
  public enum Kind {
    /** Every endpoint on a VFIO driver or none: the group can be opened. */
    VFIO_VIABLE,
    /** No endpoint is on VFIO: a host-owned group. */
    HOST,
    /** Some endpoints on VFIO, others on host drivers: not viable. */
    MIXED
  }

  public static GroupStatus of(IommuGroup group, Inventory inventory) {
    List<PciDevice> endpoints = new ArrayList<>();
    for (var addr : group.members()) {
      inventory.device(addr).filter(d -> !d.isBridge()).ifPresent(endpoints::add);
    }
    List<PciDevice> blockers = new ArrayList<>();
    int vfio = 0;
    for (PciDevice d : endpoints) {
      if (d.boundToVfio()) {
        vfio++;
      } else if (d.driver().isPresent()) {
        blockers.add(d);
      }
    }
    Kind kind;
    if (blockers.isEmpty() && vfio > 0) {
      kind = Kind.VFIO_VIABLE;
    } else if (vfio == 0) {
      kind = Kind.HOST;
    } else {
      kind = Kind.MIXED;
    }
    return new GroupStatus(group, kind, endpoints, blockers);
  }

  /** All members are endpoints (no bridge shares the group). */
  public boolean allEndpoints() {
    return endpoints.size() == group.members().size();
  }
}
