#!/bin/sh
# pcikit-record.sh: record a host's PCI sysfs as a pcikit snapshot (format v2,
# docs/snapshot-format.md) with nothing but a POSIX shell and busybox-level
# tools (ls, base64, tr, grep, sort): for support cases, appliances and guests
# where Java is not available.
#
#   pcikit-record.sh [SYSFS_ROOT] > host.snapshot      (SYSFS_ROOT defaults to /sys)
#
# Read-only: it lists directories, reads attributes and follows no link
# recursively. Run it as root to record config space beyond 64 bytes.
# The output is what `pcikit snapshot --out FILE` writes for the same tree.
set -u
LC_ALL=C
export LC_ALL
ROOT=$(cd "${1:-/sys}" && pwd -P) || { echo "pcikit-record.sh: no such directory: ${1:-/sys}" >&2; exit 3; }
[ -d "$ROOT/bus/pci/devices" ] || { echo "pcikit-record.sh: $ROOT has no bus/pci/devices" >&2; exit 3; }

# emit_content BDF LABEL FILE: A (one line), T (several), M (exact bytes), E (read error)
emit_content() {
	n=0; body=""; first=""; l=""
	while IFS= read -r l; do
		n=$((n + 1)); [ $n = 1 ] && first=$l
		body="$body| $l
"
		l=""
	done 2>/dev/null < "$3"
	# no final newline, or a control byte (NUL, ESC, CR...): exact bytes, so that a snapshot is
	# safe to print and reads back the same (as the Java recorder does)
	if [ -n "$l" ] || [ "$(LC_ALL=C tr -d '\t\n -~\200-\377' < "$3" 2>/dev/null | wc -c)" -gt 0 ]; then
		echo "M $1 $2 $(base64 -w0 < "$3")"
	elif [ $n = 1 ]; then
		echo "A $1 $2 $first"
	elif [ $n -gt 1 ]; then
		echo "T $1 $2 $n"
		printf '%s' "$body"
	else
		err=$(cat "$3" 2>&1 >/dev/null)
		if [ -n "$err" ]; then echo "E $1 $2 ${err##*: }"; else echo "M $1 $2 "; fi
	fi
}

# snap_dir BDF DIR PREFIX EXPAND: one record per entry, in name order
snap_dir() {
	ls -l "$2/" | while read -r perm _ _ _ size _ _ _ n _ target; do
		[ -n "$n" ] || continue
		f=$2/$n
		case $perm in
		l*) echo "L $1 $3$n $target" ;;
		d*)
			echo "d $1 $3$n"
			case "$4:$n" in
			1:power|1:msi_irqs|1:link) snap_dir "$1" "$f" "$n/" 0 ;;
			esac ;;
		-*)
			case $perm in
			----------) echo "E $1 $3$n $(cat "$f")"; continue ;;  # materialized read error
			esac
			case $n in
			config) echo "B $1 $3$n $(base64 -w0 < "$f")" ;;
			resource[0-9]*|rom|vpd|remove|rescan|reset)
				echo "S $1 $3$n $perm $size" ;;
			*)
				case $perm in
				--w-------) echo "W $1 $3$n $perm" ;;
				*) emit_content "$1" "$3$n" "$f" ;;
				esac ;;
			esac ;;
		esac
	done
}

echo "=====BEGIN PCI SYSFS SNAPSHOT v2====="
echo "# one record per line, fields separated by one space (docs/snapshot-format.md):"
echo "#  D bdf realpath               device directory (topology)"
echo "#  A bdf attr text              attribute whose content is exactly 'text' + newline"
echo "#  T bdf attr N                 attribute of N newline-terminated lines, which follow as '| line'"
echo "#  M bdf attr base64            attribute content as exact bytes (no trailing newline / empty)"
echo "#  B bdf config base64          binary config space, as read by root"
echo "#  L bdf name target            symlink (relative target as in sysfs)"
echo "#  S bdf name mode size         binary/action file not read (resourceN, rom, reset, remove...)"
echo "#  W bdf name mode              write-only attribute"
echo "#  E bdf name error             read failed with this error"
echo "#  d bdf name                   subdirectory (power/, msi_irqs/, link/ are expanded as attr 'dir/file')"
echo "#  G group key value            /sys/kernel/iommu_groups/<group>"
echo "#  R driver bdf...              devices bound to /sys/bus/pci/drivers/<driver>"
echo "#  P module param value         /sys/module/<module>/parameters/<param>"
echo "# recorded by pcikit-record.sh from $ROOT"
if [ "$ROOT" = /sys ]; then
	echo "H arch $(uname -m)"
	echo "H kernel $(uname -r)"
fi
for d in "$ROOT"/bus/pci/devices/*; do
	[ -e "$d" ] || continue
	b=${d##*/}
	real=$(cd "$d" && pwd -P)
	echo "D $b /sys${real#"$ROOT"}"
	snap_dir "$b" "$d" "" 1
done
if [ -d "$ROOT/kernel/iommu_groups" ]; then
	for g in $(ls "$ROOT/kernel/iommu_groups" | sort -n); do
		gd=$ROOT/kernel/iommu_groups/$g
		t=""; [ -f "$gd/type" ] && IFS= read -r t < "$gd/type"
		echo "G $g type $t"
		echo "G $g devices $(ls "$gd/devices" | tr '\n' ' ')"
		echo "G $g reserved_regions_b64 $(base64 -w0 < "$gd/reserved_regions")"
	done
fi
for dr in "$ROOT"/bus/pci/drivers/*; do
	[ -d "$dr" ] || continue
	echo "R ${dr##*/} $(ls "$dr" | grep -E '^[0-9a-f]{4}:' | tr '\n' ' ')"
done
for m in vfio_pci vfio_pci_core vfio vfio_iommu_type1 pci_stub; do
	for p in "$ROOT"/module/$m/parameters/*; do
		[ -f "$p" ] && IFS= read -r v < "$p" && echo "P $m ${p##*/} $v"
	done
done
echo "=====END PCI SYSFS SNAPSHOT====="
