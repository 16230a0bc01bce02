//! The CLI on sessions with a custom chassis (a chassis object): `validate` lists every bad
//! field with its path, the first being the one the playground reports; `validate` and `run`
//! name a custom chassis by its name and base. That `run` replays such a session to the wasm
//! package's results, and saves it as the page exports it, is checked with every other
//! fixture by tests/cli.rs.

mod common;

use common::cli::{bioxen, expected_fixture as expected, root};
use serde_json::Value;

const CUSTOM: &str = "tests/fixtures/sessions/custom-chassis.json";
const INVALID: &str = "tests/fixtures/sessions/invalid-chassis.json";

#[test]
fn every_bad_chassis_field_is_listed_the_first_as_the_page_reports_it() {
    let want = &expected(INVALID)["invalid"];
    let out = bioxen().args(["validate", INVALID]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines[0],
        format!(
            "bioxen: error [{}] {}",
            want["code"].as_str().unwrap(),
            want["message"].as_str().unwrap()
        )
    );
    let paths = [
        "chassis.colour: unknown key",
        "chassis.ribosomes: 0 is out of range; expected 1..=10000000",
        "chassis.hostReserve.atp: 1 is out of range; expected 0 <= f < 1",
    ];
    assert_eq!(lines.len(), paths.len(), "{err}");
    for (l, p) in lines.iter().zip(paths) {
        assert!(
            l.starts_with(&format!("bioxen: error [INVALID_SESSION] {p}")),
            "{l} should name {p}"
        );
    }
}

#[test]
fn validate_and_run_name_a_custom_chassis() {
    let want = expected(CUSTOM);
    let ops = {
        let text = std::fs::read_to_string(root().join(CUSTOM)).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        v["ops"].as_array().unwrap().len()
    };
    let out = bioxen().args(["validate", CUSTOM]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with(&format!(
            "ok: {CUSTOM} is a valid session (\"Lean textbook cell\" (custom, on textbook) chassis, credit, {ops} operations"
        )),
        "{text}"
    );
    let out = bioxen()
        .args(["run", CUSTOM, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["chassis"], "custom");
    assert_eq!(v["chassisName"], "Lean textbook cell");
    assert_eq!(v["chassisBase"], "textbook");
    assert_eq!(v["nowMs"], want["nowMs"]);
    let table = bioxen().args(["run", CUSTOM]).output().unwrap();
    let table = String::from_utf8(table.stdout).unwrap();
    assert!(
        table.starts_with("Session: \"Lean textbook cell\" (custom, on textbook) chassis, credit;"),
        "{table}"
    );
    // a preset's session still prints only the preset's name, with no custom keys
    let v: Value = serde_json::from_slice(
        &bioxen()
            .args([
                "run",
                "examples/scenarios/overcommit.json",
                "--format",
                "json",
            ])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert_eq!(v["chassis"], "ecoli");
    assert!(v.get("chassisName").is_none());
}
