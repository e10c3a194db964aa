#!/usr/bin/env bash
# The side-by-side benchmark (bench/README.md): clickpath vs Playwright vs
# Selenium on the same flows, the same loopback servers and the same Chromium.
#   bench/run.sh [--rounds N] [--flows xero,synthetic,server] [--wait-quiet] [--keep]
# Builds clickpath in release, installs the pinned peers (npm ci into
# bench/peers/playwright/node_modules, pip into bench/.venv) and the pinned
# Django, then runs bench/bench.py, which prints the tables and writes them to
# bench/results/latest.md.
set -euo pipefail
cd "$(dirname "$0")/.."

need() {  # command, Debian package
  command -v "$1" >/dev/null 2>&1 || { echo "bench: \`$1\` is missing: apt-get install -y $2" >&2; exit 1; }
}
for f in /usr/bin/chromium:chromium /usr/bin/chromedriver:chromium-driver; do
  [ -x "${f%%:*}" ] || { echo "bench: ${f%%:*} is missing: apt-get install -y ${f#*:}" >&2; exit 1; }
done
need node nodejs
need npm npm
need python3 python3
need cargo "a Rust toolchain (rustup)"

python3 bench/gen_synthetic.py --check
cargo build --release --quiet

pw=bench/peers/playwright
lock_stamp="$pw/node_modules/.bench-lock.sha256"
want=$(sha256sum "$pw/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$lock_stamp" ] || [ "$(cat "$lock_stamp")" != "$want" ]; then
  echo "bench: npm ci in $pw ..." >&2
  (cd "$pw" && npm ci --no-audit --no-fund --loglevel=error) >&2
  echo "$want" > "$lock_stamp"
fi

venv=bench/.venv
req=bench/peers/selenium/requirements.txt
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ ! -f "$venv/.bench-req.sha256" ] || [ "$(cat "$venv/.bench-req.sha256")" != "$want" ]; then
  echo "bench: installing $req into $venv ..." >&2
  python3 -m venv "$venv" || { echo "bench: python3 -m venv failed: apt-get install -y python3-venv" >&2; exit 1; }
  "$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$req" >&2
  echo "$want" > "$venv/.bench-req.sha256"
fi

bash tests/apps/django/setup.sh >&2   # fast when the pinned Django is there

exec python3 bench/bench.py "$@"
