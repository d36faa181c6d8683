#!/bin/bash
# pseries real-kernel lab: boots Debian's ppc64el kernel (downloaded, never installed) under
# qemu-system-ppc64 -M pseries (TCG, QEMU's VOF firmware instead of SLOF: ~6 s less per boot)
# with the PCI topology of a file of QEMU -device arguments (several spapr-pci-host-bridges,
# extended config on/off), runs the scenarios in guest/pseries/scenarios and powers off.
#
#   lab/scripts/pseries-lab.sh build
#   lab/scripts/pseries-lab.sh run [SCENARIOS] [NAME]    # console: lab/target/lab-logs/NAME.log
# Knobs: LAB_TOPOLOGY (args file, default topology/pseries.args), LAB_TIMEOUT, PCIKIT_CACHE,
# LAB_APPEND (extra kernel arguments, e.g. lab.hotplug=0x40020008), LAB_QMP (QMP socket path,
# default lab/target/lab/pseries/NAME.qmp: a test sends device_add there while the guest runs).
set -euo pipefail
. "$(dirname "$0")/lab-lib.sh"

MODULES="e1000e e1000 nvme virtio_pci virtio_net rpaphp rpadlpar_io"
TOPOLOGY=${LAB_TOPOLOGY:-$LAB_DIR/topology/pseries.args}
OUT=$LAB_OUT/pseries

build() {
	lab_need apt-get dpkg depmod cpio zstd modprobe
	mkdir -p "$OUT"
	local line
	line=$("$LAB_DIR/scripts/fetch-debian-ppc64el.sh")
	IFS=$'\t' read -r KROOT KV BBROOT HPROOT <<< "$line"
	VMLINUX=$KROOT/boot/vmlinux-$KV
	local r=$OUT/root
	rm -rf "$r"
	mkdir -p "$r"/{bin,sbin,dev,proc,sys,tmp,etc,lab/scenarios,lib/modules/"$KV"}
	cp "$BBROOT/bin/busybox" "$r/bin/busybox"
	# the applet list of the ppc64el busybox cannot be asked from it here: use the host's
	for a in $(busybox --list); do [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"; done
	for m in $MODULES; do
		modprobe -d "$KROOT" -S "$KV" --show-depends "$m"
	done | awk '$1 == "insmod" {print $2}' | sort -u | while read -r ko; do
		rel=${ko#"$KROOT"/}
		mkdir -p "$r/$(dirname "$rel")"
		cp "$ko" "$r/$rel"
	done
	cp "$KROOT/lib/modules/$KV"/modules.{order,builtin,builtin.modinfo} "$r/lib/modules/$KV/"
	depmod -b "$r" "$KV"
	# drmgr + its ppc64el libraries (glibc, librtas...) for the hotplug scenario
	cp -a "$HPROOT/." "$r/"
	cp "$LAB_DIR/guest/init" "$r/init"
	cp "$LAB_DIR/guest/lib.sh" "$r/lab/lib.sh"
	cp "$LAB_DIR"/guest/pseries/scenarios/*.sh "$r/lab/scenarios/"
	echo "$MODULES" > "$r/lab/modules"
	chmod 0755 "$r/init" "$r"/lab/scenarios/*.sh
	INITRD=$OUT/initrd.img
	lab_pack "$r" "$INITRD"
	lab_log "kernel $KV, initrd $(du -h "$INITRD" | cut -f1)"
}

run() {
	local scenarios=${1:-all} name=${2:-pseries}
	lab_need qemu-system-ppc64
	build
	local log=$LAB_LOGS/$name.log
	local -a qemu topo
	mapfile -t topo < <(lab_read_args "$TOPOLOGY")
	# cap-*=broken: TCG does not implement these Spectre/Meltdown mitigation capabilities and
	# QEMU refuses to start the machine with its defaults; x-vof=on: QEMU's Virtual Open
	# Firmware boots -kernel directly (same device tree and PCI results as SLOF)
	qemu=(qemu-system-ppc64
		-M pseries,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off,x-vof=on
		-cpu POWER9 -accel tcg,tb-size=256 -smp 1 -m 1G
		-nodefaults -no-user-config -display none -serial stdio -no-reboot
		-kernel "$VMLINUX" -initrd "$INITRD"
		-append "console=hvc0 quiet panic=-1 lab.scenarios=$scenarios ${LAB_APPEND:-}"
		-qmp "unix:${LAB_QMP:-$OUT/$name.qmp},server=on,wait=off"
		"${topo[@]}")
	cp "$TOPOLOGY" "$LAB_LOGS/$name.topology.args"
	lab_log "topology: $TOPOLOGY"
	lab_boot "$name" "$log" "$scenarios" "${qemu[@]}"
}

case ${1:-run} in
build) build ;;
run) shift || true; run "$@" ;;
*) echo "usage: $0 build | run [SCENARIOS] [NAME]" >&2; exit 2 ;;
esac
