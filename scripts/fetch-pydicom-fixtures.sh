#!/usr/bin/env bash
# Unpacks the DICOM test files that Debian's python3-pydicom package ships into test/fixtures/pydicom/
# (not committed; MIT/BSD-licensed test data of the pydicom project). Needs apt (Debian); skips quietly otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=test/fixtures/pydicom
if [ -f "$dest/.complete" ]; then echo "pydicom fixtures: present"; exit 0; fi
if ! command -v apt-get >/dev/null || ! command -v dpkg >/dev/null; then echo "pydicom fixtures: no apt/dpkg here, skipped"; exit 0; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
( cd "$tmp" && apt-get download python3-pydicom >/dev/null 2>&1 ) || { apt-get update -qq >/dev/null 2>&1 && ( cd "$tmp" && apt-get download python3-pydicom >/dev/null 2>&1 ); } || { echo "pydicom fixtures: apt-get download failed, skipped"; exit 0; }
dpkg -x "$tmp"/python3-pydicom_*.deb "$tmp/x"
src=$(find "$tmp/x" -type d -path '*pydicom/data/test_files' | head -n 1)
mkdir -p "$dest"
cp "$src"/*.dcm "$dest"/
cp "$(dirname "$src")"/../../../../share/doc/python3-pydicom/copyright "$dest/COPYRIGHT" 2>/dev/null || true
touch "$dest/.complete"
echo "pydicom fixtures: $(ls "$dest"/*.dcm | wc -l) files in $dest"
