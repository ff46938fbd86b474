#!/usr/bin/env bash
# Prints the project's performance figures (recorded in docs/benchmarks.md):
# native signing and JWT throughput, the edge's wasm size, the app's transfer
# size; against a stack it starts on :28787-28790 (edge under wrangler dev)
# and the same Worker in workerd directly on :28795: webhook ingest, relay
# overhead (board, Clink search; the board also through a bare JavaScript
# relay on :28799, tests/bench/workerd-reference.mjs), the board at 1,000-100,000 cases, live
# fan-out to 1,000 sockets, D1 at 10,000 to 1,000,000 note results (on
# :28796), where the Worker's thread spends ingest (:28797, inspector
# :28798) and that isolate's memory serving 100,000 cases; the app's render times, and its cold and warm
# loads over an emulated county office line. Installs whatever is missing
# first. It notes the machine's load as it starts.
set -euo pipefail
SCRIPT_NAME=bench
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prepare_throwaway_stack bench
say "machine: $(nproc) cores; load average $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min)"

echo
say "signing (native, --profile native-release)"
(cd "$ROOT" && cargo run --quiet --profile native-release -p mediation-shared --example sign_bench)
say "the board's filter per keystroke (native, --profile native-release; the browser's figure is app-bench's)"
(cd "$ROOT" && cargo run --quiet --profile native-release -p mediation-shared --example board_filter_bench)
say "the board answer read and written case by case, natively (what the edge does with a backend answer over 8 MB)"
(cd "$ROOT" && cargo run --quiet --profile native-release -p mediation-shared --example board_stream_bench)
say "the board's filter per keystroke (wasm in Node, mediation-shared at the app's opt-level, scripts/app-wasm.sh)"
(cd "$ROOT" && CARGO_TARGET_DIR="$ROOT/target/bench-wasm" cargo build --quiet --offline --release \
  --config "profile.release.package.mediation-shared.opt-level=${APP_SHARED_OPT_LEVEL:-2}" \
  --target wasm32-unknown-unknown -p board-filter-wasm &&
  node tests/bench/board-filter-wasm/run.mjs "$ROOT/target/bench-wasm/wasm32-unknown-unknown/release/board_filter_wasm.wasm")

echo
say "sizes"
wasm="$ROOT/edge/build/index_bg.wasm"
printf 'edge worker: %s bytes wasm, %s bytes gzipped; index.js %s bytes\n' \
  "$(wc -c <"$wasm")" "$(gzip -9 -c "$wasm" | wc -c)" "$(wc -c <"$ROOT/edge/build/index.js")"
# The board's first load is the page's CSS and the main module (wasm, its JS
# glue and the split loader); each on-demand screen (app/src/screens/
# on_demand.rs) is a split_*.wasm fetched when it first opens, with the
# chunk_*.wasm code it shares with another screen.
gz() { gzip -9 -c "$1" | wc -c; }
first=0
for f in "$ROOT"/dist/*.css "$ROOT"/dist/pkg-*/app.js "$ROOT"/dist/pkg-*/__wasm_split.js "$ROOT"/dist/pkg-*/app_bg.wasm; do
  n=$(gz "$f")
  first=$((first + n))
  printf '  app first load %-32s %8s bytes, %7s gzipped\n' "$(basename "$f")" "$(wc -c <"$f")" "$n"
done
later=0
for f in "$ROOT"/dist/pkg-*/split_*.wasm; do
  n=$(gz "$f")
  later=$((later + n))
  printf '  app on demand  %-32s %8s bytes, %7s gzipped\n' "$(basename "$f" .wasm | sed 's/^split_//')" "$(wc -c <"$f")" "$n"
done
shared=0
for f in "$ROOT"/dist/pkg-*/chunk_*.wasm; do shared=$((shared + $(gz "$f"))); done
later=$((later + shared))
printf '  app on demand  %-32s %8s gzipped (code two or more screens share)\n' "chunk_*.wasm" "$shared"
printf 'app first load (what a mediator loads for the board; wasm + js + css, gzip -9): %s bytes\n' "$first"
printf 'app on demand (every other screen, all of them; gzip -9): %s bytes\n' "$later"

