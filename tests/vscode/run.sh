#!/usr/bin/env bash
# Smart Router end-to-end tests in a real VS Code (code-server's workbench + Node extension host),
# offline, against the fake OpenAI-compatible provider (tests/fakes/provider.py).
#
#   (B) the Mocha suite tests/vscode/suite/*.test.ts inside code-server's real extension host
#       (extension loaded from the repo in development mode, real `vscode` API)
#   (A) tests/vscode/ui/ask.mjs (then codeAction.mjs, usage.mjs): a person's steps in the browser against
#       the installed smart-router.vsix; screenshots in tests/vscode/artifacts/
#
# usage: tests/vscode/run.sh            (from anywhere; `npm ci` first, or it runs `npm install`)
# env:   SMART_ROUTER_PYTHON  python with the sidecar installed (default: <repo>/.venv/bin/python)
#        SMART_ROUTER_TOOLS   tools cache (default: ~/.cache/smart-router-tools), see install-tools.sh
#        SR_E2E_ONLY=A|B      run one half;   SR_E2E_GREP=regex   filter the Mocha tests
#        SR_E2E_UI=a,b        (A) only these scenarios of ui/ (ask, codeAction, usage, arena, sessions)
#        SR_E2E_KEEP=1        keep the scratch folder (printed at the end)
#        SR_E2E_SKIP_BUILD=1  reuse the existing dist/ and smart-router.vsix (quick iterations)
#        SMART_ROUTER_VSIX    the .vsix for (A) (default: <repo>/smart-router.vsix, made by `npm run package`)
# Last line: "N passed, N failed"; exit code 0 only when nothing failed.
set -uo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ARTIFACTS=$HERE/artifacts
TOOLS=${SMART_ROUTER_TOOLS:-$HOME/.cache/smart-router-tools}
RUN_T0=$(date +%s.%N)
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/smart-router-e2e.XXXXXX")
. "$HERE/lib.sh"

PASS=0 FAIL=0 LAPS=()
FAKE_PID= CS_PID= DRIVER_PID= CLEANED=
# want_ui NAME: whether the (A) scenario ui/NAME.mjs runs (SR_E2E_UI unset: all of them)
want_ui() { [ -z "${SR_E2E_UI:-}" ] || [[ ",$SR_E2E_UI," == *",$1,"* ]]; }
# One browser scenario against code-server A (when SR_E2E_UI names it, or always without it):
# run it within `seconds`, add its pass/fail counts, keep its result file among the artifacts.
ui_scenario() {  # name label seconds script result-file artifact-file
  local name=$1 label=$2 seconds=$3 script=$4 result="$SCRATCH/a/$5" artifact=$6 p f
  want_ui "$name" || return 0
  echo "---- (A) $label"
  SR_FAKE_URL=$FAKE_ROOT run_bounded "$seconds" node "$HERE/ui/$script" "$CS_PORT" "$WS" "$ARTIFACTS" "$result"
  if [ -s "$result" ]; then
    read -r p _ f _ < "$result"; PASS=$((PASS + p)); FAIL=$((FAIL + f))
    cp "$result" "$ARTIFACTS/$artifact"
  else
    echo "  (A) $label produced no result"; FAIL=$((FAIL + 1))
  fi
}
lap() { LAPS+=("$(printf '%-34s %s' "$1" "$(el "$2")")"); log "$1 done in $(el "$2")"; }

collect_logs() {
  mkdir -p "$ARTIFACTS/logs"
  cp "$SCRATCH"/fake.log "$ARTIFACTS/logs/" 2>/dev/null
  local phase f
  for phase in a b; do
    [ -d "$SCRATCH/$phase" ] || continue
    cp "$SCRATCH/$phase/code-server.log" "$ARTIFACTS/logs/code-server-$phase.log" 2>/dev/null
    cp "$SCRATCH/$phase/exthost-console.log" "$ARTIFACTS/logs/exthost-console-$phase.log" 2>/dev/null
    # the extension host's log and the extension's output channel (with the sidecar's stderr)
    while IFS= read -r -d '' f; do
      cp "$f" "$ARTIFACTS/logs/$phase-$(basename "$f" | tr ' ' '-')" 2>/dev/null
    done < <(find "$SCRATCH/$phase/cs-data/logs" \( -name 'remoteexthost.log' -o -path '*/smart-router.smart-router/*.log' \) -print0 2>/dev/null)
  done
}

