//! [`weisse_steady_state`]: the steady state (λ, ribosomal mass fraction) by integration to
//! convergence, polished by Newton's method on f(y) = 0.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::circuit::{
    build_model, check_tol, solver_failure, structured_integrator, Built, HostCircuit,
};
use super::linalg;
use super::ode::OdeSystem;
use super::orthogonal::OrthoParams;
use super::params::{Gene, WeisseParams};
use super::solver::{self, SolverOptions, SolverStats};
use crate::error::{BioxenError, Result};

/// Options of [`weisse_steady_state`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SteadyStateOptions {
    pub s0: f64,
    pub heterologous: Vec<Gene>,
    /// Tolerances of the integration phase, in (0, 1).
    pub rtol: f64,
    pub atol: f64,
    /// Give up after this much simulated time (min).
    pub max_time_min: f64,
    /// Where the integration starts (same rules as [`WeisseOptions::initial`](super::WeisseOptions::initial)).
    pub initial: Option<BTreeMap<String, f64>>,
    pub params: Option<WeisseParams>,
    /// As [`WeisseOptions::orthogonal`](super::WeisseOptions::orthogonal).
    pub orthogonal: Option<OrthoParams>,
}

impl Default for SteadyStateOptions {
    fn default() -> Self {
        SteadyStateOptions {
            s0: 1e4,
            heterologous: Vec::new(),
            rtol: 1e-8,
            atol: 1e-8,
            max_time_min: 1e6,
            initial: None,
            params: None,
            orthogonal: None,
        }
    }
}

/// A steady state of the Weiße model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SteadyState {
    pub names: Vec<String>,
    /// State values in layout order.
    pub state: Vec<f64>,
    /// Growth rate λ (min⁻¹).
    pub lambda: f64,
    /// ln 2 / λ (min); infinite when λ = 0.
    pub doubling_time_min: f64,
    /// Ribosomal mass fraction φ_R = n_r·(r + Σc)/P.
    pub ribosomal_fraction: f64,
    /// Total protein mass P (aa); equals M at steady state.
    pub protein_mass: f64,
    /// Translation elongation rate γ(a) (aa/min per translating ribosome).
    pub elongation_aa_per_min: f64,
    /// max_i |f_i(y)| / max(|y_i|, 1) at the returned state (min⁻¹).
    pub residual: f64,
    /// Simulated time integrated before the Newton polish (min).
    pub time_min: f64,
    pub newton_iterations: usize,
    pub stats: SolverStats,
}

impl SteadyState {
    pub fn value(&self, name: &str) -> Option<f64> {
        let i = self.names.iter().position(|n| n == name)?;
        Some(self.state[i])
    }
}

fn scaled_residual<M: OdeSystem>(model: &M, y: &[f64], f: &mut [f64]) -> f64 {
    model.rhs(y, f);
    f.iter()
        .zip(y)
        .map(|(d, v)| d.abs() / v.abs().max(1.0))
        .fold(0.0, f64::max)
}

/// Newton's method on f(y) = 0 from `y0` (analytic Jacobian, dense LU). Iterates while the
/// scaled step max_i |δ_i|/max(|y_i|, 1) shrinks and the state stays non-negative; returns
/// the root once the step is below 1e-11 (quadratic convergence), else `None`. (The
/// residual itself is not the test: it has a round-off floor near 1e-11 per min set by the
/// energy equation's large, nearly cancelling fluxes.)
fn newton_polish<M: OdeSystem>(model: &M, y0: &[f64]) -> Option<(Vec<f64>, usize)> {
    let n = y0.len();
    let mut y = y0.to_vec();
    let mut f = vec![0.0; n];
    model.rhs(&y, &mut f);
    let mut jac = vec![0.0; n * n];
    let mut lu = vec![0.0; n * n];
    let mut piv = vec![0; n];
    let mut delta = vec![0.0; n];
    let mut prev_step = f64::INFINITY;
    for iter in 1..=30 {
        jac.iter_mut().for_each(|v| *v = 0.0);
        model.jacobian(&y, &mut jac);
        // Row-major J into the column-major layout the LU expects.
        for i in 0..n {
            for j in 0..n {
                lu[j * n + i] = jac[i * n + j];
            }
        }
        if !linalg::lu_factor(&mut lu, n, &mut piv) {
            return None;
        }
        for (d, v) in delta.iter_mut().zip(&f) {
            *d = -v;
        }
        linalg::lu_solve(&lu, n, &piv, &mut delta);
        let step = delta
            .iter()
            .zip(&y)
            .map(|(d, v)| d.abs() / v.abs().max(1.0))
            .fold(0.0, f64::max);
        if !step.is_finite() || step >= prev_step {
            return None;
        }
        for i in 0..n {
            let v = y[i] + delta[i];
            if v < -1e-9 * y[i].abs().max(1.0) {
                return None;
            }
            y[i] = v.max(0.0);
        }
        prev_step = step;
        model.rhs(&y, &mut f);
        if step < 1e-11 {
            return Some((y, iter));
        }
    }
    None
}

