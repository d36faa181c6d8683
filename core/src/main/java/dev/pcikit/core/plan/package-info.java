/**
 * Guest planning: where each passed-through device goes in the guest (q35 root ports, pseries vPHBs
 * per PE, s390x zPCI), from a guest spec and the host topology.
 */
package dev.pcikit.core.plan;
