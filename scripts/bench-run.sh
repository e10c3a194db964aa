#!/usr/bin/env bash
# Benchmark of the main job: every runbook against the in-process sandbox,
# headless, release build. Reports wall time, median time per step, WebDriver
# round trips per step (counted by the executor, read from the manifests) and
# the peak memory of the clickpath process itself: its VmHWM (peak resident
# set) from /proc, sampled until it exits. (GNU time's %M is not used: for a
# waited-for process tree it reports the largest descendant, i.e. Chromium.)
# Usage: scripts/bench-run.sh [extra `clickpath run` args]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
./target/release/clickpath run --sandbox --out "$out/shots" --run-id bench "$@" 2>"$out/stderr" &
pid=$!
hwm=0
while kill -0 "$pid" 2>/dev/null; do
  v=$(awk '/^VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
  [ -n "$v" ] && [ "$v" -gt "$hwm" ] && hwm=$v
  sleep 0.2
done
echo "$hwm" > "$out/rss"
wait "$pid" || { cat "$out/stderr"; echo "bench: the run failed" >&2; exit 1; }
end=$(date +%s.%N)
python3 - "$out" "$start" "$end" <<'PY'
import json, glob, statistics, sys
out, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
steps = []
for f in sorted(glob.glob(f"{out}/shots/bench/*/*/manifest.json")):
    steps += json.load(open(f))["steps"]
ms = [s["duration_ms"] for s in steps]
rt = [s["round_trips"] for s in steps]
rss_kib = int(open(f"{out}/rss").read().split()[-1])
print(f"runbooks: {len(glob.glob(f'{out}/shots/bench/*/*/manifest.json'))}, steps: {len(steps)}")
print(f"wall time of the whole run: {end - start:.1f} s")
print(f"time per step: median {statistics.median(ms):.0f} ms, p90 {sorted(ms)[int(len(ms)*0.9)]} ms")
print(f"WebDriver round trips per step: median {statistics.median(rt):.0f}, mean {statistics.mean(rt):.2f}, max {max(rt)}")
by_action = {}
for s in steps:
    by_action.setdefault(s["action"], []).append(s["round_trips"])
print("round trips by action: " + ", ".join(f"{a} {statistics.mean(v):.1f}" for a, v in sorted(by_action.items())))
print(f"peak memory (VmHWM) of the clickpath process: {rss_kib / 1024:.1f} MiB")
PY
