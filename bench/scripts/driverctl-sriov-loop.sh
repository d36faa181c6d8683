#!/bin/sh
# The shell side of the SR-IOV section of docs/benchmarks-vfio.md: autoprobe off, the VF
# count written, then every VF of the benchmark host bound to vfio-pci with a driverctl loop,
# on a materialized copy of the simulated host.
#
# driverctl hard-codes /sys, so it runs in a private mount namespace where the tree is
# bind-mounted over /sys (and /bin/true over modprobe, so nothing can reach the real kernel).
# Nothing here touches this machine's own /sys: the marker file is checked inside the
# namespace before driverctl runs.
#
# A plain directory creates no VFs when sriov_numvfs is written, so the tree comes with the VFs
# already materialized (SriovBenchHost DIR 256): the two echoes cost a file write each, the loop
# is the same as driverctl-loop.sh. The figure is the shell's own overhead only.
#
# usage: driverctl-sriov-loop.sh DRIVERCTL TREE PF N   (as root)
set -eu
DRIVERCTL=$1
TREE=$(realpath "$2")
PF=$3
N=$4
[ -f "$TREE/PCIKIT_BENCH_TREE" ] || { echo "not a benchmark tree: $TREE" >&2; exit 1; }
# driverctl tests /sys/module/$drv (with the dash) before calling modprobe.
mkdir -p "$TREE/module/vfio-pci" "$TREE/module/vfio_pci"
VFS=$(cd "$TREE/bus/pci/devices" && for d in *; do [ -L "$d/physfn" ] && echo "$d"; done)
export DRIVERCTL VFS PF N
exec unshare -m --propagation private sh -c '
  mount --bind "'"$TREE"'" /sys || exit 1
  [ -f /sys/PCIKIT_BENCH_TREE ] || { echo "bind mount failed: refusing to run" >&2; exit 1; }
  mount --bind /bin/true /sbin/modprobe || exit 1
  start=$(date +%s%N)
  echo 0 > /sys/bus/pci/devices/$PF/sriov_drivers_autoprobe
  echo "$N" > /sys/bus/pci/devices/$PF/sriov_numvfs
  n=0
  for vf in $VFS; do
    bash "$DRIVERCTL" --nosave set-override "$vf" vfio-pci
    n=$((n + 1))
  done
  end=$(date +%s%N)
  echo "autoprobe 0, numvfs $N, driverctl: $n devices in $(( (end - start) / 1000000 )) ms"
'
