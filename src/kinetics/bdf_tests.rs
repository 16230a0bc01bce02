//! Tests of the NDF integrator on problems with known solutions.

use super::super::linalg::DenseLu;
use super::super::ode::problems::{exact, Exact, Robertson};
use super::*;

fn solve_dense<S: OdeSystem>(
    sys: &S,
    y0: &[f64],
    t_out: &[f64],
    opts: &SolverOptions,
) -> Result<(Vec<Vec<f64>>, SolverStats), SolveError> {
    let mut y = y0.to_vec();
    let mut out = vec![Vec::new(); t_out.len()];
    let mut b = Bdf::with_solver(sys.dim(), DenseLu::new(sys.dim()));
    let stats = b.integrate(sys, 0.0, &mut y, t_out, opts, |i, v| out[i] = v.to_vec())?;
    Ok((out, stats))
}

fn max_err(ts: &[f64], out: &[Vec<f64>]) -> f64 {
    ts.iter()
        .zip(out)
        .map(|(t, y)| {
            let e = exact(*t);
            (y[0] - e[0]).abs().max((y[1] - e[1]).abs())
        })
        .fold(0.0, f64::max)
}

#[test]
fn inv_root_matches_powf() {
    for k in 1..=7 {
        for &x in &[
            1e-12f64, 3.7e-5, 0.01, 0.5, 1.0, 1.5, 2.0, 7.0, 123.0, 9.9e8,
        ] {
            let want = x.powf(-1.0 / k as f64);
            let got = inv_root(x, k);
            if (1e-3..=1e3).contains(&want) {
                assert!(
                    (got / want - 1.0).abs() < 1e-12,
                    "{x}^(-1/{k}): {got} vs {want}"
                );
            }
        }
    }
    assert_eq!(inv_root(0.0, 3), f64::INFINITY);
    assert_eq!(inv_root(f64::INFINITY, 3), 0.0);
}

#[test]
fn error_follows_the_tolerance_with_dense_output_between_steps() {
    let ts: Vec<f64> = (0..=40).map(|i| i as f64 * 0.1).collect();
    let mut errs = Vec::new();
    for &tol in &[1e-5, 1e-7, 1e-9] {
        let opts = SolverOptions {
            rtol: tol,
            atol: tol,
            ..Default::default()
        };
        let (out, stats) = solve_dense(&Exact, &[1.0, 1.0], &ts, &opts).unwrap();
        assert!(stats.accepted < 2000, "{stats:?}");
        // Several steps share one factorisation and one Jacobian serves many steps.
        assert!(stats.lu_decompositions < stats.accepted, "{stats:?}");
        assert!(stats.jacobian_evals < stats.accepted / 4 + 2, "{stats:?}");
        errs.push(max_err(&ts, &out));
    }
    // Global errors within a small multiple of the tolerance (local error control lets the
    // global error reach a few times it), shrinking with it.
    assert!(
        errs[0] < 2e-4 && errs[1] < 2e-6 && errs[2] < 2e-8,
        "{errs:?}"
    );
    assert!(errs[0] > errs[1] && errs[1] > errs[2], "{errs:?}");
}

#[test]
fn higher_orders_are_reached_and_pay_off() {
    // At a tight tolerance a fixed low order would need thousands of steps: order 5
    // over [0, 10] at 1e-10 takes a few hundred.
    let opts = SolverOptions {
        rtol: 1e-10,
        atol: 1e-12,
        ..Default::default()
    };
    let (out, stats) = solve_dense(&Exact, &[1.0, 1.0], &[10.0], &opts).unwrap();
    let e = exact(10.0);
    assert!((out[0][0] - e[0]).abs() < 1e-10, "{:?} vs {e:?}", out[0]);
    assert!(stats.accepted < 800, "{stats:?}");
}

#[test]
fn robertson_is_solved_to_the_known_values() {
    // Reference at t = 40 (Hairer & Wanner): y1 = 0.7158270687, y2 = 9.185534764e-6.
    let opts = SolverOptions {
        rtol: 1e-10,
        atol: 1e-14,
        nonnegative: true,
        ..Default::default()
    };
    let (out, stats) = solve_dense(&Robertson, &[1.0, 0.0, 0.0], &[40.0], &opts).unwrap();
    let y = &out[0];
    assert!((y[0] - 0.715_827_068_7).abs() < 1e-7, "{y:?}");
    assert!((y[1] / 9.185_534_764e-6 - 1.0).abs() < 1e-5, "{y:?}");
    assert!((y[0] + y[1] + y[2] - 1.0).abs() < 1e-10);
    assert!(stats.accepted > 10 && stats.accepted < 20_000, "{stats:?}");
    // Over 10^5 time units the stiffness is severe: an explicit method would need ~10^9
    // steps.
    let loose = SolverOptions {
        rtol: 1e-6,
        atol: 1e-10,
        nonnegative: true,
        ..Default::default()
    };
    let (out, stats) = solve_dense(&Robertson, &[1.0, 0.0, 0.0], &[1e5], &loose).unwrap();
    assert!(stats.accepted < 2000, "{stats:?}");
    assert!(out[0].iter().all(|v| *v >= 0.0 && v.is_finite()));
}

#[test]
fn bad_inputs_are_errors_and_runs_repeat_bit_for_bit() {
    let opts = SolverOptions::default();
    assert!(solve_dense(&Exact, &[1.0, f64::NAN], &[1.0], &opts).is_err());
    assert!(solve_dense(&Exact, &[1.0, 1.0], &[2.0, 1.0], &opts).is_err());
    let few = SolverOptions {
        max_steps: 3,
        rtol: 1e-12,
        atol: 1e-12,
        ..opts
    };
    assert!(matches!(
        solve_dense(&Robertson, &[1.0, 0.0, 0.0], &[1e5], &few),
        Err(SolveError::TooManySteps { .. })
    ));
    let (o, _) = solve_dense(&Exact, &[1.0, 1.0], &[0.0, 0.0], &opts).unwrap();
    assert_eq!(o, vec![vec![1.0, 1.0], vec![1.0, 1.0]]);
    let tight = SolverOptions {
        rtol: 1e-8,
        atol: 1e-10,
        ..Default::default()
    };
    let a = solve_dense(&Robertson, &[1.0, 0.0, 0.0], &[1.0, 100.0], &tight).unwrap();
    let b = solve_dense(&Robertson, &[1.0, 0.0, 0.0], &[1.0, 100.0], &tight).unwrap();
    assert_eq!(a, b);
}
