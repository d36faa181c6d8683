package dev.pcikit.core.check;

import dev.pcikit.core.model.PciAddress;
import java.util.List;

/**
 * Whether one device can be given to a guest, and every reason.
 *
 * @param groupPeers the other endpoints of its IOMMU group, which would have to go with it
 */
public record DeviceReport(
    PciAddress address, List<Finding> findings, Integer iommuGroup, List<PciAddress> groupPeers) {

  public DeviceReport {
    findings = List.copyOf(findings);
    groupPeers = List.copyOf(groupPeers);
  }

  public Verdict verdict() {
    return Verdict.worst(findings);
  }

  public boolean assignable() {
    return verdict() != Verdict.BLOCKING;
  }
}
