package dev.pcikit.core.plan;

/**
 * A host function chosen for the guest, with the request that chose it.
 *
 * @param addedForGroup chosen because a requested function shares its IOMMU group
 */
record Selected(HostFunction host, DeviceRequest request, boolean addedForGroup) {}
