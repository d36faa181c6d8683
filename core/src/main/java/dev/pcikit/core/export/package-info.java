/**
 * What a host offers to schedulers, in their own formats: Kubernetes DRA ResourceSlices, KubeVirt
 * permitted host devices, Nova [pci] configuration, CloudStack GPU discovery.
 */
package dev.pcikit.core.export;
