#!/usr/bin/env bash
# Unpacks the DICOM test files that Debian's python3-pydicom package ships into test/fixtures/pydicom/
# (not committed; MIT/BSD-licensed test data of the pydicom project).
# Fails (exit 1, saying why) when it cannot fetch or unpack them. With --optional (npm test's pretest) a failure
# outside CI is a loud warning instead, and the tests that need the files skip with the reason; under CI=true
# --optional is ignored, since no test may skip there.
set -uo pipefail
cd "$(dirname "$0")/.."
dest=test/fixtures/pydicom
optional=0
if [ "${1:-}" = "--optional" ] && [ "${CI:-}" != "true" ]; then optional=1; fi
fail() {
  echo "pydicom fixtures: FAILED: $1" >&2
  if [ "$optional" = 1 ]; then
    echo "pydicom fixtures: continuing without them; the tests that need them will skip (run 'npm run fixtures:pydicom' to see this fail)" >&2
    exit 0
  fi
  exit 1
}
if [ -f "$dest/.complete" ]; then echo "pydicom fixtures: present"; exit 0; fi
command -v apt-get >/dev/null && command -v dpkg >/dev/null || fail "apt-get and dpkg are needed (Debian) to fetch python3-pydicom's test files"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! ( cd "$tmp" && apt-get download python3-pydicom >/dev/null 2>&1 ); then
  apt-get update -qq >/dev/null 2>&1
  ( cd "$tmp" && apt-get download python3-pydicom 2>&1 | tail -n 3 >&2 ) && ls "$tmp"/python3-pydicom_*.deb >/dev/null 2>&1 \
    || fail "'apt-get download python3-pydicom' failed (no network or no Debian package index?)"
fi
dpkg -x "$tmp"/python3-pydicom_*.deb "$tmp/x" || fail "could not unpack $(ls "$tmp"/*.deb)"
src=$(find "$tmp/x" -type d -path '*pydicom/data/test_files' | head -n 1)
[ -n "$src" ] && ls "$src"/*.dcm >/dev/null 2>&1 || fail "the python3-pydicom package has no pydicom/data/test_files/*.dcm"
mkdir -p "$dest"
cp "$src"/*.dcm "$dest"/ || fail "could not copy the test files into $dest"
cp "$(dirname "$src")"/../../../../share/doc/python3-pydicom/copyright "$dest/COPYRIGHT" 2>/dev/null || true
touch "$dest/.complete"
echo "pydicom fixtures: $(ls "$dest"/*.dcm | wc -l) files in $dest"
