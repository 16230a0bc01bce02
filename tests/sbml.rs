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