cleanup() {
  [ -n "$CLEANED" ] && return; CLEANED=1
  [ -n "$DRIVER_PID" ] && stop_group "$DRIVER_PID"
  [ -n "$CS_PID" ] && stop_group "$CS_PID"
  [ -n "$FAKE_PID" ] && stop_group "$FAKE_PID"
  collect_logs
  if [ "${SR_E2E_KEEP:-}" = 1 ]; then echo "scratch kept: $SCRATCH"; else rm -rf "$SCRATCH"; fi
}
trap cleanup EXIT
trap 'echo "interrupted"; exit 130' INT TERM

finish() {
  cleanup
  echo "---- timings"; printf '  %s\n' "${LAPS[@]}"
  echo "  total                              $(el "$RUN_T0")"
  echo "$PASS passed, $FAIL failed"
  [ "$FAIL" -eq 0 ] && exit 0 || exit 1
}
setup_failed() { echo "SETUP FAILED: $*" >&2; FAIL=$((FAIL + 1)); finish; }

# step NAME TIMEOUT_S CMD...  (bounded; output in $ARTIFACTS/logs/NAME.log, tail shown on failure)
step() {
  local name=$1 secs=$2; shift 2
  local t; t=$(now)
  mkdir -p "$ARTIFACTS/logs"
  local rc=0
  timeout --kill-after=10 "$secs" "$@" > "$ARTIFACTS/logs/$name.log" 2>&1 || rc=$?
  if [ $rc -eq 0 ]; then lap "$name" "$t"; return 0; fi
  [ $rc -eq 124 ] && echo "TIMEOUT after ${secs}s: $name ($*)" >&2
  tail -40 "$ARTIFACTS/logs/$name.log" >&2
  return $rc
}

rm -rf "$ARTIFACTS" "$HERE/out"; mkdir -p "$ARTIFACTS/logs"
cd "$ROOT"
log "repo $ROOT, scratch $SCRATCH"

# ---- 1. tools, build, package, compile (real HOME: npm's cache lives there) ------------------------------
step install-tools 1800 bash "$HERE/install-tools.sh" || setup_failed "tools install (tests/vscode/install-tools.sh)"
if [ ! -d node_modules ]; then
  step npm-install 900 npm install --no-audit --no-fund || setup_failed "npm install"
fi
if [ "${SR_E2E_SKIP_BUILD:-}" = 1 ]; then
  log "SR_E2E_SKIP_BUILD=1: using the existing dist/ and smart-router.vsix"
else
  step build 300 npm run build || setup_failed "npm run build"
  rm -f smart-router.vsix
  step package 300 npm run package || setup_failed "npm run package"
fi
VSIX=${SMART_ROUTER_VSIX:-$ROOT/smart-router.vsix}
[ -f "$VSIX" ] || [ "${SR_E2E_ONLY:-}" = B ] || setup_failed "no $VSIX (npm run package)"
step compile-suite 120 node_modules/.bin/tsc -p "$HERE/tsconfig.json" || setup_failed "tsc -p tests/vscode/tsconfig.json"

PY=${SMART_ROUTER_PYTHON:-.venv/bin/python}
# absolute, but not symlink-resolved (a venv's python is a symlink to the base interpreter)
case $PY in /*) PY_ABS=$PY ;; */*) PY_ABS=$ROOT/$PY ;; *) PY_ABS=$(command -v "$PY" || echo "$PY") ;; esac
[ -x "$PY_ABS" ] || setup_failed "no python at $PY (set SMART_ROUTER_PYTHON)"
"$PY_ABS" -c 'import smart_router, keyrings.alt' 2>&1 || setup_failed "$PY_ABS cannot import smart_router and keyrings.alt"

# ---- 2. scratch environment: nothing below writes to the real HOME ---------------------------------------
use_scratch_env
# never let a real provider key (or proxy setting) from the caller's environment into the run
while IFS= read -r v; do unset "$v"; done < <(env | grep -oE '^[A-Za-z_]*(API_KEY|_KEY_)[A-Za-z_]*=' | tr -d '=')
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
export NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost
export PYTHON_KEYRING_BACKEND=keyrings.alt.file.PlaintextKeyring
export PYTHONDONTWRITEBYTECODE=1
API_KEY=sk-test-e2e-1234
WS=$SCRATCH/workspace; mkdir -p "$WS"
printf '# Scratch workspace\n\nOpened by the Smart Router end-to-end tests.\n' > "$WS/README.md"

