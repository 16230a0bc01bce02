#!/usr/bin/env bash
# Builds BioXen and runs its main job: the browser playground, served on localhost.
# Installs what is missing first (scripts/setup.sh), builds the npm package (pkg/) and the
# playground's vendor files (www/vendor/), then serves www/ and pkg/ and prints the URL.
# Usage: scripts/run.sh [PORT]   (default 8080)
set -euo pipefail
cd "$(dirname "$0")/.."
port="${1:-8080}"
SKIP_CHROMIUM=1 bash scripts/setup.sh
bash scripts/build-pkg.sh
bash scripts/build-www.sh
exec bash scripts/serve.sh "$port"
