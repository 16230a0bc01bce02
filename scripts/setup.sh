#!/usr/bin/env bash
# setup.sh: install what building and testing BioXen needs; skip what is already there.
#
#   - rustup target wasm32-unknown-unknown, components rustfmt + clippy
#   - wasm-bindgen-cli at exactly the version in Cargo.lock (default 0.2.130), via cargo install
#   - npm dev tooling (binaryen's wasm-opt, playwright-core, typescript, vite) via `npm ci`,
#     only when node_modules/ is missing or older than package-lock.json
#   - Debian chromium + chromium-driver for browser tests (needs root or passwordless sudo;
#     otherwise prints what to run and carries on). SKIP_CHROMIUM=1 skips this step.
#   - the Python oracles (libSBML, libRoadRunner, scipy; scripts/oracles-requirements.txt) in
#     .venv/, from PyPI, only when .venv is missing or older than that file. Without python3 it
#     says so and carries on (the checks that need them say so too). SKIP_PYTHON=1 skips it.
#
# Usage: scripts/setup.sh        Idempotent. Prints one line per thing it installs and nothing
# when all is present; on failure prints the failing step's log and exits non-zero.
# Never installs or uses Debian's binaryen (/usr/bin/wasm-opt is binaryen 108; its output fails to load).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

DEFAULT_WASM_BINDGEN=0.2.130
LOG="$(mktemp -t bioxen-setup.XXXXXX)"
trap 'rm -f "$LOG"' EXIT

die() { echo "setup: error: $*" >&2; exit 1; }

# run_logged DESCRIPTION CMD...: run CMD with its output in $LOG; on failure show the log and stop.
run_logged() {
  local desc="$1"; shift
  local t0=$SECONDS
  echo "setup: $desc ..."
  if ! "$@" >"$LOG" 2>&1; then
    echo "setup: error: $desc failed: $*" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
  echo "setup: $desc done ($((SECONDS - t0))s)"
}

command -v cargo >/dev/null || die "cargo not found (install Rust with rustup)"
command -v rustup >/dev/null || die "rustup not found (needed to add the wasm32 target)"
command -v node >/dev/null || die "node not found (need Node.js >= 20.19)"
command -v npm >/dev/null || die "npm not found"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' ||
  die "Node.js $(node --version) is too old: vite 7 needs >= 20.19"

# --- Rust: wasm32 target, rustfmt, clippy ---
installed_targets="$(rustup target list --installed)"
if ! grep -qx wasm32-unknown-unknown <<<"$installed_targets"; then
  run_logged "rustup target add wasm32-unknown-unknown" rustup target add wasm32-unknown-unknown
fi
installed_components="$(rustup component list --installed)"
missing_components=()
for c in rustfmt clippy; do
  grep -q "^$c" <<<"$installed_components" || missing_components+=("$c")
done
if ((${#missing_components[@]})); then
  run_logged "rustup component add ${missing_components[*]}" rustup component add "${missing_components[@]}"
fi

# --- wasm-bindgen-cli: must equal the wasm-bindgen crate version in Cargo.lock exactly ---
want_wb="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock 2>/dev/null || true)"
want_wb="${want_wb:-$DEFAULT_WASM_BINDGEN}"
have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [[ "$have_wb" != "$want_wb" ]]; then
  # No --locked: wasm-bindgen-cli's own lockfile can pin crates that fail on newer rustc.
  run_logged "cargo install wasm-bindgen-cli $want_wb (was: ${have_wb:-none}; takes minutes)" \
    cargo install wasm-bindgen-cli --version "$want_wb" --force
  hash -r
  have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
  [[ "$have_wb" == "$want_wb" ]] ||
    die "wasm-bindgen on PATH is '${have_wb:-missing}' after install; is \$CARGO_HOME/bin (~/.cargo/bin) first on PATH?"
fi

# --- npm dev tooling, from the committed lockfile ---
# node_modules/.bioxen-lock.sha256 records the package-lock.json that node_modules was built from.
[[ -f package-lock.json ]] || die "package-lock.json missing (run npm install once and commit it)"
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
stamp="node_modules/.bioxen-lock.sha256"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$lock_hash" ]]; then
  run_logged "npm ci" npm ci --no-audit --no-fund
  echo "$lock_hash" >"$stamp"
fi
[[ -x node_modules/.bin/wasm-opt ]] || die "node_modules/.bin/wasm-opt missing after npm ci (binaryen devDependency?)"

# --- Chromium for browser tests (Debian packages; never a downloaded browser) ---
if [[ "${SKIP_CHROMIUM:-}" != 1 ]] && ! { [[ -x /usr/bin/chromium ]] && [[ -x /usr/bin/chromedriver ]]; }; then
  if [[ "$(id -u)" == 0 ]]; then
    sudo=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo)
  else
    sudo=(none)
  fi
  if [[ "${sudo[0]-}" == none ]]; then
    echo "setup: warning: chromium/chromium-driver missing and not root (no passwordless sudo);" \
      "browser tests will fail. Run: sudo apt-get update && sudo apt-get install -y chromium chromium-driver" >&2
  else
    export DEBIAN_FRONTEND=noninteractive
    run_logged "apt-get update" "${sudo[@]}" apt-get update -q
    run_logged "apt-get install chromium chromium-driver" \
      "${sudo[@]}" apt-get install -y -q chromium chromium-driver
  fi
fi

# --- Python oracles, pinned, in a local virtual environment (the runtime stays Rust + JS) ---
req=scripts/oracles-requirements.txt
if [[ "${SKIP_PYTHON:-}" != 1 ]]; then
  if command -v python3 >/dev/null; then
    req_hash="$(sha256sum "$req" | cut -d' ' -f1)"
    pystamp=.venv/.bioxen-requirements.sha256
    if [[ ! -f "$pystamp" || "$(cat "$pystamp")" != "$req_hash" ]]; then
      [[ -x .venv/bin/python ]] || run_logged "python3 -m venv .venv" python3 -m venv .venv
      run_logged "pip install the oracles ($(grep -c '==' "$req") pinned packages)" \
        .venv/bin/python -m pip install --disable-pip-version-check -q -r "$req"
      echo "$req_hash" >"$pystamp"
    fi
  else
    echo "setup: warning: python3 not found: the checks against libSBML and libRoadRunner cannot run" >&2
  fi
fi
