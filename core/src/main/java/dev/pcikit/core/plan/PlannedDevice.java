package dev.pcikit.core.plan;

import java.util.Optional;

/**
 * A host function placed in the guest.
 *
 * @param host the host function
 * @param address its guest address (bus = libvirt controller index)
 * @param controller the controller it sits on
 * @param multifunction function 0 of a guest slot that carries more functions
 * @param alias libvirt alias / QEMU id ({@code hostdevN})
 * @param extendedConfig extended config prediction
 * @param zpci s390x uid/fid
 * @param driverModel VFIO variant driver for libvirt's {@code <driver model=…/>}
 * @param managed libvirt {@code managed='yes'} (libvirt binds) or 'no' (pcikit binds)
 * @param addedForGroup added because it shares the IOMMU group of a requested device
 */
public record PlannedDevice(
    HostFunction host,
    GuestAddress address,
    PlannedController controller,
    boolean multifunction,
    String alias,
    ExtendedConfig extendedConfig,
    Optional<Zpci> zpci,
    Optional<String> driverModel,
    boolean managed,
    boolean addedForGroup) {

  /**
   * The QEMU bus the device is plugged into ({@code -device ...,bus=}): {@code pci.0} on the
   * default pseries PHB, else the bus its controller provides ({@link
   * PlannedController#childBus()}).
   *
   * @return the bus id
   */
  public String qemuBus() {
    return controller.kind() == ControllerKind.PCI_ROOT ? "pci.0" : controller.childBus();
  }
}
