package dev.pcikit.core.plan;

import java.util.List;

/**
 * pseries: whether EEH recovery can work for one PHB. QEMU's VFIO EEH path (hw/ppc/spapr_pci_vfio.c
 * via vfio_eeh_as_ok) only works when exactly one VFIO group sits in the PHB's address space.
 */
public record EehReport(int phbIndex, List<Integer> groups, boolean isolated) {
  public EehReport {
    groups = List.copyOf(groups);
  }
}
