#!/usr/bin/env bash
# Live-mode timing in a real Micro-Manager installation's pipeline (LiveModeTest), run N times (default 5), one JVM
# each; MM_HOME names the installation (the folder with plugins/Micro-Manager/ or jars/).
# Prints, per run, the load average before it and the test's LIVE-TIMING lines (n2d, then the pass-through
# baseline), then a table of the figures that the target names (processImage p99 < 1 ms on the Swing thread).
# Usage (repository root): MM_HOME=<Micro-Manager folder> mm-plugin/mm-real-tests/live-timing.sh [runs]
set -euo pipefail
runs=${1:-5}
: "${MM_HOME:?set MM_HOME to a Micro-Manager installation}"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for i in $(seq 1 "$runs"); do
  echo "run $i: $(uptime)"
  mvn -B -o -q -pl mm-plugin/mm-real-tests -am test -Dmm.home="$MM_HOME" -Dtest=LiveModeTest -Dsurefire.failIfNoSpecifiedTests=false \
    | grep -o 'LIVE-TIMING.*' | sed "s/^LIVE-TIMING/LIVE-TIMING run=$i/" | tee -a "$out"
done
echo
echo "ms; own = processImage less context.outputImage; output = inside it (calls with an output); cpu = the Swing thread's CPU time in processImage"
printf '%-4s %-13s %6s | %-29s | %-29s | %-29s | %-29s | %-29s\n' run processor load1 \
  'insertImage p50/p90/p99/max' 'processImage p50/p90/p99/max' 'own p50/p90/p99/max' 'output p50/p90/p99/max' \
  'cpu p50/p90/p99/max'
while read -r line; do
  get() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
  q() { echo "$(get "$1.p50")/$(get "$1.p90")/$(get "$1.p99")/$(get "$1.max")"; }
  printf '%-4s %-13s %6s | %-29s | %-29s | %-29s | %-29s | %-29s\n' "$(get run)" "$(get processor)" "$(get load1)" \
    "$(q insertImage)" "$(q processImage)" "$(q own)" "$(q output)" "$(q cpu)"
done <"$out"
