#!/usr/bin/env bash
# lint.sh — what `make lint` and `make test` run: go vet, gofmt and staticcheck.
# staticcheck is installed once with `go install` at the version pinned here, into
# .cache/tools/ (gitignored); later runs reuse it and staticcheck's own cache, so a
# warm run takes seconds.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

STATICCHECK_VERSION=v0.8.2
bin_dir="$root/.cache/tools/staticcheck-$STATICCHECK_VERSION"
staticcheck="$bin_dir/staticcheck"

echo "== go vet"
go vet ./...
unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './.cache/*'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted"; exit 1; fi

echo "== staticcheck $STATICCHECK_VERSION"
if [ ! -x "$staticcheck" ]; then
  mkdir -p "$bin_dir"
  GOBIN="$bin_dir" go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION"
fi
"$staticcheck" ./...
