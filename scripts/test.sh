#!/usr/bin/env bash
# Runs every test: native (shared + sandbox), the app's wasm-bindgen tests in
# headless Chromium, and the end-to-end tests (HTTP and Playwright) against a
# stack it starts on its own ports (edge :18787, sandbox :18788-18790, two
# more edges with other settings :18791-18792) and
# stops again. Installs whatever is missing first. Exits non-zero on any failure.
set -euo pipefail
SCRIPT_NAME=test
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export TMPDIR="$ROOT/.tmp/tmp"
rm -rf "$TMPDIR"; mkdir -p "$TMPDIR"
STATE_DIR="$ROOT/.tmp/test-state"
cleanup() { stop_all; rm -rf "$STATE_DIR" "$TMPDIR"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

"$ROOT/scripts/bootstrap.sh"
ensure_dev_vars

say "layout: dependency rules and no import loop (docs/architecture.md)"
python3 "$ROOT/scripts/check-layout.py"

say "native tests (shared, sandbox)"
(cd "$ROOT" && cargo test --quiet && cargo test --quiet -p edge --lib)

say "app tests in headless Chromium (wasm-bindgen-test)"
(cd "$ROOT" && CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test -p app --target wasm32-unknown-unknown)

build_sandbox
build_app
build_edge
rm -rf "$STATE_DIR"
start_stack 18787 18788 18789 18790 "$STATE_DIR" --deterministic
# Two more edges on the same build, for the security tests of settings the
# main stack does not have.
start_extra_edge no-secret 18791 "$STATE_DIR/no-secret" 18788 18789 --var BOARD_SESSION_SECRET:
start_extra_edge strict 18792 "$STATE_DIR/strict" 18788 18789 \
  --var SESSION_ISSUER:https://portal.test --var SESSION_AUDIENCE:mediation-board --var SESSION_MAX_TTL:600

export E2E_EDGE=http://127.0.0.1:18787
export E2E_MEDIATION=http://127.0.0.1:18788
export E2E_CLINK=http://127.0.0.1:18789
export E2E_CONTROL=http://127.0.0.1:18790
export E2E_EDGE_NO_SECRET=http://127.0.0.1:18791
export E2E_EDGE_STRICT=http://127.0.0.1:18792

profile() {
  curl -sf -X POST -H 'content-type: application/json' -d "{\"profile\":\"$1\"}" "$E2E_CONTROL/control/profile" >/dev/null
}
FAULT_RUN=the_note_agent_with_every_fault_on_loses_and_doubles_nothing

say "end-to-end tests over HTTP (edge + sandbox answering in the designed shapes)"
profile designed
(cd "$ROOT" && cargo test --quiet -p e2e -- --test-threads=1 --skip "$FAULT_RUN")

say "end-to-end tests over HTTP again, the sandbox answering exactly as the spec documents"
profile spec-literal
(cd "$ROOT" && cargo test --quiet -p e2e -- --test-threads=1 --skip "$FAULT_RUN")
profile designed

say "fuzzing the API from its OpenAPI document (Schemathesis, a token of each role)"
"$ROOT/scripts/fuzz-api.sh" "$E2E_EDGE"

say "note agent fault run (every fault switch on; ledger against what the edge kept)"
(cd "$ROOT" && cargo test --quiet -p e2e --test fault_run -- --nocapture)

say "end-to-end tests in headless Chromium (Playwright)"
(cd "$ROOT" && node --test --test-concurrency=1 tests/browser/)

say "all tests passed"
