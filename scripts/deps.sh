#!/usr/bin/env bash
# Install what clickpath needs on a fresh Debian machine. Installs nothing that
# is already there.
#
#   scripts/deps.sh          what a run needs: Chromium and ChromeDriver
#                            (Debian's packages), OpenSSL's headers for the
#                            WebDriver client's TLS, and the pinned font of
#                            the sandbox pages, DejaVu Sans (fonts-dejavu-core),
#                            so their captures are the same on every machine
#   scripts/deps.sh --tests  also what the tests need: xmllint (libxml2-utils)
#                            for the JUnit schema test, Xvfb for the headed-mode
#                            test, Node.js and npm to build the real-component-
#                            library test app (tests/apps/widgets/build.sh:
#                            pinned npm packages into that folder, bundled with
#                            esbuild), python3 with pip and the pinned Django
#                            from PyPI that tests/django_admin.rs serves
#                            (tests/apps/django/setup.sh, into that folder)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
tests=0
[ "${1:-}" = "--tests" ] && tests=1
have() { command -v "$1" >/dev/null 2>&1; }
ready() {
  have chromium && have chromedriver && have pkg-config && pkg-config --exists openssl || return 1
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || return 1
  [ "$tests" = 0 ] && return 0
  have xmllint && have xvfb-run && have node && have npm && have python3 \
    && python3 -m pip --version >/dev/null 2>&1
}
if ! ready; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  pkgs=(chromium chromium-driver fonts-dejavu-core pkg-config libssl-dev)
  if [ "$tests" = 1 ]; then
    pkgs+=(libxml2-utils xvfb)
    # A machine may have Node.js or Python from elsewhere (npm, pip included): keep them.
    { have node && have npm; } || pkgs+=(nodejs npm)
    { have python3 && python3 -m pip --version >/dev/null 2>&1; } || pkgs+=(python3 python3-pip)
  fi
  echo "clickpath: installing ${pkgs[*]} (Debian packages, when missing)..." >&2
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
  ready || {
    echo "clickpath: the install did not provide all of: ${pkgs[*]}" >&2
    exit 1
  }
fi
if [ "$tests" = 1 ]; then
  "$here/../tests/apps/widgets/build.sh"   # npm ci + two esbuild builds; fast when up to date
  "$here/../tests/apps/django/setup.sh"    # pip install --target django==PINNED; fast when present
fi
