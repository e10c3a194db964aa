#!/usr/bin/env bash
# Install what clickpath needs on a fresh Debian machine: Chromium and
# ChromeDriver (Debian's packages) to drive a browser, xmllint
# (libxml2-utils) for the JUnit schema test, Xvfb for the headed-mode test,
# and OpenSSL's headers for the
# WebDriver client's TLS; python3 with pip, then the pinned Django from PyPI
# that tests/django_admin.rs serves (tests/apps/django/setup.sh). Does nothing
# when everything is already there.
set -euo pipefail
have() { command -v "$1" >/dev/null 2>&1; }
django_app() { "$(dirname "$0")/../tests/apps/django/setup.sh"; }
if have chromium && have chromedriver && have xmllint && have xvfb-run && have pkg-config \
  && pkg-config --exists openssl && have python3 && python3 -m pip --version >/dev/null 2>&1; then
  django_app
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "clickpath: installing chromium, chromium-driver, libxml2-utils, xvfb, pkg-config, libssl-dev, python3-pip (Debian packages)..." >&2
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
  chromium chromium-driver fonts-dejavu-core libxml2-utils xvfb pkg-config libssl-dev \
  python3 python3-pip >/dev/null
have chromium && have chromedriver && have xmllint || {
  echo "clickpath: the install did not provide chromium, chromedriver and xmllint" >&2
  exit 1
}
django_app
