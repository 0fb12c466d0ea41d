#!/usr/bin/env bash
# Makes Node 24 and pnpm available and installs the workspace. Source it (". scripts/bootstrap.sh")
# so the PATH it sets stays; running it also works and only installs.
# The machines ship Node 20; Node 24 comes from the npm registry's `node` package (a real binary),
# pinned in scripts/toolchain/package-lock.json. Idempotent and quiet when everything is present.
set -euo pipefail
_sg_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_sg_toolchain="$_sg_root/scripts/toolchain"

_sg_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(_sg_node_major)" -lt 24 ]; then
  if [ ! -x "$_sg_toolchain/node_modules/node/bin/node" ] || [ ! -x "$_sg_toolchain/node_modules/.bin/pnpm" ]; then
    echo "bootstrap: installing Node 24 and pnpm from the npm registry into scripts/toolchain" >&2
    (cd "$_sg_toolchain" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  export PATH="$_sg_toolchain/node_modules/node/bin:$_sg_toolchain/node_modules/.bin:$PATH"
elif ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$(node -p "require('$_sg_toolchain/package.json').dependencies.pnpm")" ]; then
  if [ ! -x "$_sg_toolchain/node_modules/.bin/pnpm" ]; then
    (cd "$_sg_toolchain" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  export PATH="$_sg_toolchain/node_modules/.bin:$PATH"
fi
export PATH="$_sg_root/node_modules/.bin:$PATH"
export TURBO_TELEMETRY_DISABLED=1

# pnpm skips the install when the lockfile and node_modules already agree.
(cd "$_sg_root" && pnpm install --frozen-lockfile --reporter=silent 2>/dev/null || pnpm install --reporter=silent)
