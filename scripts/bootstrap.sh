#!/usr/bin/env bash
# Installs every tool the project needs, idempotently, from package registries only.
# Each step checks what is already there (at the pinned version) and skips it.
# Sourced by scripts/run.sh and scripts/test.sh; can be run on its own.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

WASM_BINDGEN_VERSION="0.2.130"
TRUNK_VERSION="0.22.1"
WORKER_BUILD_VERSION="0.8.7"

say() { printf '\033[1;34m[bootstrap]\033[0m %s\n' "$*"; }

need_sudo() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

export PATH="$HOME/.cargo/bin:$PATH"

# 1. wasm32 target
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target: present"
else
  say "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# 1b. the standard library's source: the board's release build compiles std
#     with the app (scripts/lib.sh, build_app)
if [ -d "$(rustc --print sysroot)/lib/rustlib/src/rust/library/std" ]; then
  say "rust-src: present"
else
  say "adding rust component rust-src"
  rustup component add rust-src || say "rust-src unavailable: the board builds without its size options"
fi

# 2. npm packages (wrangler, binaryen's wasm-opt, esbuild, playwright-core, axe-core)
lock_hash() { sha256sum "$ROOT/package-lock.json" | cut -d' ' -f1; }
if [ -f "$ROOT/node_modules/.bootstrap-lock" ] && [ "$(cat "$ROOT/node_modules/.bootstrap-lock")" = "$(lock_hash)" ]; then
  say "npm packages: up to date"
else
  say "installing npm packages (wrangler, binaryen, playwright-core, axe-core) with npm ci"
  (cd "$ROOT" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
  lock_hash > "$ROOT/node_modules/.bootstrap-lock"
fi

# 3. curl (the scripts wait for servers with it)
if ! command -v curl >/dev/null 2>&1; then
  say "installing curl from Debian"
  need_sudo apt-get update -q
  need_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q curl
fi

# 4. Chromium + ChromeDriver from Debian (for wasm-bindgen-test and Playwright),
#    and a CJK font so Chinese renders in headless screenshots
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && fc-list 2>/dev/null | grep -qi wqy; then
  say "chromium + chromedriver: present ($(/usr/bin/chromium --version 2>/dev/null | head -1))"
else
  say "installing chromium, chromium-driver and fonts-wqy-microhei from Debian"
  need_sudo apt-get update -q
  need_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver fonts-wqy-microhei
fi

# 5. cargo-installed tools, pinned
have_version() { command -v "$1" >/dev/null 2>&1 && "$1" --version 2>/dev/null | grep -q "$2"; }

if have_version wasm-bindgen "$WASM_BINDGEN_VERSION"; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present"
else
  say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  # Not --locked: its lock file wants a webpki-roots release the registry lacks.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if have_version trunk "$TRUNK_VERSION"; then
  say "trunk $TRUNK_VERSION: present"
else
  say "cargo install trunk $TRUNK_VERSION (about 10 minutes the first time)"
  cargo install trunk --version "$TRUNK_VERSION" --locked --ignore-rust-version --force
fi

if have_version worker-build "$WORKER_BUILD_VERSION"; then
  say "worker-build $WORKER_BUILD_VERSION: present"
else
  say "cargo install worker-build $WORKER_BUILD_VERSION (about 6 minutes the first time)"
  cargo install worker-build --version "$WORKER_BUILD_VERSION" --locked --force
fi

# 5b. the board's splitter (tools/wasm-split-step, its own lock file): cuts the
#     release wasm at the on-demand screens (scripts/app-wasm.sh)
SPLIT_STEP_HASH=$(cat "$ROOT/tools/wasm-split-step/Cargo.toml" "$ROOT/tools/wasm-split-step/Cargo.lock" "$ROOT/tools/wasm-split-step/src/main.rs" | sha256sum | cut -c1-16)
if [ -x "$HOME/.cargo/bin/wasm-split-step" ] && [ "$(cat "$HOME/.cargo/.wasm-split-step-hash" 2>/dev/null)" = "$SPLIT_STEP_HASH" ]; then
  say "wasm-split-step: present"
else
  say "cargo install --path tools/wasm-split-step (about a minute the first time)"
  (cd "$ROOT/tools/wasm-split-step" && env -u CARGO_TARGET_DIR cargo install --path . --locked --force --root "$HOME/.cargo" --target-dir "$ROOT/target/tools")
  echo "$SPLIT_STEP_HASH" > "$HOME/.cargo/.wasm-split-step-hash"
fi

# 6. Schemathesis (PyPI, pinned) in the project's own virtualenv: the API
#    fuzzer the test command runs against the edge's OpenAPI document.
SCHEMATHESIS_VERSION="4.32.5"
installed_st=$([ -x "$ROOT/.venv/bin/pip" ] && "$ROOT/.venv/bin/pip" show schemathesis 2>/dev/null | sed -n 's/^Version: //p' || true)
if [ -x "$ROOT/.venv/bin/schemathesis" ] && [ "$installed_st" = "$SCHEMATHESIS_VERSION" ]; then
  say "schemathesis $SCHEMATHESIS_VERSION: present"
else
  say "installing schemathesis $SCHEMATHESIS_VERSION from PyPI into .venv"
  python3 -m venv "$ROOT/.venv"
  "$ROOT/.venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

say "all tools present"
