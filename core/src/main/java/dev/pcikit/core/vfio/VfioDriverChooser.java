package dev.pcikit.core.vfio;

/**
 * Chooses the VFIO driver for a device when the user did not name one. The default answers
 * vfio-pci; the module-alias resolver (variant drivers: fewest '*' wins) plugs in here.
 */
public interface VfioDriverChooser {

  /** The driver name and, for messages, why it was chosen. */
  record Choice(String driver, String why) {}

  Choice choose(DeviceFacts device);

  /**
   * Whether a module (normalised name) registers as a VFIO PCI variant driver on this host; by
   * default the kernel's in-tree ones ({@link VfioDriverPolicy}).
   */
  default boolean isVariantModule(String module) {
    return VfioDriverPolicy.IN_TREE_VARIANTS.contains(module);
  }

  VfioDriverChooser GENERIC = d -> new Choice("vfio-pci", "generic VFIO driver");
}
