package dev.pcikit.fleet;

import java.util.List;
import java.util.Objects;

/**
 * One PCI function of one host as the fleet stores it: the columns queries filter on, and the
 * function's inventory JSON ({@code doc}, one element of pcikit/inventory/v1 "devices").
 *
 * <p>{@code freeVfs} is set on a PF: its VFs that are on no driver or on vfio-pci, held by no
 * process or guest, and responding. {@code groupStatus} is the IOMMU group's viability computed
 * from the document as the core's GroupStatus does (vfio-viable, host, mixed).
 */
public record DeviceRow(
    String fingerprint,
    String bdf,
    Integer vendor,
    Integer device,
    Integer subsystemVendor,
    Integer subsystemDevice,
    Integer classCode,
    String vendorName,
    String deviceName,
    String driver,
    Integer numaNode,
    Integer iommuGroup,
    String groupStatus,
    boolean bridge,
    String sriovRole,
    String pfFingerprint,
    Integer totalVfs,
    Integer numVfs,
    Integer freeVfs,
    List<String> heldBy,
    boolean notResponding,
    String doc,
    String docHash) {

  /** Whether a stored row and this one differ in anything a query or an export reads. */
  public boolean sameAs(DeviceRow o) {
    return Objects.equals(docHash, o.docHash)
        && Objects.equals(bdf, o.bdf)
        && Objects.equals(driver, o.driver)
        && Objects.equals(groupStatus, o.groupStatus)
        && Objects.equals(freeVfs, o.freeVfs)
        && Objects.equals(heldBy, o.heldBy);
  }
}
