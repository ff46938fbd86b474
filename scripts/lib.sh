#!/usr/bin/env bash
# Shared by run.sh and test.sh: environment, builds, and starting/stopping the
# stack (sandbox + edge under wrangler dev). Source it; do not run it.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export WRANGLER_SEND_METRICS=false
export CLOUDFLARE_CF_FETCH_ENABLED=false
export XDG_CONFIG_HOME="$ROOT/.tmp/xdg"
export WRANGLER_LOG_PATH="$ROOT/.tmp/wrangler-logs"
export TRUNK_SKIP_VERSION_CHECK=true
export TRUNK_OFFLINE=true
mkdir -p "$ROOT/.tmp" "$XDG_CONFIG_HOME" "$WRANGLER_LOG_PATH"

STARTED_PIDS=()

say() { printf '\033[1;32m[%s]\033[0m %s\n' "${SCRIPT_NAME:-stack}" "$*"; }

# Kills every process group this script started.
stop_all() {
  local pid
  for pid in "${STARTED_PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${STARTED_PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  STARTED_PIDS=()
}

# Runs a command in its own process group, output to a log file.
start_bg() {
  local log="$1"; shift
  setsid "$@" >"$log" 2>&1 &
  STARTED_PIDS+=("$!")
}

# Waits until a URL answers (any HTTP status), or fails after $2 seconds.
wait_for() {
  local url="$1" timeout="${2:-60}" name="${3:-$1}"
  local deadline=$((SECONDS + timeout))
  until curl -s -o /dev/null --max-time 2 "$url"; do
    if [ $SECONDS -ge $deadline ]; then
      echo "timed out after ${timeout}s waiting for $name ($url)" >&2
      return 1
    fi
    sleep 0.3
  done
}

ensure_dev_vars() {
  if [ ! -f "$ROOT/edge/.dev.vars" ]; then
    cp "$ROOT/edge/.dev.vars.example" "$ROOT/edge/.dev.vars"
    say "created edge/.dev.vars from .dev.vars.example (sandbox secrets)"
  fi
}

# The board's release build. It uses unstable options on the pinned stable
# toolchain (RUSTC_BOOTSTRAP=1): the standard library built with the app
# (-Zbuild-std) in its small-code variant (optimize_for_size) and so that a
# panic aborts at once instead of carrying the formatting of panic
# messages, and no source locations in the binary. Together they take about
# 30 KB (9%) off the gzipped bundle (docs/benchmarks.md).
# APP_SIZE_OPTIONS=off, or a toolchain without rust-src, builds without them;
# so does a failed build with them, after a warning.
# (This variable replaces .cargo/config.toml's rustflags, hence the cfg again.)
APP_RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none -Zfmt-debug=none"

