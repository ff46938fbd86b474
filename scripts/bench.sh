#!/usr/bin/env bash
# Prints the project's performance figures (recorded in docs/benchmarks.md):
# native signing throughput, the edge's wasm size, webhook ingest and relay
# overhead against a stack it starts on :28787-28790, and the app's transfer
# size. Installs whatever is missing first.
set -euo pipefail
SCRIPT_NAME=bench
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prepare_throwaway_stack bench

echo
say "signing (native, --profile native-release)"
(cd "$ROOT" && cargo run --quiet --profile native-release -p mediation-shared --example sign_bench)

echo
say "sizes"
wasm="$ROOT/edge/build/index_bg.wasm"
printf 'edge worker: %s bytes wasm, %s bytes gzipped; index.js %s bytes\n' \
  "$(wc -c <"$wasm")" "$(gzip -9 -c "$wasm" | wc -c)" "$(wc -c <"$ROOT/edge/build/index.js")"
app_total=0
for f in "$ROOT"/dist/*.wasm "$ROOT"/dist/*.js "$ROOT"/dist/*.css; do
  gz=$(gzip -9 -c "$f" | wc -c)
  app_total=$((app_total + gz))
  printf '  app %-40s %8s bytes, %7s gzipped\n' "$(basename "$f")" "$(wc -c <"$f")" "$gz"
done
printf 'app transfer (wasm + js + css, gzip -9): %s bytes\n' "$app_total"

echo
(cd "$ROOT" && cargo build --quiet --profile native-release -p e2e --bin bench --bin search_bench --bin insights_bench)
start_stack 28787 28788 28789 28790 "$STATE_DIR" --deterministic
say "edge benchmarks (wrangler dev on loopback)"
E2E_EDGE=http://127.0.0.1:28787 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  "$ROOT/target/native-release/bench"
say "search over stored turns (local D1 through wrangler dev)"
E2E_EDGE=http://127.0.0.1:28787 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  "$ROOT/target/native-release/search_bench"
say "attention queue and QA insights over stored note results (local D1 through wrangler dev)"
E2E_EDGE=http://127.0.0.1:28787 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  "$ROOT/target/native-release/insights_bench"

echo
say "app rendering (headless Chromium; performance.measure entries)"
E2E_EDGE=http://127.0.0.1:28787 E2E_MEDIATION=http://127.0.0.1:28788 E2E_CONTROL=http://127.0.0.1:28790 \
  node "$ROOT/tests/browser/bench/app-bench.mjs"
