#!/usr/bin/env bash
# The test command: installs the browser if missing, then format, lint and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo test --all-targets
