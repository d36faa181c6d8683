#!/bin/bash
# x86 real-kernel lab: boots Debian's amd64 kernel (downloaded, never installed on this host)
# under qemu-system-x86_64 (TCG, q35, intel-iommu) with the topology in topology/x86-q35.args,
# runs the selected guest scenarios (guest/x86/scenarios/NN-name.sh) in ONE boot and powers off.
#
#   lab/scripts/x86-lab.sh build                 # kernel, initramfs segments (cached)
#   lab/scripts/x86-lab.sh run [SCENARIOS] [NAME] # SCENARIOS: comma list of names or "all"
#
# The console goes to lab/target/lab-logs/NAME.log (default NAME=x86); one line per boot is
# appended to lab/target/lab-logs/timings.txt. Exit status 0 when the guest reached LAB-DONE.
# Knobs: PCIKIT_CACHE, PCIKIT_JAR (default cli/target/pcikit.jar), LAB_JDK (JDK used for jlink,
# default the one of `javac` on PATH), LAB_JMODS (default java.base,java.xml), LAB_TIMEOUT (s),
# LAB_TOPOLOGY (args file), LAB_OVERLAY (a directory packed as a last initramfs segment: files a
# previous boot left, e.g. etc/pcikit/vfio-bindings.conf), LAB_SMP/LAB_MEM, LAB_RECORDER (shell recorder, default
# scripts/pcikit-record.sh; the record scenario reports "recorder=absent" without one).
set -euo pipefail
. "$(dirname "$0")/lab-lib.sh"

MODULES="nvme e1000e e1000 vfio-pci vfio_iommu_type1"
JMODS=${LAB_JMODS:-java.base,java.xml}
# the pcikit run that trains the app CDS archive (classes it loads start faster in the guest)
TRAINING_ARGS=${LAB_TRAINING_ARGS:-list -o json}
JAR=${PCIKIT_JAR:-$PROJECT_DIR/cli/target/pcikit.jar}
TOPOLOGY=${LAB_TOPOLOGY:-$LAB_DIR/topology/x86-q35.args}
OUT=$LAB_OUT/x86

