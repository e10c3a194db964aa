#!/usr/bin/env bash
# Regenerate the curated reference screenshots of every sandbox screen
# (screenshots/reference/<provider>-<screen>.png) with headless Chromium's CLI.
#
# Uses the sandbox test affordance GET /__sandbox/login-as?next=PATH to get a
# session cookie, and the `#open=ID` fragment (clicks element ID on load) for
# open menus and dialogs. State for later screens is set up with curl POSTs.
# Usage: scripts/reference-screenshots.sh [path/to/clickpath]
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-target/debug/clickpath}
OUT=screenshots/reference
CHROME=${CHROME:-/usr/bin/chromium}
[ -x "$CHROME" ] || { echo "chromium not found: apt-get install chromium chromium-driver" >&2; exit 3; }
mkdir -p "$OUT"
TMP=$(mktemp -d)
"$BIN" sandbox --port 0 >"$TMP/out" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$TMP"' EXIT
for _ in $(seq 50); do grep -q 'listening on' "$TMP/out" && break; sleep 0.1; done
BASE=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$TMP/out")
[ -n "$BASE" ] || { cat "$TMP/out" >&2; exit 1; }
NOSANDBOX=""; [ "$(id -u)" = 0 ] && NOSANDBOX="--no-sandbox"

shot() { # name path [fragment] [session-token]
  local name=$1 path=$2 frag=${3:-} session=${4:-}
  local next; next=$(python3 -c 'import sys,urllib.parse;print(urllib.parse.quote(sys.argv[1],safe=""))' "$path$frag")
  [ -n "$session" ] && next="$next&session=$session"
  rm -rf "$TMP/profile"
  timeout 60 "$CHROME" --headless=new $NOSANDBOX --disable-gpu --disable-background-networking \
    --disable-component-update --disable-sync --no-first-run --disable-dev-shm-usage \
    --user-data-dir="$TMP/profile" --hide-scrollbars --virtual-time-budget=4000 \
    --window-size=1280,800 --screenshot="$OUT/$name.png" "$BASE/__sandbox/login-as?next=$next" >/dev/null 2>&1
  echo "$OUT/$name.png"
}
plain() { # name path (no session: sign-in pages)
  rm -rf "$TMP/profile"
  timeout 60 "$CHROME" --headless=new $NOSANDBOX --disable-gpu --no-first-run --disable-dev-shm-usage \
    --user-data-dir="$TMP/profile" --hide-scrollbars --window-size=1280,800 --screenshot="$OUT/$1.png" "$BASE$2" >/dev/null 2>&1
  echo "$OUT/$1.png"
}
post() { # provider path form-data...  (one scripted session per provider)
  local p=$1 path=$2; shift 2
  [ -f "$TMP/jar-$p" ] || curl -s -o /dev/null -c "$TMP/jar-$p" "$BASE/__sandbox/login-as?next=/$p/"
  curl -s -o /dev/null -b "$TMP/jar-$p" -H "Origin: $BASE" "$@" "$BASE$path"
}
token() { awk -v n="clickpath_$1" '$6==n{print $7}' "$TMP/jar-$1"; }

# Sign-in pages.
for p in xero qbo myxero; do plain "$p-login" "/$p/login"; shot "$p-login-mfa" "/$p/login/mfa"; done

# xero
shot xero-dashboard /xero/dashboard
shot xero-org-menu /xero/dashboard '#open=org-menu-btn'
shot xero-help-menu /xero/dashboard '#open=help-menu-btn'
shot xero-settings /xero/settings
shot xero-users /xero/settings/users
shot xero-add-support-dialog /xero/settings/users '#open=add-support-btn'
shot xero-invite /xero/settings/users/invite
post xero /xero/settings/users/invite -d first_name=Drivetrain -d last_name=AI -d email=dp-acme@drivetrain.ai -d projects=Admin -d business_and_accounting=Advisor -d org_admin=on
ID=$(curl -s "$BASE/__sandbox/state" | python3 -c 'import json,sys;print([u["id"] for u in json.load(sys.stdin)["xero"]["users"] if u["email"]=="dp-acme@drivetrain.ai"][0])')
shot xero-users-invited /xero/settings/users '' "$(token xero)"
shot xero-user /xero/settings/users/$ID
shot xero-remove-dialog /xero/settings/users/$ID '#open=remove-user-btn'
shot xero-support /xero/support
shot xero-support-contact /xero/support/contact
shot xero-support-sent /xero/support/contact/sent
shot xero-error /xero/settings/users/nope

# qbo
shot qbo-homepage /qbo/homepage
shot qbo-settings-gear /qbo/homepage '#open=gear-btn'
shot qbo-usermgt /qbo/app/usermgt
shot qbo-delete-dialog /qbo/app/usermgt '#open=delete-q2'
shot qbo-add /qbo/app/usermgt/add
shot qbo-error /qbo/app/usermgt/verify
post qbo /qbo/app/usermgt/add -d user_type=Admin -d first_name=Drivetrain -d last_name=AI -d email=dp-acme@drivetrain.ai
shot qbo-verify /qbo/app/usermgt/verify '' "$(token qbo)"
CODE=$(python3 - <<'PY'
import base64,hmac,hashlib,struct,time
k=base64.b32decode("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
h=hmac.new(k,struct.pack(">Q",int(time.time())//30),hashlib.sha1).digest()
o=h[-1]&15
print("%06d"%((struct.unpack(">I",h[o:o+4])[0]&0x7fffffff)%1000000))
PY
)
post qbo /qbo/app/usermgt/verify -d code=$CODE
shot qbo-usermgt-invited /qbo/app/usermgt '' "$(token qbo)"

# myxero
shot myxero-dashboard /myxero/dashboard
shot myxero-menu /myxero/dashboard '#open=app-menu-btn'
shot myxero-help-menu /myxero/dashboard '#open=help-menu-btn'
shot myxero-my /myxero/my
shot myxero-staff /myxero/my/staff
post myxero /myxero/my/staff/support -d action=invite
shot myxero-staff-invited /myxero/my/staff '' "$(token myxero)"
shot myxero-practice /myxero/practice
shot myxero-practice-settings-tab /myxero/practice '#open=tab-settings'
shot myxero-general-settings /myxero/practice/settings
shot myxero-users /myxero/practice/settings/users
post myxero /myxero/practice/settings/users/support -d action=invite
shot myxero-users-invited /myxero/practice/settings/users '' "$(token myxero)"
shot myxero-xero-support /myxero/practice/settings/users/xero-support
shot myxero-contact /myxero/support/contact
shot myxero-contact-sent /myxero/support/contact/sent

# Drift variants: one screenshot each of the changed screen, from its own sandbox.
variant_shots() { # variant name path [fragment]
  kill $PID 2>/dev/null; wait $PID 2>/dev/null || true
  "$BIN" sandbox --port 0 --variant "$1" >"$TMP/out" 2>&1 &
  PID=$!
  for _ in $(seq 50); do grep -q 'listening on' "$TMP/out" && break; sleep 0.1; done
  BASE=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$TMP/out")
  shot "variant-$1" "$2" "${3:-}"
}
variant_shots renamed-invite /xero/settings/users
variant_shots moved-invite /xero/settings/users '#open=more-menu-btn'
variant_shots removed-last-name /xero/settings/users/invite
variant_shots relabelled-email /xero/settings/users/invite
variant_shots duplicated-send /xero/settings/users/invite
variant_shots renamed-qbo-delete /qbo/app/usermgt
