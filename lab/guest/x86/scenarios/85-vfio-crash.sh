#!/bin/sh
# kill -9 of pcikit in the middle of a bind: vfio bind --group of the pcie-pci-bridge's group
# (two conventional e1000 behind it) runs in the background; as soon as its intent journal
# (written before each step batch) shows a step past the overrides, pcikit is killed. pcikit recover must then leave
# every device as before (or as asked, when the kill came after the commit) and no journal.
# Last scenario: the devices may stay on vfio-pci.
. /lab/lib.sh
DEVS="0000:05:00.0 0000:06:01.0 0000:06:02.0"
J=/var/lib/pcikit/journal
export LAB_FILE_STDERR=1
lab_file state-before lab_vfio_state $DEVS
# the JVM itself in the background (not the pcikit shell function: kill -9 of its subshell
# would leave the JVM running to completion)
"$LAB_JAVA" $LAB_JAVA_OPTS -jar /opt/pcikit/pcikit.jar vfio bind --group 0000:06:01.0 > /tmp/crash-bind.out 2>&1 &
BIND=$!
i=0
# kill once the journal names a step after the overrides (the devices then get unbound: the
# interesting half-done state), while the JVM still runs
past_override() { grep -qs '^step \(unbind\|probe\|settle\|verify\|commit\)' $J; }
while [ $i -lt 1500 ] && ! past_override && kill -0 $BIND 2>/dev/null; do sleep 0.02; i=$((i + 1)); done
seen=no
past_override && seen=yes
kill -9 $BIND 2>/dev/null
wait $BIND
lab_kv bind_rc "$?"
lab_kv journal_seen "$seen"
lab_kv jvm_left "$(kill -0 $BIND 2>/dev/null && echo yes || echo no)"
cat /tmp/crash-bind.out
lab_file journal-at-kill sh -c "cat $J 2>/dev/null; true"
lab_file state-at-kill lab_vfio_state $DEVS
lab_file recover pcikit recover
lab_file state-recovered lab_vfio_state $DEVS
lab_kv journal "$(lab_journal)"
exit 0
