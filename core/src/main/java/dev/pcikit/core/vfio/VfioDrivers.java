package dev.pcikit.core.vfio;

/** Which drivers count as VFIO drivers, and which leave an IOMMU group viable. */
public final class VfioDrivers {
  private VfioDrivers() {}

  /**
   * vfio-pci itself and the variant drivers (mlx5_vfio_pci, hisi_acc_vfio_pci, pds_vfio_pci,
   * virtio_vfio_pci, nvgrace_gpu_vfio_pci, qat_vfio_pci...): all are named after vfio-pci.
   */
  public static boolean isVfio(String driver) {
    return driver != null && (driver.equals("vfio-pci") || driver.contains("vfio_pci"));
  }

  /**
   * Whether a peer bound to this driver keeps its IOMMU group viable. Since Linux 5.19 the test is
   * the driver's {@code driver_managed_dma} flag: set by the VFIO drivers, pci-stub and pcieport
   * (drivers/pci/pci-stub.c, drivers/pci/pcie/portdrv.c); an unbound device is fine too.
   */
  public static boolean keepsGroupViable(String driver) {
    return driver == null
        || isVfio(driver)
        || driver.equals("pci-stub")
        || driver.equals("pcieport");
  }
}
