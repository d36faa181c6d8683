#!/bin/sh
# Every test: unit, property, differential (lspci, kmod, libvirt schema, QEMU) and the
# real-kernel lab. Installs what it needs when missing.
set -eu
cd "$(dirname "$0")/.."
scripts/install-deps.sh test
exec mvn -B -ntp verify "$@"
