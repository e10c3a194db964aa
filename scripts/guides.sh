#!/usr/bin/env bash
# Regenerate the committed example guides (docs/guides/) and the screenshots
# of their rendered HTML (screenshots/reference/guide-*.png), issue 14:
#   1. run the two seed flows against the built-in sandbox, with annotated
#      screenshots and the GIF, the built-ins frozen (captures are the same
#      run after run, so an unchanged UI gives the same images),
#   2. `clickpath guide` from that run into docs/guides/,
#   3. open each HTML guide in headless Chromium (docs/guides/render.yaml)
#      and keep its screenshot.
# An unchanged UI gives no diff in git. Needs chromedriver + Chromium
# (scripts/deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet
bin=./target/debug/clickpath
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flows=(runbooks/xero/10-invite_user.yaml runbooks/qbo/10-add_user.yaml)

"$bin" run --sandbox --var customer=acme --out "$tmp/shots" --run-id guides \
  --annotate --gif --freeze date=2026-01-31 --freeze run_id=guides "${flows[@]}"
"$bin" guide "${flows[@]}" --from "$tmp/shots/guides" --out docs/guides

"$bin" run docs/guides/render.yaml --var "guides=file://$PWD/docs/guides" \
  --out "$tmp/shots" --run-id render
cp "$tmp/shots/render/guides/render/03-guide-xero-invite-user.png" screenshots/reference/guide-xero-invite_user.png
cp "$tmp/shots/render/guides/render/06-guide-qbo-add-user.png" screenshots/reference/guide-qbo-add_user.png
# The README's example of an annotated step.
cp docs/guides/xero/invite_user/14-first-name-drivetrain-annotated.png docs/images/xero-invite-step-14-annotated.png
