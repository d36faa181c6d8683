#!/bin/sh
# Inventory: the guest's PCI devices as the kernel (sysfs), the guest's lspci and pcikit show
# them. The host-side test checks the lab topology (IOMMU groups with and without ACS, SR-IOV
# PF, conventional PCI) and that pcikit agrees with lspci and sysfs.
. /lab/lib.sh
echo "pci.ids $(grep -m1 '^#.*Version:' $LAB_PCI_IDS)"
lab_file sysfs lab_pci_table || exit 1
lab_file lspci lspci -i $LAB_PCI_IDS -D -nn -k || exit 1
lab_file groups sh -c 'for g in $(ls /sys/kernel/iommu_groups | sort -n); do echo "$g $(ls /sys/kernel/iommu_groups/$g/devices | tr "\n" " ")"; done'
lab_file pcikit-list pcikit list -o json --pci-ids $LAB_PCI_IDS || exit 1
