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
    library_circuit, simulate_circuits, Circuit, CircuitOptions, CircuitResult, Effect, Gene, Mode,
    Regulation,
};
use bioxen::kinetics::integrator::Method;
use bioxen::kinetics::{
    simulate_weisse, weisse_steady_state, Gene as ModelGene, SteadyStateOptions, WeisseOptions,
};
use proptest::prelude::*;
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
    for bad in [json!("rk45"), json!("BDF"), json!(1)] {
        let mut v = ok.clone();
        v["method"] = bad;
        assert_eq!(path(v), "method");
    }
    assert_eq!(o.method, Method::Bdf);
    for m in Method::ALL {
        let mut v = ok.clone();
        v["method"] = json!(m.name());
        assert_eq!(CircuitOptions::from_value(&v).unwrap().method, m);
    }
}

/// The two integrators solve the same model: at rtol 1e-9 their toggle runs (two inducer
/// pulses, so both restart) agree within 1e-6 relative on growth and every protein.
#[test]
fn bdf_and_rodas4_agree() {
    let mut inducers = BTreeMap::new();
    inducers.insert("IPTG".to_string(), vec![[200.0, 1000.0], [400.0, 0.0]]);
    inducers.insert("aTc".to_string(), vec![[800.0, 0.5], [1000.0, 0.0]]);
    let run = |method| {
        simulate_circuits(&CircuitOptions {
            circuits: vec![lib("toggle")],
            inducers: inducers.clone(),
            t_end_min: 1400.0,
            points: 71,
            rtol: 1e-9,
            atol: 1e-9,
            method,
            ..Default::default()
        })
        .unwrap()
    };
    let (b, r) = (run(Method::Bdf), run(Method::Rodas4));
    assert!(b.stats.accepted > 0 && b.stats != r.stats);
    let close = |x: &[f64], y: &[f64], what: &str| {
        let scale = y.iter().fold(0.0f64, |m, v| m.max(v.abs()));
        for (k, (a, c)) in x.iter().zip(y).enumerate() {
            let rel = (a - c).abs() / c.abs().max(1e-6 * scale);
            assert!(rel <= 1e-6, "{what} at point {k}: bdf {a}, rodas4 {c}");
        }
    };
    close(&b.growth_rate, &r.growth_rate, "growth");
    for g in ["lacI", "tetR"] {
        close(protein(&b, 0, g), protein(&r, 0, g), g);
    }
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
        // simulate_weisse integrates with RODAS4.
        method: Method::Rodas4,
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

// ------------------------------------------------------------------ against scipy

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RefCase {
    name: String,
    oscillator: bool,
    options: Value,
    radau_vs_lsoda: f64,
    t: Vec<f64>,
    growth_rate: Vec<f64>,
    /// One series per circuit gene, in layout order.
    proteins: Vec<Vec<f64>>,
    genes: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct RefFixture {
    rtol: f64,
    cases: Vec<RefCase>,
}

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / a.abs().max(b.abs())
    }
}

