#!/usr/bin/env bash
# Benchmark of `clickpath guide` (issue 14: under a second per runbook):
# one sandbox run of every runbook, then guides for all of them from that
# run, timed per runbook with `--timings` (repeated RUNS times; the first
# pass copies the images, later ones find them unchanged).
# Usage: scripts/bench-guide.sh [RUNS]   (BIN=path/to/clickpath to use another build)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
if [ -z "${BIN:-}" ]; then
  cargo build --quiet
  BIN=./target/debug/clickpath
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN" run --sandbox --var customer=acme --out "$tmp/shots" --run-id bench >/dev/null 2>&1 || true
for i in $(seq 1 "$runs"); do
  echo "pass $i"
  start=$(date +%s%N)
  "$BIN" guide --from "$tmp/shots/bench" --out "$tmp/guides" --timings 2>&1 >/dev/null | sed 's/^/  /'
  echo "  total wall: $(( ($(date +%s%N) - start) / 1000000 )) ms (process start, loading all runbooks and manifests included)"
done
