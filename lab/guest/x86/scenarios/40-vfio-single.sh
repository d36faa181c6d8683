#!/bin/sh
# vfio bind of a single-device group: the e1000e alone below the ACS root port 00:03.0 goes to
# vfio-pci (its /dev/vfio/N appears), then vfio release returns it to e1000e. The host-side test
# runs the same commands on the simulated kernel from the recorded starting snapshot and
# compares the end states and exit codes.
. /lab/lib.sh
NIC=0000:02:00.0
G=$(lab_link /sys/bus/pci/devices/$NIC/iommu_group)
lab_kv group "$G"
export LAB_FILE_STDERR=1
lab_file state-initial lab_vfio_state $NIC
lab_file bind pcikit vfio bind $NIC
lab_file state-bound lab_vfio_state $NIC
lab_kv dev_vfio_group "$([ -c /dev/vfio/$G ] && echo present || echo absent)"
lab_file release pcikit vfio release $NIC
lab_file state-released lab_vfio_state $NIC
lab_kv journal "$(lab_journal)"
exit 0
