//! The Python oracles (libSBML, libRoadRunner) that scripts/setup.sh installs into .venv:
//! run scripts/sbml_check.py on an SBML text and read its JSON answer.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The venv's python, or `None` (with a message saying what is missing) when it is not there.
/// Under CI (`CI` set) or with BIOXEN_REQUIRE_ORACLES=1 a missing venv fails the test instead.
pub fn python() -> Option<PathBuf> {
    let py = root().join(".venv/bin/python");
    if py.exists() {
        return Some(py);
    }
    let msg = format!(
        "{} is missing: the checks against libSBML and libRoadRunner need scripts/setup.sh \
         (python3 -m venv .venv; pip install -r scripts/oracles-requirements.txt)",
        py.display()
    );
    if std::env::var_os("CI").is_some() || std::env::var_os("BIOXEN_REQUIRE_ORACLES").is_some() {
        panic!("{msg}");
    }
    eprintln!("SKIPPED (not checked): {msg}");
    None
}

/// Validate `sbml` with libSBML and simulate it with libRoadRunner at `times`, reading `ids`.
pub fn check_sbml(py: &PathBuf, name: &str, sbml: &str, times: &[f64], ids: &[&str]) -> Value {
    let dir = root().join("target/sbml-check");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.xml"));
    std::fs::write(&path, sbml).unwrap();
    let times: Vec<String> = times.iter().map(|t| format!("{t:e}")).collect();
    let out = Command::new(py)
        .arg(root().join("scripts/sbml_check.py"))
        .arg(&path)
        .arg("--times")
        .arg(times.join(","))
        .arg("--ids")
        .arg(ids.join(","))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "sbml_check.py failed on {}: {}{}",
        path.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}