/// At rtol = atol = 1e-8 every protein at every output point lies within 1e-4 relative of
/// the scipy reference (oscillators: within 2e-3 of the reference's amplitude, max − min),
/// and growth within 1e-5 relative.
#[test]
fn simulate_circuits_matches_the_scipy_reference() {
    let fx: RefFixture =
        serde_json::from_str(include_str!("fixtures/circuits/reference.json")).unwrap();
    assert!(fx.rtol <= 1e-10);
    assert_eq!(fx.cases.len(), 6);
    for case in &fx.cases {
        let mut o = CircuitOptions::from_value(&case.options)
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        // The fixture's library circuits are the library's (a change there must regenerate
        // the fixture).
        for c in &o.circuits {
            if let Some(l) = c.name.as_deref().and_then(library_circuit) {
                assert_eq!(
                    c, &l,
                    "{}: circuit {:?} differs from the library",
                    case.name, c.name
                );
            }
        }
        o.rtol = 1e-8;
        o.atol = 1e-8;
        // Both integrators, each against the same reference.
        for method in Method::ALL {
            o.method = method;
            let r = simulate_circuits(&o).unwrap();
            assert_eq!(r.t.len(), case.t.len());
            for (a, b) in r.t.iter().zip(&case.t) {
                assert!((a - b).abs() <= 1e-12 * b.abs().max(1.0));
            }
            let ours: Vec<&[f64]> = r
                .circuits
                .iter()
                .flat_map(|c| c.genes.iter().map(|g| g.protein.as_slice()))
                .collect();
            assert_eq!(ours.len(), case.proteins.len(), "{}", case.name);
            let mut worst = 0.0f64;
            for (j, (mine, theirs)) in ours.iter().zip(&case.proteins).enumerate() {
                let amplitude = theirs.iter().fold(f64::MIN, |m, &v| m.max(v))
                    - theirs.iter().fold(f64::MAX, |m, &v| m.min(v));
                for (k, (&a, &b)) in mine.iter().zip(theirs).enumerate() {
                    let err = if case.oscillator {
                        (a - b).abs() / amplitude
                    } else if a.abs().max(b.abs()) < 1e-6 {
                        0.0
                    } else {
                        rel(a, b)
                    };
                    let limit = if case.oscillator { 2e-3 } else { 1e-4 };
                    assert!(
                        err <= limit,
                        "{} ({}): {} at t = {}: {a} vs reference {b} ({err:.2e})",
                        case.name,
                        method.name(),
                        case.genes[j],
                        case.t[k]
                    );
                    worst = worst.max(err);
                }
            }
            let mut worst_growth = 0.0f64;
            for (k, (&a, &b)) in r.growth_rate.iter().zip(&case.growth_rate).enumerate() {
                let err = rel(a, b);
                assert!(
                    err <= 1e-5,
                    "{} ({}): growth at t = {}: {a} vs {b}",
                    case.name,
                    method.name(),
                    case.t[k]
                );
                worst_growth = worst_growth.max(err);
            }
            eprintln!(
            "{} ({}): worst protein error {worst:.2e} ({}), growth {worst_growth:.2e}; Radau vs LSODA {:.1e}; {} steps",
            case.name,
            method.name(),
            if case.oscillator { "of the amplitude" } else { "relative" },
            case.radau_vs_lsoda,
            r.stats.accepted
        );
        }
    }
}

// ------------------------------------------------------------------ behaviours

/// Index of the output time `t` on a grid of step `dt` from 0.
fn at(r: &CircuitResult, t: f64) -> usize {
    r.t.iter().position(|&x| (x - t).abs() < 1e-9).unwrap()
}

#[test]
fn the_toggle_remembers_the_state_a_pulse_set() {
    // LacI-high at first (GFP off); IPTG 1 mM for 6 h flips it, aTc 1 µM for 6 h flips it
    // back; each state must hold after its inducer is washed out.
    let o = CircuitOptions {
        inducers: schedule(&[
            ("IPTG", &[[200.0, 1000.0], [560.0, 0.0]]),
            ("aTc", &[[1400.0, 1.0], [1760.0, 0.0]]),
        ]),
        ..options(vec![lib("toggle")], 2800.0, 141)
    };
    let r = simulate_circuits(&o).unwrap();
    let (lac_i, gfp) = (protein(&r, 0, "lacI"), protein(&r, 0, "gfp"));
    let show = |t: f64| {
        format!(
            "t={t}: lacI {:.0} gfp {:.0}",
            lac_i[at(&r, t)],
            gfp[at(&r, t)]
        )
    };
    // Before IPTG: off.
    assert!(
        gfp[at(&r, 200.0)] < 50.0 && lac_i[at(&r, 200.0)] > 3000.0,
        "{}",
        show(200.0)
    );
    // Long after IPTG is gone (560 → 1400 min, 29 doublings): on, and not drifting.
    for t in [900.0, 1400.0] {
        assert!(
            gfp[at(&r, t)] > 10_000.0 && lac_i[at(&r, t)] < 100.0,
            "{}",
            show(t)
        );
    }
    let drift = (gfp[at(&r, 1400.0)] / gfp[at(&r, 900.0)] - 1.0).abs();
    assert!(drift < 1e-3, "GFP drifts {drift} while the switch is on");
    // After aTc is gone (1760 → 2800 min): off again, and not drifting.
    for t in [2200.0, 2800.0] {
        assert!(
            gfp[at(&r, t)] < 50.0 && lac_i[at(&r, t)] > 10_000.0,
            "{}",
            show(t)
        );
    }
    let drift = (lac_i[at(&r, 2800.0)] / lac_i[at(&r, 2200.0)] - 1.0).abs();
    assert!(drift < 1e-3, "LacI drifts {drift} while the switch is off");
}

