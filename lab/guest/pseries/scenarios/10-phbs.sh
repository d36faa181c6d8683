#!/bin/sh
# What a pseries guest sees of its PHBs: PCI domains and root buses, every device with its
# config size and device-tree node, and ibm,pci-config-space-type on each PHB and device node.
# Linux takes the config size from the DEVICE node's property (arch/powerpc/kernel/pci_dn.c
# pci_add_device_node_info -> pci_ext_config_space; rtas_pci.c config_access_valid).
. /lab/lib.sh
dt_u32() { # a device-tree cell as 8 hex digits, or "absent"
	[ -f "$1" ] && od -An -tx1 -v "$1" | tr -d ' \n' || echo absent
}
lab_file buses ls /sys/class/pci_bus
lab_file devices sh -c '
	. /lab/lib.sh
	for d in /sys/bus/pci/devices/*; do
		of=-
		[ -e $d/of_node ] && of=$(readlink -f $d/of_node | sed "s,^/sys/firmware/devicetree/base,,")
		t=absent
		[ -f $d/of_node/ibm,pci-config-space-type ] && t=$(od -An -tx1 -v $d/of_node/ibm,pci-config-space-type | tr -d " \n")
		echo "${d##*/} $(cat $d/vendor) $(cat $d/device) $(cat $d/class) $(lab_link $d/driver) $(stat -c %s $d/config) $of $t"
	done'
lab_file phbs sh -c '
	for p in /proc/device-tree/pci@*; do
		t=absent
		[ -f $p/ibm,pci-config-space-type ] && t=$(od -An -tx1 -v $p/ibm,pci-config-space-type | tr -d " \n")
		echo "/${p##*/} $t"
	done'
