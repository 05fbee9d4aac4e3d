#!/usr/bin/env bash
# Runs a command with the workspace toolchain (Node 24 and pnpm 10.34.9) on PATH.
#
# A fresh machine has only an older Node and npm. This script installs the pinned
# Node and pnpm from the npm registry into ./.toolchain (ignored by git; nothing
# outside the clone is touched), and Node 22.12 (the lowest the published packages
# support, used only by the install test) into ./.toolchain/node22, installs the
# workspace's dependencies from the lockfile, installs Debian's redis-server when it is
# missing and the script runs as root (the Redis tests start their own server from it),
# then runs the command given, e.g.:
#
#   bash tools/bootstrap/with-toolchain.sh pnpm run check
set -euo pipefail

NODE_VERSION="24.21.0"
PNPM_VERSION="10.34.9"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
prefix="$root/.toolchain"
cd "$root"

log() { printf '[toolchain] %s\n' "$*" >&2; }

have_toolchain() {
  [ -x "$prefix/bin/node" ] && [ -x "$prefix/bin/pnpm" ] || return 1
  [ "$("$prefix/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ] || return 1
  [ "$(PATH="$prefix/bin:$PATH" "$prefix/bin/pnpm" --version 2>/dev/null)" = "$PNPM_VERSION" ] || return 1
}

# npm needs a writable cache; an empty or unset HOME must not stop the set-up.
if [ -z "${HOME:-}" ] || [ ! -w "${HOME:-/nonexistent}" ]; then
  export HOME="$prefix/home"
  mkdir -p "$HOME"
fi

if ! have_toolchain; then
  command -v npm >/dev/null 2>&1 || { log "npm is required to fetch the toolchain (apt-get install npm)"; exit 1; }
  log "installing node@$NODE_VERSION and pnpm@$PNPM_VERSION into .toolchain (from the npm registry)"
  mkdir -p "$prefix"
  # Do not pass --allow-scripts=node: it breaks the node package's own installer.
  npm install --global --prefix "$prefix" --no-audit --no-fund --loglevel=error \
    "node@$NODE_VERSION" "pnpm@$PNPM_VERSION" >&2
  have_toolchain || { log "toolchain install did not produce node v$NODE_VERSION and pnpm $PNPM_VERSION"; exit 1; }
fi

export PATH="$prefix/bin:$root/node_modules/.bin:$PATH"
# Node from the npm registry trusts only the certificates bundled with it, while Debian's
# Node trusts the system's store: add the system's, so that npm and pnpm under the
# toolchain (and the install test) reach the registry wherever the machine's own npm does.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -r /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi

# The lowest Node the published packages support, for the install test (not on PATH).
bash "$root/tools/bootstrap/install-lowest-node.sh" >/dev/null
export NX_DAEMON=false
export NX_NO_CLOUD=true
export CI="${CI:-true}"

# The Redis tests (redis-store, and the binary's --redis) start a redis-server of their
# own. Installed here once, before the test runs start side by side; without root, the
# tests say how to get one (or to set REDIS_URL).
if ! command -v redis-server >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  log "installing redis-server (Debian's package) for the Redis tests"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2 ||
    log "could not install redis-server; the Redis tests will say how to get one"
fi

log "node $(node --version), pnpm $(pnpm --version)"
pnpm install --frozen-lockfile --prefer-offline >&2

exec "$@"
