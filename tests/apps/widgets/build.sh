#!/usr/bin/env bash
# Build the widgets test app (tests/real_widgets.rs): install its pinned npm
# packages (package-lock.json) into tests/apps/widgets/node_modules, then
# bundle dist/ and dist-drift/ with esbuild (build.mjs). Idempotent: does
# nothing when node_modules matches the lock file and both builds are newer
# than every source file. Needs Node.js and npm (scripts/deps.sh installs
# Debian's `nodejs npm` when missing); the npm registry only at install time.
set -euo pipefail
cd "$(dirname "$0")"
command -v npm >/dev/null 2>&1 || {
  echo "widgets app: npm is missing: run ./scripts/deps.sh (apt-get install nodejs npm)" >&2
  exit 1
}
# The lock file's hash, kept beside the install: same hash = same install.
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$(cat node_modules/.lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  echo "widgets app: npm ci (pinned packages into tests/apps/widgets/node_modules)..." >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
  echo "$lock_hash" >node_modules/.lock-hash
fi
stale=0
for out in dist dist-drift; do
  stamp="$out/.built"
  if [ ! -f "$stamp" ] || [ -n "$(find src build.mjs package-lock.json -newer "$stamp" -print -quit)" ]; then
    stale=1
  fi
done
if [ "$stale" = 1 ]; then
  node build.mjs >&2
  touch dist/.built dist-drift/.built
fi
