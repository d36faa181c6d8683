#!/bin/sh
# Coverage-guided fuzzing of every parser of outside input with Jazzer (libFuzzer for the JVM).
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      default: 60 s for each target, all targets
#
# Targets (cli/src/test/java/dev/pcikit/cli/Fuzz.java): snapshot guest-spec domain-xml
# config-space selectors state-files. Not part of the normal test run; the inputs kept under
# cli/src/test/resources/fuzz/TARGET/ are (FuzzRegressionTest replays them). A finding is written
# to target/fuzz/findings/TARGET/; once fixed, copy it into the kept inputs.
# Jazzer comes from Maven Central (com.code-intelligence:jazzer 0.24.0, linux x86-64 native code
# inside the jar); it runs one JVM per target, on one core.
set -eu
secs=${1:-60}
[ $# -gt 0 ] && shift
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
targets=${*:-snapshot guest-spec domain-xml config-space selectors state-files}
jv=0.24.0
out=target/fuzz
mkdir -p "$out"

# test classes and the cli module's test classpath (reactor: core and sim from their target/)
mvn -B -q -ntp test-compile dependency:build-classpath -pl cli -am -Dpcikit.lab.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz.cp >/dev/null
for a in jazzer jazzer-api; do
  mvn -B -q -ntp dependency:get -Dartifact=com.code-intelligence:$a:$jv >/dev/null
done
m2=${MAVEN_REPO:-$HOME/.m2/repository}/com/code-intelligence
cp="cli/target/test-classes:cli/target/classes:$(cat cli/target/fuzz.cp):$m2/jazzer/$jv/jazzer-$jv.jar:$m2/jazzer-api/$jv/jazzer-api-$jv.jar"

class_of() {
  case $1 in
    snapshot) echo FuzzSnapshot ;; guest-spec) echo FuzzGuestSpec ;; domain-xml) echo FuzzDomainXml ;;
    config-space) echo FuzzConfigSpace ;; selectors) echo FuzzSelectors ;; state-files) echo FuzzStateFiles ;;
    *) echo "fuzz.sh: unknown target $1" >&2; exit 2 ;;
  esac
}
maxlen_of() {
  case $1 in snapshot) echo 65536 ;; domain-xml|guest-spec) echo 16384 ;; config-space) echo 4096 ;; *) echo 1024 ;; esac
}

printf '%-13s %8s %12s %10s %9s\n' target seconds executions exec/s findings > "$out/summary.txt"
for t in $targets; do
  cls=$(class_of "$t")
  corpus=$out/corpus/$t
  findings=$out/findings/$t
  mkdir -p "$corpus" "$findings"
  log=$out/$t.log
  start=$(date +%s)
  # keep going after a finding (up to 20, deduplicated by stack) so one run reports them all
  set +e
  java -cp "$cp" com.code_intelligence.jazzer.Jazzer \
    --target_class=dev.pcikit.cli.fuzz.$cls \
    --instrumentation_includes='dev.pcikit.**:tools.jackson.**:org.snakeyaml.**' \
    --keep_going=20 --reproducer_path="$findings" --jvm_args=-Xmx1g \
    -max_total_time="$secs" -max_len="$(maxlen_of "$t")" -rss_limit_mb=3072 \
    -print_final_stats=1 -artifact_prefix="$findings/" \
    "$corpus" "cli/src/test/resources/fuzz/$t" >"$log" 2>&1
  set -e
  took=$(( $(date +%s) - start ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
  found=$(find "$findings" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  printf '%-13s %8s %12s %10s %9s\n' "$t" "$took" "${execs:-?}" "${rate:-?}" "$found" | tee -a "$out/summary.txt"
done
echo "summary: $out/summary.txt; logs: $out/TARGET.log; findings: $out/findings/TARGET/"
