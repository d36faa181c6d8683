#!/bin/sh
# The main job: build pcikit, take the inventory of this machine (read-only), then rehearse
# the write workflows on built-in demo hosts (simulated kernel, state in a temporary
# directory). This machine's /sys is never written.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
[ -f cli/target/pcikit.jar ] || mvn -B -q -ntp -DskipTests package
run() { echo; echo "\$ pcikit $*"; bin/pcikit "$@" || echo "(exit code $?)"; }

echo "== This machine (read-only)"
run list
run groups
run check

echo
echo "== Rehearsal on demo hosts (simulated Linux 6.1 kernel; nothing here touches this machine)"
PCIKIT_STATE_DIR=$(mktemp -d)
export PCIKIT_STATE_DIR
trap 'rm -rf "$PCIKIT_STATE_DIR"' EXIT
run --host demo:x86-workstation groups
run --host demo:x86-workstation vfio bind 0000:01:00.0          # refused: group shared with the GPU's audio
run --host demo:x86-workstation vfio bind --group 0000:01:00.0  # refused: the boot VGA
run --host demo:x86-workstation vfio bind --dry-run 0000:03:00.0
run --host demo:x86-workstation vfio bind 0000:03:00.0
run --host demo:x86-workstation vfio status
run --host demo:x86-workstation vfio release 0000:03:00.0
run --host demo:nic-farm sriov disable 0000:17:00.0
run --host demo:nic-farm sriov enable 0000:17:00.0 --vfs 8
run --host demo:nic-farm list -s 17:
run --host demo:power9 plan docs/examples/pseries-guest.yaml
run --host demo:power9 plan docs/examples/pseries-guest.yaml -o qemu

echo
echo "== The agent on a demo host (REST API on a Unix domain socket; docs/agent.md)"
sock="$PCIKIT_STATE_DIR/agent.sock"
# the launcher execs the JVM (also on a first run): "kill $agent" reaches it
bin/pcikit --host demo:x86-workstation agent --socket "$sock" 2>"$PCIKIT_STATE_DIR/agent.log" &
agent=$!
for _ in $(seq 1 150); do [ -S "$sock" ] && break; sleep 0.2; done
api() {
  echo; echo "\$ curl --unix-socket \$sock $*"
  if command -v curl >/dev/null; then
    curl -sS --unix-socket "$sock" "$@" || echo "(curl exit code $?)"
  else
    echo "(skipped: no curl)"
  fi
  echo
}
api http://localhost/v1/devices?s=03:00.0
api -d '{"devices":["0000:03:00.0"],"dryRun":true}' http://localhost/v1/bind
api -d '{"devices":["0000:03:00.0"]}' http://localhost/v1/bind
api http://localhost/v1/vfio
api -d '{"devices":["0000:03:00.0"]}' http://localhost/v1/release
api -d '{"devices":["0000:01:00.0"]}' http://localhost/v1/bind   # refused: problem+json, 409
kill "$agent"
wait "$agent" || true
cat "$PCIKIT_STATE_DIR/agent.log"

echo
echo "== A fleet of three demo hosts: their agents, a collector, PostgreSQL (docs/fleet.md)"
if [ "$(uname -m)" != x86_64 ] && ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "(skipped: no PostgreSQL binaries for $(uname -m); install Debian's postgresql package)"
else
  # without --db pcikit starts PostgreSQL itself: Debian's binaries when installed, else the ones
  # the embedded-postgres artifact ships (nothing to install)
  fleet=$PCIKIT_STATE_DIR/fleet
  mkdir -p "$fleet"
  chmod 755 "$PCIKIT_STATE_DIR"  # the local PostgreSQL runs as the postgres user when we are root
  export PCIKIT_FLEET_DIR="$fleet/db"
  pids=""
  trap 'kill $pids 2>/dev/null; wait $pids 2>/dev/null || true; rm -rf "$PCIKIT_STATE_DIR"' EXIT
  for h in x86-workstation nic-farm power9; do
    bin/pcikit --host "demo:$h" agent --socket "$fleet/$h.sock" >"$fleet/$h.log" 2>&1 &
    pids="$pids $!"
    echo "$h unix:$fleet/$h.sock" >>"$fleet/agents"
  done
  echo "\$ pcikit fleet collect --agents $fleet/agents &"
  # kill reaches the JVM (the launcher execs it), whose shutdown hook gives the hosts back and
  # stops the local PostgreSQL
  bin/pcikit fleet collect --agents "$fleet/agents" >"$fleet/collect.log" 2>&1 &
  pids="$pids $!"
  # no query before the collector has its database: a query that found no server would start
  # the local PostgreSQL itself, and stop it again when it is the last one out (docs/fleet.md)
  for i in $(seq 120); do
    grep -q ' started: ' "$fleet/collect.log" 2>/dev/null && break
    sleep 1
  done
  for i in $(seq 120); do
    n=$(bin/pcikit fleet hosts 2>/dev/null | grep -c ' answering ' || true)
    [ "$n" = 3 ] && break
    sleep 1
  done
  run fleet hosts
  run fleet find -d 8086:1592 --numa 0 --free-vfs 4   # PFs with 4 free VFs on NUMA node 0
  run fleet find --class 03 --assignable               # GPUs a guest can take now
  run --host demo:x86-workstation vfio bind 0000:03:00.0
  sleep 6                                               # the agent notices, the collector stores it
  run fleet find --driver vfio-pci
  run fleet history x86-workstation
  run export kubevirt --db "$(cat "$fleet/db/url")" \
    --host-name nic-farm
fi
