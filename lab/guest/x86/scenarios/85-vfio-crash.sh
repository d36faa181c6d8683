#!/bin/sh
# kill -9 of pcikit in the middle of a bind: vfio bind --group of the pcie-pci-bridge's group
# (two conventional e1000 behind it) runs in the background; as soon as its intent journal
# appears (written before each step batch) pcikit is killed. pcikit recover must then leave
# every device as before (or as asked, when the kill came after the commit) and no journal.
# Last scenario: the devices may stay on vfio-pci.
. /lab/lib.sh
DEVS="0000:05:00.0 0000:06:01.0 0000:06:02.0"
J=/var/lib/pcikit/journal
export LAB_FILE_STDERR=1
lab_file state-before lab_vfio_state $DEVS
pcikit vfio bind --group 0000:06:01.0 > /tmp/crash-bind.out 2>&1 &
BIND=$!
i=0
while [ $i -lt 600 ] && [ ! -e $J ] && kill -0 $BIND 2>/dev/null; do sleep 0.05; i=$((i + 1)); done
seen=no
[ -e $J ] && seen=yes
kill -9 $BIND 2>/dev/null
wait $BIND
lab_kv bind_rc "$?"
lab_kv journal_seen "$seen"
cat /tmp/crash-bind.out
lab_file journal-at-kill sh -c "cat $J 2>/dev/null; true"
lab_file state-at-kill lab_vfio_state $DEVS
lab_file recover pcikit recover
lab_file state-recovered lab_vfio_state $DEVS
lab_kv journal "$(lab_journal)"
exit 0
