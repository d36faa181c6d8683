#!/bin/sh
# Opt-in measurement (not part of "all"): pcikit --version start-up under TCG with several JVM
# option sets, interleaved round by round (so that a change in the host's load hits every set
# alike), 3 rounds. Run: lab/scripts/x86-lab.sh run bench-jvm bench-jvm
. /lab/lib.sh
B="-XX:+UseSerialGC -XX:-UsePerfData -Xss1m"
A="-XX:SharedArchiveFile=/opt/pcikit/pcikit.jsa"
NV="-XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote"
run() {
	label=$1
	shift
	t0=$(lab_uptime)
	"$LAB_JAVA" "$@" -jar /opt/pcikit/pcikit.jar --version > /tmp/bench.out 2>&1
	rc=$?
	echo "LAB-BENCH $label round=$i rc=$rc ms=$(lab_ms "$t0" "$(lab_uptime)")"
	[ $rc = 0 ] || cat /tmp/bench.out
}
for i in 1 2 3; do
	run int-appcds -Xint $B $A
	run int -Xint $B
	run int-appcds-noverify -Xint $B $A $NV
	run c1-appcds -XX:TieredStopAtLevel=1 $B $A
done
