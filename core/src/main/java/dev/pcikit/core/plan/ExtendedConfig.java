package dev.pcikit.core.plan;

import java.util.OptionalInt;

/**
 * Prediction for one passed-through function: can the guest driver reach extended config space
 * (offsets 0x100-0xfff), and what {@code ibm,pci-config-space-type} the guest device-tree node
 * carries (pseries only; empty = property absent or not applicable).
 */
public record ExtendedConfig(boolean reachable, OptionalInt configSpaceType, String reason) {}
