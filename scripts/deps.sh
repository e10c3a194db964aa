#!/usr/bin/env bash
# Install what clickpath needs on a fresh Debian machine: Chromium and
# ChromeDriver (Debian's packages) to drive a browser, xmllint
# (libxml2-utils) for the JUnit schema test, Xvfb for the headed-mode test,
# OpenSSL's headers for the WebDriver client's TLS, and Node.js with npm
# (Debian's `nodejs npm`) to build the real-component-library test app
# (tests/apps/widgets/build.sh: pinned npm packages installed into that
# folder, bundled with esbuild). Installs nothing that is already there.
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1; }
if ! { have chromium && have chromedriver && have xmllint && have xvfb-run && have pkg-config \
  && pkg-config --exists openssl && have node && have npm; }; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "clickpath: installing chromium, chromium-driver, libxml2-utils, xvfb, pkg-config, libssl-dev, nodejs, npm (Debian packages, when missing)..." >&2
  $SUDO apt-get update -qq
  pkgs=(chromium chromium-driver fonts-dejavu-core libxml2-utils xvfb pkg-config libssl-dev)
  # A machine may have Node.js from elsewhere (its npm included): keep it.
  have node && have npm || pkgs+=(nodejs npm)
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >/dev/null
  have chromium && have chromedriver && have xmllint && have node && have npm || {
    echo "clickpath: the install did not provide chromium, chromedriver, xmllint, node and npm" >&2
    exit 1
  }
fi
# The widgets test app: npm ci into tests/apps/widgets/node_modules, then the
# two esbuild builds; fast when up to date.
"$(dirname "$0")/../tests/apps/widgets/build.sh"
