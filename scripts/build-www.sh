#!/usr/bin/env bash
# build-www.sh: copy the playground's vendor files from node_modules/ into www/vendor/.
#
# The playground (www/) is static files only; its one third-party library, uPlot (charts), comes
# from npm (package-lock.json pins it) and is copied here, never fetched from a CDN.
# www/vendor/ is gitignored. The package itself (pkg/) is served at /pkg/ by scripts/serve.sh.
#
# Usage: scripts/build-www.sh     (runs `npm ci` first when node_modules/uplot is missing)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ ! -f node_modules/uplot/dist/uPlot.esm.js ]]; then
  echo "build-www: node_modules/uplot missing; running npm ci"
  npm ci --no-audit --no-fund >/dev/null
fi

VENDOR="$ROOT/www/vendor"
rm -rf "$VENDOR"
mkdir -p "$VENDOR"
cp node_modules/uplot/dist/uPlot.esm.js node_modules/uplot/dist/uPlot.min.css "$VENDOR/"
cp node_modules/uplot/LICENSE "$VENDOR/uPlot.LICENSE"
ver="$(node -p 'require("./node_modules/uplot/package.json").version')"
echo "build-www: www/vendor/ = uPlot $ver ($(du -sk "$VENDOR" | cut -f1) KB)"
if [[ ! -f "$ROOT/pkg/web/bioxen.js" ]]; then
  echo "build-www: note: pkg/ is not built yet; run scripts/build-pkg.sh before scripts/serve.sh" >&2
fi