kernel() {
	lab_need apt-get dpkg depmod xz
	# a fresh CI container has no package lists yet
	apt-cache show linux-image-amd64 > /dev/null 2>&1 || apt-get update -qq >&2 || true
	local line
	line=$("$PROJECT_DIR/scripts/fetch-debian-kernel.sh")
	KROOT=${line%%$'\t'*}
	KV=${line#*$'\t'}
	# PVH boot of the uncompressed ELF vmlinux skips the in-guest xz decompression, which
	# costs ~3 s under TCG. The bzImage payload is a single xz stream.
	VMLINUX=$PCIKIT_CACHE/lab/vmlinux-$KV
	if [ ! -s "$VMLINUX" ]; then
		local z=$KROOT/boot/vmlinuz-$KV off
		off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$z" | head -n 1 | cut -d: -f1)
		tail -c +$((off + 1)) "$z" | xz -dc --single-stream > "$VMLINUX.tmp" 2>/dev/null || true
		[ "$(head -c4 "$VMLINUX.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] || lab_die "cannot extract vmlinux from $z"
		mv "$VMLINUX.tmp" "$VMLINUX"
	fi
}

# Segment 1: busybox, kernel modules with their dependencies, lspci + libraries + pci.ids.
build_base() {
	local seg=$OUT/base-$KV.cpio.zst r=$OUT/base-root
	[ -s "$seg" ] && [ "$seg" -nt "$0" ] && return
	lab_need busybox cpio zstd lspci modprobe
	rm -rf "$r"
	mkdir -p "$r"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,etc,lib/modules/"$KV",usr/share/misc}
	local bb
	bb=$(command -v busybox)
	cp "$bb" "$r/bin/busybox"
	for a in $("$r/bin/busybox" --list); do [ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"; done
	for m in $MODULES; do
		modprobe -d "$KROOT" -S "$KV" --show-depends "$m"
	done | awk '$1 == "insmod" {print $2}' | sort -u | while read -r ko; do
		rel=${ko#"$KROOT"/}
		mkdir -p "$r/$(dirname "$rel")"
		cp "$ko" "$r/$rel"
	done
	cp "$KROOT/lib/modules/$KV"/modules.{order,builtin,builtin.modinfo} "$r/lib/modules/$KV/"
	depmod -b "$r" "$KV"
	# the guest's lspci is the host's (same Debian release), with a pinned pci.ids
	lab_copy_with_libs "$r" "$(readlink -f "$(command -v lspci)")"
	[ -e "$r/usr/bin/lspci" ] || ln -s "$(readlink -f "$(command -v lspci)")" "$r/usr/bin/lspci"
	cp /usr/share/misc/pci.ids "$r/usr/share/misc/pci.ids"
	echo 'root:x:0:0:root:/root:/bin/sh' > "$r/etc/passwd"
	echo 'root:x:0:' > "$r/etc/group"
	lab_pack "$r" "$seg"
	lab_log "base segment: $(du -h "$seg" | cut -f1), $(find "$r" -name '*.ko' | wc -l) modules"
}

# Segment 2: a jlink'd Java runtime with its CDS archive, cached per JDK and module set. The
# unpacked root stays in the cache too: the app archive is trained in a copy of it (build_app).
build_jre() {
	local jdk=${LAB_JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
	local key
	key=$( ("$jdk/bin/java" -version 2>&1; echo "$JMODS"; sed -n '/^build_jre/,/^}/p' "$0") | cksum | cut -d' ' -f1)
	JRE_ROOT=$PCIKIT_CACHE/lab/jre-$key
	JRE_SEG=$JRE_ROOT.cpio.zst
	[ -s "$JRE_SEG" ] && [ -x "$JRE_ROOT/opt/jre/bin/java" ] && return
	lab_need strip
	local r=$JRE_ROOT.tmp
	rm -rf "$r"
	mkdir -p "$r/opt" "$r/usr/lib/locale" "$r/etc"
	"$jdk/bin/jlink" --add-modules "$JMODS" --strip-debug --no-man-pages --no-header-files \
		--compress=0 --output "$r/opt/jre"
	find "$r/opt/jre" -name '*.so' -exec strip --strip-unneeded {} +
	local bins
	bins=$(find "$r/opt/jre" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper \))
	# shellcheck disable=SC2086
	ldd $bins 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && NF >= 2 {print $1}' | sort -u |
		while read -r l; do mkdir -p "$r$(dirname "$l")"; cp -L "$l" "$r$l"; done
	[ -d /usr/lib/locale/C.utf8 ] && cp -a /usr/lib/locale/C.utf8 "$r/usr/lib/locale/"
	echo 'root:x:0:0:root:/root:/bin/sh' > "$r/etc/passwd"
	# the runtime's default CDS archive (lib/server/classes.jsa): class loading from the archive
	# instead of the jimage is most of a JVM's start-up under TCG
	"$r/opt/jre/bin/java" -Xshare:dump -XX:+UseSerialGC >/dev/null 2>&1 || lab_die "CDS dump failed"
	lab_pack "$r" "$r.cpio.zst"
	rm -rf "$JRE_ROOT"
	mv "$r" "$JRE_ROOT"
	mv "$r.cpio.zst" "$JRE_SEG"
	lab_log "jre segment ($JMODS): $(du -h "$JRE_SEG" | cut -f1), unpacked $(du -sh "$JRE_ROOT" | cut -f1)"
}

# An app CDS archive for pcikit.jar (JDK 13+ -XX:ArchiveClassesAtExit): without it the guest
# spends seconds loading and verifying the jar's classes under TCG. The archive records the
# jar's path, size and mtime, so it is trained in a chroot that has the guest's paths: a copy of
# the runtime root plus the jar (cpio and the kernel keep the mtime:
# CONFIG_INITRAMFS_PRESERVE_MTIME). ld.so needs /proc in the chroot ($ORIGIN of libjli).
# Best effort: without unshare/chroot rights the guest runs without it (slower, same results).
train_app_archive() {
	local app=$1 t=$OUT/train-root
	rm -rf "$t"
	cp -a "$JRE_ROOT" "$t"
	mkdir -p "$t/opt/pcikit" "$t/proc" "$t/tmp" "$t/sys" "$t/usr/share/misc"
	cp /usr/share/misc/pci.ids "$t/usr/share/misc/pci.ids"
	cp -p "$app/opt/pcikit/pcikit.jar" "$t/opt/pcikit/pcikit.jar"
	# the training run lists this host's PCI devices: read-only (sysfs mounted ro in a private
	# mount namespace), it only has to load the classes a listing needs
	if unshare -m --propagation private sh -c "mount -t proc proc '$t/proc' && mount -t sysfs -o ro sysfs '$t/sys' && chroot '$t' \
		/opt/jre/bin/java -XX:+UseSerialGC -XX:-UsePerfData -XX:ArchiveClassesAtExit=/opt/pcikit/pcikit.jsa \
		-jar /opt/pcikit/pcikit.jar $TRAINING_ARGS" > "$OUT/train.log" 2>&1 && [ -s "$t/opt/pcikit/pcikit.jsa" ]; then
		cp "$t/opt/pcikit/pcikit.jsa" "$app/opt/pcikit/pcikit.jsa"
	else
		lab_log "no app CDS archive (see $OUT/train.log); the guest's JVM starts slower"
	fi
	rm -rf "$t"
}

# Segment 3: /init, the scenario scripts, pcikit.jar, the group holder and (when present) the
# shell recorder. Rebuilt on every run: small.
build_app() {
	[ -f "$JAR" ] || lab_die "no $JAR: build it first (mvn -DskipTests package -pl cli -am)"
	lab_need gcc
	local r=$OUT/app-root
	rm -rf "$r"
	mkdir -p "$r/opt/pcikit" "$r/lab/bin" "$r/lab/scenarios"
	cp "$LAB_DIR/guest/init" "$r/init"
	cp "$LAB_DIR/guest/lib.sh" "$r/lab/lib.sh"
	cp "$LAB_DIR"/guest/x86/scenarios/*.sh "$r/lab/scenarios/"
	echo "$MODULES" > "$r/lab/modules"
	cp -p "$JAR" "$r/opt/pcikit/pcikit.jar"
	train_app_archive "$r"
	gcc -static -O2 -Wall -Wextra -o "$r/lab/bin/lab-group-holder" "$LAB_DIR/guest/group-holder.c"
	local recorder=${LAB_RECORDER:-$PROJECT_DIR/scripts/pcikit-record.sh}
	if [ -f "$recorder" ]; then cp "$recorder" "$r/lab/bin/pcikit-record.sh"; fi
	chmod 0755 "$r/init" "$r"/lab/scenarios/*.sh "$r"/lab/bin/*
	APP_SEG=$OUT/app.cpio.zst
	lab_pack "$r" "$APP_SEG"
}

build() {
	mkdir -p "$OUT"
	kernel
	build_base
	build_jre
	build_app
	INITRD=$OUT/initrd.img
	cat "$OUT/base-$KV.cpio.zst" "$JRE_SEG" "$APP_SEG" > "$INITRD"
	if [ -n "${LAB_OVERLAY:-}" ]; then
		# unpacked last by the kernel, so its files replace the earlier segments' ones
		[ -d "$LAB_OVERLAY" ] || lab_die "LAB_OVERLAY=$LAB_OVERLAY is not a directory"
		lab_pack "$LAB_OVERLAY" "$OUT/overlay.cpio.zst"
		cat "$OUT/overlay.cpio.zst" >> "$INITRD"
	fi
	lab_log "kernel $KV, initrd $(du -h "$INITRD" | cut -f1)"
}

run() {
	local scenarios=${1:-all} name=${2:-x86}
	lab_need qemu-system-x86_64
	build
	local log=$LAB_LOGS/$name.log
	local -a qemu topo
	mapfile -t topo < <(lab_read_args "$TOPOLOGY")
	qemu=(qemu-system-x86_64
		-M q35,kernel-irqchip=split -accel tcg,tb-size=256 -cpu qemu64
		-smp "${LAB_SMP:-1}" -m "${LAB_MEM:-1G}"
		-nodefaults -no-user-config -display none -serial stdio -no-reboot
		-kernel "$VMLINUX" -initrd "$INITRD"
		-append "console=ttyS0 intel_iommu=on iommu=pt panic=-1 quiet lab.scenarios=$scenarios"
		"${topo[@]}")
	lab_boot "$name" "$log" "$scenarios" "${qemu[@]}"
}

case ${1:-run} in
build) build ;;
run) shift || true; run "$@" ;;
*) echo "usage: $0 build | run [SCENARIOS] [NAME]" >&2; exit 2 ;;
esac
