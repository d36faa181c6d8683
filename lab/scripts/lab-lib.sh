# Shared helpers of the lab scripts (sourced, POSIX sh + bash arrays where the caller is bash).
# Layout: sources under lab/, generated files under lab/target/lab, console logs under
# lab/target/lab-logs, downloads and reusable builds under ${PCIKIT_CACHE}.
LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")/.." && pwd)
PROJECT_DIR=$(dirname "$LAB_DIR")
# same default as scripts/fetch-debian-kernel.sh
export PCIKIT_CACHE=${PCIKIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pcikit}
LAB_OUT=${LAB_OUT:-$LAB_DIR/target/lab}
LAB_LOGS=${LAB_LOGS:-$LAB_DIR/target/lab-logs}
mkdir -p "$LAB_OUT" "$LAB_LOGS" "$PCIKIT_CACHE/lab"

lab_log() { printf '[lab %s] %s\n' "$(date +%T)" "$*" >&2; }
lab_die() { lab_log "ERROR: $*"; exit 1; }

# lab_need CMD... : installs the project's test dependencies (scripts/install-deps.sh) when one
# of the commands is missing, then fails if it is still missing.
lab_need() {
	missing=""
	for c in "$@"; do command -v "$c" >/dev/null 2>&1 || missing="$missing $c"; done
	[ -z "$missing" ] && return 0
	lab_log "missing:$missing; running scripts/install-deps.sh test"
	"$PROJECT_DIR/scripts/install-deps.sh" test >&2 || true
	for c in "$@"; do command -v "$c" >/dev/null 2>&1 || lab_die "required command not found: $c"; done
}

# lab_copy_with_libs ROOT FILE... : copies executables/libraries to the same paths under ROOT,
# with every library ldd resolves (the dynamic loader as a real file).
lab_copy_with_libs() {
	root=$1; shift
	for f in "$@"; do
		mkdir -p "$root$(dirname "$f")"
		cp -L "$f" "$root$f"
	done
	ldd "$@" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// && NF >= 2 {print $1}' | sort -u |
		while read -r l; do
			[ -e "$root$l" ] && continue
			mkdir -p "$root$(dirname "$l")"
			cp -L "$l" "$root$l"
		done
}

# lab_pack DIR OUT : newc cpio of DIR (sorted, mtimes kept: the kernel preserves them with
# CONFIG_INITRAMFS_PRESERVE_MTIME), zstd-compressed, padded to a 4-byte multiple so that any
# segment appended after it starts aligned (the kernel requires that for uncompressed cpio).
lab_pack() {
	(cd "$1" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc --quiet) | zstd -q -10 -T0 -c > "$2.tmp"
	pad=$(( (4 - $(stat -c %s "$2.tmp") % 4) % 4 ))
	[ "$pad" -gt 0 ] && head -c "$pad" /dev/zero >> "$2.tmp"
	mv "$2.tmp" "$2"
}

# lab_read_args FILE : prints the QEMU arguments of a topology file, one per line
# (whitespace-separated words, '#' comments, shell line continuations '\' as `pcikit plan -o
# qemu` prints them).
lab_read_args() {
	sed 's/#.*//' "$1" | tr -s ' \t' '\n\n' | sed '/^$/d; /^\\$/d'
}

# Boots one guest: NAME LOG SCENARIOS QEMU-COMMAND... Saves the command line, runs QEMU with
# the console unbuffered into LOG (tests follow it while the guest runs: hotplug waits for a
# line), appends one line to timings.txt, and fails with the last console lines when the guest
# did not reach LAB-DONE.
lab_boot() {
	local name=$1 log=$2 scenarios=$3
	shift 3
	printf '%q ' "$@" > "$LAB_LOGS/$name.cmd"
	echo >> "$LAB_LOGS/$name.cmd"
	lab_log "booting $name (scenarios: $scenarios); console: $log"
	local t0 t1 rc=0 done=no
	t0=$(date +%s.%N)
	timeout "${LAB_TIMEOUT:-600}" "$@" < /dev/null 2> "$LAB_LOGS/$name.qemu-stderr" |
		stdbuf -o0 tr -d '\r' > "$log" || rc=$?
	t1=$(date +%s.%N)
	grep -q '^LAB-DONE' "$log" && done=yes
	printf '%s %s wall_s=%.1f rc=%s done=%s scenarios=%s load1=%s\n' "$(date -u +%FT%TZ)" "$name" \
		"$(awk "BEGIN{print $t1 - $t0}")" "$rc" "$done" "$scenarios" "$(cut -d' ' -f1 /proc/loadavg)" |
		tee -a "$LAB_LOGS/timings.txt" >&2
	[ "$done" = yes ] || { lab_log "guest did not finish; last lines of $log:"; tail -n 30 "$log" >&2; exit 1; }
}
