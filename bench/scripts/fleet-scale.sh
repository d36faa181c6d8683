#!/bin/bash
# The fleet at scale: HOSTS (default 1000) simulated hosts of demo:nic-farm's size (521 functions
# each) loaded into a PostgreSQL started for the run (Debian's binaries, fsync off, in a temporary
# directory), then `fleet find` latencies and EXPLAIN ANALYZE. Figures: docs/benchmarks-fleet.md.
# Usage: bench/scripts/fleet-scale.sh [HOSTS] [THREADS] [QUERIES] [JDBC-URL]
set -euo pipefail
cd "$(dirname "$0")/../.."
hosts=${1:-1000}
threads=${2:-2}
queries=${3:-500}
mvn -q -ntp -DskipTests package -pl cli,bench -am
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin/pcikit --host demo:nic-farm list -o json >"$work/nic-farm.json"
out=${FLEET_SCALE_OUT:-bench/target/fleet-scale}
java -Xmx2g -cp bench/target/pcikit-bench.jar dev.pcikit.bench.FleetScale \
  "$work/nic-farm.json" "$hosts" "$threads" "$queries" "$out" ${4:+"$4"}
echo "plans: $out/explain.txt"
