package dev.pcikit.core.inventory;

import dev.pcikit.core.model.PciAddress;
import java.util.List;

/** An IOMMU group (on POWER: a partitionable endpoint) and its member functions, sorted. */
public record IommuGroup(int id, List<PciAddress> members) {
  public IommuGroup {
    members = List.copyOf(members);
  }
}
