#!/usr/bin/env bash
# fuzz.sh — what `make fuzz` runs: every fuzz target for FUZZTIME (a duration
# such as 60s, or a count of executions such as 1000000x), one after another,
# then one line per target with the executions reached. A failing input is
# written by Go under the package's testdata/fuzz/FuzzXxx/; commit it with the
# fix, and plain `go test` replays it from then on.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fuzztime=${FUZZTIME:-60s}
targets=(
  ./bot:FuzzCommandLine
  ./bot/desk:FuzzUnwrapSlackText
  ./bot:FuzzInteractionPayload
  ./bot/commands:FuzzSessionDecoding
  ./bot/commands:FuzzImportCSV
  ./cognito:FuzzListFilter
  ./cognito:FuzzFindQuery
)
mkdir -p .cache/logs
summary=()
for t in "${targets[@]}"; do
  pkg=${t%%:*} name=${t##*:}
  log=.cache/logs/fuzz-$name.log
  echo "== $name ($pkg) for $fuzztime"
  # Minimizing each new input is capped (Go allows 60 s), so that one slow to
  # minimize does not stall the run; a failing input is still saved.
  if ! go test -run '^$' -fuzz "^$name\$" -fuzztime "$fuzztime" -fuzzminimizetime 5s -timeout 60m "$pkg" >"$log" 2>&1; then
    tail -n 40 "$log"
    echo "fuzz: $name FAILED (full output: $log; the input is under $pkg/testdata/fuzz/$name/)"
    exit 1
  fi
  execs=$(grep -o 'execs: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  summary+=("$name: ${execs:-?} executions, no failure")
done
echo "== fuzz summary ($(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))"
printf '%s\n' "${summary[@]}"
