#!/bin/sh
# The JVM and pcikit start in the guest: the jlink'd runtime maps its CDS archives
# (-Xshare:on fails instead of silently running without them) and the jar answers --version.
. /lab/lib.sh
lab_kv app_archive "$([ -f /opt/pcikit/pcikit.jsa ] && echo yes || echo no)"
LAB_FILE_STDERR=1 lab_file java-version "$LAB_JAVA" $LAB_JAVA_BASE_OPTS -Xshare:on -version || exit 1
lab_file pcikit-version pcikit --version || exit 1
LAB_FILE_STDERR=1 lab_file pcikit-version-cds-on "$LAB_JAVA" $LAB_JAVA_OPTS -Xshare:on -jar /opt/pcikit/pcikit.jar --version || exit 1
LAB_FILE_STDERR=1 lab_file pcikit-version-no-app-archive "$LAB_JAVA" $LAB_JAVA_BASE_OPTS -jar /opt/pcikit/pcikit.jar --version || exit 1
