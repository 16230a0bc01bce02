#!/usr/bin/env bash
# Builds BioXen and runs its main job: the browser playground, served on localhost.
# Installs what is missing first (scripts/setup.sh), builds the npm package (pkg/), the
# playground's vendor files (www/vendor/) and the API reference (target/api-docs/), then serves
# www/ at /, pkg/ at /pkg/ and the reference at /docs/, and prints the URL.
# Usage: scripts/run.sh [PORT]   (default 8080)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8080}"
# Serving needs neither the browser for tests nor the Python oracles.
SKIP_CHROMIUM=1 SKIP_PYTHON=1 bash scripts/setup.sh
bash scripts/build-pkg.sh
bash scripts/build-www.sh
bash scripts/build-docs.sh
exec bash scripts/serve.sh "$port"
