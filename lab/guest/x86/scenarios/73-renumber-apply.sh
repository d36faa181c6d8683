#!/bin/sh
# Renumbering, second boot (topology/x86-renumber-after.args, with the first boot's
# /etc/pcikit/vfio-bindings.conf in an extra initramfs segment; opt-in, run by
# X86RenumberLabTest). nicC is inserted ahead: nicB moved from 02:00.0 to 03:00.0 and nicA,
# the same model, now sits at 02:00.0.
#   1. apply-persisted --on-move refuse: nothing bound, exit 11, file unchanged
#   2. apply-persisted: nicB bound at its new address, nicA and nicC untouched, file rewritten
#   3. holders: lab-group-holder opens nicB's group; a libvirt status XML (live, naming the
#      holder's pid) and a defined domain XML name it; vfio status -o json must say so.
. /lab/lib.sh
export LAB_FILE_STDERR=1
lab_file macs lab_nic_macs
lab_file bindings-before cat /etc/pcikit/vfio-bindings.conf
lab_file refuse pcikit vfio apply-persisted --on-move refuse
lab_file state-refused lab_nic_macs
LAB_FILE_STDERR=0 lab_file bindings-refused cat /etc/pcikit/vfio-bindings.conf
lab_file apply pcikit vfio apply-persisted
lab_file state-applied lab_nic_macs
LAB_FILE_STDERR=0 lab_file bindings-applied cat /etc/pcikit/vfio-bindings.conf

# who holds nicB's group (it is on vfio-pci now, if apply-persisted did its work)
NICB=0000:03:00.0
G=$(lab_link /sys/bus/pci/devices/$NICB/iommu_group)
lab_kv group "$G"
: > /tmp/holder.out
/lab/bin/lab-group-holder "$G" "$NICB" > /tmp/holder.out 2>&1 &
HOLDER=$!
lab_kv holder_pid "$HOLDER"
lab_file holder lab_wait_holding /tmp/holder.out
# libvirt's status XML of a running domain (src/qemu/qemu_domain.c: <domstatus pid=…> around
# the <domain>) and its persistent definition; the source address is nicB's address now
mkdir -p /run/libvirt/qemu /etc/libvirt/qemu
hostdev="<hostdev mode='subsystem' type='pci' managed='no'><source><address domain='0x0000' bus='0x03' slot='0x00' function='0x0'/></source></hostdev>"
echo "<domstatus state='running' reason='booted' pid='$HOLDER'><domain type='kvm' id='1'><name>lab-guest</name><devices>$hostdev</devices></domain></domstatus>" > /run/libvirt/qemu/lab-guest.xml
echo "<domain type='kvm'><name>lab-guest</name><devices>$hostdev</devices></domain>" > /etc/libvirt/qemu/lab-guest.xml
LAB_FILE_STDERR=0 lab_file vfio-status pcikit vfio status -o json
kill -9 $HOLDER
wait $HOLDER 2>/dev/null
exit 0
