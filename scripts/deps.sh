#!/usr/bin/env bash
# Install what clickpath needs to drive a browser: Debian's Chromium and
# ChromeDriver, and xmllint (libxml2-utils) for the JUnit schema test.
# Does nothing when all three are already installed.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 \
  && command -v xmllint >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "clickpath: installing chromium, chromium-driver and libxml2-utils (Debian packages)..." >&2
$SUDO apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-dejavu-core libxml2-utils >/dev/null
command -v chromium >/dev/null && command -v chromedriver >/dev/null && command -v xmllint >/dev/null
