#!/usr/bin/env bash
# Writes the README's screenshots (docs/screenshots/*.png) from a stack it
# starts on :38787-38790 in deterministic mode. Installs whatever is missing first.
set -euo pipefail
SCRIPT_NAME=screenshots
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
prepare_throwaway_stack screenshots
start_stack 38787 38788 38789 38790 "$STATE_DIR" --deterministic
E2E_EDGE=http://127.0.0.1:38787 E2E_MEDIATION=http://127.0.0.1:38788 E2E_CONTROL=http://127.0.0.1:38790 \
  node "$ROOT/tests/browser/screenshots.mjs"
