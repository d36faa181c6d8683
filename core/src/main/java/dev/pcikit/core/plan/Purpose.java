package dev.pcikit.core.plan;

/** Why a planned controller exists. */
public enum Purpose {
  /** Holds passed-through host functions. */
  PASSTHROUGH,
  /** Left empty for hotplug. */
  SPARE,
  /** Left empty for one of the guest's emulated devices. */
  EMULATED,
  /** A pcie-to-pci bridge (and the root port carrying it) for conventional PCI devices. */
  BRIDGE
}
