#!/bin/sh
# The JVM and pcikit start in the guest with their CDS archives: -Xshare:on fails instead of
# silently running without them (the runtime's classes.jsa; pcikit.jsa when the build trained
# one), and the jar answers --version as on the host.
. /lab/lib.sh
lab_kv app_archive "$([ -f /opt/pcikit/pcikit.jsa ] && echo yes || echo no)"
LAB_FILE_STDERR=1 lab_file java-version "$LAB_JAVA" $LAB_JAVA_BASE_OPTS -Xshare:on -version || exit 1
lab_file pcikit-version pcikit -Xshare:on --version || exit 1