app_size_options() {
  [ "${APP_SIZE_OPTIONS:-on}" != off ] && [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std" ]
}

# trunk build --release, offline, with the environment given as VAR=value
# arguments; its output goes to a log (the tail is shown, all of it on failure).
trunk_build() {
  local log="$ROOT/.tmp/logs/trunk.log"
  mkdir -p "$ROOT/.tmp/logs"
  if (cd "$ROOT" && env "$@" trunk build --release --offline >"$log" 2>&1); then
    grep -vE '^\s*$' "$log" | tail -3
  else
    tail -40 "$log" >&2
    return 1
  fi
}

build_app() {
  (cd "$ROOT" && cargo fetch --quiet) || return 1
  if app_size_options; then
    say "building the board (trunk build --release, size options on)"
    # Its own target directory: these flags would otherwise rebuild the
    # edge's and the tests' wasm dependencies on every switch.
    if (cd "$ROOT" && RUSTC_BOOTSTRAP=1 cargo fetch --quiet -Zbuild-std=std,panic_abort --target wasm32-unknown-unknown) &&
      trunk_build RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size \
        CARGO_TARGET_DIR="$ROOT/target/app-release" \
        CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$APP_RUSTFLAGS"; then
      return 0
    fi
    printf '\033[1;33m[%s]\033[0m %s\n' "${SCRIPT_NAME:-stack}" "the size-optimised build failed (above); building the board without the size options" >&2
  fi
  say "building the board (trunk build --release)"
  trunk_build
}

build_edge() {
  (cd "$ROOT" && cargo fetch --quiet && ./scripts/build-edge.sh)
}

build_sandbox() {
  say "building the sandbox upstream"
  (cd "$ROOT" && cargo build --quiet -p sandbox)
}

# start_stack EDGE_PORT MEDIATION_PORT CLINK_PORT CONTROL_PORT PERSIST_DIR [sandbox args...]
start_stack() {
  local edge_port="$1" med_port="$2" clink_port="$3" control_port="$4" persist="$5"; shift 5
  local logs="$ROOT/.tmp/logs"
  mkdir -p "$logs" "$persist"

  say "starting the sandbox upstream (mediation :$med_port, clink :$clink_port, control :$control_port)"
  start_bg "$logs/sandbox.log" "$ROOT/target/debug/sandbox" \
    --mediation-port "$med_port" --clink-port "$clink_port" --control-port "$control_port" \
    --webhook-url "http://127.0.0.1:$edge_port/webhooks/note-agent/sandbox-webhook-token" \
    --edge-url "http://127.0.0.1:$edge_port" "$@"
  wait_for "http://127.0.0.1:$control_port/control/health" 30 "the sandbox" || { tail -20 "$logs/sandbox.log"; return 1; }

  say "applying D1 migrations (local)"
  (cd "$ROOT/edge" && wrangler d1 migrations apply DB --local --persist-to "$persist" >"$logs/d1-migrations.log" 2>&1) \
    || { tail -20 "$logs/d1-migrations.log"; return 1; }

  say "starting the edge (wrangler dev on http://127.0.0.1:$edge_port)"
  start_bg "$logs/edge.log" bash -c "cd '$ROOT/edge' && exec wrangler dev --local --ip 127.0.0.1 --port $edge_port \
    --persist-to '$persist' --show-interactive-dev-session=false --log-level warn \
    --var MEDIATION_API_BASE:http://127.0.0.1:$med_port \
    --var CLINK_BASE_URL:http://127.0.0.1:$clink_port \
    --var EMBED_ORIGINS:http://127.0.0.1:$control_port \
    --var RECORDING_ORIGINS:http://127.0.0.1:$med_port"
  wait_for "http://127.0.0.1:$edge_port/api/health" 120 "the edge" || { tail -30 "$logs/edge.log"; return 1; }
}

# For scripts that start a throw-away stack (bench, screenshots): install and
# build what is missing, keep temporary files under .tmp, and remove the
# stack and its state (STATE_DIR) on exit.
prepare_throwaway_stack() {
  STATE_DIR="$ROOT/.tmp/$1-state"
  export TMPDIR="$ROOT/.tmp/tmp"
  mkdir -p "$TMPDIR"
  trap 'stop_all; rm -rf "$STATE_DIR"' EXIT
  trap 'exit 130' INT TERM
  "$ROOT/scripts/bootstrap.sh" >/dev/null
  ensure_dev_vars
  build_sandbox
  build_app
  build_edge
  rm -rf "$STATE_DIR"
}

# start_extra_edge NAME PORT PERSIST_DIR MEDIATION_PORT CLINK_PORT [--var NAME:value ...]
# A second edge on the same build with other settings, for the security
# tests of configurations the main stack does not have (no session secret;
# an issuer, audience and short lifetime required). Its D1 is its own.
start_extra_edge() {
  local name="$1" port="$2" persist="$3" med_port="$4" clink_port="$5"; shift 5
  local logs="$ROOT/.tmp/logs"
  mkdir -p "$logs" "$persist"
  (cd "$ROOT/edge" && wrangler d1 migrations apply DB --local --persist-to "$persist" >"$logs/d1-migrations-$name.log" 2>&1) \
    || { tail -20 "$logs/d1-migrations-$name.log"; return 1; }
  say "starting a second edge ($name) on http://127.0.0.1:$port"
  start_bg "$logs/edge-$name.log" bash -c "cd '$ROOT/edge' && exec wrangler dev --local --ip 127.0.0.1 --port $port \
    --persist-to '$persist' --show-interactive-dev-session=false --log-level warn \
    --var MEDIATION_API_BASE:http://127.0.0.1:$med_port --var CLINK_BASE_URL:http://127.0.0.1:$clink_port $*"
  wait_for "http://127.0.0.1:$port/api/health" 120 "the $name edge" || { tail -30 "$logs/edge-$name.log"; return 1; }
}
