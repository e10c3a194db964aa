#!/usr/bin/env bash
# Regenerate screenshots/reference/report-html-failing-run.png: the HTML
# report of a real failing run (the `renamed-invite` drift variant, plus a
# passing QBO flow), as headless Chromium shows it at 1280x800.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/deps.sh
cargo build --quiet
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./target/debug/clickpath run --sandbox --variant renamed-invite --timeout 3s \
  --out "$tmp/shots" --report "html=$tmp/html" \
  runbooks/xero/10-invite_user.yaml runbooks/qbo/10-add_user.yaml || [ $? -eq 1 ]
flags=(--headless=new --disable-gpu --hide-scrollbars --disable-background-networking
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$tmp/profile"
  --window-size=1280,800 --screenshot="$PWD/screenshots/reference/report-html-failing-run.png")
[ "$(id -u)" -eq 0 ] && flags+=(--no-sandbox)
chromium "${flags[@]}" "file://$tmp/html/index.html" 2>/dev/null
echo "wrote screenshots/reference/report-html-failing-run.png"
