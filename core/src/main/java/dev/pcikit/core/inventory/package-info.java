/**
 * Device facts read from sysfs: every PCI function with its IDs, class, driver, IOMMU group, NUMA
 * node, SR-IOV links and decoded config space, and the problems met while reading.
 */
package dev.pcikit.core.inventory;
