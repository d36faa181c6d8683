#!/bin/sh
# Opt-in measurement (not part of "all"): pcikit --version start-up under TCG with several JVM
# option sets, 3 runs each. Run: lab/scripts/x86-lab.sh run bench-jvm bench-jvm
. /lab/lib.sh
bench() {
	label=$1
	shift
	for i in 1 2 3; do
		t0=$(lab_uptime)
		"$LAB_JAVA" "$@" -jar /opt/pcikit/pcikit.jar --version > /tmp/bench.out 2>&1
		rc=$?
		echo "LAB-BENCH $label run=$i rc=$rc ms=$(lab_ms "$t0" "$(lab_uptime)")"
		[ $rc = 0 ] || cat /tmp/bench.out
	done
}
B="-XX:+UseSerialGC -XX:-UsePerfData -Xss1m"
A="-XX:SharedArchiveFile=/opt/pcikit/pcikit.jsa"
bench int-appcds -Xint $B $A
bench int -Xint $B
bench int-noverify -Xint $B -XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote
bench int-appcds-noverify -Xint $B $A -XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote
bench c1-appcds -XX:TieredStopAtLevel=1 $B $A
[ "${LAB_BENCH_DEFAULT:-0}" = 1 ] && bench default
