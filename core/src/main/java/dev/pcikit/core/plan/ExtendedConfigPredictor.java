package dev.pcikit.core.plan;

import java.util.OptionalInt;

/** Predicts whether a passed-through function's extended config space is reachable in the guest. */
final class ExtendedConfigPredictor {
  private ExtendedConfigPredictor() {}

  /**
   * pseries. QEMU (hw/ppc/spapr_pci.c, spapr_dt_pci_device) gives a device node {@code
   * ibm,pci-config-space-type = 1} exactly when {@code sphb->pcie_ecs && pci_is_express(dev)};
   * vfio-pci marks every device express (hw/vfio/pci.c, vfio_instance_init sets
   * QEMU_PCI_CAP_EXPRESS), so for passthrough the PHB setting alone decides the property. The PHB
   * node carries the value 1 unconditionally in QEMU 7.2, but Linux ignores it: it reads the device
   * node's value (arch/powerpc/kernel/pci_dn.c) and gates config accesses above 0xff on it
   * (rtas_pci.c config_access_valid) - observed in the reference pseries lab. What lies above 0xff
   * then comes from the host device through vfio, which has 4096 bytes only for a PCIe function
   * whose host config is 4096 bytes.
   */
  static ExtendedConfig pseries(HostFunction h, boolean phbEcs) {
    if (!phbEcs) {
      return new ExtendedConfig(
          false,
          OptionalInt.empty(),
          "PHB has pcie-extended-configuration-space=off: property absent, guest sees 256 bytes");
    }
    if (h.hostExtendedConfig()) {
      return new ExtendedConfig(
          true, OptionalInt.of(1), "PCIe, 4096-byte host config, PHB with extended config on");
    }
    return new ExtendedConfig(
        false,
        OptionalInt.of(1),
        h.pcie()
            ? "host config is " + h.configSize() + " bytes: nothing above 0xff to reach"
            : "conventional PCI on the host: only 256 bytes exist (the node still says 1)");
  }

  /** q35 / virt: a PCIe root port forwards ECAM accesses; a conventional bridge does not. */
  static ExtendedConfig pcie(HostFunction h, boolean behindConventionalBridge) {
    if (behindConventionalBridge) {
      return new ExtendedConfig(
          false, OptionalInt.empty(), "behind a pcie-to-pci bridge: 256 bytes");
    }
    if (h.hostExtendedConfig()) {
      return new ExtendedConfig(true, OptionalInt.empty(), "PCIe on a root port");
    }
    return new ExtendedConfig(
        false, OptionalInt.empty(), "host config is " + h.configSize() + " bytes");
  }

  /** s390x: zPCI config loads reach whatever the host function has. */
  static ExtendedConfig zpci(HostFunction h) {
    return new ExtendedConfig(
        h.hostExtendedConfig(),
        OptionalInt.empty(),
        h.hostExtendedConfig() ? "PCIe, 4096-byte host config" : "256-byte host config");
  }
}
