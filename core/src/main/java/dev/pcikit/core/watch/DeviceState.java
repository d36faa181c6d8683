package dev.pcikit.core.watch;

import dev.pcikit.core.inventory.PciDevice;
import dev.pcikit.core.inventory.SriovInfo;
import dev.pcikit.core.model.PciAddress;
import java.util.Optional;

/**
 * What the watcher keeps of one PCI function: enough to tell the changes events report, nothing
 * more (a listing-level read, no capability walk).
 *
 * @param fingerprint the function's identity ({@code Fingerprint.identity()}), read once when the
 *     function appears; empty when fingerprints are off or unreadable
 * @param classCode 24-bit class code, -1 when unreadable
 * @param numVfs enabled VFs of an SR-IOV PF ({@code sriov_numvfs}), -1 when not a PF
 * @param totalVfs {@code sriov_totalvfs}, -1 when not a PF
 * @param bridge a bridge (never passed through, does not count for group viability)
 * @param responding false when config reads return all ones or the vendor reads 0xffff: the device
 *     is gone behind the kernel's back or frozen (EEH)
 */
public record DeviceState(
    PciAddress address,
    Optional<String> fingerprint,
    int vendor,
    int device,
    int classCode,
    Optional<String> driver,
    Optional<Integer> iommuGroup,
    Optional<PciAddress> physfn,
    int numVfs,
    int totalVfs,
    boolean bridge,
    boolean responding) {

  /** The state of an inventory device, with the fingerprint given. */
  public static DeviceState of(PciDevice d, Optional<String> fingerprint) {
    return new DeviceState(
        d.address(),
        fingerprint,
        d.vendor(),
        d.device(),
        d.classCode(),
        d.driver(),
        d.iommuGroup(),
        d.physfn(),
        d.sriov().map(SriovInfo::numVfs).orElse(-1),
        d.sriov().map(SriovInfo::totalVfs).orElse(-1),
        d.isBridge(),
        !(d.notResponding() || d.vendor() == 0xffff));
  }

  /** An SR-IOV physical function (has {@code sriov_totalvfs}). */
  public boolean isPf() {
    return totalVfs >= 0;
  }

  /** Bound to vfio-pci or a VFIO variant driver. */
  public boolean boundToVfio() {
    return driver.map(PciDevice::isVfioDriver).orElse(false);
  }

  /** Same function with another fingerprint (carried over from an earlier read). */
  public DeviceState withFingerprint(Optional<String> fp) {
    return new DeviceState(
        address,
        fp,
        vendor,
        device,
        classCode,
        driver,
        iommuGroup,
        physfn,
        numVfs,
        totalVfs,
        bridge,
        responding);
  }
}
