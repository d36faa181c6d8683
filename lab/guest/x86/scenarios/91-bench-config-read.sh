#!/bin/sh
# Opt-in measurement (bench-*, not in "all"): what reading a function's config space costs on a
# real kernel, by size. Every sysfs config read is done by the kernel dword by dword
# (drivers/pci/pci-sysfs.c pci_read_config -> pci_user_read_config_dword), each one a config
# cycle (ECAM MMIO on q35; under TCG each is an exit into QEMU's emulation). 20 rounds over all
# functions, per size: 64 bytes (what lspci -nnk and pcikit's listing read), 256, 4096.
. /lab/lib.sh
n=$(ls /sys/bus/pci/devices | wc -l)
lab_kv functions "$n"
for size in 64 256 4096; do
	t0=$(lab_uptime)
	i=0
	while [ $i -lt 20 ]; do
		for d in /sys/bus/pci/devices/*; do dd if=$d/config of=/dev/null bs=$size count=1 2>/dev/null; done
		i=$((i + 1))
	done
	t1=$(lab_uptime)
	lab_kv "config_${size}_ms_per_read" "$(awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN { printf "%.3f", (b - a) * 1000 / (20 * n) }')"
done
