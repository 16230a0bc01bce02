//! The `bioxen` binary as the CLI tests run it: from the repository root, with its JSON output
//! read back.

use std::path::PathBuf;

use assert_cmd::Command;
use serde_json::Value;

/// The repository root (the tests' working directory for the binary).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `bioxen`, built with the `cli` feature, run from the repository root.
pub fn bioxen() -> Command {
    let mut c = Command::cargo_bin("bioxen").expect("the bioxen binary (feature cli)");
    c.current_dir(root());
    c
}

/// Run `bioxen args…`, which must succeed, and parse its standard output as JSON.
pub fn run_json(args: &[&str]) -> Value {
    let out = bioxen().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "bioxen {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// What the wasm package's replay gives for a session fixture
/// (`tests/fixtures/sessions/expected.json`, written by scripts/gen-scenarios.mjs).
pub fn expected_fixture(file: &str) -> Value {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/sessions/expected.json")).unwrap();
    let all: Value = serde_json::from_str(&text).unwrap();
    all[file].clone()
}
