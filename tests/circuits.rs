//! Guest gene circuits on the Weiße host (src/circuits/, issue 15):
//! - the options and their refusals (every path named, nothing run);
//! - `simulate_circuits` against `simulate_weisse` (a constitutive circuit is the same gene);
//! - against scipy (Radau and LSODA at 1e-10, `scripts/circuits_reference.py`, committed
//!   fixture `tests/fixtures/circuits/reference.json`);
//! - behaviours: the toggle's memory and bistability, the repressilator's steady period
//!   and amplitude, hidden coupling through shared ribosomes, the burden tipping point;
//! - a property: random valid circuits and inducer protocols never give negative or
//!   non-finite states.
#![cfg(feature = "kinetics")]

use std::collections::BTreeMap;

use bioxen::circuits::{
    library_circuit, simulate_circuits, Circuit, CircuitOptions, CircuitResult, Gene,
};
use bioxen::kinetics::{
    simulate_weisse, weisse_steady_state, Gene as ModelGene, SteadyStateOptions, WeisseOptions,
};
use serde_json::{json, Value};

/// The host's steady state without circuits, as `initial`.
fn host_steady() -> BTreeMap<String, f64> {
    let ss = weisse_steady_state(&SteadyStateOptions::default()).unwrap();
    ss.names
        .iter()
        .zip(&ss.state)
        .map(|(n, v)| (n.clone(), *v))
        .collect()
}

fn options(circuits: Vec<Circuit>, t_end: f64, points: usize) -> CircuitOptions {
    CircuitOptions {
        circuits,
        t_end_min: t_end,
        points,
        initial: Some(host_steady()),
        ..Default::default()
    }
}

fn lib(id: &str) -> Circuit {
    library_circuit(id).unwrap()
}

fn schedule(entries: &[(&str, &[[f64; 2]])]) -> BTreeMap<String, Vec<[f64; 2]>> {
    entries
        .iter()
        .map(|(n, s)| (n.to_string(), s.to_vec()))
        .collect()
}

fn protein<'a>(r: &'a CircuitResult, circuit: usize, gene: &str) -> &'a [f64] {
    &r.gene(circuit, gene).unwrap().protein
}

// ------------------------------------------------------------------ options and refusals

fn refused(o: &CircuitOptions) -> (String, String) {
    match simulate_circuits(o).unwrap_err() {
        bioxen::BioxenError::InvalidArgument { name, message } => (name, message),
        e => panic!("expected INVALID_ARGUMENT, got {e:?}"),
    }
}

#[test]
fn bad_options_are_refused_naming_the_path() {
    let good = CircuitOptions {
        inducers: schedule(&[("IPTG", &[[100.0, 1000.0], [300.0, 0.0]])]),
        ..options(vec![lib("toggle")], 100.0, 3)
    };
    assert!(simulate_circuits(&good).is_ok());

    let mut o = good.clone();
    o.circuits[0].genes[1].regulation[0].by = "LacI".into();
    let (name, msg) = refused(&o);
    assert_eq!(name, "circuits[0].genes[1].regulation[0].by");
    assert!(
        msg.contains("\"LacI\"") && msg.contains("lacI, tetR, gfp"),
        "{msg}"
    );

    let mut o = good.clone();
    o.circuits.push(lib("lac"));
    o.circuits[1].genes[1].name = "lacI".into();
    assert_eq!(refused(&o).0, "circuits[1].genes[1].name");

    let mut o = good.clone();
    o.circuits[0].genes[2].w = f64::NAN;
    assert_eq!(refused(&o).0, "circuits[0].genes[2].w");

    let mut o = good.clone();
    o.inducers = schedule(&[("IPTG", &[[300.0, 1000.0], [100.0, 0.0]])]);
    let (name, msg) = refused(&o);
    assert_eq!(name, "inducers.IPTG[1]");
    assert!(
        msg.contains("100") && msg.contains("300") && msg.contains("sorted"),
        "{msg}"
    );

    let mut o = good.clone();
    o.inducers = schedule(&[("IPTG", &[[100.0, 1.0], [100.0, 2.0]])]);
    assert_eq!(refused(&o).0, "inducers.IPTG[1]");

    let mut o = good.clone();
    o.inducers = schedule(&[("IPGT", &[[100.0, 1.0]])]);
    let (name, msg) = refused(&o);
    assert_eq!(name, "inducers.IPGT");
    assert!(msg.contains("IPTG, aTc"), "{msg}");

    for bad in [
        [-1.0, 1.0],
        [1.0, -1.0],
        [f64::NAN, 1.0],
        [1.0, f64::INFINITY],
    ] {
        let mut o = good.clone();
        o.inducers = schedule(&[("aTc", &[bad])]);
        assert_eq!(refused(&o).0, "inducers.aTc[0]", "{bad:?}");
    }

    let mut o = good.clone();
    o.initial.as_mut().unwrap().insert("p[0]".into(), 5.0);
    let (name, msg) = refused(&o);
    assert_eq!(name, "initial.p[0]");
    assert!(msg.contains("initialProtein"), "{msg}");

    let mut o = good.clone();
    o.circuits = vec![lib("repressilator"); 65];
    assert_eq!(refused(&o).0, "circuits");
    for (edit, path) in [
        (
            (|o: &mut CircuitOptions| o.t_end_min = -1.0) as fn(&mut CircuitOptions),
            "tEndMin",
        ),
        (|o| o.points = 0, "points"),
        (|o| o.rtol = 0.0, "rtol"),
        (|o| o.atol = 1.0, "atol"),
        (|o| o.s0 = f64::NAN, "s0"),
    ] {
        let mut o = good.clone();
        edit(&mut o);
        assert_eq!(refused(&o).0, path);
    }
}

