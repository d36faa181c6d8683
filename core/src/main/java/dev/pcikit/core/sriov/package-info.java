/** SR-IOV VF pools: enable VFs with host autoprobe off and bind them to VFIO in one batch. */
package dev.pcikit.core.sriov;
