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
