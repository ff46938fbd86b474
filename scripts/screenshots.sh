#!/usr/bin/env bash
# Writes the README's screenshots (docs/screenshots/*.png) from a stack it
# starts on :38787-38790 in deterministic mode. Installs whatever is missing first.
set -euo pipefail
SCRIPT_NAME=screenshots
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
STATE_DIR="$ROOT/.tmp/screenshots-state"
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
start_stack 38787 38788 38789 38790 "$STATE_DIR" --deterministic
E2E_EDGE=http://127.0.0.1:38787 E2E_MEDIATION=http://127.0.0.1:38788 E2E_CONTROL=http://127.0.0.1:38790 \
  node "$ROOT/tests/browser/screenshots.mjs"
