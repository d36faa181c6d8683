#!/bin/sh
# PCI hotplug into a spare PHB: runs only when the kernel command line names a DRC index
# (lab.hotplug=0x4PPPBBDD, QEMU's 0x40000000 | phb<<16 | bus<<8 | devfn). It prints
# LAB-READY-FOR-HOTPLUG, waits for the RTAS hotplug event that the host's QMP device_add
# causes, then does what rtas_errd would: drmgr -c pci -a -s DRC -n (powerpc-ibm-utils);
# without it the guest never brings the device up. Then it lists the PHBs' devices again.
. /lab/lib.sh
drc=$(sed -n 's/.*lab\.hotplug=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ -z "$drc" ]; then
	lab_kv hotplug not-requested
	exit 0
fi
mkdir -p /var/log /var/lock /run
dmesg -c > /dev/null
echo "LAB-READY-FOR-HOTPLUG drc=$drc"
i=0
until dmesg | grep -q 'Hotplug Event'; do
	sleep 0.2
	i=$((i + 1))
	[ $i -gt 600 ] && { echo "no RTAS hotplug event within 120 s"; exit 1; }
done
lab_kv rtas_event "$(dmesg | grep -m1 'Hotplug Event' | sed 's/^\[[^]]*\] //')"
LAB_FILE_STDERR=1 lab_file drmgr drmgr -c pci -a -s "$drc" -n || exit 1
sh /lab/scenarios/10-phbs.sh
