//! Validation of the kinetic host–circuit model (src/kinetics/):
//! - against scipy (Radau and LSODA at 1e-12, `scripts/weisse_reference.py`, committed
//!   fixture `tests/fixtures/weisse/reference.json`);
//! - known behaviours: burden lowers growth monotonically, the growth law (ribosomal mass
//!   fraction rises with growth rate across nutrient levels), mass and ribosome accounting
//!   along trajectories;
//! - properties: random gene sets and on/off schedules never give negative or non-finite
//!   states; bad options are refused with INVALID_ARGUMENT naming the option; runs are
//!   bit-for-bit deterministic.
#![cfg(feature = "kinetics")]

use std::collections::BTreeMap;

use bioxen::kinetics::linalg::dense_from_parts;
use bioxen::kinetics::model::{self, WeisseModel};
use bioxen::kinetics::solver::{self, OdeSystem, SolverOptions};
use bioxen::kinetics::{
    simulate_weisse, weisse_steady_state, Gene, OrthoParams, SteadyStateOptions, WeisseOptions,
    WeisseParams,
};
use bioxen::BioxenError;
use proptest::prelude::*;
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    names: Vec<String>,
    rtol: f64,
    max_radau_vs_lsoda: f64,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    s0: f64,
    genes: Vec<Gene>,
    times: Vec<f64>,
    states: Vec<Vec<f64>>,
    lambda: Vec<f64>,
}

fn fixture() -> Fixture {
    serde_json::from_str(include_str!("fixtures/weisse/reference.json")).expect("fixture parses")
}

fn orthogonal_fixture() -> Fixture {
    serde_json::from_str(include_str!("fixtures/weisse/orthogonal.json")).expect("fixture parses")
}

fn rel(a: f64, b: f64) -> f64 {
    if a == b {
        0.0
    } else {
        (a - b).abs() / a.abs().max(b.abs())
    }
}