#[test]
fn the_toggle_has_two_steady_states_at_one_inducer_level() {
    // 20 µM IPTG throughout; start once LacI-high, once TetR-high.
    let run = |lac_i: f64, tet_r: f64| {
        let mut c = lib("toggle");
        c.genes[0].initial_protein = lac_i;
        c.genes[1].initial_protein = tet_r;
        let o = CircuitOptions {
            inducers: schedule(&[("IPTG", &[[0.0, 20.0]])]),
            ..options(vec![c], 2000.0, 5)
        };
        simulate_circuits(&o).unwrap()
    };
    let a = run(5000.0, 0.0);
    let b = run(0.0, 5000.0);
    let last = |r: &CircuitResult, g: &str| *protein(r, 0, g).last().unwrap();
    let settled = |r: &CircuitResult, g: &str| {
        let p = protein(r, 0, g);
        (p[3] / p[4] - 1.0).abs()
    };
    for g in ["lacI", "tetR", "gfp"] {
        assert!(
            settled(&a, g) < 1e-4 && settled(&b, g) < 1e-4,
            "{g} still moving"
        );
    }
    assert!(
        last(&a, "lacI") > 100.0 * last(&b, "lacI"),
        "lacI {} vs {}",
        last(&a, "lacI"),
        last(&b, "lacI")
    );
    assert!(
        last(&b, "gfp") > 100.0 * last(&a, "gfp"),
        "gfp {} vs {}",
        last(&b, "gfp"),
        last(&a, "gfp")
    );
}

/// Peaks of a series (parabolic interpolation on a grid of step `dt`): (time, value).
fn peaks(t: &[f64], p: &[f64]) -> Vec<(f64, f64)> {
    let dt = t[1] - t[0];
    (1..p.len() - 1)
        .filter(|&i| p[i] > p[i - 1] && p[i] >= p[i + 1])
        .map(|i| {
            let (a, b, c) = (p[i - 1], p[i], p[i + 1]);
            let d = a - 2.0 * b + c;
            let s = if d != 0.0 { 0.5 * (a - c) / d } else { 0.0 };
            (t[i] + s * dt, b - 0.25 * (a - c) * s)
        })
        .collect()
}

