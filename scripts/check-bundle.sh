#!/usr/bin/env bash
# Proves the production bundle works the way the container runs it, without Docker:
# builds it with scripts/bundle.sh into a temp folder, makes the code read-only, then as an
# unprivileged user (uid/gid 10001 like the image, when run as root) with a clean environment:
# loads the WASM log parser and the workspace packages, starts the server on a free loopback port
# with DATA_DIR in a temp folder, waits for /readyz, checks / serves the web app and
# /api/docs/json answers, then stops it with SIGTERM and expects a clean exit.
#
#   scripts/check-bundle.sh [--no-build]     (--no-build: reuse the current dist/ and build/ outputs)
#
# Exits non-zero with a "check-bundle: FAIL: ..." line on any failure. Takes well under 2 minutes
# when turbo's cache is warm (CI runs `pnpm build` first).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
bundle_args=()
for arg in "$@"; do
  case "$arg" in
    --no-build) bundle_args+=(--no-build) ;;
    *) echo "usage: scripts/check-bundle.sh [--no-build]" >&2; exit 2 ;;
  esac
done

start_ts=$SECONDS
work="$(mktemp -d "${TMPDIR:-/tmp}/dronelog-check-bundle.XXXXXX")"
server_pid=""
log="$work/server.log"

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "check-bundle: FAIL: $*" >&2
  if [ -s "$log" ]; then
    echo "---- last lines of the server log ----" >&2
    tail -n 40 "$log" >&2
  fi
  exit 1
}
step() { echo "check-bundle: $*"; }

# 1. Build the bundle into the temp folder.
bundle="$work/bundle"
bash scripts/bundle.sh "${bundle_args[@]}" "$bundle" || fail "scripts/bundle.sh failed"
server_js="$bundle/apps/api/dist/server.js"
[ -f "$server_js" ] || fail "bundle has no apps/api/dist/server.js"

# 2. Code read-only; a data folder for the unprivileged user.
chmod 755 "$work"
chmod -R a-w "$bundle"
data="$work/data"
mkdir -p "$data"
run_as=()
if [ "$(id -u)" = 0 ]; then
  uid="${CHECK_BUNDLE_UID:-10001}"
  if command -v setpriv >/dev/null; then
    run_as=(setpriv "--reuid=$uid" "--regid=$uid" --clear-groups --)
  elif command -v runuser >/dev/null; then
    uid=65534
    run_as=(runuser -u nobody --)
  else
    fail "running as root but neither setpriv nor runuser is available to drop privileges"
  fi
  chown "$uid:$uid" "$data" "$work"
  chmod 700 "$data"
  step "running as uid $uid (code read-only, owned by root)"
else
  step "not root: running as $(id -un) (code read-only)"
fi
# Same shape as the image: nothing inherited but PATH, a home that does not exist.
node_bin="$(command -v node)"
clean_env=(env -i "PATH=$(dirname "$node_bin"):/usr/bin:/bin" HOME=/nonexistent NODE_ENV=production TZ=UTC)
as_user() { "${run_as[@]}" "${clean_env[@]}" "$@"; }

# 3. The WASM parser and the workspace packages load from the read-only bundle.
(cd "$bundle/apps/api" && as_user node --input-type=module -e "
  const p = await import('dji-log-parser-js');
  if (typeof p.DJILog !== 'function') throw new Error('dji-log-parser-js has no DJILog export');
  await import('@dronelog/flightlog');
  await import('@dronelog/contracts');
  await import('@duckdb/node-api');
") >"$log" 2>&1 || fail "the bundle cannot load dji-log-parser-js / @dronelog/* / @duckdb/node-api"

# 4. Start the server.
port="$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
web_dir="$bundle/web"
base="http://127.0.0.1:$port"
(cd "$bundle" && exec "${run_as[@]}" "${clean_env[@]}" HOST=127.0.0.1 "PORT=$port" "DATA_DIR=$data" \
  "WEB_DIR=$web_dir" LOG_LEVEL=info node "$server_js") >"$log" 2>&1 &
server_pid=$!
step "started server (pid $server_pid) on $base"

# fetch_check URL CHECK: fetches with Node (no curl needed), runs CHECK (a JS expression over
# status, type and body) and prints a short description; exits non-zero when CHECK is false.
fetch_check() {
  node -e "
    const [url, check] = process.argv.slice(1);
    fetch(url, { signal: AbortSignal.timeout(5000) }).then(async (r) => {
      const status = r.status, type = r.headers.get('content-type') || '', body = await r.text();
      const ok = new Function('status', 'type', 'body', 'return (' + check + ');')(status, type, body);
      console.log(status + ' ' + type + ' ' + body.length + ' bytes');
      process.exit(ok ? 0 : 1);
    }, (e) => { console.log(String(e.cause?.code || e.message)); process.exit(1); });
  " "$1" "$2"
}

ready=""
for _ in $(seq 1 120); do
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited before it was ready"
  if fetch_check "$base/readyz" "status === 200 && JSON.parse(body).status === 'ready'" >/dev/null 2>&1; then
    ready=1; break
  fi
  sleep 0.25
done
[ -n "$ready" ] || fail "/readyz did not answer 200 ready within 30s"
step "/readyz ready"

out="$(fetch_check "$base/healthz" "status === 200 && JSON.parse(body).status === 'ok'")" || fail "/healthz: $out"
step "/healthz: $out"

out="$(fetch_check "$base/api/docs/json" "status === 200 && typeof JSON.parse(body).openapi === 'string'")" \
  || fail "/api/docs/json is not the OpenAPI document: $out"
step "/api/docs/json: $out"

if [ -f "$web_dir/index.html" ] || [ -f "$web_dir/200.html" ]; then
  out="$(fetch_check "$base/" "status === 200 && type.startsWith('text/html') && /<html/i.test(body) && body.includes('/_app/')")" \
    || fail "/ does not return the web app HTML: $out"
  step "/: $out"
  # One of the app's assets, as the page references it.
  page="$web_dir/index.html"; [ -f "$page" ] || page="$web_dir/200.html"
  asset="$(grep -oE '/_app/[^"]+\.js' "$page" | head -n 1 || true)"
  if [ -n "$asset" ]; then
    out="$(fetch_check "$base$asset" "status === 200 && /javascript/.test(type)")" || fail "$asset: $out"
    step "$asset: $out"
  fi
  out="$(fetch_check "$base/flights/1" "status === 200 && type.startsWith('text/html')")" \
    || fail "a client-side route does not get the SPA fallback: $out"
  step "/flights/1 (SPA fallback): $out"
else
  step "no web build in the bundle: skipped the web app checks"
fi

# The app wrote only to DATA_DIR.
[ -f "$data/dronelog.duckdb" ] || fail "DATA_DIR has no dronelog.duckdb after start"

# 5. Graceful stop.
kill -TERM "$server_pid"
code=""
for _ in $(seq 1 60); do
  if ! kill -0 "$server_pid" 2>/dev/null; then
    code=0; wait "$server_pid" || code=$?
    break
  fi
  sleep 0.25
done
[ -n "$code" ] || fail "the server did not stop within 15s of SIGTERM"
server_pid=""
[ "$code" = 0 ] || fail "the server exited with code $code after SIGTERM"
grep -qiE '"level":(50|60)' "$log" && fail "the server logged errors"
step "stopped cleanly on SIGTERM"

echo "check-bundle: OK ($((SECONDS - start_ts))s, bundle $(du -sh "$bundle" | cut -f1))"
