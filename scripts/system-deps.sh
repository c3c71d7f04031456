#!/usr/bin/env bash
# Makes sure the Debian packages the real-VS-Code harness needs are present: chromium (the browser
# the suites drive), ripgrep (seeded into code-server's install), libkrb5-dev + g++/make/python3
# (code-server's native modules are built from source). As root it installs what is missing with
# apt (CI, fresh machines); otherwise it names the command to run and fails.
#
#   bash scripts/system-deps.sh            # all of them (tests)
#   bash scripts/system-deps.sh --no-browser   # without chromium (npm start: you bring the browser)
set -euo pipefail
PACKAGES=(ripgrep libkrb5-dev g++ make python3 git ca-certificates)
[ "${1:-}" = --no-browser ] || PACKAGES=(chromium "${PACKAGES[@]}")

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "system-deps: missing packages: ${missing[*]}" >&2
  echo "system-deps: install them with: sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "system-deps: installing ${missing[*]} (apt)"
export DEBIAN_FRONTEND=noninteractive
timeout 600 apt-get update -qq
timeout 1200 apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
