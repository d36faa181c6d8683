package dev.pcikit.core.config;

/** Bus numbers of a type 1 (PCI-to-PCI bridge) header, offsets 0x18..0x1b. */
public record BridgeBuses(int primary, int secondary, int subordinate, int secondaryLatency) {}
