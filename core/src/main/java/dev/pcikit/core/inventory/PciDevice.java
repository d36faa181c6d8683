package dev.pcikit.core.inventory;

import dev.pcikit.core.model.DeviceSelector;
import dev.pcikit.core.model.PciAddress;
import java.util.List;
import java.util.Optional;

/**
 * One PCI function as sysfs shows it. Numeric IDs are -1 when the attribute is missing or not a
 * number (a {@link Problem} says which). Optional values are empty when the kernel does not publish
 * them (no driver, no IOMMU, not a VF...).
 *
 * @param devicePath the device directory relative to the sysfs root (devices/pci0000:00/...)
 * @param numaNode -1 when the platform reports no node
 * @param config the config bytes that were readable (64 for a non-root reader)
 * @param zpciVfn the s390 zPCI VF number ({@code vfn} attribute, arch/s390/pci/pci_sysfs.c), 0 when
 *     the function is no zPCI VF
 */
public record PciDevice(
    PciAddress address,
    String devicePath,
    int vendor,
    int device,
    int subsystemVendor,
    int subsystemDevice,
    int classCode,
    int revision,
    Optional<String> modalias,
    Optional<String> driver,
    Optional<String> driverModule,
    Optional<String> driverOverride,
    int numaNode,
    Optional<Integer> iommuGroup,
    Optional<PciAddress> physfn,
    List<PciAddress> virtfns,
    Optional<SriovInfo> sriov,
    Optional<List<String>> resetMethods,
    Optional<Boolean> bootVga,
    Optional<Boolean> enabled,
    Optional<PciAddress> parent,
    String rootBus,
    byte[] config,
    int zpciVfn,
    List<Problem> problems) {

  public PciDevice {
    virtfns = List.copyOf(virtfns);
    problems = List.copyOf(problems);
  }

  /** Header type 1 (PCI-to-PCI bridge) or class 0x0604/0x0609: a bridge, never passed through. */
  /**
   * Whether a selector picks this function.
   *
   * @param selector an lspci {@code -s} or {@code -d} selector
   * @return true when its address, IDs and class match
   */
  public boolean matches(DeviceSelector selector) {
    return selector.matches(address, vendor, device, classCode);
  }

  public boolean isBridge() {
    int baseSub = classCode >> 8;
    if (baseSub == 0x0604 || baseSub == 0x0609) {
      return true;
    }
    return config.length > 0x0e && (config[0x0e] & 0x7f) == 1;
  }

  /** A VF: its PF is visible (physfn link), or it is a detached VF. */
  public boolean isVirtualFunction() {
    return physfn.isPresent() || zpciVfn > 0;
  }

  /**
   * A VF whose PF this kernel cannot see: on s390 every zPCI function with a non-zero vfn is a VF
   * (pcibios_bus_add_device), linked to its PF only when the PF is in the same LPAR
   * (zpci_iov_find_parent_pf).
   */
  public boolean isDetachedVirtualFunction() {
    return physfn.isEmpty() && zpciVfn > 0;
  }

  public boolean isPhysicalFunctionWithSriov() {
    return sriov.isPresent();
  }

  /** The SR-IOV role shown in listings: PF, VF, or empty. */
  public String sriovRole() {
    if (isVirtualFunction()) {
      return "VF";
    }
    return sriov.isPresent() ? "PF" : "";
  }

  /** Bound to vfio-pci or a VFIO variant driver (their names end in vfio_pci / vfio-pci). */
  public boolean boundToVfio() {
    return driver.map(PciDevice::isVfioDriver).orElse(false);
  }

  public static boolean isVfioDriver(String name) {
    return name.equals("vfio-pci") || name.endsWith("vfio_pci") || name.endsWith("vfio-pci");
  }

  /** Whether config reads return all ones: the device is gone or frozen (EEH on POWER). */
  public boolean notResponding() {
    if (config.length < 4) {
      return false;
    }
    for (int i = 0; i < Math.min(config.length, 64); i++) {
      if (config[i] != (byte) 0xff) {
        return false;
      }
    }
    return true;
  }
}