#[test]
fn options_read_from_json_name_the_path() {
    let ok = json!({
        "circuits": [lib("lac"), { "genes": [{ "name": "gfp", "w": 5, "length": 238 }] }],
        "inducers": { "IPTG": [[10, 100]] },
        "tEndMin": 50, "points": 6, "rtol": 1e-7, "initial": { "a": 10.0 }
    });
    let o = CircuitOptions::from_value(&ok).unwrap();
    assert_eq!(o.circuits.len(), 2);
    assert_eq!(o.inducers["IPTG"], [[10.0, 100.0]]);
    assert_eq!((o.points, o.rtol, o.atol), (6, 1e-7, 1e-6));
    let r = simulate_circuits(&o).unwrap();
    assert_eq!(r.t, [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]);

    let path = |v: Value| match CircuitOptions::from_value(&v).unwrap_err() {
        bioxen::BioxenError::InvalidArgument { name, .. } => name,
        e => panic!("{e:?}"),
    };
    let mut v = ok.clone();
    v["circuits"][1]["genes"][0]["regulation"] =
        json!([{ "by": "gfp", "mode": "repres", "K": 1, "n": 1 }]);
    assert_eq!(path(v), "circuits[1].genes[0].regulation[0].mode");
    let mut v = ok.clone();
    v["circuits"][0]["genes"][1]["regulation"][0]["inducer"]["effect"] = json!("blocks");
    assert_eq!(path(v), "circuits[0].genes[1].regulation[0].inducer.effect");
    let mut v = ok.clone();
    v["inducers"]["IPTG"] = json!([[10, 100], [5]]);
    assert_eq!(path(v), "inducers.IPTG[1]");
    let mut v = ok.clone();
    v["tEndMin"] = json!("long");
    assert_eq!(path(v), "tEndMin");
    let mut v = ok.clone();
    v["points"] = json!(2.5);
    assert_eq!(path(v), "points");
    let mut v = ok.clone();
    v["tEnd"] = json!(5);
    assert_eq!(path(v), "tEnd");
    let mut v = ok.clone();
    v["initial"]["x"] = json!(1);
    assert_eq!(path(v), "initial.x");
}

// ------------------------------------------------------------------ the model itself

#[test]
fn a_constitutive_circuit_is_simulate_weisse_bit_for_bit() {
    let w = WeisseOptions {
        heterologous: vec![ModelGene::new(10.0, 238.0), ModelGene::new(3.0, 500.0)],
        t_end_min: 500.0,
        points: 11,
        ..Default::default()
    };
    let reference = simulate_weisse(&w).unwrap();
    let o = CircuitOptions {
        circuits: vec![
            lib("reporter"),
            Circuit {
                name: None,
                genes: vec![Gene::constitutive("x", 3.0, 500)],
            },
        ],
        t_end_min: 500.0,
        points: 11,
        ..Default::default()
    };
    let r = simulate_circuits(&o).unwrap();
    assert_eq!(r.t, reference.t);
    assert_eq!(r.growth_rate, reference.lambda);
    for name in ["si", "a", "r", "q", "cr", "cq"] {
        assert_eq!(
            r.host.series(name).unwrap(),
            reference.series(name).unwrap(),
            "{name}"
        );
    }
    assert_eq!(protein(&r, 0, "gfp"), reference.series("p[0]").unwrap());
    assert_eq!(protein(&r, 1, "x"), reference.series("p[1]").unwrap());
    assert_eq!(
        r.circuits[1].genes[0].mrna,
        reference.series("mp[1]").unwrap()
    );
    assert_eq!(
        r.circuits[1].genes[0].complex,
        reference.series("cp[1]").unwrap()
    );
    assert!(r.circuits[0].genes[0].activity.iter().all(|&f| f == 1.0));
    assert_eq!(r.stats, reference.stats);
}

#[test]
fn inducer_values_hold_from_their_time_on() {
    // lac: IPTG 1000 µM from t = 100; an output at exactly t = 100 sees it.
    let o = CircuitOptions {
        inducers: schedule(&[("IPTG", &[[100.0, 1000.0]])]),
        ..options(vec![lib("lac")], 200.0, 5)
    };
    let r = simulate_circuits(&o).unwrap();
    let f = &r.gene(0, "gfp").unwrap().activity;
    assert!(f[0] < 0.02 && f[1] < 0.02, "{f:?}");
    assert!(f[2] > 0.99 && f[4] > 0.99, "{f:?}");
    let p = protein(&r, 0, "gfp");
    assert!(p[4] > 10.0 * p[2], "{p:?}");
}