/// Find the steady state: integrate in 500-minute chunks until the scaled residual
/// max_i |f_i(y)|/max(|y_i|, 1) is below 1e-5 per minute and Newton's method from there
/// converges (Newton on f(y) = 0 with the analytic Jacobian, iterated while its scaled step
/// shrinks, to a step below 1e-11), or until the residual is below 1e-10 by integration alone.
pub fn weisse_steady_state(opts: &SteadyStateOptions) -> Result<SteadyState> {
    let (built, y) = build_model(
        opts.s0,
        &opts.heterologous,
        opts.params.as_ref(),
        opts.orthogonal.as_ref(),
        opts.initial.as_ref(),
    )?;
    check_tol("rtol", opts.rtol)?;
    check_tol("atol", opts.atol)?;
    if !(opts.max_time_min.is_finite() && opts.max_time_min > 0.0) {
        return Err(BioxenError::arg(
            "max_time_min",
            format!("must be finite and > 0, got {}", opts.max_time_min),
        ));
    }
    match &built {
        Built::Weisse(m) => steady_model(m, y, opts),
        Built::Orthogonal(m) => steady_model(m, y, opts),
    }
}

fn steady_model<M: HostCircuit>(
    model: &M,
    mut y: Vec<f64>,
    opts: &SteadyStateOptions,
) -> Result<SteadyState> {
    let n = model.dim();
    let sopts = SolverOptions {
        rtol: opts.rtol,
        atol: opts.atol,
        nonnegative: true,
        ..Default::default()
    };
    let mut polished: Option<(Vec<f64>, usize)> = None;
    let (time, stats) = {
        let mut scratch = vec![0.0; n];
        let mut integ = structured_integrator(model)?;
        solver::integrate_until_steady(
            &mut integ,
            model,
            &mut y,
            500.0,
            opts.max_time_min,
            &sopts,
            |y| {
                let res = scaled_residual(model, y, &mut scratch);
                if res < 1e-5 {
                    if let Some(p) = newton_polish(model, y) {
                        polished = Some(p);
                        return true;
                    }
                }
                res < 1e-10
            },
        )
        .map_err(solver_failure)?
    };
    let mut iters = 0;
    if let Some((yp, it)) = polished {
        y = yp;
        iters = it;
    }
    let mut f = vec![0.0; n];
    let res = scaled_residual(model, &y, &mut f);
    if res >= 1e-7 {
        return Err(BioxenError::arg(
            "max_time_min",
            format!(
                "no steady state within {} min (residual {res:e} per min)",
                opts.max_time_min
            ),
        ));
    }
    let lambda = model.growth_rate(&y);
    Ok(SteadyState {
        names: model.state_names(),
        lambda,
        doubling_time_min: if lambda > 0.0 {
            std::f64::consts::LN_2 / lambda
        } else {
            f64::INFINITY
        },
        ribosomal_fraction: model.ribosomal_fraction(&y),
        protein_mass: model.protein_mass(&y),
        elongation_aa_per_min: model.elongation(&y),
        residual: res,
        time_min: time,
        newton_iterations: iters,
        stats,
        state: y,
    })
}
