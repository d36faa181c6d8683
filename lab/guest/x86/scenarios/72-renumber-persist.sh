#!/bin/sh
# Renumbering, first boot (topology/x86-renumber-before.args; opt-in, run by
# X86RenumberLabTest): of two identical e1000e, nicB (MAC 52:54:00:00:00:b2, the guest's) is
# bound to vfio-pci with --persist. The test carries the persisted bindings file into the
# second boot, where an inserted card shifts every bus number.
. /lab/lib.sh
export LAB_FILE_STDERR=1
lab_file macs lab_nic_macs
lab_file dsn sh -c "lspci -i $LAB_PCI_IDS -D -vvv | grep -E '^[0-9a-f]{4}:|Device Serial Number'"
NICB=$(lab_bdf_of_mac 52:54:00:00:00:b2) || { echo "no nicB"; exit 1; }
lab_kv nicB "$NICB"
lab_file bind pcikit vfio bind --persist "$NICB"
lab_file state lab_nic_macs
LAB_FILE_STDERR=0 lab_file bindings cat /etc/pcikit/vfio-bindings.conf
exit 0
