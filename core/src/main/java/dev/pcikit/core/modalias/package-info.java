/**
 * Kernel module resolution as kmod does it ({@code modprobe -R}): module aliases, modprobe.d
 * configuration, and the VFIO variant-driver choice.
 */
package dev.pcikit.core.modalias;
