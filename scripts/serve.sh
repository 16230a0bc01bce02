#!/usr/bin/env bash
# serve.sh: serve the browser playground on http://127.0.0.1:PORT/ for local development.
#
# Usage: scripts/serve.sh [PORT] [DIR]     (PORT default 8080, DIR default www/)
# Serves DIR at /, the built package pkg/ at /pkg/, so a page in www/ can do
#   import init, { version } from "/pkg/web/bioxen.js"; await init();
# with no copy or symlink, and the API reference target/api-docs/ at /docs/. Uses
# scripts/serve.mjs (Node, no dependencies; .wasm is served as application/wasm). Build the
# package first with scripts/build-pkg.sh, and the reference with scripts/build-docs.sh.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="${1:-8080}"
DIR="${2:-$ROOT/www}"

if [[ ! -d "$DIR" ]]; then
  echo "serve: $DIR does not exist (pass a folder: scripts/serve.sh PORT DIR)" >&2
  exit 1
fi
if [[ ! -f "$ROOT/pkg/package.json" ]]; then
  echo "serve: warning: pkg/ is not built yet, /pkg/ will 404 (run scripts/build-pkg.sh)" >&2
  mkdir -p "$ROOT/pkg"
fi
DOCS="$ROOT/target/api-docs" # typedoc.json's "out"
if [[ ! -f "$DOCS/index.html" ]]; then
  echo "serve: warning: the API reference is not built yet, /docs/ will 404 (run scripts/build-docs.sh)" >&2
  mkdir -p "$DOCS"
fi
exec node "$ROOT/scripts/serve.mjs" --port "$PORT" --root "$DIR" --mount "/pkg/=$ROOT/pkg" --mount "/docs/=$DOCS"
