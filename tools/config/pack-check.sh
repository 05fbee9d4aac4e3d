#!/usr/bin/env bash
# Packs the package in the current folder exactly as it would be published (pnpm
# rewrites workspace: ranges), then checks the tarball with publint and
# @arethetypeswrong/cli (ESM-only profile: CommonJS consumers are not supported).
set -euo pipefail
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pnpm pack --pack-destination "$tmp" >/dev/null
tarball="$(ls "$tmp"/*.tgz)"
publint run "$tarball" --strict
attw "$tarball" --profile esm-only --format table-flipped
