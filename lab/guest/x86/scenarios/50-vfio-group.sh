#!/bin/sh
# A shared group: the multifunction e1000e pair 04:00.0/04:00.1 (below a root port, one group).
# Binding one function alone is refused (exit 5, naming the peer); with --group both end on
# vfio-pci and the group is viable: the group holder opens it and gets a device fd. Then both
# are released. The host-side test repeats the commands on the simulated kernel.
. /lab/lib.sh
F0=0000:04:00.0
F1=0000:04:00.1
G=$(lab_link /sys/bus/pci/devices/$F0/iommu_group)
lab_kv group "$G"
export LAB_FILE_STDERR=1
lab_file bind-alone pcikit vfio bind $F0
lab_file state-refused lab_vfio_state $F0 $F1
lab_file bind-group pcikit vfio bind --group $F0
lab_file state-bound lab_vfio_state $F0 $F1
: > /tmp/holder.out
/lab/bin/lab-group-holder "$G" "$F1" > /tmp/holder.out 2>&1 &
HOLDER=$!
lab_kv holder_holding "$(lab_wait_holding /tmp/holder.out > /dev/null && echo yes || echo no)"
cat /tmp/holder.out
kill -9 $HOLDER
wait $HOLDER 2>/dev/null
lab_file release pcikit vfio release $F0 $F1
lab_file state-released lab_vfio_state $F0 $F1
lab_kv journal "$(lab_journal)"
exit 0
