#!/bin/sh
# SR-IOV pool on the NVMe PF: sriov enable --vfs 2 (autoprobe off, VFs on vfio-pci, a
# /dev/vfio/N per VF group); sriov disable is refused while the group holder keeps a VF's group
# open, and allowed once it is killed.
. /lab/lib.sh
PF=0000:01:00.0
P=/sys/bus/pci/devices/$PF
sriov_state() {
	echo "$PF sriov numvfs=$(cat $P/sriov_numvfs) autoprobe=$(cat $P/sriov_drivers_autoprobe)"
	lab_vfio_state $PF
	for v in $P/virtfn*; do [ -e "$v" ] && lab_vfio_state "$(basename "$(readlink "$v")")"; done
	return 0
}
export LAB_FILE_STDERR=1
lab_file enable pcikit sriov enable $PF --vfs 2
lab_file state-enabled sriov_state
VF=$(basename "$(readlink $P/virtfn0)")
devs=""
for v in $P/virtfn*; do
	g=$(lab_link $v/iommu_group)
	devs="$devs $g:$([ -c /dev/vfio/$g ] && echo present || echo absent)"
done
lab_kv vf_dev_vfio "${devs# }"
G=$(lab_link $P/virtfn0/iommu_group)
: > /tmp/holder.out
/lab/bin/lab-group-holder "$G" "$VF" > /tmp/holder.out 2>&1 &
HOLDER=$!
lab_kv holder_holding "$(lab_wait_holding /tmp/holder.out > /dev/null && echo yes || echo no)"
cat /tmp/holder.out
lab_file disable-held pcikit sriov disable $PF
lab_file state-held sriov_state
kill -9 $HOLDER
wait $HOLDER 2>/dev/null
lab_file disable pcikit sriov disable $PF
lab_file state-disabled sriov_state
lab_kv journal "$(lab_journal)"
# later scenarios start from the kernel's default
echo 1 > $P/sriov_drivers_autoprobe
exit 0