#[test]
fn the_repressilator_keeps_a_steady_period_and_amplitude() {
    let o = options(vec![lib("repressilator")], 4500.0, 4501);
    let r = simulate_circuits(&o).unwrap();
    for g in ["lacI", "tetR", "cI"] {
        let p = protein(&r, 0, g);
        // After a transient of 1000 min.
        let pk: Vec<(f64, f64)> = peaks(&r.t, p)
            .into_iter()
            .filter(|x| x.0 > 1000.0)
            .collect();
        let periods: Vec<f64> = pk.windows(2).map(|w| w[1].0 - w[0].0).collect();
        assert!(
            periods.len() >= 10,
            "{g}: {} periods: {periods:?}",
            periods.len()
        );
        let (pmin, pmax) = periods
            .iter()
            .fold((f64::MAX, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
        assert!(pmax / pmin - 1.0 < 5e-3, "{g}: periods {periods:?}");
        let (amin, amax) = pk
            .iter()
            .fold((f64::MAX, 0.0f64), |(a, b), x| (a.min(x.1), b.max(x.1)));
        assert!(amax / amin - 1.0 < 5e-3, "{g}: peak heights {pk:?}");
        // A real oscillation: troughs far below the peaks, around Elowitz's K = 40.
        let tail = &p[1000..];
        let low = tail.iter().fold(f64::MAX, |a, &x| a.min(x));
        assert!(amax > 20.0 * low, "{g}: peaks {amax}, troughs {low}");
        // Its period against the host's doubling time (ln 2/λ).
        let lambda = r.growth_rate[4000];
        eprintln!(
            "{g}: period {:.1}-{:.1} min over {} periods ({:.1} doublings), peaks {amin:.1}-{amax:.1}, troughs {low:.1}",
            pmin,
            pmax,
            periods.len(),
            pmin * lambda / std::f64::consts::LN_2
        );
    }
}

#[test]
fn inducing_one_circuit_lowers_its_neighbours_output() {
    // A reporter next to the lac circuit; 1 mM IPTG induces only lac's GFP, yet the
    // reporter loses ribosomes to it (Qian et al. 2017's hidden coupling).
    let run = |iptg: f64| {
        let o = CircuitOptions {
            inducers: schedule(&[("IPTG", &[[0.0, iptg]])]),
            ..options(vec![lib("reporter"), lib("lac")], 1500.0, 2)
        };
        simulate_circuits(&o).unwrap()
    };
    let (off, on) = (run(0.0), run(1000.0));
    let a_off = *protein(&off, 0, "gfp").last().unwrap();
    let a_on = *protein(&on, 0, "gfp").last().unwrap();
    let b_off = *protein(&off, 1, "gfp").last().unwrap();
    let b_on = *protein(&on, 1, "gfp").last().unwrap();
    assert!(b_on > 20.0 * b_off, "lac induced: {b_off} → {b_on}");
    assert!(a_on < 0.9 * a_off, "reporter {a_off} → {a_on}");
    assert!(on.growth_rate[1] < off.growth_rate[1]);
    // The reporter's promoter never changed.
    assert!(on.circuits[0].genes[0].activity.iter().all(|&f| f == 1.0));
    eprintln!(
        "reporter {a_off:.0} → {a_on:.0} ({:.1} %) when lac goes {b_off:.0} → {b_on:.0}",
        100.0 * (a_on / a_off - 1.0)
    );
}

#[test]
fn stronger_expression_tips_output_over_while_growth_falls() {
    // Steady production rate ν = λ·p of a constitutive gene against its w (Nikolados et
    // al. 2019's tipping point): it rises, peaks and falls, while growth only falls.
    let ws = [1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0];
    let mut out = Vec::new();
    for &w in &ws {
        let c = Circuit {
            name: None,
            genes: vec![Gene::constitutive("gfp", w, 238)],
        };
        let r = simulate_circuits(&options(vec![c], 6000.0, 2)).unwrap();
        let (lambda, p) = (r.growth_rate[1], *protein(&r, 0, "gfp").last().unwrap());
        out.push((w, lambda, lambda * p));
    }
    eprintln!("w, growth (1/min), output (molecules/min): {out:?}");
    let peak = (0..ws.len())
        .max_by(|&i, &j| out[i].2.total_cmp(&out[j].2))
        .unwrap();
    assert!(
        peak > 0 && peak + 1 < ws.len(),
        "output peaks at an end: {out:?}"
    );
    for i in 1..ws.len() {
        assert!(
            out[i].1 < out[i - 1].1,
            "growth rises from w = {}: {out:?}",
            ws[i - 1]
        );
        if i <= peak {
            assert!(out[i].2 > out[i - 1].2, "{out:?}");
        } else {
            assert!(out[i].2 < out[i - 1].2, "{out:?}");
        }
    }
}

// ------------------------------------------------------------------ properties

/// (w, length, leak, degradation, initial protein, regulations), each regulation
/// (regulator slot, activate?, K, n, inducer).
type GeneSpec = (f64, u32, f64, f64, f64, Vec<RegSpec>);
type RegSpec = (usize, bool, f64, f64, Option<(usize, f64, f64, bool)>);

const INDUCERS: [&str; 3] = ["IPTG", "aTc", "X"];

fn hill_n() -> impl Strategy<Value = f64> {
    prop_oneof![(1u32..=4).prop_map(f64::from), 0.5f64..4.0]
}

fn gene_spec() -> impl Strategy<Value = GeneSpec> {
    let reg = (
        0usize..4,
        any::<bool>(),
        1.0f64..1e4,
        hill_n(),
        prop::option::of((0usize..3, 0.01f64..1000.0, 0.5f64..3.0, any::<bool>())),
    );
    (
        0.0f64..200.0,
        50u32..2000,
        prop_oneof![Just(0.0), 0.0f64..1.0],
        prop_oneof![Just(0.0), 0.0f64..0.3],
        prop_oneof![Just(0.0), 0.0f64..1e4],
        prop::collection::vec(reg, 0..=2),
    )
}

fn build_circuit(i: usize, specs: &[GeneSpec]) -> Circuit {
    let names: Vec<String> = (0..specs.len()).map(|j| format!("g{j}")).collect();
    Circuit {
        name: Some(format!("c{i}")),
        genes: specs
            .iter()
            .enumerate()
            .map(|(j, (w, length, leak, deg, p0, regs))| Gene {
                name: names[j].clone(),
                w: *w,
                length: *length,
                leak: *leak,
                degradation: *deg,
                initial_protein: *p0,
                regulation: regs
                    .iter()
                    .map(|(by, act, k, n, ind)| {
                        let mode = if *act { Mode::Activate } else { Mode::Repress };
                        let r = Regulation::new(&names[by % specs.len()], mode, *k, *n);
                        match ind {
                            Some((which, ki, ni, activates)) => r.with_inducer(
                                INDUCERS[*which],
                                *ki,
                                *ni,
                                if *activates {
                                    Effect::Activates
                                } else {
                                    Effect::Inactivates
                                },
                            ),
                            None => r,
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn steady_host() -> &'static BTreeMap<String, f64> {
    static HOST: std::sync::OnceLock<BTreeMap<String, f64>> = std::sync::OnceLock::new();
    HOST.get_or_init(host_steady)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn random_circuits_and_protocols_stay_nonnegative_and_finite(
        circuits in prop::collection::vec(prop::collection::vec(gene_spec(), 1..=4), 1..=2),
        changes in prop::collection::vec((0usize..3, 0.0f64..1.0, prop_oneof![Just(0.0), 0.0f64..2000.0]), 0..=6),
        t_end in 50.0f64..400.0,
        from_steady in any::<bool>(),
    ) {
        let circuits: Vec<Circuit> =
            circuits.iter().enumerate().map(|(i, s)| build_circuit(i, s)).collect();
        let used: Vec<&str> = {
            let mut v: Vec<&str> = circuits.iter().flat_map(|c| c.inducer_names()).collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        let mut inducers: BTreeMap<String, Vec<[f64; 2]>> = BTreeMap::new();
        for (which, frac, conc) in changes {
            let name = INDUCERS[which];
            if used.contains(&name) {
                let s = inducers.entry(name.to_string()).or_default();
                let t = frac * t_end;
                if s.last().is_none_or(|e| e[0] < t) {
                    s.push([t, conc]);
                }
            }
        }
        let o = CircuitOptions {
            circuits,
            inducers,
            t_end_min: t_end,
            points: 6,
            initial: from_steady.then(|| steady_host().clone()),
            ..Default::default()
        };
        let r = simulate_circuits(&o);
        prop_assert!(r.is_ok(), "{:?}", r.err());
        let r = r.unwrap();
        let ok = |v: &f64| v.is_finite() && *v >= 0.0;
        prop_assert!(r.growth_rate.iter().all(ok), "growth {:?}", r.growth_rate);
        for name in ["si", "a", "r", "et", "em", "q", "mr", "mt", "mm", "mq", "cr", "ct", "cm", "cq"] {
            prop_assert!(r.host.series(name).unwrap().iter().all(ok), "{}", name);
        }
        for c in &r.circuits {
            for g in &c.genes {
                prop_assert!(g.protein.iter().chain(&g.mrna).chain(&g.complex).all(ok), "{:?}", g);
                prop_assert!(g.activity.iter().all(|f| (0.0..=1.0).contains(f)), "{:?}", g.activity);
            }
        }
    }
}
