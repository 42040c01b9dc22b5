#!/usr/bin/env bash
# Runs every test of the project on a fresh machine: installs what is missing (pnpm, Debian's
# chromium for the browser tests), installs dependencies, builds, type-checks, then runs unit,
# integration and end-to-end tests. CI runs exactly this (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

if ! command -v pnpm >/dev/null || [ "$(pnpm --version)" != "10.34.9" ]; then
  npm install -g pnpm@10.34.9
fi
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Debian's chromium is needed for the browser tests: sudo apt-get install -y chromium" >&2
    exit 1
  fi
fi

pnpm install --frozen-lockfile
pnpm build
# The production bundle (what the Dockerfile ships) runs read-only as an unprivileged user.
bash scripts/check-bundle.sh --no-build
pnpm typecheck
pnpm test
# The benchmark's smoke run (≈ 1 min): proves `pnpm bench` still works end to end; missed targets do not fail it.
pnpm bench --quick --strict
