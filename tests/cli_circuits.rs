//! Circuit sessions from the terminal: `bioxen run` replays a session whose VMs run gene
//! circuits with an inducer protocol, and `bioxen export-sbml` writes its model, which
//! libSBML accepts and libRoadRunner solves to `simulate_circuits`'s numbers.

mod common;

use bioxen::circuits::simulate_circuits;
use bioxen::session::{circuit_options, parse, Syntax};
use common::cli::{bioxen, root};
use common::oracle::{check_sbml, python};
use predicates::prelude::*;

const SESSION: &str = "tests/fixtures/circuits/toggle-and-lac.session.json";

fn session() -> bioxen::session::Session {
    parse(
        &std::fs::read_to_string(root().join(SESSION)).unwrap(),
        Syntax::Json,
    )
    .unwrap()
}

#[test]
fn run_replays_a_circuit_session_as_the_library_does() {
    let out = bioxen()
        .args(["run", SESSION, "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = bioxen::session::replay(&session(), Default::default(), &mut |_| {}).unwrap();
    let m = r.hypervisor.metrics();
    let text = v.to_string();
    assert!(text.contains("toggle") && text.contains("lac"), "{text}");
    assert_eq!(
        v["metrics"]["decisions"].as_u64(),
        Some(m.decisions),
        "{text}"
    );
}

#[test]
fn export_sbml_writes_the_sessions_circuits_and_protocol() {
    let s = session();
    let opts = circuit_options(&s, 101).unwrap();
    assert_eq!(opts.circuits.len(), 2);
    assert_eq!(opts.t_end_min, 600.0);
    // IPTG's two steps; aTc and arabinose too, but only aTc has a promoter here (the toggle's).
    assert_eq!(opts.inducers["IPTG"], vec![[120.0, 1000.0], [240.0, 0.0]]);
    assert_eq!(opts.inducers["aTc"], vec![[240.0, 0.0]]);
    assert!(!opts.inducers.contains_key("arabinose"));
    let want = bioxen::sbml::circuits_to_sbml(&opts).unwrap();
    let out = bioxen().args(["export-sbml", SESSION]).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
    let file = root().join("target/cli-export.xml");
    bioxen()
        .args(["export-sbml", SESSION, "-o", file.to_str().unwrap()])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), want);

    // A session without circuits, or on the simple machinery, is refused with the path.
    bioxen()
        .args(["export-sbml", "examples/scenarios/fcfs-starving.json"])
        .assert()
        .failure()
        .stderr(predicates::str::contains("machinery").or(predicates::str::contains("circuit")));

    // The export is the model simulate_circuits solves: libRoadRunner agrees on it.
    let Some(py) = python() else { return };
    let r = simulate_circuits(&opts).unwrap();
    let times: Vec<f64> = r.t.iter().step_by(10).copied().collect();
    let ids = ["p_c0g1", "p_c0g2", "p_c1g1"];
    let rr = check_sbml(&py, "cli-toggle-and-lac", &want, &times, &ids);
    assert_eq!(rr["errors"], serde_json::json!([]), "libSBML errors: {rr}");
    for (k, id) in ids.iter().enumerate() {
        let (c, g) = [(0, 1), (0, 2), (1, 1)][k];
        let ours = &r.circuits[c].genes[g].protein;
        for (i, t) in times.iter().enumerate() {
            let theirs = rr["series"][id][i].as_f64().unwrap();
            let mine = ours[i * 10];
            assert!(
                (theirs - mine).abs() <= 1e-4 * mine.abs().max(1.0),
                "{id} at {t} min: libRoadRunner {theirs}, simulate_circuits {mine}"
            );
        }
    }
}