# ---- 3. the fake provider ---------------------------------------------------------------------------------
t=$(now)
[ -f "$ROOT/tests/fakes/provider.py" ] || setup_failed "tests/fakes/provider.py does not exist"
setsid "$PY_ABS" "$ROOT/tests/fakes/provider.py" --port 0 --ready-file "$SCRATCH/fake.ready" \
  > "$SCRATCH/fake.log" 2>&1 < /dev/null &
FAKE_PID=$!
fake_ready() { [ -s "$SCRATCH/fake.ready" ] || { kill -0 "$FAKE_PID" 2>/dev/null || return 2; return 1; }; }
wait_for 30 "the fake provider's ready file" fake_ready || { tail -20 "$SCRATCH/fake.log"; setup_failed "fake provider did not start"; }
# ready file: a URL, a port, or JSON with url/baseUrl/port
read -r FAKE_ROOT FAKE_BASE < <("$PY_ABS" - "$SCRATCH/fake.ready" <<'PY'
import json, sys
raw = open(sys.argv[1]).read().strip()
try:
    d = json.loads(raw)
except ValueError:
    d = raw
if isinstance(d, int) or (isinstance(d, str) and d.isdigit()):
    d = {"port": int(d)}
if isinstance(d, str):
    d = {"url": d}
url = d.get("url") or d.get("baseUrl") or d.get("base_url") or f"http://127.0.0.1:{d['port']}"
root = url.rstrip("/")
if root.endswith("/v1"):
    root = root[: -len("/v1")]
base = d.get("openaiBaseUrl") or d.get("baseUrl") or d.get("base_url") or root + "/v1"
print(root, base.rstrip("/"))
PY
)
[ -n "${FAKE_BASE:-}" ] || setup_failed "cannot read the fake's ready file: $(cat "$SCRATCH/fake.ready")"
wait_for 15 "fake provider health ($FAKE_ROOT/__fake__/health)" curl -fsS "$FAKE_ROOT/__fake__/health" ||
  setup_failed "fake provider not answering"
log "fake provider at $FAKE_BASE"
lap "fake provider up" "$t"

# ---- 4. (B) Mocha suite inside the real extension host ----------------------------------------------------
# needs enable-smoke-test-driver, else the workbench silently ignores the test payload
if [ "${SR_E2E_ONLY:-B}" = B ]; then
  t=$(now)
  mkdir -p "$SCRATCH/b"
  write_user_settings "$SCRATCH/b/cs-data" "$FAKE_BASE"
  RES_B=$SCRATCH/b/result.txt
  # the key reaches the extension host through extensionEnvironment only, not code-server's environment
  ( unset OPENAI_API_KEY; export SMART_ROUTER_DB=$SCRATCH/b/ledger.sqlite SMART_ROUTER_CONFIG=$SCRATCH/b/smart-router-settings.json
    start_code_server b "$WS" "$SCRATCH/b/exts" --vscode-option enable-smoke-test-driver )
  ok=$?; CS_PID=$(cat "$SCRATCH/b/cs.pid" 2>/dev/null); CS_PORT=$(cat "$SCRATCH/b/cs.port" 2>/dev/null)
  if [ $ok -eq 0 ]; then
    lap "B: code-server up (port $CS_PORT)" "$t"
    t=$(now)
    EXTHOST_ENV=$("$PY_ABS" -c 'import json, sys; print(json.dumps(dict(zip(sys.argv[1::2], sys.argv[2::2]))))' \
      OPENAI_API_KEY "$API_KEY" SMART_ROUTER_FAKE_URL "$FAKE_ROOT" SR_E2E_RESULT "$RES_B" \
      SMART_ROUTER_DB "$SCRATCH/b/ledger.sqlite" SMART_ROUTER_CONFIG "$SCRATCH/b/smart-router-settings.json" \
      PYTHON_KEYRING_BACKEND "$PYTHON_KEYRING_BACKEND" SR_E2E_GREP "${SR_E2E_GREP:-}")
    echo "---- (B) Mocha in the extension host"
    EXTHOST_ENV=$EXTHOST_ENV EXTHOST_LOG=$SCRATCH/b/exthost-console.log EXTHOST_TEST_TIMEOUT_MS=240000 \
      run_bounded 270 node "$HERE/driver/exthost.mjs" "$CS_PORT" "$WS" "$ROOT" "$HERE/out/tests/vscode/suite/index.js"
    rc=$?
    if [ -s "$RES_B" ]; then
      read -r p _ f _ < "$RES_B"; PASS=$((PASS + p)); FAIL=$((FAIL + f))
      grep '^FAIL' "$RES_B" | sed 's/^/  /'
      [ $rc -ne 0 ] && [ "$f" = 0 ] && { echo "  extension host exited with $rc"; FAIL=$((FAIL + 1)); }
    else
      echo "  (B) produced no result file (extension host exit $rc): see $ARTIFACTS/logs/exthost-console-b.log"
      FAIL=$((FAIL + 1))
    fi
    cp "$RES_B" "$ARTIFACTS/exthost-result.txt" 2>/dev/null
    stop_group "$CS_PID"; CS_PID=
  else
    echo "  code-server for (B) did not start"; FAIL=$((FAIL + 1)); stop_group "$CS_PID"; CS_PID=
  fi
  lap "B: extension-host suite (+ stop)" "$t"
