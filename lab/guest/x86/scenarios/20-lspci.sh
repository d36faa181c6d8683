#!/bin/sh
# The guest's PCI devices as the kernel (sysfs) and the guest's lspci show them; the host-side
# test checks the lab topology (IOMMU groups with and without ACS, SR-IOV PF, conventional PCI)
# and that lspci and sysfs agree.
. /lab/lib.sh
echo "pci.ids $(grep -m1 '^#.*Version:' $LAB_PCI_IDS)"
lab_file sysfs lab_pci_table || exit 1
lab_file lspci lspci -i $LAB_PCI_IDS -D -nn -k || exit 1
lab_file groups sh -c 'for g in $(ls /sys/kernel/iommu_groups | sort -n); do echo "$g $(ls /sys/kernel/iommu_groups/$g/devices | tr "\n" " ")"; done'
