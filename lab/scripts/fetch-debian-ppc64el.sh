#!/bin/bash
# Downloads (never installs) Debian bookworm's ppc64el kernel and busybox-static through a
# private apt index (its own lists and cache under the cache directory: the host's apt state
# and architectures are not touched), unpacks them and runs depmod on the kernel tree.
#
# Usage: lab/scripts/fetch-debian-ppc64el.sh [CACHE_DIR]
#   CACHE_DIR default: ${PCIKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pcikit}
# Prints one line: kernel root (ROOT/boot/vmlinux-VER, ROOT/lib/modules/VER), tab, VER, tab,
# the unpacked busybox-static root, tab, a root with drmgr and its libraries. Reuses everything
# on later runs.
set -euo pipefail
cache=${1:-${PCIKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pcikit}}
d=$cache/ppc64el
mkdir -p "$d/apt/lists/partial" "$d/apt/cache/archives/partial" "$d/apt/sourceparts" "$d/debs"
aptx=(-o APT::Architecture=ppc64el -o APT::Architectures=ppc64el
	-o "Dir::State::Lists=$d/apt/lists" -o "Dir::Cache=$d/apt/cache"
	-o "Dir::Etc::SourceList=$d/apt/sources.list" -o "Dir::Etc::SourceParts=$d/apt/sourceparts")
src='[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian'
# bookworm-security is left out: its ppc64el index was seen mid-sync (size mismatch) by the
# reference lab; main + updates carry the current point-release kernel
printf 'deb %s bookworm main\ndeb %s bookworm-updates main\n' "$src" "$src" > "$d/apt/sources.list"
if [ ! -f "$d/apt/.updated" ] || [ -n "$(find "$d/apt/.updated" -mtime +7)" ]; then
	apt-get -q "${aptx[@]}" update >&2
	touch "$d/apt/.updated"
fi
kpkg=$(apt-cache "${aptx[@]}" depends linux-image-powerpc64le | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$kpkg" ] || { echo "fetch-debian-ppc64el: no linux-image-powerpc64le dependency" >&2; exit 3; }
# drmgr (powerpc-ibm-utils) and its libraries: a pseries guest brings a hot-plugged device up
# only when userspace runs drmgr for the RTAS hotplug event
hp_pkgs="powerpc-ibm-utils librtas2 librtasevent2 libnuma1 zlib1g libc6 libgcc-s1"
for p in "$kpkg" busybox-static $hp_pkgs; do
	if ! ls "$d/debs/${p}"_*_ppc64el.deb > /dev/null 2>&1; then
		(cd "$d/debs" && apt-get -q "${aptx[@]}" download "$p" >&2)
	fi
done
kdeb=$(ls "$d/debs/${kpkg}"_*_ppc64el.deb | head -n 1)
kroot=$d/$(basename "$kdeb" .deb)
if [ ! -e "$kroot/.complete" ]; then
	rm -rf "$kroot.tmp"
	dpkg -x "$kdeb" "$kroot.tmp"
	ver=$(ls "$kroot.tmp/lib/modules" | head -n 1)
	depmod -b "$kroot.tmp" "$ver" # the host's depmod handles foreign-architecture modules
	touch "$kroot.tmp/.complete"
	rm -rf "$kroot"
	mv "$kroot.tmp" "$kroot"
fi
bdeb=$(ls "$d/debs"/busybox-static_*_ppc64el.deb | head -n 1)
broot=$d/$(basename "$bdeb" .deb)
if [ ! -x "$broot/bin/busybox" ]; then
	rm -rf "$broot"
	dpkg -x "$bdeb" "$broot"
fi
hroot=$d/drmgr-root
if [ ! -x "$hroot/usr/sbin/drmgr" ]; then
	rm -rf "$hroot"
	for p in $hp_pkgs; do dpkg -x "$(ls "$d/debs/${p}"_*_ppc64el.deb | head -n 1)" "$hroot"; done
fi
printf '%s\t%s\t%s\t%s\n' "$kroot" "$(ls "$kroot/lib/modules" | head -n 1)" "$broot" "$hroot"
