#!/usr/bin/env bash
# Every check and test of the project, in order: linters and type checkers, the TypeScript unit
# tests, the Python unit and LSP end-to-end tests, and the real-VS-Code end-to-end tests.
# Ends with one line "N passed, N failed" over all suites; exit code 0 only if all passed.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PASS=0 FAIL=0 FAILED_STEPS=()
T0=$(date +%s)

step() {  # step NAME COMMAND...: runs it, counts it as one check if it prints no counts
  local name=$1; shift
  echo "==== $name"
  local out rc
  out=$(mktemp)
  "$@" 2>&1 | tee "$out"; rc=${PIPESTATUS[0]}
  local p f
  p=$(grep -Eo '([0-9]+) (passed|passing)' "$out" | tail -1 | grep -Eo '^[0-9]+' || true)
  f=$(grep -Eo '([0-9]+) (failed|failing)' "$out" | tail -1 | grep -Eo '^[0-9]+' || true)
  rm -f "$out"
  if [ -n "$p$f" ]; then
    PASS=$((PASS + ${p:-0})); FAIL=$((FAIL + ${f:-0}))
    if [ "$rc" -ne 0 ] && [ "${f:-0}" -eq 0 ]; then FAIL=$((FAIL + 1)); fi
  elif [ "$rc" -eq 0 ]; then PASS=$((PASS + 1)); else FAIL=$((FAIL + 1)); fi
  [ "$rc" -eq 0 ] || FAILED_STEPS+=("$name")
}

step "ruff" .venv/bin/ruff check server tests
step "ruff format" .venv/bin/ruff format --check server tests
step "mypy (strict)" .venv/bin/mypy
step "typescript" npm run -s typecheck
step "eslint" npm run -s lint
step "extension unit tests" npm run -s test:ts
step "sidecar tests (unit + LSP end to end)" .venv/bin/python -m pytest -q
step "real VS Code end to end" bash tests/vscode/run.sh

echo "==== done in $(( $(date +%s) - T0 )) s"
[ ${#FAILED_STEPS[@]} -eq 0 ] || echo "failed: ${FAILED_STEPS[*]}"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