/// Compare `simulate_weisse` at rtol = atol = 1e-8 with a scipy fixture: every state at
/// t = 10 000 min within 1e-5 relative and λ within 1e-6; also at t = 100 and 1000 min
/// (dense output between steps). Returns the worst error per state at t = 10 000, the worst
/// λ error there, and the worst error at the earlier times.
fn check_against(fx: &Fixture, orthogonal: Option<OrthoParams>) -> (Vec<f64>, f64, f64) {
    assert!(fx.rtol <= 1e-10 && fx.max_radau_vs_lsoda < 1e-9);
    let mut worst_state = vec![0.0f64; fx.names.len()];
    let mut worst_lambda = 0.0f64;
    let mut worst_mid = 0.0f64;
    for case in &fx.cases {
        let res = simulate_weisse(&WeisseOptions {
            s0: case.s0,
            heterologous: case.genes.clone(),
            t_end_min: 10_000.0,
            points: 101,
            rtol: 1e-8,
            atol: 1e-8,
            orthogonal: orthogonal.clone(),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(res.names, fx.names);
        for (k, &t) in case.times.iter().enumerate() {
            let idx = (t / 100.0).round() as usize;
            assert_eq!(res.t[idx], t);
            let y = res.state_at(idx).unwrap();
            for (i, (&got, &want)) in y.iter().zip(&case.states[k]).enumerate() {
                // States of at most 1e-7 molecules are judged absolutely (w = 0 genes are 0).
                let err = if want.abs().max(got.abs()) <= 1e-7 {
                    0.0
                } else {
                    rel(got, want)
                };
                if t == 10_000.0 {
                    worst_state[i] = worst_state[i].max(err);
                } else {
                    worst_mid = worst_mid.max(err);
                }
                assert!(
                    err <= 1e-5,
                    "s0={} w={} t={t}: {} = {got} vs scipy {want} (rel {err:e})",
                    case.s0,
                    case.genes[0].w,
                    fx.names[i]
                );
            }
            let el = rel(res.lambda[idx], case.lambda[k]);
            if t == 10_000.0 {
                worst_lambda = worst_lambda.max(el);
            }
            assert!(el <= 1e-6, "s0={} t={t}: lambda rel {el:e}", case.s0);
        }
    }
    (worst_state, worst_lambda, worst_mid)
}

#[test]
fn matches_the_scipy_reference() {
    let fx = fixture();
    let (worst, worst_lambda, worst_mid) = check_against(&fx, None);
    // Printed with --nocapture: the accuracy table of the report.
    println!("max relative error against scipy at t = 10000 min (rtol = atol = 1e-8):");
    for (n, e) in fx.names.iter().zip(&worst) {
        println!("  {n:>6}: {e:.2e}");
    }
    println!("  lambda: {worst_lambda:.2e}; at t = 100 and 1000 min, all states: {worst_mid:.2e}");
}

#[test]
fn orthogonal_host_matches_the_scipy_reference() {
    let fx = orthogonal_fixture();
    let (worst, worst_lambda, worst_mid) = check_against(&fx, Some(OrthoParams::default()));
    let max = worst.iter().fold(0.0f64, |m, v| m.max(*v));
    println!(
        "orthogonal host: max rel error {max:.2e} (states), {worst_lambda:.2e} (lambda) at \
         t = 10000; {worst_mid:.2e} at t = 100, 1000"
    );
}

/// O-ribosomes are a partition of one r-protein pool, not extra capacity, and they cap what
/// a circuit can draw from the host (Darlington et al. 2018).
#[test]
fn orthogonal_ribosomes_partition_the_pool_and_cap_burden() {
    let ortho_ss = |w: f64, wrp: f64| {
        weisse_steady_state(&SteadyStateOptions {
            heterologous: vec![Gene::new(w, 300.0)],
            orthogonal: Some(OrthoParams {
                wrp,
                ..OrthoParams::default()
            }),
            ..Default::default()
        })
        .unwrap()
    };
    // More o-rRNA, no circuit load: fewer host ribosomes and slower growth.
    let (few, many) = (ortho_ss(0.0, 10.0), ortho_ss(0.0, 500.0));
    assert!(many.value("pp").unwrap() > few.value("pp").unwrap());
    assert!(many.value("pr").unwrap() < few.value("pr").unwrap());
    assert!(many.lambda < few.lambda);
    // Mass accounting holds in this host too.
    assert!(rel(many.protein_mass, 1e8) < 1e-9);
    // Growth still falls as the circuit's demand rises...
    let ws = [0.0, 10.0, 100.0, 1000.0, 10_000.0];
    let lam: Vec<f64> = ws.iter().map(|&w| ortho_ss(w, 50.0).lambda).collect();
    assert!(lam.windows(2).all(|p| p[1] < p[0]), "{lam:?}");
    // ...but the o-pool caps the burden: at high demand the host keeps more growth than when
    // the same gene competes for the host's own ribosomes (Weiße host).
    for w in [1000.0, 10_000.0] {
        let host = steady(1e4, vec![Gene::new(w, 300.0)], None);
        let ortho = ortho_ss(w, 50.0);
        assert!(
            ortho.lambda > host.lambda,
            "w={w}: {} vs {}",
            ortho.lambda,
            host.lambda
        );
    }
    let last = lam[lam.len() - 1] / lam[lam.len() - 2];
    assert!(
        last > 0.8,
        "10x more demand above w = 1000 costs little: ratio {last}"
    );
}

/// Also the benchmark's tolerance (1e-6) stays close to the reference.
#[test]
fn loose_tolerance_is_still_close_to_the_reference() {
    let fx = fixture();
    let mut worst = 0.0f64;
    for case in &fx.cases {
        let res = simulate_weisse(&WeisseOptions {
            s0: case.s0,
            heterologous: case.genes.clone(),
            t_end_min: 10_000.0,
            points: 101,
            rtol: 1e-6,
            atol: 1e-6,
            ..Default::default()
        })
        .unwrap();
        worst = worst.max(rel(res.lambda[100], case.lambda[2]));
    }
    assert!(worst < 1e-4, "lambda rel error at rtol 1e-6: {worst:e}");
}

fn steady(
    s0: f64,
    genes: Vec<Gene>,
    params: Option<WeisseParams>,
) -> bioxen::kinetics::SteadyState {
    weisse_steady_state(&SteadyStateOptions {
        s0,
        heterologous: genes,
        params,
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn growth_falls_monotonically_as_heterologous_expression_rises() {
    let ws = [0.0, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 3000.0];
    let mut prev = f64::INFINITY;
    let mut prev_p = -1.0;
    for w in ws {
        let ss = steady(1e4, vec![Gene::new(w, 300.0)], None);
        assert!(
            ss.lambda < prev,
            "w = {w}: λ = {} not below {prev}",
            ss.lambda
        );
        // ...while the heterologous protein itself rises over this range.
        let p = ss.value("p[0]").unwrap();
        assert!(p > prev_p, "w = {w}: p = {p}");
        prev = ss.lambda;
        prev_p = p;
    }
    // The same in the time courses (at t = 10 000 min, s0 = 1e4).
    let lam: Vec<f64> = [0.0, 10.0, 100.0, 1000.0]
        .iter()
        .map(|&w| {
            let r = simulate_weisse(&WeisseOptions {
                heterologous: vec![Gene::new(w, 300.0)],
                t_end_min: 10_000.0,
                points: 2,
                ..Default::default()
            })
            .unwrap();
            r.lambda[1]
        })
        .collect();
    assert!(lam.windows(2).all(|p| p[1] < p[0]), "{lam:?}");
}

/// The growth law: across nutrient levels (external nutrient s0, and nutrient quality n_s as
/// in Weiße et al. Fig. 2), the ribosomal mass fraction rises with the growth rate.
#[test]
fn ribosomal_fraction_rises_with_growth_rate_across_nutrients() {
    let mut pts = Vec::new();
    for s0 in [30.0, 100.0, 300.0, 1e3, 3e3, 1e4, 1e5] {
        let ss = steady(s0, vec![], None);
        // Mass accounting at steady state: protein mass equals M.
        assert!(rel(ss.protein_mass, 1e8) < 1e-9, "P = {}", ss.protein_mass);
        pts.push((ss.lambda, ss.ribosomal_fraction));
    }
    for w in pts.windows(2) {
        assert!(
            w[1].0 > w[0].0 && w[1].1 > w[0].1,
            "not increasing: {pts:?}"
        );
    }
    let mut q = Vec::new();
    for ns in [0.1, 0.2, 0.3, 0.5, 0.7, 1.0] {
        let params = WeisseParams {
            ns,
            ..WeisseParams::ecoli()
        };
        let ss = steady(1e4, vec![], Some(params));
        q.push((ss.lambda, ss.ribosomal_fraction));
    }
    for w in q.windows(2) {
        assert!(w[1].0 > w[0].0 && w[1].1 > w[0].1, "not increasing: {q:?}");
    }
    // E. coli with Table S1 parameters: doubling ≈ 29 min, φ_R ≈ 0.24.
    let wt = steady(1e4, vec![], None);
    assert!(
        (25.0..35.0).contains(&wt.doubling_time_min),
        "{}",
        wt.doubling_time_min
    );
    assert!((0.2..0.3).contains(&wt.ribosomal_fraction));
}

#[test]
fn steady_state_agrees_with_long_integration() {
    let ss = steady(1e4, vec![Gene::new(100.0, 300.0)], None);
    assert!(ss.newton_iterations > 0);
    let r = simulate_weisse(&WeisseOptions {
        heterologous: vec![Gene::new(100.0, 300.0)],
        t_end_min: 20_000.0,
        points: 2,
        rtol: 1e-10,
        atol: 1e-10,
        ..Default::default()
    })
    .unwrap();
    let end = r.state_at(1).unwrap();
    for (i, (a, b)) in end.iter().zip(&ss.state).enumerate() {
        assert!(rel(*a, *b) < 1e-7, "{}: {a} vs {b}", r.names[i]);
    }
    assert!(rel(r.lambda[1], ss.lambda) < 1e-8);
    assert!(rel(ss.doubling_time_min, std::f64::consts::LN_2 / ss.lambda) < 1e-15);
}

#[test]
fn calibrated_chassis_reproduce_their_targets_within_five_percent() {
    use bioxen::kinetics::calibration::{GrowthTargets, CALIBRATION_S0};
    for (params, t) in [
        (WeisseParams::syn3a(), GrowthTargets::SYN3A),
        (WeisseParams::yeast(), GrowthTargets::YEAST),
    ] {
        let ss = steady(CALIBRATION_S0, vec![], Some(params.clone()));
        let ribosomes: f64 = ["r", "cr", "ct", "cm", "cq"]
            .iter()
            .map(|n| ss.value(n).unwrap())
            .sum();
        let elong = ss.elongation_aa_per_min / 60.0;
        for (what, got, want) in [
            ("ribosomes", ribosomes, t.ribosomes),
            ("elongation aa/s", elong, t.elongation_aa_per_s),
            ("doubling min", ss.doubling_time_min, t.doubling_time_min),
        ] {
            assert!(rel(got, want) < 0.05, "{what}: {got} vs target {want}");
            // The calibration is in fact exact to the solver tolerance.
            assert!(rel(got, want) < 1e-6, "{what}: {got} vs target {want}");
        }
        // Mass fractions still sum to one (P = M).
        assert!(rel(ss.protein_mass, params.m) < 1e-9);
        // Burden still lowers growth in the rescaled cells (a gene at 5 % of w_q).
        let loaded = steady(
            CALIBRATION_S0,
            vec![Gene::new(0.05 * params.wq, 300.0)],
            Some(params),
        );
        assert!(loaded.lambda < ss.lambda);
    }
}

/// The size symmetry used by the calibration: a cell f times bigger has every steady-state
/// amount f times bigger and the same λ and elongation rate.
#[test]
fn cell_size_symmetry_holds() {
    use bioxen::kinetics::calibration::scale_cell;
    let base = steady(1e4, vec![], None);
    for f in [0.01, 0.37, 250.0] {
        let big = steady(1e4, vec![], Some(scale_cell(&WeisseParams::ecoli(), f)));
        assert!(rel(big.lambda, base.lambda) < 1e-8, "f={f}");
        assert!(rel(big.elongation_aa_per_min, base.elongation_aa_per_min) < 1e-8);
        for (i, (a, b)) in big.state.iter().zip(&base.state).enumerate() {
            assert!(
                rel(*a, f * b) < 1e-7,
                "f={f} {}: {a} vs {}",
                big.names[i],
                f * b
            );
        }
    }
}

/// Re-runs the calibration (slow: ~30 s in release, minutes in debug):
/// `cargo test --release --test kinetics -- --ignored`.
#[test]
#[ignore]
fn calibration_reproduces_the_committed_constants() {
    use bioxen::kinetics::calibration::{
        calibrate, committed_constants, yeast_lengths, GrowthTargets,
    };
    let [syn3a, yeast] = committed_constants();
    for (base, t, (kg, ns, f)) in [
        (WeisseParams::ecoli(), GrowthTargets::SYN3A, syn3a),
        (yeast_lengths(), GrowthTargets::YEAST, yeast),
    ] {
        let (p, _) = calibrate(&base, &t).unwrap();
        let scale = p.m / base.m;
        assert!(rel(scale, f) < 1e-6, "scale {scale} vs {f}");
        assert!(
            rel(p.kgamma / scale, kg) < 1e-6,
            "K_γ {} vs {kg}",
            p.kgamma / scale
        );
        assert!(rel(p.ns, ns) < 1e-6, "n_s {} vs {ns}", p.ns);
    }
}

/// The model with two quadratures appended, to check accounting along a trajectory:
/// L = ∫λ dt and Q = ∫ν_r·e^L dt. The equations imply, exactly,
/// - mass:      P(t) = M − (M − P(0))·e^{−L(t)}   (dP/dt = λ·(M − P))
/// - ribosomes: R(t) = (R(0) + Q(t))·e^{−L(t)}    (dR/dt = ν_r − λ·R)
///
/// with P the protein mass (aa) and R = r + Σc the total ribosomes.
struct Augmented {
    model: WeisseModel,
    /// Indices of the ribosome–mRNA complexes (λ depends on their sum).
    complexes: Vec<usize>,
}

impl Augmented {
    fn new(model: WeisseModel) -> Self {
        let mut complexes = vec![model::CR, model::CT, model::CM, model::CQ];
        complexes.extend((0..model.genes.len()).map(model::cp_index));
        Augmented { model, complexes }
    }
    /// γ(a), γ'(a), Σc.
    fn gamma(&self, y: &[f64]) -> (f64, f64, f64) {
        let p = &self.model.params;
        let a = y[model::A];
        let csum = self.complexes.iter().map(|&i| y[i]).sum();
        (
            p.gmax * a / (p.kgamma + a),
            p.gmax * p.kgamma / ((p.kgamma + a) * (p.kgamma + a)),
            csum,
        )
    }
}

impl OdeSystem for Augmented {
    fn dim(&self) -> usize {
        self.model.n_states() + 2
    }
    fn rhs(&self, y: &[f64], dy: &mut [f64]) {
        let n = self.model.n_states();
        self.model.rhs(&y[..n], &mut dy[..n]);
        let (gamma, _, _) = self.gamma(y);
        dy[n] = self.model.growth_rate(&y[..n]);
        dy[n + 1] = y[model::CR] * gamma / self.model.params.nr * y[n].exp();
    }
    fn jacobian(&self, y: &[f64], jac: &mut [f64]) {
        let n = self.model.n_states();
        let m = n + 2;
        let mut inner = vec![0.0; n * n];
        dense_from_parts(&self.model, &y[..n], &mut inner);
        for i in 0..n {
            jac[i * m..i * m + n].copy_from_slice(&inner[i * n..i * n + n]);
        }
        let p = &self.model.params;
        let (gamma, dgamma, csum) = self.gamma(y);
        // Row L: ∂λ/∂a, ∂λ/∂c.
        jac[n * m + model::A] = dgamma * csum / p.m;
        for &c in &self.complexes {
            jac[n * m + c] = gamma / p.m;
        }
        // Row Q: ν_r·e^L = c_r·γ(a)/n_r·e^L.
        let e = y[n].exp();
        jac[(n + 1) * m + model::A] = y[model::CR] * dgamma / p.nr * e;
        jac[(n + 1) * m + model::CR] = gamma / p.nr * e;
        jac[(n + 1) * m + n] = y[model::CR] * gamma / p.nr * e;
    }
}

#[test]
fn mass_and_ribosome_accounting_hold_along_trajectories() {
    for (s0, genes) in [
        (1e4, vec![Gene::new(100.0, 300.0)]),
        (1e3, vec![Gene::new(1000.0, 900.0), Gene::new(3.0, 120.0)]),
        (1e2, vec![]),
    ] {
        let sys = Augmented::new(WeisseModel::ecoli(s0, genes));
        let model = &sys.model;
        let n = model.n_states();
        let mut y0 = model::default_initial(model.genes.len());
        y0.extend([0.0, 0.0]);
        let ts: Vec<f64> = (0..=50).map(|i| i as f64 * 400.0).collect();
        let opts = SolverOptions {
            rtol: 1e-10,
            atol: 1e-10,
            ..Default::default()
        };
        let (out, _) = solver::solve(&sys, 0.0, &y0, &ts, &opts).unwrap();
        let m = model.params.m;
        let p0 = model.protein_mass(&y0[..n]);
        let r0 = model.total_ribosomes(&y0[..n]);
        let mut max_growth = 0.0f64;
        for (t, y) in ts.iter().zip(&out) {
            let decay = (-y[n]).exp();
            max_growth = max_growth.max(y[n]);
            let mass = model.protein_mass(&y[..n]);
            let mass_pred = m - (m - p0) * decay;
            assert!(
                (mass - mass_pred).abs() <= 1e-8 * m,
                "s0={s0} t={t}: P = {mass} vs M − (M − P0)e^−L = {mass_pred}"
            );
            let rib = model.total_ribosomes(&y[..n]);
            let rib_pred = (r0 + y[n + 1]) * decay;
            assert!(
                rel(rib, rib_pred) <= 1e-8,
                "s0={s0} t={t}: R = {rib} vs (R0 + ∫ν_r e^L)e^−L = {rib_pred}"
            );
        }
        // The checks cover real growth (mass grew at least e-fold) in every case.
        assert!(max_growth > 1.0, "s0={s0}: L = {max_growth}");
    }
}

#[test]
fn structured_and_dense_linear_algebra_give_the_same_trajectory() {
    let model = WeisseModel::ecoli(1e3, vec![Gene::new(50.0, 300.0), Gene::new(500.0, 1000.0)]);
    let y0 = model::default_initial(2);
    let ts = [10.0, 100.0, 1000.0, 5000.0];
    let opts = SolverOptions {
        rtol: 1e-9,
        atol: 1e-9,
        nonnegative: true,
        ..Default::default()
    };
    let (dense, sd) = solver::solve(&model, 0.0, &y0, &ts, &opts).unwrap();
    let (fast, sf) = solver::solve_structured(&model, 0.0, &y0, &ts, &opts).unwrap();
    for (a, b) in dense.iter().zip(&fast) {
        for (x, y) in a.iter().zip(b) {
            assert!((x - y).abs() <= 1e-8 * x.abs().max(1e-3), "{x} vs {y}");
        }
    }
    assert!(sd.accepted.abs_diff(sf.accepted) <= 2, "{sd:?} {sf:?}");
}

#[test]
fn runs_are_deterministic_to_the_bit() {
    let opts = WeisseOptions {
        heterologous: vec![Gene::new(100.0, 300.0); 3],
        t_end_min: 3000.0,
        ..Default::default()
    };
    let a = simulate_weisse(&opts).unwrap();
    let b = simulate_weisse(&opts).unwrap();
    assert_eq!(a, b);
    let bits = |r: &bioxen::kinetics::WeisseResult| -> Vec<u64> {
        r.states
            .iter()
            .flatten()
            .chain(&r.lambda)
            .map(|v| v.to_bits())
            .collect()
    };
    assert_eq!(bits(&a), bits(&b));
}

#[test]
fn results_have_every_series_on_the_requested_grid() {
    let r = simulate_weisse(&WeisseOptions {
        heterologous: vec![Gene::new(10.0, 300.0), Gene::new(20.0, 400.0)],
        t_end_min: 500.0,
        points: 6,
        ..Default::default()
    })
    .unwrap();
    assert_eq!(r.t, vec![0.0, 100.0, 200.0, 300.0, 400.0, 500.0]);
    let names = [
        "si", "a", "r", "et", "em", "q", "mr", "mt", "mm", "mq", "cr", "ct", "cm", "cq", "p[0]",
        "mp[0]", "cp[0]", "p[1]", "mp[1]", "cp[1]",
    ];
    assert_eq!(r.names, names);
    for n in names {
        assert_eq!(r.series(n).unwrap().len(), 6, "{n}");
    }
    assert_eq!(r.lambda.len(), 6);
    // Default initial state.
    let y0 = r.state_at(0).unwrap();
    let mut want = vec![0.0; 20];
    want[1] = 1000.0;
    for i in [2, 3, 4, 5] {
        want[i] = 10.0;
    }
    assert_eq!(y0, want);
    assert_eq!(r.lambda[0], 0.0);
    // Initial overrides by name; one point means "the end state only".
    let mut init = BTreeMap::new();
    init.insert("a".to_string(), 5000.0);
    init.insert("p[1]".to_string(), 42.0);
    let r = simulate_weisse(&WeisseOptions {
        heterologous: vec![Gene::new(10.0, 300.0), Gene::new(0.0, 400.0)],
        t_end_min: 0.0,
        points: 1,
        initial: Some(init),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(r.t, vec![0.0]);
    assert_eq!(r.series("a").unwrap(), &[5000.0]);
    assert_eq!(r.series("p[1]").unwrap(), &[42.0]);
    // JSON round trip of options (the JS API will take the same shape, camelCased).
    let json =
        r#"{"s0": 500, "heterologous": [{"w": 100, "length": 300}], "tEndMin": 100, "points": 3}"#;
    let o: WeisseOptions = serde_json::from_str(json).unwrap();
    assert_eq!(o.t_end_min, 100.0);
    assert_eq!(o.rtol, 1e-6);
    assert_eq!(simulate_weisse(&o).unwrap().t, vec![0.0, 50.0, 100.0]);
}

fn refused(opts: &WeisseOptions) -> String {
    match simulate_weisse(opts) {
        Err(e @ BioxenError::InvalidArgument { .. }) => {
            assert_eq!(e.code(), "INVALID_ARGUMENT");
            let BioxenError::InvalidArgument { name, .. } = e else {
                unreachable!()
            };
            name
        }
        other => panic!("expected InvalidArgument, got {other:?}"),
    }
}

#[test]
fn bad_options_are_refused_with_the_option_named() {
    let base = WeisseOptions {
        heterologous: vec![Gene::new(10.0, 300.0)],
        ..Default::default()
    };
    let with = |f: &dyn Fn(&mut WeisseOptions)| {
        let mut o = base.clone();
        f(&mut o);
        refused(&o)
    };
    assert_eq!(with(&|o| o.s0 = -1.0), "s0");
    assert_eq!(with(&|o| o.s0 = f64::NAN), "s0");
    assert_eq!(with(&|o| o.s0 = f64::INFINITY), "s0");
    assert_eq!(with(&|o| o.heterologous[0].w = -5.0), "heterologous[0].w");
    assert_eq!(
        with(&|o| o.heterologous[0].w = f64::NAN),
        "heterologous[0].w"
    );
    assert_eq!(
        with(&|o| o.heterologous[0].length = 0.0),
        "heterologous[0].length"
    );
    assert_eq!(
        with(&|o| o.heterologous[0].length = -300.0),
        "heterologous[0].length"
    );
    assert_eq!(with(&|o| o.t_end_min = -1.0), "t_end_min");
    assert_eq!(with(&|o| o.t_end_min = f64::INFINITY), "t_end_min");
    assert_eq!(with(&|o| o.points = 0), "points");
    assert_eq!(with(&|o| o.points = 10_000_000), "points");
    for bad in [0.0, 1.0, -1e-6, 2.0, f64::NAN] {
        assert_eq!(with(&|o| o.rtol = bad), "rtol");
        assert_eq!(with(&|o| o.atol = bad), "atol");
    }
    assert_eq!(
        with(&|o| o.initial = Some(BTreeMap::from([("zz".to_string(), 1.0)]))),
        "initial.zz"
    );
    assert_eq!(
        with(&|o| o.initial = Some(BTreeMap::from([("p[1]".to_string(), 1.0)]))),
        "initial.p[1]"
    );
    assert_eq!(
        with(&|o| o.initial = Some(BTreeMap::from([("a".to_string(), -1.0)]))),
        "initial.a"
    );
    assert_eq!(
        with(&|o| o.params = Some(WeisseParams {
            nr: 0.0,
            ..WeisseParams::ecoli()
        })),
        "params.nr"
    );
    assert_eq!(
        with(&|o| o.params = Some(WeisseParams {
            kb: f64::NAN,
            ..WeisseParams::ecoli()
        })),
        "params.kb"
    );
    assert_eq!(
        with(&|o| o.heterologous = vec![Gene::new(1.0, 300.0); 1000]),
        "heterologous"
    );
    assert_eq!(
        with(&|o| o.orthogonal = Some(OrthoParams {
            wrp: -1.0,
            ..OrthoParams::default()
        })),
        "orthogonal.wrp"
    );
    assert_eq!(
        with(&|o| {
            o.orthogonal = Some(OrthoParams::default());
            o.initial = Some(BTreeMap::from([("r".to_string(), 1.0)]));
        }),
        "initial.r"
    );
    // The steady-state finder validates the same way.
    let e = weisse_steady_state(&SteadyStateOptions {
        s0: -3.0,
        ..Default::default()
    })
    .unwrap_err();
    assert_eq!(e.code(), "INVALID_ARGUMENT");
    let e = weisse_steady_state(&SteadyStateOptions {
        max_time_min: 0.0,
        ..Default::default()
    })
    .unwrap_err();
    assert!(matches!(e, BioxenError::InvalidArgument { ref name, .. } if name == "max_time_min"));
}

#[test]
fn extreme_but_valid_inputs_do_not_panic() {
    // No nutrient: the cell cannot grow; everything stays finite and non-negative.
    for (s0, w, len) in [
        (0.0, 0.0, 1.0),
        (1e12, 1e6, 1.0),
        (1e4, 1e9, 1e6),
        (1e-9, 1e-9, 1e-3),
    ] {
        let r = simulate_weisse(&WeisseOptions {
            s0,
            heterologous: vec![Gene::new(w, len)],
            t_end_min: 1e4,
            points: 11,
            ..Default::default()
        });
        match r {
            Ok(r) => {
                for s in r.states.iter().chain([&r.lambda]) {
                    assert!(s.iter().all(|v| v.is_finite() && *v >= 0.0), "{s:?}");
                }
            }
            Err(e) => assert_eq!(e.code(), "INVALID_ARGUMENT"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Random gene sets under random on/off schedules (each segment re-starts from the
    /// previous end state with some genes switched off, as a time-slicing scheduler would),
    /// on either host: never a negative or non-finite state or growth rate.
    #[test]
    fn random_gene_sets_and_schedules_stay_non_negative_and_finite(
        s0 in prop_oneof![Just(0.0), 1.0..1e5f64],
        genes in prop::collection::vec((0.0..3000.0f64, 20.0..3000.0f64), 0..5),
        schedule in prop::collection::vec((prop::collection::vec(any::<bool>(), 5), 1.0..2000.0f64), 1..4),
        tol_exp in 3..9i32,
        ortho in any::<bool>(),
    ) {
        let tol = 10f64.powi(-tol_exp);
        let mut initial: Option<BTreeMap<String, f64>> = None;
        for (on, dt) in schedule {
            let heterologous: Vec<Gene> = genes
                .iter()
                .enumerate()
                .map(|(j, &(w, len))| Gene::new(if on[j] { w } else { 0.0 }, len))
                .collect();
            let r = simulate_weisse(&WeisseOptions {
                s0,
                heterologous,
                t_end_min: dt,
                points: 5,
                rtol: tol,
                atol: tol,
                initial: initial.clone(),
                orthogonal: ortho.then(OrthoParams::default),
                ..Default::default()
            })
            .unwrap();
            for (name, s) in r.names.iter().zip(&r.states) {
                prop_assert!(s.iter().all(|v| v.is_finite() && *v >= 0.0), "{name}: {s:?}");
            }
            prop_assert!(r.lambda.iter().all(|v| v.is_finite() && *v >= 0.0));
            let end = r.state_at(r.t.len() - 1).unwrap();
            initial = Some(r.names.iter().cloned().zip(end).collect());
        }
    }
}
