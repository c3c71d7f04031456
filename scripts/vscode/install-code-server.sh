#!/usr/bin/env bash
# Installs code-server (the real VS Code server + web workbench) once into a gitignored cache folder,
# the way @vscode/test-electron caches VS Code in .vscode-test/. Not a project dependency on purpose:
# its postinstall builds VS Code's native modules from source, which needs the settings below.
#
#   scripts/vscode/install-code-server.sh        # no-op when the cached install is present and works
#   FUSION_CODE_SERVER_DIR=/some/dir ...         # another cache folder (default: <repo>/.cache/code-server)
#
# Writes nothing outside the cache folder: code-server and the npm installs run with HOME/XDG_* in
# <cache>/home and npm's cache in <cache>/npm-cache (removed once the install works).
#
# Needs (apt): chromium ripgrep libkrb5-dev g++ make python3 — .ci/run installs them.
set -euo pipefail
exec </dev/null

CS_VERSION=4.100.3   # = VS Code 1.100.3; the last code-server whose engines accept Node 20
REPO=$(cd "$(dirname "$0")/../.." && pwd)
DIR=${FUSION_CODE_SERVER_DIR:-$REPO/.cache/code-server}
BIN="$DIR/node_modules/.bin/code-server"
MARKER="$DIR/.installed-$CS_VERSION"

# Nothing this script runs may write into the user's HOME: code-server writes its default
# config.yaml (and ~/.local/share/code-server) on its first run, even for --version, and the nested
# npm installs write npm's cache, npx's cache (node-gyp) and node-gyp's dev folder. So from here on
# HOME, XDG_* and npm's cache are folders inside the cache folder. npm keeps reading the user's own
# npmrc (registry, proxy, CA settings): its path is pinned before HOME changes.
REAL_HOME=${HOME:-}
PASSWD_HOME=$(getent passwd "$(id -u)" 2>/dev/null | cut -d: -f6 || true)
CS_HOME="$DIR/home"
if [ -z "${npm_config_userconfig:-}${NPM_CONFIG_USERCONFIG:-}" ] && [ -n "$REAL_HOME" ]; then
  export npm_config_userconfig="$REAL_HOME/.npmrc"
fi
export HOME="$CS_HOME" XDG_CONFIG_HOME="$CS_HOME/.config" XDG_DATA_HOME="$CS_HOME/.local/share" \
  XDG_CACHE_HOME="$CS_HOME/.cache" XDG_STATE_HOME="$CS_HOME/.local/state" npm_config_cache="$DIR/npm-cache"
mkdir -p "$CS_HOME"

