#!/usr/bin/env bash
# Try Smart Router with no provider account: starts the local fake OpenAI-compatible provider,
# points a throwaway settings file and database at it, and streams one answer through the
# `smart-router` command. Usage: tests/demo.sh ["your prompt"]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TMP=$(mktemp -d)
trap 'kill "$FAKE" 2>/dev/null; rm -rf "$TMP"' EXIT
"$ROOT/.venv/bin/python" "$ROOT/tests/fakes/provider.py" --ready-file "$TMP/port" --ttft-ms 150 \
  --tokens-per-second 40 >"$TMP/fake.log" 2>&1 &
FAKE=$!
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
[ -s "$TMP/port" ] || { echo "the fake provider did not start:"; cat "$TMP/fake.log"; exit 1; }
cat >"$TMP/settings.json" <<JSON
{ "smartRouter.providers": { "openai": { "baseUrl": "http://127.0.0.1:$(cat "$TMP/port")/v1" } } }
JSON
export SMART_ROUTER_CONFIG=$TMP/settings.json SMART_ROUTER_DB=$TMP/demo.db OPENAI_API_KEY=sk-test-demo
SR="$ROOT/.venv/bin/smart-router"
echo "\$ smart-router route \"${1:-Explain what a closure is}\""
"$SR" route "${1:-Explain what a closure is}"
echo; echo "\$ smart-router ask \"${1:-Explain what a closure is}\""
"$SR" ask "${1:-Explain what a closure is}"
echo; echo "\$ smart-router budget status"
"$SR" budget status