echo
(cd "$ROOT" && cargo build --quiet --profile native-release -p e2e --bin bench --bin search_bench --bin insights_bench --bin board_bench --bin fanout_bench --bin d1_growth_bench)
start_stack 28787 28788 28789 28790 "$STATE_DIR" --deterministic
say "edge benchmarks (wrangler dev on loopback)"
E2E_EDGE=http://127.0.0.1:28787 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CLINK=http://127.0.0.1:28789 E2E_CONTROL=http://127.0.0.1:28790 \
  "$ROOT/target/native-release/bench"
say "search over stored turns (local D1 through wrangler dev)"
E2E_EDGE=http://127.0.0.1:28787 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  "$ROOT/target/native-release/search_bench"
say "attention queue and QA insights over stored note results (local D1 through wrangler dev)"
E2E_EDGE=http://127.0.0.1:28787 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  "$ROOT/target/native-release/insights_bench"

# 100,000 cases only in workerd directly: wrangler dev's inspector logs each
# 79 MB body and had not answered after 7 minutes.
say "the board as the work grows (1,000 / 10,000 cases under wrangler dev; Server-Timing, bytes, workerd memory)"
E2E_EDGE=http://127.0.0.1:28787 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 BENCH_CASES=1000,10000 \
  "$ROOT/target/native-release/board_bench"
say "live fan-out (1,000 WebSockets on one hub)"
E2E_EDGE=http://127.0.0.1:28787 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  "$ROOT/target/native-release/fanout_bench"

# The same Worker in workerd directly (Miniflare's API, no development proxy
# or inspector), its own local D1 and Durable Object, the same sandbox.
say "the same edge figures with the Worker in workerd directly (no wrangler dev proxy)"
DIRECT_STATE="$STATE_DIR/direct"
(cd "$ROOT/edge" && wrangler d1 migrations apply DB --local --persist-to "$DIRECT_STATE" >"$ROOT/.tmp/logs/d1-direct.log" 2>&1)
start_bg "$ROOT/.tmp/logs/edge-direct.log" node "$ROOT/tests/bench/workerd-edge.mjs" 28795 "$DIRECT_STATE" 28788 28789 28790
wait_for "http://127.0.0.1:28795/api/health" 60 "the edge in workerd" || { tail -20 "$ROOT/.tmp/logs/edge-direct.log"; exit 1; }
# The least any Worker costs to relay the board here (plain JavaScript, the
# same runtime and setup), measured in turn with the edge; stopped after.
start_bg "$ROOT/.tmp/logs/edge-reference.log" node "$ROOT/tests/bench/workerd-reference.mjs" 28799 28788
REFERENCE_PID=$!
wait_for "http://127.0.0.1:28799/api/health" 60 "the reference relay" || { tail -20 "$ROOT/.tmp/logs/edge-reference.log"; exit 1; }
E2E_REFERENCE=http://127.0.0.1:28799 E2E_EDGE=http://127.0.0.1:28795 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CLINK=http://127.0.0.1:28789 E2E_CONTROL=http://127.0.0.1:28790 \
  "$ROOT/target/native-release/bench"
kill -TERM -- "-$REFERENCE_PID" 2>/dev/null || true
BENCH_EDGE_LOG="$ROOT/.tmp/logs/edge-direct.log" E2E_EDGE=http://127.0.0.1:28795 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  "$ROOT/target/native-release/board_bench"
E2E_EDGE=http://127.0.0.1:28795 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  "$ROOT/target/native-release/fanout_bench"

# Where the Worker's own thread spends its time while new webhook batches
# come in: the same Worker with its V8 inspector on (its own D1), new-batch
# ingest only, sampled for 15 s in the middle.
say "where the Worker's time goes during webhook ingest (V8's profiler, workerd directly, inspector on)"
PROFILE_STATE="$STATE_DIR/profile"
(cd "$ROOT/edge" && wrangler d1 migrations apply DB --local --persist-to "$PROFILE_STATE" >"$ROOT/.tmp/logs/d1-profile.log" 2>&1)
start_bg "$ROOT/.tmp/logs/edge-profile.log" node "$ROOT/tests/bench/workerd-edge.mjs" 28797 "$PROFILE_STATE" 28788 28789 28790 28798
PROFILE_PID="${STARTED_PIDS[-1]}"
wait_for "http://127.0.0.1:28797/api/health" 60 "the edge in workerd (inspector on)" || { tail -20 "$ROOT/.tmp/logs/edge-profile.log"; exit 1; }
E2E_EDGE=http://127.0.0.1:28797 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  BENCH_ONLY_NEW_INGEST=1 BENCH_BATCHES=1500 "$ROOT/target/native-release/bench" &
INGEST_PID=$!
sleep 5
node "$ROOT/tests/bench/worker-profile.mjs" 28798 15 "$ROOT/.tmp/logs/ingest.cpuprofile"
wait "$INGEST_PID"

