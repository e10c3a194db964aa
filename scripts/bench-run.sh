#!/usr/bin/env bash
# Benchmark of the main job: every runbook against the in-process sandbox,
# headless, release build. Reports wall time, median time per step, WebDriver
# round trips per step (counted by the executor, read from the manifests) and
# the peak memory (max RSS) of the clickpath process itself (children are
# chromedriver/Chromium, reported by GNU time separately as they are not ours).
# Usage: scripts/bench-run.sh [extra `clickpath run` args]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
command -v /usr/bin/time >/dev/null || { apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
# GNU time's %M is the max RSS of the process it runs (clickpath), in KiB.
/usr/bin/time -f '%M' -o "$out/rss" ./target/release/clickpath run --sandbox --out "$out/shots" --run-id bench "$@" 2>"$out/stderr" \
  || { cat "$out/stderr"; echo "bench: the run failed" >&2; exit 1; }
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
print(f"peak memory (max RSS) of clickpath: {rss_kib / 1024:.1f} MiB")
PY
