package dev.pcikit.core.plan;

import dev.pcikit.core.model.PciAddress;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What the planner needs to know about one host PCI function. The inventory (or a recording, or a
 * demo host) produces these; the planner never reads sysfs itself.
 *
 * @param address the host address (0000:03:00.0)
 * @param vendor PCI vendor ID
 * @param device PCI device ID
 * @param classCode 24-bit class code (0x010802 for NVMe)
 * @param iommuGroup the kernel's IOMMU group number, or {@link #NO_GROUP}
 * @param numaNode the host NUMA node, or {@link #NO_NODE} (the kernel's -1)
 * @param pcie whether the function has a PCI Express capability
 * @param configSize size of the sysfs {@code config} file: 4096 when extended config space is
 *     reachable on the host, 256 otherwise
 * @param multifunction header type bit 7 (the host device has several functions)
 * @param physfn the PF when this function is an SR-IOV VF
 */
public record HostFunction(
    PciAddress address,
    int vendor,
    int device,
    int classCode,
    int iommuGroup,
    int numaNode,
    boolean pcie,
    int configSize,
    boolean multifunction,
    Optional<PciAddress> physfn) {

  public static final int NO_GROUP = -1;
  public static final int NO_NODE = -1;

  public HostFunction {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(physfn, "physfn");
    if (configSize != 64 && configSize != 256 && configSize != 4096) {
      throw new IllegalArgumentException("config size must be 64, 256 or 4096: " + configSize);
    }
  }

  /** Whether the host can reach extended config space (offset 0x100 and above). */
  public boolean hostExtendedConfig() {
    return pcie && configSize >= 4096;
  }

  /** PCI-to-PCI bridges and root ports (class 06 04 xx) are never passed through. */
  public boolean isBridge() {
    return (classCode >>> 8) == 0x0604;
  }

  /** The host slot this function belongs to (function number zeroed). */
  public PciAddress slot() {
    return new PciAddress(address.domain(), address.bus(), address.device(), 0);
  }

  public String ids() {
    return String.format(Locale.ROOT, "%04x:%04x", vendor, device);
  }
}
