package dev.pcikit.core.plan;

/** The PCI controllers the planner creates, with their libvirt model and QEMU device names. */
public enum ControllerKind {
  /** A pseries PAPR PHB: libvirt {@code pci-root} with model name spapr-pci-host-bridge. */
  SPAPR_PHB("pci-root", "spapr-pci-host-bridge"),
  PCIE_ROOT_PORT("pcie-root-port", "pcie-root-port"),
  PCIE_TO_PCI_BRIDGE("pcie-to-pci-bridge", "pcie-pci-bridge"),
  /** The machine's own root bus ({@code pci.0}); never created by the planner. */
  PCI_ROOT("pci-root", "");

  private final String libvirtModel;
  private final String qemuDevice;

  ControllerKind(String libvirtModel, String qemuDevice) {
    this.libvirtModel = libvirtModel;
    this.qemuDevice = qemuDevice;
  }

  public String libvirtModel() {
    return libvirtModel;
  }

  public String qemuDevice() {
    return qemuDevice;
  }
}
