#!/usr/bin/env bash
# Runs the product on 127.0.0.1: the edge (wrangler dev, serving the board)
# against the sandbox upstream. Installs whatever is missing first.
#   board:    http://127.0.0.1:8787
#   sandbox:  mediation :8788, Clink :8789, control API + demo portal :8790
set -euo pipefail
SCRIPT_NAME=run
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
trap stop_all EXIT
trap 'exit 130' INT TERM

"$ROOT/scripts/bootstrap.sh"
ensure_dev_vars
build_sandbox
build_app
build_edge
start_stack 8787 8788 8789 8790 "$ROOT/edge/.wrangler/state"

say "ready: open http://127.0.0.1:8787   (demo portal: http://127.0.0.1:8790/portal)"
say "logs in .tmp/logs/; press Ctrl+C to stop"
wait -n "${STARTED_PIDS[@]}"
say "a process stopped; shutting down"
