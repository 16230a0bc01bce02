#!/usr/bin/env bash
# Builds BioXen and runs its main job: for now the native demo scenario, which prints a
# readable summary of three guests sharing one E. coli chassis.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo >/dev/null 2>&1; then
  echo "run.sh: cargo not found; install Rust from https://rustup.rs first" >&2
  exit 1
fi
cargo run --quiet --release --bin bioxen-demo