fi

# ---- 5. (A) UI scenario against the installed .vsix --------------------------------------------------------
# plain code-server (with the smoke-test flag, notifications never appear); the key in its environment
if [ "${SR_E2E_ONLY:-A}" = A ]; then
  t=$(now)
  mkdir -p "$SCRATCH/a"
  write_user_settings "$SCRATCH/a/cs-data" "$FAKE_BASE"
  printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$SCRATCH/a/cs-config.yaml"
  if timeout 120 code-server --config "$SCRATCH/a/cs-config.yaml" --user-data-dir "$SCRATCH/a/cs-data" \
       --extensions-dir "$SCRATCH/a/exts" --install-extension "$VSIX" --force \
       > "$SCRATCH/a/install.log" 2>&1; then
    lap "A: vsix installed" "$t"
    t=$(now)
    ( export OPENAI_API_KEY=$API_KEY SMART_ROUTER_DB=$SCRATCH/a/ledger.sqlite SMART_ROUTER_CONFIG=$SCRATCH/a/smart-router-settings.json
      start_code_server a "$WS" "$SCRATCH/a/exts" )
    ok=$?; CS_PID=$(cat "$SCRATCH/a/cs.pid" 2>/dev/null); CS_PORT=$(cat "$SCRATCH/a/cs.port" 2>/dev/null)
    if [ $ok -eq 0 ]; then
      lap "A: code-server up (port $CS_PORT)" "$t"
      t=$(now)
      ui_scenario ask "UI scenario" 240 ask.mjs result.txt ui-result.txt
      ui_scenario codeAction "code actions" 240 codeAction.mjs result-code-action.txt ui-code-action-result.txt
      ui_scenario usage "budgets and usage" 240 usage.mjs result-usage.txt ui-usage-result.txt
      ui_scenario arena "arena" 240 arena.mjs result-arena.txt ui-arena-result.txt
      ui_scenario sessions "sessions and context" 300 sessions.mjs result-sessions.txt ui-sessions-result.txt
      stop_group "$CS_PID"; CS_PID=
    else
      echo "  code-server for (A) did not start"; FAIL=$((FAIL + 1)); stop_group "$CS_PID"; CS_PID=
    fi
  else
    echo "  installing smart-router.vsix failed:"; tail -20 "$SCRATCH/a/install.log"; FAIL=$((FAIL + 1))
  fi
  lap "A: UI scenario (+ stop)" "$t"
fi

# ---- 6. the key never reaches a log the user might share ----------------------------------------------------
# (the "Smart Router" output channel, which carries the sidecar's stderr, and the extension-host logs)
logs=$(find "$SCRATCH"/[ab]/cs-data/logs \( -path '*/smart-router.smart-router/*.log' -o -name 'remoteexthost.log' \) 2>/dev/null)
if [ -z "$logs" ]; then
  echo "  no extension log found to check for the API key"; FAIL=$((FAIL + 1))
elif leaks=$(echo "$logs" | tr '\n' '\0' | xargs -0 grep -l -F -- "$API_KEY"); then
  echo "FAIL the API key appears in: $leaks"; FAIL=$((FAIL + 1))
else
  echo "ok   the API key appears in none of the $(echo "$logs" | wc -l) extension/sidecar logs"; PASS=$((PASS + 1))
fi

finish
