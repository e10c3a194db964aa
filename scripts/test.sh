#!/usr/bin/env bash
# The test command: installs what the tests need (scripts/deps.sh --tests), then format, lint and tests.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh --tests
cargo fmt --all -- --check
cargo clippy --all-targets -- -D warnings
cargo test --all-targets
