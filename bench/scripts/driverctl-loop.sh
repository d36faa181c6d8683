#!/bin/sh
# The driverctl side of docs/benchmarks-vfio.md: bind every VF of the benchmark host to
# vfio-pci with a driverctl loop, on a materialized copy of the simulated host.
#
# driverctl hard-codes /sys, so it runs in a private mount namespace where the tree is
# bind-mounted over /sys (and /bin/true over modprobe, so nothing can reach the real kernel).
# Nothing here touches this machine's own /sys: the marker file is checked inside the
# namespace before driverctl runs.
#
# usage: driverctl-loop.sh DRIVERCTL TREE   (TREE from SriovBenchHost; must be run as root)
set -eu
DRIVERCTL=$1
TREE=$(realpath "$2")
[ -f "$TREE/PCIKIT_BENCH_TREE" ] || { echo "not a benchmark tree: $TREE" >&2; exit 1; }
# driverctl tests /sys/module/$drv (with the dash) before calling modprobe.
mkdir -p "$TREE/module/vfio-pci" "$TREE/module/vfio_pci"
VFS=$(cd "$TREE/bus/pci/devices" && for d in *; do [ -L "$d/physfn" ] && echo "$d"; done)
export DRIVERCTL VFS
exec unshare -m --propagation private sh -c '
  mount --bind "'"$TREE"'" /sys || exit 1
  [ -f /sys/PCIKIT_BENCH_TREE ] || { echo "bind mount failed: refusing to run" >&2; exit 1; }
  mount --bind /bin/true /sbin/modprobe || exit 1
  start=$(date +%s%N)
  n=0
  for vf in $VFS; do
    bash "$DRIVERCTL" --nosave set-override "$vf" vfio-pci
    n=$((n + 1))
  done
  end=$(date +%s%N)
  echo "driverctl: $n devices in $(( (end - start) / 1000000 )) ms"
'
