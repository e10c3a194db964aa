#!/usr/bin/env bash
# Install what clickpath needs on a fresh Debian machine: Chromium and
# ChromeDriver (Debian's packages) to drive a browser, xmllint
# (libxml2-utils) for the JUnit schema test, Xvfb for the headed-mode test,
# and OpenSSL's headers for the
# WebDriver client's TLS. Does nothing when everything is already there.
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1; }
if have chromium && have chromedriver && have xmllint && have xvfb-run && have pkg-config \
  && pkg-config --exists openssl; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "clickpath: installing chromium, chromium-driver, libxml2-utils, xvfb, pkg-config, libssl-dev (Debian packages)..." >&2
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  chromium chromium-driver fonts-dejavu-core libxml2-utils xvfb pkg-config libssl-dev >/dev/null
have chromium && have chromedriver && have xmllint || {
  echo "clickpath: the install did not provide chromium, chromedriver and xmllint" >&2
  exit 1
}