same_dir() { [ -n "$1" ] && [ -n "$2" ] && [ "$(realpath -m -- "$1")" = "$(realpath -m -- "$2")" ]; }
# Refuses to run code-server (or npm for it) with the invoking user's HOME or XDG folders.
refuse_real_home() {
  local real var sub
  for real in "$REAL_HOME" "$PASSWD_HOME"; do
    [ -n "$real" ] || continue
    if same_dir "$HOME" "$real"; then
      echo "install-code-server: refusing to run code-server with the real HOME ($real); it must run with HOME inside $DIR" >&2
      exit 1
    fi
    for var in XDG_CONFIG_HOME:.config XDG_DATA_HOME:.local/share XDG_CACHE_HOME:.cache; do
      sub=${var#*:}; var=${var%%:*}
      if [ -z "${!var:-}" ] || same_dir "${!var}" "$real/$sub"; then
        echo "install-code-server: refusing to run code-server with $var=${!var:-(unset)} (the real one is $real/$sub)" >&2
        exit 1
      fi
    done
  done
}
refuse_real_home

# `code-server --version` prints "4.100.3 <commit> with Code 1.100.3", but on its first run in a HOME
# it prints "[…] info  Wrote default config file to …" before it: look for the version line.
reports_version() {
  local out
  refuse_real_home
  out=$(timeout 60 "$BIN" --version 2>/dev/null) || return 1
  awk -v v="$CS_VERSION" '$1 == v { found = 1 } END { exit !found }' <<<"$out"
}
works() { [ -f "$MARKER" ] && [ -x "$BIN" ] && reports_version; }

if works; then
  echo "code-server $CS_VERSION: cached in $DIR"
  exit 0
fi

for tool in rg g++ make python3; do
  command -v "$tool" >/dev/null || { echo "install-code-server: '$tool' is missing; run: apt-get install -y --no-install-recommends chromium ripgrep libkrb5-dev g++ make python3" >&2; exit 1; }
done
[ -f /usr/include/node/node.h ] || [ -n "${npm_config_nodedir:-}" ] || {
  echo "install-code-server: Node headers not found in /usr/include/node (set npm_config_nodedir); node-gyp would try to download them" >&2; exit 1; }
[ -f /usr/include/gssapi/gssapi.h ] || { echo "install-code-server: Kerberos headers missing; run: apt-get install -y libkrb5-dev" >&2; exit 1; }

echo "code-server $CS_VERSION: installing into $DIR (builds native modules; a few minutes)"
rm -rf "$DIR/node_modules" "$DIR/package-lock.json" "$MARKER"
mkdir -p "$DIR/tmp/rg"
LOG="$DIR/install.log"

# @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache in $TMPDIR holds the tarball:
# seed it with Debian's rg.
export TMPDIR="$DIR/tmp"
RG_CACHE="$TMPDIR/vscode-ripgrep-cache-1.15.11"
mkdir -p "$RG_CACHE"
cp "$(command -v rg)" "$TMPDIR/rg/rg"
tar czf "$RG_CACHE/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz" -C "$TMPDIR/rg" rg

# npm 11 blocks dependency install scripts unless allowed. This folder's package.json allows the two
# top-level ones (code-server's postinstall, argon2's build). code-server's postinstall then runs a
# nested `npm install` in lib/vscode and lib/vscode/extensions, whose package.json we don't own: so we
# unpack first without scripts, give those two projects an .npmrc allowing VS Code's native modules,
# and then run the scripts with `npm rebuild`. Only the listed packages' scripts run.
TOP=(code-server argon2)
NESTED=(@parcel/watcher @vscode/deviceid @vscode/ripgrep @vscode/spdlog kerberos native-watchdog node-pty esbuild)
node -e '
  const [dir, version, ...allow] = process.argv.slice(1);
  const pkg = { name: "fusion-code-server-cache", private: true, description: "gitignored cache: code-server for the test harness",
    dependencies: { "code-server": version }, allowScripts: Object.fromEntries(allow.map((n) => [n, true])) };
  require("fs").writeFileSync(dir + "/package.json", JSON.stringify(pkg, null, 2) + "\n");
' "$DIR" "$CS_VERSION" "${TOP[@]}"

# npm_config_unsafe_perm: code-server's postinstall refuses root without it
# npm_config_yes:        node-pty's postinstall runs `npx node-gyp` (the machine's npmrc may say yes=false)
# npm_config_nodedir:    node-gyp uses the installed Node headers instead of downloading them
export npm_config_unsafe_perm=true npm_config_yes=true npm_config_nodedir="${npm_config_nodedir:-/usr}" \
  npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
cd "$DIR"
fail() { tail -40 "$LOG" >&2; echo "install-code-server: $1 (full log: $LOG)" >&2; exit 1; }
timeout 600 npm install --ignore-scripts --no-fund --no-audit >"$LOG" 2>&1 || fail "npm install code-server@$CS_VERSION failed"
for sub in lib/vscode lib/vscode/extensions; do
  echo "allow-scripts=$(IFS=,; echo "${NESTED[*]}")" >"$DIR/node_modules/code-server/$sub/.npmrc"
done
timeout 1200 npm rebuild >>"$LOG" 2>&1 || fail "building code-server (its postinstall + native modules) failed"
# The install must really have built the native modules (a skipped script would leave them out).
missing=()
for f in lib/vscode/node_modules/node-pty/build/Release/pty.node \
         lib/vscode/node_modules/@vscode/spdlog/build/Release/spdlog.node \
         lib/vscode/node_modules/kerberos/build/Release/kerberos.node \
         lib/vscode/node_modules/@vscode/ripgrep/bin/rg \
         lib/vscode/bin/remote-cli/code-server; do
  [ -e "$DIR/node_modules/code-server/$f" ] || missing+=("$f")
done
if [ ${#missing[@]} -gt 0 ]; then
  tail -40 "$LOG" >&2
  echo "install-code-server: install finished but these are missing: ${missing[*]} (log: $LOG)" >&2
  exit 1
fi
reports_version || {
  echo "install-code-server: '$BIN --version' does not report $CS_VERSION; it printed:" >&2
  timeout 60 "$BIN" --version >&2 || true
  exit 1
}
touch "$MARKER"
# npm's cache of this install (~190 MB of tarballs) is not needed once the tree is built.
rm -rf "$DIR/npm-cache"
echo "code-server $CS_VERSION: installed in $DIR"
