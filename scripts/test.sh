#!/usr/bin/env bash
# test.sh: the whole local/CI check, in order (.ci/run calls it; it is the README's test command):
#   setup.sh -> cargo fmt --check -> cargo clippy (native, all targets, with and without the
#   `cli` feature; and the wasm32 lib, where #[cfg(target_arch = "wasm32")] bindings live),
#   each also with --no-default-features (the build without `kinetics` and `genome`, as
#   `bioxen/lite` is built)
#   -> cargo test -> the CLI's tests (feature cli: tests/cli.rs, tests/cli_pty.rs), both also with
#   --no-default-features -> the documented install command (check-cli-install.sh)
#   -> build-pkg.sh (both builds: bioxen and bioxen/lite) -> a doc comment on every export of
#   the package's typings (build-docs.sh --check)
#   -> the session fixtures are what the playground's code gives (scripts/gen-scenarios.mjs --check)
#   -> the playground end to end (tests/e2e/run.mjs) -> node --test tests/js/
#   -> packaging tests (tests/js/packaging/run.mjs; both builds from the one tarball)
#
# Real genome files are read from ../shared/data; where that folder is missing the tests that
# need it say so and pass without checking (BIOXEN_REQUIRE_DATA=1 makes them fail instead).
#
# Usage: scripts/test.sh      Stops at the first failing step; exit code is non-zero then.
# The last line on success is the packaging tests' "N passed, N failed".
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

t_all=$SECONDS
step() {
  local t0=$SECONDS
  echo "==> $*"
  "$@" || { echo "==> FAILED: $* ($((SECONDS - t0))s)" >&2; exit 1; }
  echo "==> ok ($((SECONDS - t0))s)"
}

step bash scripts/setup.sh
step cargo fmt --all --check
step cargo clippy --all-targets -- -D warnings
step cargo clippy --all-targets --features cli -- -D warnings
step cargo clippy --target wasm32-unknown-unknown --lib -- -D warnings
# The same without the default features kinetics and genome: what bioxen/lite is built from.
step cargo clippy --all-targets --no-default-features -- -D warnings
step cargo clippy --all-targets --no-default-features --features cli -- -D warnings
step cargo clippy --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings
step cargo test
# The bioxen binary through its real command line and in a pseudo-terminal (feature cli).
step cargo test --features cli --bin bioxen --test cli --test cli_pty
# Core, bindings' native parts and CLI without kinetics and genome: what works works the same,
# and what needs a missing feature fails with FEATURE_UNAVAILABLE.
step cargo test --no-default-features
step cargo test --no-default-features --features cli --bin bioxen --test cli --test cli_pty
# The README's `cargo install --path . --features cli` gives a working bioxen.
step bash scripts/check-cli-install.sh
# A few core tests compiled to wasm32 and run by wasm-bindgen-test in headless Chromium.
step env CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm_browser
step bash scripts/build-pkg.sh
# Every export of the package's typings has a doc comment (the API reference, build-docs.sh).
step bash scripts/build-docs.sh --check
# examples/scenarios/ and tests/fixtures/sessions/ must be what the playground's session code
# and this package give (they are the CLI's round-trip fixtures).
step node scripts/gen-scenarios.mjs --check
# The playground end to end in headless Chromium (builds www/, serves it on a free port).
step node tests/e2e/run.mjs

# node's test runner on tests/js/**/*.test.{js,mjs,cjs} (not packaging/). Files are listed
# explicitly: Node 20 recurses into a directory argument, Node 22 wants globs instead.
mapfile -t js_tests < <(find tests/js -path tests/js/packaging -prune -o -type f -name '*.test.*js' -print 2>/dev/null | sort)
if ((${#js_tests[@]})); then
  step node --test "${js_tests[@]}"
fi

echo "==> earlier checks passed ($((SECONDS - t_all))s)"
# Last, so that its "N passed, N failed" is the closing line of the run.
echo "==> node tests/js/packaging/run.mjs"
exec node tests/js/packaging/run.mjs
