#!/usr/bin/env bash
# test.sh — what `make test` runs: vet, gofmt and staticcheck (scripts/lint.sh),
# then every test with the race detector against the local emulators, then a
# one-line count of what ran.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
mkdir -p .cache/logs

./scripts/lint.sh

echo "== deployment files (offline)"
if command -v terraform >/dev/null; then
  TF_CLI_CONFIG_FILE=/dev/null CHECKPOINT_DISABLE=1 terraform fmt -check -recursive deploy/terraform
else
  echo "terraform not installed: skipping terraform fmt -check"
fi
if command -v kubectl >/dev/null; then
  kubectl kustomize deploy/k8s/overlays/example >/dev/null
else
  echo "kubectl not installed: skipping kubectl kustomize"
fi

echo "== go test -race (with moto_server and DynamoDB Local)"
log=.cache/logs/test.log
set +e
./scripts/with-emulators.sh go test -race -count=1 -timeout 15m -v ./... >"$log" 2>&1
status=$?
set -e

# Show package results and any failure in full; the whole log stays in .cache/logs/test.log.
grep -E '^(ok|FAIL|---|panic:|\?)' "$log" | grep -v -- '--- PASS' | grep -v -- '--- SKIP' || true
if [ $status -ne 0 ]; then
  # A race outside any test, or a runtime fatal error, fails a package without
  # a "--- FAIL" line; show those too.
  echo "== failures (from $log)"
  grep -B2 -A40 -E -- '--- FAIL|panic:|WARNING: DATA RACE|race detected|^fatal error:|^exit status' "$log" | head -400 || true
  tail -40 "$log"
fi
passed=$(grep -cE -- '^\s*--- PASS' "$log" || true)
failed=$(grep -cE -- '^\s*--- FAIL' "$log" || true)
skipped=$(grep -cE -- '^\s*--- SKIP' "$log" || true)
echo "tests: $passed passed, $failed failed, $skipped skipped"
if [ $status -ne 0 ]; then
  # Last lines, so a truncated CI view still shows why.
  races=$(grep -c 'WARNING: DATA RACE' "$log" || true)
  echo "data races reported: $races"
  grep -E -- '^\s*--- FAIL|^FAIL\s|race detected|^fatal error:|^panic:' "$log" | head -20 || true
  grep -m1 -A40 'WARNING: DATA RACE' "$log" | grep -E '^(WARNING|Write|Read|Previous|Goroutine)|\.go:[0-9]+' | head -24 || true
fi
exit $status
