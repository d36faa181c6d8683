#!/bin/sh
# Downloads (never installs) Debian's amd64 kernel image package, unpacks it into a cache
# directory and runs depmod on the unpacked tree. Generic: used by the kmod differential tests
# and reusable by the real-kernel lab.
#
# Usage: scripts/fetch-debian-kernel.sh [PACKAGE]
#   PACKAGE  default: what linux-image-amd64 depends on (apt-cache depends), e.g.
#            linux-image-6.1.0-56-amd64
# Environment: PCIKIT_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/pcikit).
# Prints one line: the unpacked root (ROOT, holding ROOT/lib/modules/VER and ROOT/boot), then a
# tab, then VER. The .deb and the tree are reused on later runs.
set -eu
cache=${PCIKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pcikit}
pkg=${1:-}
find_pkg() {
  apt-cache depends linux-image-amd64 2>/dev/null |
    awk '/Depends: linux-image-[0-9]/ {print $2; exit}'
}
if [ -z "$pkg" ]; then
  pkg=$(find_pkg)
  if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2 || true # a fresh machine or container has no package lists yet
    pkg=$(find_pkg)
  fi
fi
if [ -z "$pkg" ]; then
  echo "fetch-debian-kernel: cannot find the package linux-image-amd64 depends on" \
    "(run apt-get update?)" >&2
  exit 3
fi
debs=$cache/debs
mkdir -p "$debs"
# one fetch at a time (tests and the lab may start it concurrently)
if command -v flock >/dev/null 2>&1; then
  exec 9>"$cache/.fetch-debian-kernel.lock"
  flock 9
fi
deb=$(ls "$debs/${pkg}"_*_amd64.deb 2>/dev/null | head -n 1 || true)
if [ -z "$deb" ]; then
  tmp=$(mktemp -d "$debs/.download.XXXXXX")
  (cd "$tmp" && apt-get download -q "$pkg" >&2)
  mv "$tmp"/*.deb "$debs/"
  rmdir "$tmp"
  deb=$(ls "$debs/${pkg}"_*_amd64.deb | head -n 1)
fi
root=$cache/kernels/$(basename "$deb" .deb)
if [ ! -e "$root/.complete" ]; then
  rm -rf "$root.tmp"
  mkdir -p "$root.tmp"
  dpkg -x "$deb" "$root.tmp"
  ver=$(ls "$root.tmp/lib/modules" | head -n 1)
  depmod -b "$root.tmp" "$ver"
  touch "$root.tmp/.complete"
  rm -rf "$root"
  mv "$root.tmp" "$root"
fi
ver=$(ls "$root/lib/modules" | head -n 1)
printf '%s\t%s\n' "$root" "$ver"
