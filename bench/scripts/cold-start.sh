#!/bin/bash
# Cold start of the pcikit CLI against the C tools / scripts it replaces, whole process (JVM start
# included), through bin/pcikit as an admin runs it. Paired, interleaved runs (pcikit, then the
# peer, RUNS times) on the same trees; medians; the load average is printed with every row.
#
#   * --version                       vs lspci --version
#   * list -o json, 100/1,000/10,000  vs lspci -D -nn -k          (TreeGen trees, same pci.ids)
#   * show DEV on the 100-device tree vs lspci -D -nn -k -vv -s DEV
#   * vfio bind -d 15b3:1018 (256 VFs) vs a driverctl loop         (SriovBenchHost, as root)
#   * sriov enable --vfs 256 (bind)   vs echo/echo/driverctl loop  (SriovBenchHost, as root)
#
# The bind rows need root (driverctl runs in a private mount namespace over a copy of the tree,
# see driverctl-loop.sh) and DRIVERCTL=path to Debian's driverctl script
# (apt-get download driverctl && dpkg -x driverctl_*.deb d; DRIVERCTL=d/usr/sbin/driverctl).
# pcikit binds on a snapshot of the same host (--host FILE): its figure includes loading and
# saving the simulated host, which a real kernel does not need.
#
# usage: bench/scripts/cold-start.sh [RUNS]
# env:   SIZES="100 1000 10000"  BIND_RUNS=3  NO_BUILD=1  WORK=DIR (keep/reuse the trees)
#        JAVA_HOME / PCIKIT_JAVA: the JDK (default: the launcher's choice, the newest present)
#        PCIKIT=path of the launcher to time (default: bin/pcikit)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-11}
pcikit=${PCIKIT:-bin/pcikit}
bind_runs=${BIND_RUNS:-3}
sizes=${SIZES:-100 1000 10000}
ids=/usr/share/misc/pci.ids
[ -f "$ids" ] || ids=/usr/share/hwdata/pci.ids
[ -n "${NO_BUILD:-}" ] || mvn -q -ntp -DskipTests package -pl cli,bench -am
if [ -n "${WORK:-}" ]; then
  work=$WORK
  mkdir -p "$work"
