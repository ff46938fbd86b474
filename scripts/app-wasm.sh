#!/usr/bin/env bash
# Trunk's hooks for the board's wasm (Trunk.toml). Trunk builds the page (HTML,
# CSS); the wasm is built here because its split must sit between the linker
# and wasm-bindgen, where Trunk has no hook:
#   build: cargo (app, feature `split`, -Clink-args=--emit-relocs)
#          -> wasm-split-step (one module per on-demand screen)
#          -> wasm-bindgen --keep-lld-exports (the screens import the main
#             module's memory, table and shared functions)
#          -> wasm-opt -Oz and esbuild --minify, each file -> target/app-pkg/
#   stage: copies target/app-pkg/ to $TRUNK_STAGING_DIR/pkg-<content hash>/ and
#          loads it from the staged index.html (a small inline module script,
#          whose hash the edge's CSP allows, as it did Trunk's own).
# The cargo environment (build-std, RUSTFLAGS, CARGO_TARGET_DIR) comes from
# scripts/lib.sh's build_app through Trunk.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="$ROOT/target/app-pkg"
WASM_OPT="$ROOT/node_modules/.bin/wasm-opt"
ESBUILD="$ROOT/node_modules/.bin/esbuild"

build() {
  local target_dir="${CARGO_TARGET_DIR:-$ROOT/target}"
  # An explicit RUSTFLAGS replaces .cargo/config.toml's, hence its cfg here.
  local flags="${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:---cfg erase_components} -Clink-args=--emit-relocs"
  # The board's filter runs over up to 100,000 cases per keystroke: the
  # crate that holds it (and little else that is hot) is built for speed
  # rather than size; docs/benchmarks.md weighs the bytes against the time.
  local speed=(--config "profile.release.package.mediation-shared.opt-level=${APP_SHARED_OPT_LEVEL:-2}")
  (cd "$ROOT" && CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$flags" \
    cargo build --offline --release "${speed[@]}" --target wasm32-unknown-unknown -p app --bin app --features split)
  local out="$ROOT/target/app-split"
  rm -rf "$out" "$PKG.new"
  mkdir -p "$out" "$PKG.new"
  wasm-split-step "$target_dir/wasm32-unknown-unknown/release/app.wasm" "$out" app.js >/dev/null
  wasm-bindgen --target web --keep-lld-exports --no-typescript --out-name app --out-dir "$PKG.new" "$out/app_split.wasm"
  cp "$out/__wasm_split.js" "$out"/split_*.wasm "$PKG.new/"
  for f in "$out"/chunk_*.wasm; do [ -e "$f" ] && cp "$f" "$PKG.new/"; done
  # APP_WASM_NAMES=1 keeps the functions' names, so that a trap's stack in
  # the browser names where it happened (bigger files; for diagnosis only).
  local names=()
  [ "${APP_WASM_NAMES:-}" = 1 ] && names=(-g)
  for f in "$PKG.new"/*.wasm; do
    "$WASM_OPT" -Oz "${names[@]}" --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext "$f" -o "$f"
  done
  for f in "$PKG.new"/*.js; do
    "$ESBUILD" "$f" --minify --format=esm --log-level=warning --allow-overwrite --outfile="$f"
  done
  rm -rf "$PKG"
  mv "$PKG.new" "$PKG"
}

stage() {
  : "${TRUNK_STAGING_DIR:?run by trunk}"
  local hash dir base="${TRUNK_PUBLIC_URL:-/}"
  hash=$(cat "$PKG"/* | sha256sum | cut -c1-16)
  dir="pkg-$hash"
  cp -r "$PKG" "$TRUNK_STAGING_DIR/$dir"
  local tags="<link rel=\"modulepreload\" href=\"$base$dir/app.js\"><link rel=\"preload\" href=\"$base$dir/app_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin><script type=\"module\">import init from\"$base$dir/app.js\";init({module_or_path:\"$base$dir/app_bg.wasm\"})</script>"
  local page="$TRUNK_STAGING_DIR/index.html"
  grep -q '</head>' "$page" || { echo "app-wasm.sh: no </head> in $page" >&2; exit 1; }
  # Trunk leaves the skipped `rel="rust"` link in the page: drop it.
  sed -i -e 's#<link[^>]*data-trunk-skip[^>]*>##' -e "s#</head>#$tags</head>#" "$page"
}

case "${1:-}" in
  build) build ;;
  stage) stage ;;
  *) echo "usage: app-wasm.sh build|stage (Trunk's hooks)" >&2; exit 2 ;;
esac