# The same isolate serving the board at 100,000 cases (a 79 MB backend
# answer, streamed case by case): its JavaScript heap, asked over the
# inspector throughout, and its WebAssembly memory, which the Worker logs.
say "the Worker isolate's memory while it serves the board at 100,000 cases (workerd directly, inspector on)"
BENCH_EDGE_LOG="$ROOT/.tmp/logs/edge-profile.log" BENCH_CASES=100000 \
  E2E_EDGE=http://127.0.0.1:28797 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  "$ROOT/target/native-release/board_bench" &
BOARD_PID=$!
node "$ROOT/tests/bench/worker-heap.mjs" 28798 110
wait "$BOARD_PID"
kill -TERM -- "-$PROFILE_PID" 2>/dev/null || true

# D1 growth: the note results table at about 10,000, 100,000 and 1,000,000
# rows. The first 10,000 are stored through the webhook; d1-fill.py copies
# them (and every table that grows with them) while this Worker is stopped.
say "D1 growth: note results at 10,000 / 100,000 / 1,000,000 rows (the Worker in workerd directly)"
GROWTH_STATE="$STATE_DIR/growth"
GROWTH_PID=
(cd "$ROOT/edge" && wrangler d1 migrations apply DB --local --persist-to "$GROWTH_STATE" >"$ROOT/.tmp/logs/d1-growth.log" 2>&1)
growth_edge() {
  start_bg "$ROOT/.tmp/logs/edge-growth.log" node "$ROOT/tests/bench/workerd-edge.mjs" 28796 "$GROWTH_STATE" 28788 28789 28790
  GROWTH_PID="${STARTED_PIDS[-1]}"
  wait_for "http://127.0.0.1:28796/api/health" 120 "the edge in workerd (growth)" || { tail -20 "$ROOT/.tmp/logs/edge-growth.log"; exit 1; }
}
stop_growth_edge() {
  kill -TERM -- "-$GROWTH_PID" 2>/dev/null || true
  while kill -0 "$GROWTH_PID" 2>/dev/null; do sleep 0.2; done
}
growth_edge
say "  storing the first 10,000 results through the webhook (and the insight queries over them)"
E2E_EDGE=http://127.0.0.1:28796 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 BENCH_RESULTS=10000 \
  "$ROOT/target/native-release/insights_bench"
for target in 0 100000 1000000; do
  stop_growth_edge
  t0=$SECONDS
  rows=$(python3 "$ROOT/tests/bench/d1-fill.py" "$GROWTH_STATE" "$target")
  size=$(du -sm "$GROWTH_STATE/v3/d1" | cut -f1)
  say "  note results: $rows rows (D1 files $size MB; grown in $((SECONDS - t0)) s)"
  growth_edge
  E2E_EDGE=http://127.0.0.1:28796 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 BENCH_ROWS="$rows" \
    "$ROOT/target/native-release/d1_growth_bench"
done
stop_growth_edge

echo
# The app's figures go through the Worker in workerd directly: at 100,000
# cases wrangler dev's inspector (logging every body) takes over a minute.
say "app rendering (headless Chromium; performance.measure entries; the Worker in workerd directly)"
E2E_EDGE=http://127.0.0.1:28795 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  node "$ROOT/tests/browser/bench/app-bench.mjs"
say "the board over a county office line (Chromium network emulation: 4 Mbit/s, 60 ms RTT; cold and warm; workerd directly)"
E2E_EDGE=http://127.0.0.1:28795 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  node "$ROOT/tests/browser/bench/network-bench.mjs"
