#!/bin/sh
# The main job: build pcikit, take the inventory of this machine (read-only), then show a
# write workflow on a built-in demo host (simulated kernel; this machine is never written).
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh build
[ -f cli/target/pcikit.jar ] || mvn -B -q -ntp -DskipTests package
command -v lspci >/dev/null 2>&1 || echo "(pciutils not installed: names from pci.ids only if present)"
echo "== pcikit list (this machine)"
bin/pcikit list
echo "== pcikit groups (this machine)"
bin/pcikit groups
