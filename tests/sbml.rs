//! SBML export checked by the field's tools: libSBML must find no error in what BioXen
//! writes, and libRoadRunner must simulate it to the same numbers.
#![cfg(feature = "kinetics")]

mod common;

use bioxen::sbml::{num, sym, Document, TimedEvent};
use common::oracle::{check_sbml, python};

/// A document with every construct the exports use: constant parameters, a rate rule, an
/// assignment rule, time, and a timed event that changes a parameter the rate reads.
fn decay() -> Document {
    let mut d = Document {
        id: "decay".into(),
        name: "first-order decay, rate raised at t = 2".into(),
        notes: "x' = -k x, x(0) = 1; k = 0.5, then 1.5 from t = 2. twice = 2 x.".into(),
        ..Default::default()
    };
    d.quantity("k", "rate constant", 0.5, false);
    d.quantity("x", "amount", 1.0, false);
    d.quantity("twice", "2 x", 0.0, false);
    d.assignments.push(("twice".into(), num(2.0) * sym("x")));
    d.rates.push(("x".into(), -(sym("k") * sym("x"))));
    d.events.push(TimedEvent {
        id: "raise_k".into(),
        at: 2.0,
        set: vec![("k".into(), 1.5)],
    });
    d
}

#[test]
fn libsbml_accepts_and_libroadrunner_solves_a_written_document() {
    let Some(py) = python() else { return };
    let xml = decay().to_xml().unwrap();
    let times = [0.0, 1.0, 2.0, 3.0, 5.0];
    let r = check_sbml(&py, "decay", &xml, &times, &["x", "twice"]);
    assert_eq!(r["errors"], serde_json::json!([]), "libSBML errors: {r}");
    assert_eq!(
        (r["level"].as_u64(), r["version"].as_u64()),
        (Some(3), Some(2))
    );
    let exact = |t: f64| {
        if t <= 2.0 {
            (-0.5 * t).exp()
        } else {
            (-1.0f64).exp() * (-1.5 * (t - 2.0)).exp()
        }
    };
    for (i, &t) in times.iter().enumerate() {
        let x = r["series"]["x"][i].as_f64().unwrap();
        let twice = r["series"]["twice"][i].as_f64().unwrap();
        assert!(
            (x - exact(t)).abs() <= 1e-7 * exact(t),
            "x({t}) = {x}, exact {}",
            exact(t)
        );
        assert!((twice - 2.0 * x).abs() <= 1e-12 * x, "twice({t}) = {twice}");
    }
}

use bioxen::circuits::{library_circuit, simulate_circuits, CircuitOptions};
use bioxen::kinetics::integrator::Method;

/// Each integrator and the tolerance it is checked at: RODAS4 at rtol 1e-10; BDF, whose
/// phase error on an oscillator is larger at the same tolerance (the repressilator's 1.6e-6
/// at 1e-10), at 1e-12.
const METHODS: [(Method, f64); 2] = [(Method::Bdf, 1e-12), (Method::Rodas4, 1e-10)];

/// Export `opts`, have libSBML validate it and libRoadRunner solve it on the same output
/// grid, and compare growth and every protein with simulate_circuits, with each integrator.
fn agrees(name: &str, opts: CircuitOptions) {
    let Some(py) = python() else { return };
    let xml = bioxen::sbml::circuits_to_sbml(&opts).unwrap();
    let mut ids = vec!["lam".to_string()];
    for (i, c) in opts.circuits.iter().enumerate() {
        for j in 0..c.genes.len() {
            ids.push(format!("p_c{i}g{j}"));
        }
    }
    let idr: Vec<&str> = ids.iter().map(String::as_str).collect();
    let runs = METHODS.map(|(method, tol)| {
        let o = CircuitOptions {
            rtol: tol,
            atol: tol,
            method,
            ..opts.clone()
        };
        (method, tol, simulate_circuits(&o).unwrap())
    });
    // One output grid for every method, solved once by libRoadRunner.
    let grid = &runs[0].2.t;
    let r = check_sbml(&py, name, &xml, grid, &idr);
    assert_eq!(
        r["errors"],
        serde_json::json!([]),
        "{name}: libSBML errors: {r}"
    );
    for (method, tol, ours) in &runs {
        assert_eq!(&ours.t, grid);
        let mut want = vec![ours.growth_rate.clone()];
        for c in &ours.circuits {
            for g in &c.genes {
                want.push(g.protein.clone());
            }
        }
        let mut worst = (0.0f64, String::new());
        for (id, w) in ids.iter().zip(&want) {
            let scale = w.iter().fold(0.0f64, |m, x| m.max(x.abs()));
            for (k, &x) in w.iter().enumerate() {
                let y = r["series"][id][k].as_f64().unwrap();
                // Relative to the value, or to a millionth of the series' range for values
                // that pass near zero (a repressed protein, an oscillator's trough).
                let rel = (x - y).abs() / x.abs().max(1e-6 * scale).max(1e-300);
                if rel > worst.0 {
                    worst = (
                        rel,
                        format!("{id} at t = {}: ours {x}, libRoadRunner {y}", ours.t[k]),
                    );
                }
            }
        }
        let m = method.name();
        eprintln!(
            "{name} ({m}, rtol {tol:e}): largest relative difference {:.2e} ({})",
            worst.0, worst.1
        );
        assert!(worst.0 <= 1e-6, "{name} ({m}): {}", worst.1);
    }
}

fn with(ids: &[&str]) -> Vec<bioxen::circuits::Circuit> {
    ids.iter().map(|id| library_circuit(id).unwrap()).collect()
}

#[test]
fn the_toggle_with_two_pulses_agrees_with_libroadrunner() {
    let mut inducers = std::collections::BTreeMap::new();
    inducers.insert("IPTG".to_string(), vec![[200.0, 1000.0], [400.0, 0.0]]);
    inducers.insert("aTc".to_string(), vec![[800.0, 0.5], [1000.0, 0.0]]);
    agrees(
        "toggle",
        CircuitOptions {
            circuits: with(&["toggle"]),
            inducers,
            t_end_min: 1400.0,
            points: 71,
            ..Default::default()
        },
    );
}

#[test]
fn the_repressilator_and_two_circuits_agree_with_libroadrunner() {
    agrees(
        "repressilator",
        CircuitOptions {
            circuits: with(&["repressilator"]),
            t_end_min: 2000.0,
            points: 101,
            ..Default::default()
        },
    );
    let mut inducers = std::collections::BTreeMap::new();
    inducers.insert("IPTG".to_string(), vec![[300.0, 100.0]]);
    let circuits = with(&["reporter", "lac"]);
    agrees(
        "two-circuits",
        CircuitOptions {
            circuits,
            inducers,
            t_end_min: 1000.0,
            points: 51,
            ..Default::default()
        },
    );
}
