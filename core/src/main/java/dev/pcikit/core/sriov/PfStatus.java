package dev.pcikit.core.sriov;

import dev.pcikit.core.model.PciAddress;
import java.util.List;

/** One SR-IOV PF: its counts, autoprobe, driver, and each enabled VF. */
public record PfStatus(
    PciAddress address,
    int totalVfs,
    int numVfs,
    boolean autoprobe,
    String driver,
    List<VfStatus> vfs) {

  /** One VF: index (virtfnN), driver, IOMMU group, and who holds the group open. */
  public record VfStatus(
      PciAddress address, int index, String driver, Integer group, List<String> heldBy) {}
}
