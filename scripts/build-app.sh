#!/usr/bin/env bash
# Builds the board (Trunk, release) into dist/, offline, with the pinned tools.
set -euo pipefail
SCRIPT_NAME=build-app
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
"$ROOT/scripts/bootstrap.sh" >/dev/null
build_app
