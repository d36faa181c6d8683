#!/bin/sh
# Load on the agent: wrk against GET /v1/devices of demo:nic-farm (521 functions, a 558 KB
# document) on a TCP loopback listener (wrk speaks TCP only, not Unix domain sockets), 64
# connections; then requests until a million have been answered, and the agent's resident memory.
# Usage: bench/scripts/agent-load.sh [SECONDS_PER_RUN] [TOTAL_REQUESTS] [extra wrk args...]
# Figures and how to read them: docs/benchmarks-agent.md.
set -eu
cd "$(dirname "$0")/../.."
run=${1:-30}
total=${2:-1000000}
shift 2 2>/dev/null || shift $#
command -v wrk >/dev/null || { echo "agent-load: wrk missing (apt-get install wrk)" >&2; exit 2; }
[ -f cli/target/pcikit.jar ] || mvn -B -q -ntp -DskipTests -Dpcikit.lab.skip=true package
tmp=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
printf 'bench read %s\n' "$token" >"$tmp/tokens"
chmod 600 "$tmp/tokens"
# the JVM as the service runs it (dist/pcikit-agent.service): a bounded heap, the serial GC,
# small thread stacks and code cache, two malloc arenas
JAVA_OPTS=${JAVA_OPTS:--Xmx64m -Xss512k -XX:+UseSerialGC -XX:ReservedCodeCacheSize=32m -XX:MaxDirectMemorySize=64m}
PCIKIT_STATE_DIR="$tmp" MALLOC_ARENA_MAX=2 java $JAVA_OPTS -jar cli/target/pcikit.jar \
  --host demo:nic-farm agent --socket "$tmp/agent.sock" --listen 127.0.0.1:0 \
  --tokens "$tmp/tokens" 2>"$tmp/agent.log" &
pid=$!
for _ in $(seq 1 300); do
  grep -q 'listening on http' "$tmp/agent.log" 2>/dev/null && break
  sleep 0.2
done
url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$tmp/agent.log")
[ -n "$url" ] || { cat "$tmp/agent.log" >&2; exit 1; }
echo "agent pid $pid at $url (host demo:nic-farm); $(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg)"
rss() { awk '/VmRSS/ {printf "%.0f MB", $2/1024}' "/proc/$pid/status"; }
echo "RSS after start: $(rss)"
wrk -t2 -c64 -d5s -H "Authorization: Bearer $token" "$@" "$url/v1/devices" >/dev/null # warm-up
echo "RSS after warm-up: $(rss)"
done_requests=0
n=0
while [ "$done_requests" -lt "$total" ]; do
  n=$((n + 1))
  wrk -t2 -c64 -d"${run}s" --latency -H "Authorization: Bearer $token" "$@" "$url/v1/devices" \
    >"$tmp/wrk.$n"
  got=$(awk '/requests in/ {print $1}' "$tmp/wrk.$n")
  done_requests=$((done_requests + got))
  if [ "$n" = 1 ]; then
    echo "== first run ($run s, 64 connections)"
    cat "$tmp/wrk.$n"
  fi
  echo "run $n: $got requests ($(awk '/Requests\/sec/ {print $2}' "$tmp/wrk.$n") req/s;" \
    "p50 $(awk '$1=="50%" {print $2}' "$tmp/wrk.$n"), p99 $(awk '$1=="99%" {print $2}' "$tmp/wrk.$n");" \
    "errors: $(grep -E 'Socket errors|Non-2xx' "$tmp/wrk.$n" | tr '\n' ' ' || true)) total $done_requests; RSS $(rss)"
done
echo "== after $done_requests requests: RSS $(rss)"
