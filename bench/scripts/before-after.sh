#!/bin/bash
# Before/after timing of one pcikit command with two builds, whole process (JVM start included),
# runs interleaved (A, B, A, B, ...) so that both see the same machine load; medians of wall and
# CPU (user + system) time, and the load average before and after.
#
# usage: bench/scripts/before-after.sh RUNS LAUNCHER-A LAUNCHER-B -- PCIKIT-ARGS...
#   e.g. bench/scripts/before-after.sh 11 /work/base/bin/pcikit bin/pcikit -- \
#          --root /tmp/t1000 list -o json
# Each launcher is called twice first (its class-data archive is made on first use).
set -euo pipefail
runs=$1 a=$2 b=$3
shift 3
[ "$1" = -- ] && shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for l in "$a" "$b"; do "$l" --version >/dev/null; "$l" --version >/dev/null; done
TIMEFORMAT='%3R %3U %3S'
timed() {
  local f=$1 t
  shift
  t=$( { time "$@" >/dev/null 2>&1; } 2>&1)
  awk -v t="$t" 'BEGIN{split(t,x," "); printf "%.0f %.0f\n", x[1]*1000, (x[2]+x[3])*1000}' >>"$f"
}
median() { sort -n | awk '{v[NR]=$1} END {m=(NR%2)?v[(NR+1)/2]:(v[NR/2]+v[NR/2+1])/2; printf "%.0f", m}'; }
l0=$(cut -d' ' -f1 /proc/loadavg)
for _ in $(seq "$runs"); do
  timed "$work/a" "$a" "$@"
  timed "$work/b" "$b" "$@"
done
printf '| `%s` | %s / %s | %s / %s | %s–%s |\n' "$*" \
  "$(awk '{print $1}' "$work/a" | median)" "$(awk '{print $2}' "$work/a" | median)" \
  "$(awk '{print $1}' "$work/b" | median)" "$(awk '{print $2}' "$work/b" | median)" \
  "$l0" "$(cut -d' ' -f1 /proc/loadavg)"
