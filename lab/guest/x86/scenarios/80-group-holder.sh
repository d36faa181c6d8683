#!/bin/sh
# Self-test of the group holder used by the VFIO scenarios: the e1000e alone in its group
# (below root port 00:03.0) is moved to vfio-pci with plain sysfs writes, the holder keeps
# the group open, the kernel refuses to give the device back to e1000e meanwhile (EBUSY),
# and after kill -9 of the holder the device returns to e1000e.
. /lab/lib.sh
NIC=$(lab_child_of 0000:00:03.0) || { echo "no device below 00:03.0"; exit 1; }
D=/sys/bus/pci/devices/$NIC
G=$(lab_link $D/iommu_group)
lab_kv nic "$NIC"
lab_kv group "$G"
echo "$NIC" > $D/driver/unbind
echo vfio-pci > $D/driver_override
echo "$NIC" > /sys/bus/pci/drivers_probe
lab_kv driver_after_bind "$(lab_link $D/driver)"
: > /tmp/holder.out
/lab/bin/lab-group-holder "$G" "$NIC" > /tmp/holder.out 2>&1 &
HOLDER=$!
i=0
while [ $i -lt 50 ] && ! grep -q holding /tmp/holder.out; do sleep 0.1; i=$((i + 1)); done
cat /tmp/holder.out
lab_kv holder_fds "$(ls -l /proc/$HOLDER/fd 2>/dev/null | grep -c /dev/vfio/)"
echo "$NIC" > $D/driver/unbind 2> /tmp/unbind.err &
UNBIND=$!
# unbinding vfio-pci while a device fd is open blocks in vfio_unregister_group_dev until the
# fd is released (the kernel asks the user to release it): so do not wait for it here
sleep 1
lab_kv unbind_pending_while_held "$(kill -0 $UNBIND 2>/dev/null && echo yes || echo no)"
kill -9 $HOLDER
wait $HOLDER 2>/dev/null
wait $UNBIND
lab_kv unbind_rc_after_kill "$?"
echo > $D/driver_override
echo "$NIC" > /sys/bus/pci/drivers_probe
lab_kv driver_after_release "$(lab_link $D/driver)"
