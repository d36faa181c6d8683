# Helpers for the lab guests' /init and scenario scripts (sourced; busybox ash), shared by the
# x86 and pseries guests.
# A scenario is a shell script /lab/scenarios/NN-name.sh that sources this file; whatever it
# prints lands in its section of the console; its exit status is the scenario's rc.

LAB_JAVA=/opt/jre/bin/java
# -Xint: under TCG the JIT compilers are emulated code on the single vCPU and compiled code has
# to be translated again by TCG; interpreting halves a short CLI's start-up (measured in the
# reference lab-x86-java). CDS: the runtime's lib/server/classes.jsa plus, when the build could
# train one, the app archive of pcikit.jar (-Xshare:auto ignores an unusable archive silently;
# the java scenario checks it with -Xshare:on).
LAB_JAVA_BASE_OPTS="-Xint -XX:+UseSerialGC -XX:-UsePerfData -Xss1m"
LAB_JAVA_OPTS=$LAB_JAVA_BASE_OPTS
[ -f /opt/pcikit/pcikit.jsa ] && LAB_JAVA_OPTS="$LAB_JAVA_OPTS -XX:SharedArchiveFile=/opt/pcikit/pcikit.jsa"
LAB_PCI_IDS=/usr/share/misc/pci.ids

lab_uptime() { cut -d' ' -f1 /proc/uptime; }
lab_ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d", (b - a) * 1000 }'; }

# pcikit [JVM-OPTION...] ARGS... : the CLI under test, against this guest's own /sys; leading
# -X/-XX options go to the JVM
pcikit() {
	_jo=""
	while [ $# -gt 0 ]; do
		case $1 in -X*) _jo="$_jo $1"; shift ;; *) break ;; esac
	done
	"$LAB_JAVA" $LAB_JAVA_OPTS $_jo -jar /opt/pcikit/pcikit.jar "$@"
}

# lab_kv KEY VALUE : a result line for the host-side test
lab_kv() { echo "LAB-KV $1=$2"; }

# lab_file NAME CMD... : runs CMD, shows its stdout as a named block (stderr goes inside the
# block too when LAB_FILE_STDERR=1, else to the console before the block) and records its rc
# and duration. Returns CMD's status.
lab_file() {
	_n=$1
	shift
	_t0=$(lab_uptime)
	if [ "${LAB_FILE_STDERR:-0}" = 1 ]; then "$@" > /tmp/lab-file.out 2>&1; else "$@" > /tmp/lab-file.out; fi
	_rc=$?
	_t1=$(lab_uptime)
	echo "-----LAB-FILE $_n-----"
	cat /tmp/lab-file.out
	# a block always ends on its own line, even when the output has no final newline
	[ -s /tmp/lab-file.out ] && [ "$(tail -c 1 /tmp/lab-file.out | od -An -c | tr -d ' ')" != '\n' ] && echo && echo "LAB-WARN $_n: no newline at end of output"
	echo "-----LAB-FILE-END $_n rc=$_rc ms=$(lab_ms "$_t0" "$_t1")-----"
	return $_rc
}

lab_link() { [ -L "$1" ] && basename "$(readlink "$1")" || echo -; }

# lab_pci_table : one line per PCI device as the kernel shows it in sysfs:
# bdf vendor device class driver iommu_group config_size physfn
lab_pci_table() {
	for d in /sys/bus/pci/devices/*; do
		echo "${d##*/} $(cat $d/vendor) $(cat $d/device) $(cat $d/class) $(lab_link $d/driver)" \
			"$(lab_link $d/iommu_group) $(stat -c %s $d/config) $(lab_link $d/physfn)"
	done
}

# lab_find_dev VENDOR:DEVICE (0x-prefixed as in sysfs) : first matching BDF
lab_find_dev() {
	for d in /sys/bus/pci/devices/*; do
		[ "$(cat $d/vendor):$(cat $d/device)" = "$1" ] && { echo "${d##*/}"; return 0; }
	done
	return 1
}

# lab_child_of BRIDGE_BDF : first device directly below the bridge
lab_child_of() {
	for d in /sys/bus/pci/devices/"$1"/0000:*; do
		[ -e "$d/vendor" ] && { echo "${d##*/}"; return 0; }
	done
	return 1
}

lab_kmsg() { dmesg -c 2>/dev/null | sed 's/^/KMSG: /'; }

# used by /init
lab_run_scenario() {
	echo "=====LAB-SCENARIO-BEGIN $1====="
	dmesg -c > /dev/null 2>&1
	_s0=$(lab_uptime)
	sh "$2" 2>&1
	_src=$?
	_s1=$(lab_uptime)
	lab_kmsg
	echo "=====LAB-SCENARIO-END $1 rc=$_src ms=$(lab_ms "$_s0" "$_s1")====="
}

# lab_vfio_state BDF... : one line per device, "bdf driver driver_override iommu_group" ('-' for
# none), the end state the x86 test compares with the simulated kernel's (X86LabTest)
lab_vfio_state() {
	for _b in "$@"; do
		_d=/sys/bus/pci/devices/$_b
		_o=$(cat $_d/driver_override 2>/dev/null)
		[ -z "$_o" ] || [ "$_o" = "(null)" ] && _o=-
		echo "$_b $(lab_link $_d/driver) $_o $(lab_link $_d/iommu_group)"
	done
}

# lab_wait_holding FILE : waits (up to 5 s) for lab-group-holder's "holding" line in FILE
lab_wait_holding() {
	_i=0
	while [ $_i -lt 50 ] && ! grep -q holding "$1"; do sleep 0.1; _i=$((_i + 1)); done
	cat "$1"
	grep -q holding "$1"
}

lab_journal() { [ -e /var/lib/pcikit/journal ] && echo present || echo absent; }

# lab_nic_macs : "bdf mac driver" for every PCI function that has a network interface (the MAC
# tells the lab's identical e1000e apart independently of pcikit) and "bdf - driver" for the
# others; a function on vfio-pci has no interface
lab_nic_macs() {
	for d in /sys/bus/pci/devices/*; do
		_m=-
		for n in $d/net/*; do [ -e "$n/address" ] && _m=$(cat "$n/address"); done
		echo "${d##*/} $_m $(lab_link $d/driver)"
	done
}

# lab_bdf_of_mac MAC : the PCI function whose network interface has that MAC
lab_bdf_of_mac() {
	lab_nic_macs | awk -v m="$1" '$2 == m {print $1; f=1} END {exit !f}'
}
