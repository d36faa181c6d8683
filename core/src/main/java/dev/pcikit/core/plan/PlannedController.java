package dev.pcikit.core.plan;

import java.util.Optional;

/**
 * A controller in the planned topology.
 *
 * @param index libvirt controller index; QEMU id {@code pci.<index>}
 * @param kind what it is
 * @param phbIndex pseries: the PHB index (QEMU {@code index=}, guest PCI domain); -1 otherwise
 * @param numaNode pseries: the PHB's {@code numa_node}, or -1 for none
 * @param address where a root port / bridge sits (bus = parent controller index)
 * @param chassis pcie-root-port chassis (libvirt uses the controller index); -1 otherwise
 * @param port pcie-root-port port number (slot &lt;&lt; 3 | function, as libvirt assigns); -1
 * @param multifunction function 0 of a root-bus slot that carries more root ports
 * @param purpose why it exists
 * @param extendedConfig pseries: {@code pcie-extended-configuration-space} on this PHB
 */
public record PlannedController(
    int index,
    ControllerKind kind,
    int phbIndex,
    int numaNode,
    Optional<GuestAddress> address,
    int chassis,
    int port,
    boolean multifunction,
    Purpose purpose,
    boolean extendedConfig) {

  public static PlannedController phb(
      int index, int phbIndex, int numaNode, Purpose purpose, boolean extendedConfig) {
    return new PlannedController(
        index,
        ControllerKind.SPAPR_PHB,
        phbIndex,
        numaNode,
        Optional.empty(),
        -1,
        -1,
        false,
        purpose,
        extendedConfig);
  }

  /**
   * A controller the guest has already (a domain's root port, the machine's root bus) that the plan
   * places devices on without creating it.
   *
   * @param index its libvirt controller index
   * @param kind what it is
   * @return the controller, with no address, chassis or port of its own in the plan
   */
  public static PlannedController existing(int index, ControllerKind kind) {
    return new PlannedController(
        index, kind, -1, -1, Optional.empty(), -1, -1, false, Purpose.PASSTHROUGH, false);
  }

  /** QEMU id of the controller ({@code pci.N}), as libvirt names it. */
  public String qemuId() {
    return "pci." + index;
  }

  /** The QEMU bus a device on this controller names: {@code pci.N.0} for a PHB, else the id. */
  public String childBus() {
    return kind == ControllerKind.SPAPR_PHB ? qemuId() + ".0" : qemuId();
  }

  public PlannedController withMultifunction(boolean on) {
    return new PlannedController(
        index, kind, phbIndex, numaNode, address, chassis, port, on, purpose, extendedConfig);
  }
}
