#!/usr/bin/env bash
# check-cli-install.sh: the README's install command gives a working `bioxen`.
#
#   cargo install --path . --features cli --locked into a temporary root (reusing target/release),
#   then the installed binary replays an example and must print the same JSON as the debug build.
#
# Usage: scripts/check-cli-install.sh     Exit code non-zero when the install or the check fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

tmp="$(mktemp -d -t bioxen-install.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT

cargo install --path . --features cli --locked --root "$tmp" --quiet 2>&1 |
  grep -v "be sure to add" || true
[[ -x "$tmp/bin/bioxen" ]] || { echo "check-cli-install: error: no bioxen after cargo install" >&2; exit 1; }
echo "check-cli-install: installed $("$tmp/bin/bioxen" --version)"

scenario=examples/scenarios/rr-vs-credit.json
want="$(cargo run --quiet --features cli --bin bioxen -- run "$scenario" --format json)"
got="$("$tmp/bin/bioxen" run "$scenario" --format json)"
if [[ "$got" != "$want" ]]; then
  echo "check-cli-install: error: the installed bioxen and the debug build differ on $scenario:" >&2
  diff <(echo "$want") <(echo "$got") >&2 || true
  exit 1
fi
echo "check-cli-install: the installed bioxen replays $scenario like the debug build"
