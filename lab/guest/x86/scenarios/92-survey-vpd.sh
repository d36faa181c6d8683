#!/bin/sh
# Opt-in (survey-*, not in "all"; topology/x86-vpd-survey.args): which of QEMU's PCI device
# models offer VPD. Prints every function with its IDs, whether sysfs has a vpd file, and the
# capability IDs lspci -vvv names "Vital Product Data".
. /lab/lib.sh
lab_file devices sh -c 'for d in /sys/bus/pci/devices/*; do echo "${d##*/} $(cat $d/vendor):$(cat $d/device) vpd=$([ -e $d/vpd ] && echo yes || echo no)"; done'
lab_kv vpd_files "$(ls /sys/bus/pci/devices/*/vpd 2>/dev/null | wc -l)"
lab_kv lspci_vpd "$(lspci -i $LAB_PCI_IDS -vvv 2>/dev/null | grep -c 'Vital Product Data')"
lab_file lspci lspci -i $LAB_PCI_IDS -D -nn
