package dev.pcikit.core.draw;

/** How a box is drawn; says who owns the device. */
public enum NodeStyle {
  /** Root buses, PHBs, bridges: the platform's. */
  PLATFORM,
  /** Bound to a host driver. */
  HOST_DRIVER,
  /** Bound to vfio-pci or a VFIO variant driver: highlighted. */
  VFIO,
  /** No driver bound. */
  NO_DRIVER,
  /** Config space reads all ones. */
  NOT_RESPONDING
}
