#!/usr/bin/env bash
# Install the pinned Django (PyPI) that tests/django_admin.rs serves, into
# tests/apps/django/.pkgs (git-ignored), with the machine's python3 and pip.
# Idempotent and fast when the pinned version is already there: it only asks
# PyPI when .pkgs/ lacks exactly this version.
set -euo pipefail
cd "$(dirname "$0")"
DJANGO_VERSION="5.2.19"   # the LTS line; 6.x needs Python 3.12, the machine has 3.11
PKGS=".pkgs"
STAMP="$PKGS/.installed-django-$DJANGO_VERSION"
if [ -f "$STAMP" ]; then
  exit 0
fi
command -v python3 >/dev/null 2>&1 || {
  echo "clickpath: python3 is missing (Django's admin test needs it): apt-get install -y python3 python3-pip" >&2
  exit 1
}
echo "clickpath: installing django==$DJANGO_VERSION from PyPI into tests/apps/django/$PKGS ..." >&2
rm -rf "$PKGS"
python3 -m pip install --quiet --disable-pip-version-check --no-input --root-user-action=ignore \
  --target "$PKGS" "django==$DJANGO_VERSION"
PYTHONPATH="$PKGS" python3 -c "import django, sys; sys.exit(django.get_version() != '$DJANGO_VERSION')"
touch "$STAMP"
