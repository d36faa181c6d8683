#!/bin/bash
# Times `pcikit list -o json` (JVM start included, through bin/pcikit) against
# `lspci -D -nn -k` on the same generated sysfs trees of 100, 1,000 and 10,000 functions.
# Prints a Markdown table of medians. Usage: bench/scripts/list-vs-lspci.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-11}
mvn -q -ntp -DskipTests package -pl cli,bench -am
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin/pcikit --version >/dev/null   # dumps the AppCDS archive once
median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.0f", m}'; }
timeit() { # prints elapsed ms of one run of "$@"
  local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
echo "| devices | pcikit list -o json (ms) | lspci -D -nn -k (ms) | ratio |"
echo "|---:|---:|---:|---:|"
for n in 100 1000 10000; do
  java -cp bench/target/pcikit-bench.jar dev.pcikit.bench.TreeGen "$n" "$work/t$n"
  count=$(ls "$work/t$n/sys/bus/pci/devices" | wc -l)
  p=$(for i in $(seq "$runs"); do timeit bin/pcikit --root "$work/t$n" --pci-ids /usr/share/misc/pci.ids list -o json; done | median)
  l=$(for i in $(seq "$runs"); do timeit lspci -A linux-sysfs -O "sysfs.path=$work/t$n/sys/bus/pci" -i /usr/share/misc/pci.ids -D -nn -k; done | median)
  echo "| $count | $p | $l | $(awk -v a="$p" -v b="$l" 'BEGIN{printf "%.2f", a/b}') |"
done
