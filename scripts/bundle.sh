#!/usr/bin/env bash
# Builds the self-contained production bundle of Dronelog: the API with its production
# dependencies only (workspace packages @dronelog/flightlog and @dronelog/contracts included with
# their dist, DuckDB's native binding for this platform, the WASM log parser) plus the built web app.
# The root Dockerfile runs exactly this script in its build stage; scripts/check-bundle.sh proves
# the result runs read-only as an unprivileged user.
#
#   scripts/bundle.sh [--no-build] [OUT_DIR]      (OUT_DIR defaults to ./dist-bundle)
#   BUNDLE_REVISION=<sha> names the commit in START.md where there is no .git (the Docker build).
#
# Layout of OUT_DIR:
#   apps/api/        `pnpm deploy --legacy --prod` of @dronelog/api (package.json, dist/, node_modules/)
#   web/             apps/web/build (point WEB_DIR here)
#   START.md         how to run it
# Every file is a real copy: nothing is hard-linked to the workspace or the pnpm store, and no
# symlink points outside OUT_DIR, so the folder can be moved, copied into an image or made read-only.
set -euo pipefail

usage() { echo "usage: scripts/bundle.sh [--no-build] [OUT_DIR]" >&2; exit 2; }
die() { echo "bundle: error: $*" >&2; exit 1; }

build=1
out=""
for arg in "$@"; do
  case "$arg" in
    --no-build) build=0 ;;
    -h|--help) usage ;;
    -*) usage ;;
    *) [ -z "$out" ] || usage; out="$arg" ;;
  esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
out="${out:-dist-bundle}"
mkdir -p "$(dirname "$out")"
out="$(cd "$(dirname "$out")" && pwd)/$(basename "$out")"
# Refuse targets whose removal would hurt: /, the repo itself or any folder above it.
case "$root/" in
  "$out"/*) die "refusing to write the bundle to $out (it contains the repository)" ;;
esac
[ "$out" != "/" ] || die "refusing to write the bundle to /"

export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

if [ ! -f node_modules/.modules.yaml ]; then
  echo "bundle: installing dependencies (pnpm install --frozen-lockfile)"
  pnpm install --frozen-lockfile
fi
if [ "$build" = 1 ]; then
  echo "bundle: pnpm build"
  pnpm build
fi
for f in apps/api/dist/server.js packages/contracts/dist/index.js packages/flightlog/dist/index.js; do
  [ -f "$f" ] || die "$f is missing: run pnpm build first (or drop --no-build)"
done

rm -rf "$out"
mkdir -p "$out/apps"
api="$out/apps/api"

# pnpm 10 only deploys injected workspaces unless told --legacy; the legacy deploy copies the
# workspace dependencies as they are on disk (with their dist/), with relative links only.
# package-import-method=copy: real files instead of hard links into the pnpm store.
echo "bundle: pnpm deploy --legacy --filter @dronelog/api --prod"
pnpm deploy --legacy --filter @dronelog/api --prod --config.package-import-method=copy "$api" >/dev/null

# Drop what only development needs, in the API and in the copied workspace packages.
prune() {
  local dir="$1"
  rm -rf "$dir/src" "$dir/test" "$dir/bench" "$dir/.turbo" "$dir"/tsconfig*.json "$dir"/vitest.config.* "$dir"/*.tsbuildinfo
}
prune "$api"
for pkg in "$api"/node_modules/.pnpm/@dronelog+*/node_modules/@dronelog/*; do
  [ -d "$pkg" ] && [ ! -L "$pkg" ] && prune "$pkg"
done

# The legacy deploy hard-links workspace package files (their inode is the workspace's own):
# give each its own copy so chmod or edits on the bundle never reach the working tree.
find "$api" -type f -links +1 -print0 | while IFS= read -r -d '' f; do
  cp -p "$f" "$f.bundle-tmp" && mv -f "$f.bundle-tmp" "$f"
done

# The legacy deploy also hoists the deployed package itself into .pnpm/node_modules as a link to
# its source folder in the workspace; point it at the bundle's own copy instead.
self_link="$api/node_modules/.pnpm/node_modules/@dronelog/api"
if [ -L "$self_link" ]; then
  rm -f "$self_link"
  ln -s ../../../.. "$self_link"
fi

if [ -d apps/web/build ]; then
  cp -R apps/web/build "$out/web"
else
  echo "bundle: warning: apps/web/build is missing; the bundle serves the API only" >&2
fi

# Self-containment checks.
for f in dist/server.js dist/workers/parse.worker.js node_modules/@dronelog/contracts/dist/index.js \
         node_modules/@dronelog/flightlog/dist/index.js node_modules/dji-log-parser-js/package.json \
         node_modules/@duckdb/node-api/package.json; do
  [ -e "$api/$f" ] || die "bundle is missing apps/api/$f"
done
find "$api/node_modules/.pnpm" -path '*@duckdb+node-bindings-*' -name duckdb.node | grep -q . \
  || die "bundle has no DuckDB native binding (@duckdb/node-bindings-<platform>)"
while IFS= read -r -d '' link; do
  target="$(readlink -f "$link" || true)"
  case "$target" in
    "$out"/*) ;;
    *) die "symlink $link points outside the bundle (${target:-dangling})" ;;
  esac
done < <(find "$out" -type l -print0)
[ -z "$(find "$out" -type f -links +1 -print -quit)" ] || die "bundle still has hard-linked files"
chmod -R a+rX "$out"

rev="${BUNDLE_REVISION:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}"
cat > "$out/START.md" <<EOF
# Dronelog production bundle

Built $(date -u +%Y-%m-%dT%H:%M:%SZ) from commit ${rev} for $(node -p 'process.platform + "-" + process.arch') (Node $(node -p 'process.versions.node')).
Needs Node 20 and, for DuckDB's native binding, glibc on the same platform.

    cd <this folder>
    DATA_DIR=/data/drone-logbook WEB_DIR="\$PWD/web" PORT=8080 node apps/api/dist/server.js

The code folder may be read-only; only DATA_DIR (and /tmp) are written. Liveness: GET /healthz,
readiness: GET /readyz, API docs: /api/docs. All settings are environment variables (see README).
EOF

echo "bundle: wrote $out ($(du -sh "$out" | cut -f1))"
