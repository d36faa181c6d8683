#!/bin/sh
# Records the guest's PCI sysfs with pcikit's shell recorder (scripts/pcikit-record.sh, packed
# into the initramfs when the project has it): the starting state every scenario sees, and the
# same machine with 2 VFs on the NVMe PF (sriov_drivers_autoprobe=0). The host-side test keeps
# them as fixtures for the simulated kernel (lab/src/test/resources/fixtures/).
. /lab/lib.sh
R=/lab/bin/pcikit-record.sh
if [ ! -f $R ]; then
	lab_kv recorder absent
	exit 0
fi
lab_kv recorder present
lab_file snapshot-initial sh $R /sys || exit 1
PF=$(lab_find_dev 0x1b36:0x0010) || exit 1
P=/sys/bus/pci/devices/$PF
echo 0 > $P/sriov_drivers_autoprobe && echo 2 > $P/sriov_numvfs || exit 1
lab_file snapshot-sriov sh $R /sys || exit 1
# back to the starting state (the kernel sleeps 1 s in sriov_disable)
echo 0 > $P/sriov_numvfs && echo 1 > $P/sriov_drivers_autoprobe || exit 1
lab_kv restored "$(cat $P/sriov_numvfs) $(cat $P/sriov_drivers_autoprobe)"