else
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
fi
benchjar=bench/target/pcikit-bench.jar
# two calls: the first one creates the class-data archive, the second one uses it
"$pcikit" --version >/dev/null
"$pcikit" --version >/dev/null
info=$(PCIKIT_LAUNCHER_VERBOSE=1 "$pcikit" --version 2>&1 >/dev/null | tail -n1 || true)

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m}'; }
load() { cut -d' ' -f1 /proc/loadavg; }
# timed FILE CMD...: appends "wall-ms cpu-ms exit-code" of one run (CPU: user + system)
TIMEFORMAT='%3R %3U %3S'
timed() {
  local f=$1 t rc=0
  shift
  t=$( { time "$@" >/dev/null 2>"$work/cmd.err"; } 2>&1) || rc=$?
  awk -v t="$t" -v rc="$rc" 'BEGIN{split(t,a," "); printf "%.0f %.0f %d\n", a[1]*1000, (a[2]+a[3])*1000, rc}' >>"$f"
}
col() { awk -v c="$1" '{print $c}' "$2" | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", (b>0)?a/b:0}'; }
# paired NAME TARGET PEER-COMMAND -- PCIKIT-COMMAND: RUNS interleaved pairs, one table row
paired() {
  local name=$1 target=$2
  shift 2
  local peer=() pk=()
  while [ "$1" != -- ]; do peer+=("$1"); shift; done
  shift
  pk=("$@")
  local pf=$work/p.ms lf=$work/l.ms l0
  : >"$pf"
  : >"$lf"
  l0=$(load)
  for _ in $(seq "$runs"); do
    timed "$pf" "${pk[@]}"
    timed "$lf" "${peer[@]}"
  done
  local p l pc lc
  p=$(col 1 "$pf") l=$(col 1 "$lf") pc=$(col 2 "$pf") lc=$(col 2 "$lf")
  echo "| $name | $p | $l | $(ratio "$p" "$l") | $pc | $lc | $target | $l0–$(load) |"
}

echo "Cold start, $(date -u +%FT%TZ), $(nproc) CPUs, $runs paired runs, medians (ms; CPU = user + system)"
echo "launcher: $info"
echo
echo "| command | pcikit (ms) | peer (ms) | pcikit/peer | pcikit CPU (ms) | peer CPU (ms) | target | load |"
echo "|---|---:|---:|---:|---:|---:|---|---|"
paired "--version (peer: lspci --version)" "≤ 60 ms" lspci --version -- "$pcikit" --version
for n in $sizes; do
  t=$work/t$n
  [ -d "$t/sys/bus/pci/devices" ] || java -cp "$benchjar" dev.pcikit.bench.TreeGen "$n" "$t"
  count=$(ls "$t/sys/bus/pci/devices" | wc -l)
  target="-"
  [ "$n" = 100 ] && target="≤ 5×"
  [ "$n" = 10000 ] && target="≤ 1.0×"
  paired "list -o json, $count devices (peer: lspci -D -nn -k)" "$target" \
    lspci -A linux-sysfs -O "sysfs.path=$t/sys/bus/pci" -i "$ids" -D -nn -k -- \
    "$pcikit" --root "$t" --pci-ids "$ids" list -o json
  if [ "$n" = 100 ]; then
    dev=$(ls "$t/sys/bus/pci/devices" | sed -n 2p)
    paired "show $dev, $count devices (peer: lspci -D -nn -k -vv -s)" "≤ 100 ms" \
      lspci -A linux-sysfs -O "sysfs.path=$t/sys/bus/pci" -i "$ids" -D -nn -k -vv -s "$dev" -- \
      "$pcikit" --root "$t" --pci-ids "$ids" show "$dev"
  fi
done

if [ "$(id -u)" != 0 ] || [ -z "${DRIVERCTL:-}" ]; then
  echo
  echo "(bind rows skipped: they need root and DRIVERCTL=path/to/driverctl)"
  exit 0
fi
# 256 VFs: bound to mlx5_core (vfio bind), or not yet enabled (sriov enable)
[ -f "$work/bind.snapshot" ] || java -cp "$benchjar" dev.pcikit.bench.SriovBenchHost --snapshot "$work/bind.snapshot" 256 256
[ -f "$work/enable.snapshot" ] || java -cp "$benchjar" dev.pcikit.bench.SriovBenchHost --snapshot "$work/enable.snapshot" 256 0
[ -f "$work/bindtree/PCIKIT_BENCH_TREE" ] || java -cp "$benchjar" dev.pcikit.bench.SriovBenchHost "$work/bindtree" 256 >/dev/null 2>&1
drvms() { "$@" 2>/dev/null | sed -n 's/.* in \([0-9]*\) ms$/\1/p'; }
# bindrow NAME SNAPSHOT PEER-SCRIPT PEER-ARGS... -- PCIKIT-ARGS...: pcikit on a fresh copy of the
# snapshot each run; the driverctl figure is the loop's own (printed by the script)
bindrow() {
  local name=$1 snap=$2 script=$3
  shift 3
  local extra=()
  while [ "$1" != -- ]; do extra+=("$1"); shift; done
  shift
  local pf=$work/p.ms lf=$work/l.ms l0 p l
  : >"$pf"
  : >"$lf"
  l0=$(load)
  for _ in $(seq "$bind_runs"); do
    rm -rf "$work/state"
    cp "$work/$snap" "$work/run.snapshot"
    timed "$pf" "$pcikit" --host "$work/run.snapshot" "$@" --state-dir "$work/state"
    [ "$(tail -n1 "$pf" | cut -d' ' -f3)" = 0 ] || { cat "$work/cmd.err" >&2; exit 1; }
    drvms sh "bench/scripts/$script" "$DRIVERCTL" "$work/bindtree" "${extra[@]}" >>"$lf"
  done
  p=$(col 1 "$pf") l=$(median <"$lf")
  echo "| $name | $p | $l | $(ratio "$p" "$l") ($(awk -v a="$p" -v b="$l" 'BEGIN{printf "%.1f", b/a}')× faster) | $(col 2 "$pf") | ≥ 10× faster | $l0–$(load) |"
}
echo
echo "Bind, $bind_runs paired runs, medians (ms)"
echo
echo "| command | pcikit (ms) | driverctl loop (ms) | pcikit/peer | pcikit CPU (ms) | target | load |"
echo "|---|---:|---:|---:|---:|---|---|"
bindrow "vfio bind -d 15b3:1018 (256 VFs)" bind.snapshot driverctl-loop.sh -- \
  vfio bind -d 15b3:1018 --yes
bindrow "sriov enable 0000:41:00.0 --vfs 256 (bind)" enable.snapshot driverctl-sriov-loop.sh 0000:41:00.0 256 -- \
  sriov enable 0000:41:00.0 --vfs 256
