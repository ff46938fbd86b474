#!/usr/bin/env bash
# Fuzzes the running edge's HTTP API from its own OpenAPI document with
# Schemathesis (pinned; installed into .venv by bootstrap.sh), once with a
# session token of each role. Checks (tests/e2e/schemathesis.toml): no 5xx,
# every status, content type, header and body as documented, bad input
# refused, undeclared methods answered 405 with Allow. `/api/live` is a
# WebSocket and is left to the live and security tests. The attention rules
# are put back as they were afterwards (the admin's run saves some).
#   fuzz-api.sh [EDGE_URL]   (default http://127.0.0.1:18787)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EDGE="${1:-http://127.0.0.1:18787}"
EXAMPLES="${FUZZ_EXAMPLES:-25}"
log_dir="$ROOT/.tmp/logs"
mkdir -p "$log_dir"
total_ops=0; total_cases=0; failed=0
mint() {
  curl -sf -X POST -H 'content-type: application/json' -d "{\"user\":\"$1\",\"role\":\"$2\"}" "$EDGE/api/demo/session" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
# The admin's run saves attention rules (new ones, and the documented
# examples under other ids); whatever runs against this edge next must find
# the rules as they were. Kept here, put back below.
restorer=$(mint fuzz-restore admin)
rules_before=$(curl -sf -H "Authorization: Bearer $restorer" "$EDGE/api/attention/rules")
for role in mediator supervisor admin; do
  token=$(mint "fuzz-$role" "$role")
  log="$log_dir/schemathesis-$role.log"
  if "$ROOT/.venv/bin/schemathesis" --config-file "$ROOT/tests/e2e/schemathesis.toml" run "$EDGE/api/openapi.json" \
      -H "Authorization: Bearer $token" --max-examples "$EXAMPLES" --workers 1 --seed 1 \
      --exclude-path /api/live --no-color --warnings off >"$log" 2>&1; then
    status=passed
  else
    status=FAILED; failed=1
  fi
  ops=$(grep -oE 'Tested: [0-9]+' "$log" | grep -oE '[0-9]+' | tail -1)
  cases=$(grep -oE '[0-9]+ generated' "$log" | grep -oE '[0-9]+' | tail -1)
  total_ops=$((total_ops + ${ops:-0})); total_cases=$((total_cases + ${cases:-0}))
  echo "[fuzz] $role: ${ops:-?} operations, ${cases:-?} cases, $status"
  if [ "$status" = FAILED ]; then sed -n '/FAILURES/,$p' "$log" | head -80 >&2; fi
done
echo "[fuzz] in all: $total_ops operation runs, $total_cases cases"
# Rules as they were: changed ones saved back, the fuzzer's own switched off
# (rules are not deleted, only disabled).
python3 - "$EDGE" "$restorer" "$rules_before" <<'PY'
import json, sys, urllib.parse, urllib.request
edge, token, before = sys.argv[1], sys.argv[2], {r["id"]: r for r in json.loads(sys.argv[3])["rules"]}
def call(method, path, body=None):
    req = urllib.request.Request(edge + path, method=method, data=None if body is None else json.dumps(body).encode(),
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req) as res:
        return json.load(res)
restored = 0
for rule in call("GET", "/api/attention/rules")["rules"]:
    want = before.get(rule["id"], dict(rule, enabled=False))
    if want != rule:
        call("PUT", "/api/attention/rules/" + urllib.parse.quote(rule["id"], safe=""), want)
        restored += 1
print(f"[fuzz] attention rules as before the run ({restored} put back or switched off)")
PY
exit $failed
