#!/usr/bin/env bash
# Installs the lowest Node the published packages support (their `engines`, >=22.12)
# from the npm registry into ./.toolchain/node22, beside the workspace's own Node and
# never on PATH, for the test that installs the packed packages and runs them on it.
# Prints the path of that node binary. Nothing outside the clone is touched.
#
#   bash tools/bootstrap/install-lowest-node.sh   # -> /path/to/.toolchain/node22/bin/node
set -euo pipefail

VERSION="22.12.0"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
prefix="$root/.toolchain/node22"
node="$prefix/bin/node"

if [ "$("$node" --version 2>/dev/null || true)" != "v$VERSION" ]; then
  command -v npm >/dev/null 2>&1 || { echo "[toolchain] npm is required to fetch node@$VERSION" >&2; exit 1; }
  # npm needs a writable cache; an empty or unset HOME must not stop the set-up.
  if [ -z "${HOME:-}" ] || [ ! -w "${HOME:-/nonexistent}" ]; then
    export HOME="$root/.toolchain/home"
    mkdir -p "$HOME"
  fi
  echo "[toolchain] installing node@$VERSION into .toolchain/node22 (from the npm registry)" >&2
  rm -rf "$prefix"
  # As for the main toolchain: do not pass --allow-scripts=node, it breaks the node package's installer.
  npm install --global --prefix "$prefix" --no-audit --no-fund --loglevel=error "node@$VERSION" >&2
  [ "$("$node" --version 2>/dev/null || true)" = "v$VERSION" ] || { echo "[toolchain] node@$VERSION did not install into $prefix" >&2; exit 1; }
fi
echo "$node"
