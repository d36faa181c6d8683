#!/bin/sh
# Installs, when missing, what pcikit's build and tests need on a fresh Debian 12 machine.
# Usage: scripts/install-deps.sh [build|test]
set -eu
want=${1:-test}
need=""
have() { command -v "$1" >/dev/null 2>&1; }
pkg_missing() { ! dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
have java || need="$need openjdk-17-jdk-headless"
have mvn || need="$need maven"
# the PCI ID database lspci names devices from (/usr/share/misc/pci.ids); without it every device
# is shown by number ("Class [0600] Device [8086:0d57]"), as lspci does
pkg_missing pci.ids && need="$need pci.ids"
if [ "$want" = test ]; then
  # lspci (differential tests), kmod (modprobe -R), libvirt's schema validator, QEMU for
  # topology and real-kernel lab tests, what building the lab initramfs takes, and headless
  # Chromium (with the DejaVu fonts the pictures name) to render the SVG pictures.
  # libxml2-utils: virt-xml-validate runs xmllint
  # python3-nova: Nova's own parsers check `pcikit export nova` (cli NovaExportTest)
  # nodejs + npm: the agent's web page test drives Chromium with playwright-core (npm ci in the
  # build; Debian 12's node 18 is enough: playwright-core 1.61 needs >= 18)
  # postgresql: the fleet tests start a real server (as the postgres user) in a temporary directory
  # prometheus: a real Prometheus server scrapes the agent's /metrics (agent PrometheusScrapeTest)
  # udev: udevadm, the agent's kernel uevent source (its output format is checked against it)
  # wrk: the agent's load script (bench/scripts/agent-load.sh)
  for p in pciutils kmod libvirt-clients libxml2-utils qemu-system-x86 qemu-system-ppc qemu-utils \
           busybox-static cpio xz-utils zstd gcc libc6-dev xxd chromium fonts-dejavu-core \
           python3-nova postgresql prometheus udev wrk; do
    pkg_missing "$p" && need="$need $p"
  done
  # by command, not package: a node from another packaging (with its own npm) is as good
  have node || need="$need nodejs"
  have npm || need="$need npm"
fi
if [ -n "$need" ]; then
  echo "install-deps: installing:$need" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
