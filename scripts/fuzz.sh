#!/usr/bin/env bash
# Fuzz runbook loading and validation with libFuzzer through cargo-fuzz.
#
#   scripts/fuzz.sh                 # 10 million executions (the release check)
#   RUNS=100000 scripts/fuzz.sh     # a quick look
#   SECONDS_MAX=1500 scripts/fuzz.sh   # stop after 25 minutes instead
#   JOBS=2 scripts/fuzz.sh          # two processes sharing the corpus, RUNS/JOBS each
#
# Needs `cargo install cargo-fuzz --locked`. cargo-fuzz wants a nightly
# toolchain for the sanitizer flags; on stable, RUSTC_BOOTSTRAP=1 unlocks them
# and `-s none` builds without AddressSanitizer (the code under test has no
# `unsafe`, so a sanitizer adds nothing but slowness): libFuzzer still gets
# coverage from SanitizerCoverage (`-Cpasses=sancov-module`).
#
# The committed seeds (fuzz/seeds/load_runbook: every runbook and every
# invalid fixture) are read, new inputs go to fuzz/corpus/load_runbook
# (ignored by git), crashes to fuzz/artifacts/load_runbook. Reproduce a crash
# with `RUSTC_BOOTSTRAP=1 cargo fuzz run -s none load_runbook <artifact>`.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p fuzz/corpus/load_runbook
jobs="${JOBS:-1}"
args=(
  -runs="$(( ${RUNS:-10000000} / jobs ))"
  -max_len="${MAX_LEN:-16384}"
  -timeout=10
  -rss_limit_mb=2048
  -dict=fuzz/load_runbook.dict
  -print_final_stats=1
)
if (( jobs > 1 )); then
  # Each job logs to fuzz-<n>.log in the current directory.
  args+=(-jobs="$jobs" -workers="$jobs")
fi
if [[ -n "${SECONDS_MAX:-}" ]]; then
  args+=(-max_total_time="$SECONDS_MAX")
fi
RUSTC_BOOTSTRAP=1 exec cargo fuzz run -s none --fuzz-dir fuzz load_runbook \
  fuzz/corpus/load_runbook fuzz/seeds/load_runbook -- "${args[@]}" "$@"
