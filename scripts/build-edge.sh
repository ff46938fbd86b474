#!/usr/bin/env bash
# Builds the edge Worker (edge/build/index.js + index_bg.wasm) with worker-build,
# using the locally installed wasm-bindgen, wasm-opt (npm binaryen 132) and
# esbuild (from wrangler's node_modules) so nothing is downloaded.
# A no-op when its inputs have not changed: wrangler dev runs it twice at start.
#   build-edge.sh               local build, with the demo sign-in (feature "demo")
#   build-edge.sh --production  deployment build, without it
#   EDGE_OPT_LEVEL=3 build-edge.sh  optimised for speed rather than size
set -euo pipefail
mode=local
[ "${1:-}" = "--production" ] && mode=production
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT/edge"
export PATH="$ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"

stamp_file="build/.inputs"
inputs=$(cd "$ROOT" && { echo "$mode ${EDGE_OPT_LEVEL:-z}"; cat Cargo.toml Cargo.lock edge/Cargo.toml edge/embed/embed.js shared/Cargo.toml \
  $(find edge/src shared/src -type f | sort); } | sha256sum | cut -d' ' -f1)
if [ -f build/index.js ] && [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$inputs" ]; then
  echo "[build-edge] up to date"
  exit 0
fi

features=()
[ "$mode" = local ] && features=(-- --features demo)
echo "[build-edge] building the edge Worker (release, $mode)"
# Optimised for size (opt-level "z", 497 KB gzipped against 630 KB at 3): the
# relay, ingest and a kept board measured the same at both; a board the
# edge must mask anew costs more CPU at "z" (docs/benchmarks.md, 2026-12-08).
# EDGE_OPT_LEVEL=3 builds for speed instead.
CARGO_PROFILE_RELEASE_OPT_LEVEL="${EDGE_OPT_LEVEL:-z}" \
WASM_BINDGEN_BIN="$(command -v wasm-bindgen)" \
WASM_OPT_BIN="$ROOT/node_modules/.bin/wasm-opt" \
ESBUILD_BIN="$ROOT/node_modules/.bin/esbuild" \
  worker-build --release "${features[@]}"

# Drop the name section (about 90 KB) that worker-build's wasm-opt pass keeps.
wasm="$(ls build/*.wasm | head -1)"
wasm-opt --strip-debug --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue "$wasm" -o "$wasm.tmp"
mv "$wasm.tmp" "$wasm"
echo "$inputs" > "$stamp_file"
echo "[build-edge] $(du -b "$wasm" | cut -f1) bytes wasm ($(gzip -c "$wasm" | wc -c) gzipped)"
