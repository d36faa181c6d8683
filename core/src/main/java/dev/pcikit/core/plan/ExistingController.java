package dev.pcikit.core.plan;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * A PCI controller an existing libvirt domain already has.
 *
 * @param index libvirt index
 * @param model libvirt model (pci-root, pcie-root, pcie-root-port, …)
 * @param modelName the {@code <model name=…/>} (spapr-pci-host-bridge, pcie-root-port, …)
 * @param targetIndex pseries PHB index ({@code <target index=…/>})
 * @param address where it sits
 */
record ExistingController(
    int index,
    String model,
    Optional<String> modelName,
    OptionalInt targetIndex,
    Optional<GuestAddress> address) {

  /** A pseries PHB: every pci-root on a pseries guest is one (index 0 is the default PHB). */
  public boolean isSpaprPhb() {
    return model.equals("pci-root")
        && (modelName.map("spapr-pci-host-bridge"::equals).orElse(true));
  }

  /** The PHB index: the target index, or (libvirt's default) the controller index. */
  public int phbIndex() {
    return targetIndex.orElse(index);
  }
}
