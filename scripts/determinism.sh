#!/usr/bin/env bash
# The determinism figure of issue 14: N runs of every runbook against the
# built-in sandbox (headless, the same build and screen, `--freeze` for the
# built-ins), then, for every screenshot of the first run, whether the same
# file of every other run is byte-for-byte the same PNG (identical bytes:
# identical pixels). Prints identical/total and lists the images that
# differ, with the share of the viewport that changed as clickpath's own
# visual diff measured it (runs 2..N run with `--compare` against run 1
# and a tolerance that never fails a step: channel 0, area 100%).
# Usage: scripts/determinism.sh [N] [EXTRA RUN ARGS...]   (default 5;
#        BIN=path/to/clickpath to use another build; KEEP=1 keeps the runs)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-5}
shift || true
if [ -z "${BIN:-}" ]; then
  cargo build --quiet --release
  BIN=./target/release/clickpath
fi
tmp=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "runs kept in $tmp"; else trap 'rm -rf "$tmp"' EXIT; fi
for i in $(seq 1 "$n"); do
  start=$(date +%s)
  compare=()
  [ "$i" -gt 1 ] && compare=(--compare "$tmp/r1" --compare-tolerance 0,100%)
  if "$BIN" run --sandbox --var customer=acme --freeze date=2026-01-31 --freeze run_id=determinism \
      --out "$tmp" --run-id "r$i" "${compare[@]}" "$@" >"$tmp/r$i.log" 2>&1; then
    echo "run $i: passed ($(( $(date +%s) - start )) s)"
  else
    echo "run $i: FAILED (see $tmp/r$i.log)"; tail -5 "$tmp/r$i.log"
  fi
done
total=0
same=0
differ=()
while IFS= read -r rel; do
  total=$((total + 1))
  ok=1
  for i in $(seq 2 "$n"); do
    if ! cmp -s "$tmp/r1/$rel" "$tmp/r$i/$rel"; then ok=0; differ+=("$rel (run $i)"); break; fi
  done
  [ "$ok" = 1 ] && same=$((same + 1))
done < <(cd "$tmp/r1" && find . -name '*.png' ! -name '*-annotated.png' ! -name '*-diff.png' | sort)
for d in "${differ[@]}"; do
  rel=${d% (run *}; i=${d##*(run }; i=${i%)}
  pct=$(python3 - "$tmp/r$i/$rel" <<'PY'
import json, os, sys
shot = sys.argv[1]
m = json.load(open(os.path.join(os.path.dirname(shot), "manifest.json")))
for s in m["steps"]:
    if s.get("screenshot") == os.path.basename(shot):
        v = s.get("visual") or {}
        r = v.get("region")
        print(f'{v.get("changed_percent", 0):.3f}% of the viewport changed'
              + (f', around ({r["x"]:.0f}, {r["y"]:.0f}) {r["width"]:.0f}x{r["height"]:.0f} px' if r else ""))
PY
)
  echo "differs: $rel: run 1 vs run $i: ${pct:-no comparison}"
done
echo "identical images over $n runs: $same/$total (scripts/determinism.sh $n${*:+ $*})"
