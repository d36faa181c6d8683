#!/bin/sh
# Runs the embedding example after the build (from the repository root: mvn -q -DskipTests
# package). The core is on the module path, so the example and the sim module (class path) can
# use only what core's module-info exports. Demo-host state goes to a temporary directory, so the
# user's own demo hosts are left alone. Exits with the example's status: 0 when bind and release committed.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
jar() { ls "$1"/target/pcikit-*-0.1.0-SNAPSHOT.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n 1; }
core=$(jar "$repo/core")
cp="$(jar "$repo/sim"):$(jar "$here")"
case "$core:$cp" in
  :* | *::* | *:) echo "run.sh: build first: mvn -q -DskipTests package" >&2; exit 2 ;;
esac
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
status=0
PCIKIT_STATE_DIR="$state" java --module-path "$core" --add-modules dev.pcikit.core -cp "$cp" \
  dev.pcikit.examples.embedding.EmbeddingExample || status=$?
exit "$status"
