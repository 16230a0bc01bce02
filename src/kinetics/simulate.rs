//! [`simulate_weisse`]: time courses of every state and of λ for one set of options.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::circuit::{
    build_model, check_nonneg, check_tol, solver_failure, structured_integrator, Built, HostCircuit,
};
use super::orthogonal::OrthoParams;
use super::params::{Gene, WeisseParams};
use super::solver::{SolverOptions, SolverStats};
use crate::error::{BioxenError, Result};

/// Most output points one run returns.
pub const MAX_POINTS: usize = 1_000_000;

/// Options of [`simulate_weisse`] (the JS `simulateWeisse` takes the same, camelCased).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct WeisseOptions {
    /// External nutrient s (molecules); Table S1: 10⁴.
    pub s0: f64,
    /// Heterologous genes, one per VM at least.
    pub heterologous: Vec<Gene>,
    /// Simulated time (min).
    pub t_end_min: f64,
    /// Output points, evenly spaced over [0, t_end_min] including both ends (1: only the
    /// state at t_end_min).
    pub points: usize,
    /// Relative tolerance, in (0, 1).
    pub rtol: f64,
    /// Absolute tolerance (molecules), in (0, 1).
    pub atol: f64,
    /// Initial values by state name (`"a"`, `"r"`, `"p[0]"`, …) overriding the default
    /// initial state (a = 1000, r = e_t = e_m = q = 10, everything else 0).
    pub initial: Option<BTreeMap<String, f64>>,
    /// Host parameters (None: E. coli, Weiße et al. 2015 Table S1).
    pub params: Option<WeisseParams>,
    /// Use Darlington et al. 2018's host with an orthogonal-ribosome pool (heterologous
    /// genes translated by o-ribosomes only). Its states are `si, a, xr, rr, pr, rp, pp, et,
    /// em, q, mr, mt, mm, mq, cr, ct, cm, cq` (x_R r-protein, r_R/p_R host rRNA/ribosomes,
    /// r_P/p_P o-rRNA/o-ribosomes), then the genes'; default initial state a = 1000,
    /// p_R = e_t = e_m = q = 10.
    pub orthogonal: Option<OrthoParams>,
}

impl Default for WeisseOptions {
    fn default() -> Self {
        WeisseOptions {
            s0: 1e4,
            heterologous: Vec::new(),
            t_end_min: 1000.0,
            points: 101,
            rtol: 1e-6,
            atol: 1e-6,
            initial: None,
            params: None,
            orthogonal: None,
        }
    }
}

/// Time courses from [`simulate_weisse`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WeisseResult {
    /// Output times (min).
    pub t: Vec<f64>,
    /// State names in layout order: `si, a, r, et, em, q, mr, mt, mm, mq, cr, ct, cm, cq`,
    /// then `p[j], mp[j], cp[j]` per heterologous gene.
    pub names: Vec<String>,
    /// One series per name, each as long as `t`.
    pub states: Vec<Vec<f64>>,
    /// Growth rate λ (min⁻¹) at each output time.
    pub lambda: Vec<f64>,
    /// Work done by the integrator.
    pub stats: SolverStats,
}

impl WeisseResult {
    /// The series of one state by name (`"a"`, `"p[0]"`, …).
    pub fn series(&self, name: &str) -> Option<&[f64]> {
        let i = self.names.iter().position(|n| n == name)?;
        Some(&self.states[i])
    }

    /// The full state vector at output index `k` (layout order).
    pub fn state_at(&self, k: usize) -> Option<Vec<f64>> {
        if k >= self.t.len() {
            return None;
        }
        Some(self.states.iter().map(|s| s[k]).collect())
    }
}

/// Simulate the Weiße model with heterologous genes from t = 0 to `t_end_min`.
///
/// Returns every state series by name and λ on an even grid of `points` times. Refuses
/// negative or non-finite values, zero points, tolerances outside (0, 1), unknown initial
/// state names and bad parameters with `InvalidArgument` naming the option.
pub fn simulate_weisse(opts: &WeisseOptions) -> Result<WeisseResult> {
    let (built, y) = build_model(
        opts.s0,
        &opts.heterologous,
        opts.params.as_ref(),
        opts.orthogonal.as_ref(),
        opts.initial.as_ref(),
    )?;
    check_nonneg("t_end_min", opts.t_end_min)?;
    if opts.points == 0 || opts.points > MAX_POINTS {
        return Err(BioxenError::arg(
            "points",
            format!("{} is out of range; expected 1..={MAX_POINTS}", opts.points),
        ));
    }
    check_tol("rtol", opts.rtol)?;
    check_tol("atol", opts.atol)?;
    match &built {
        Built::Weisse(m) => simulate_model(m, y, opts),
        Built::Orthogonal(m) => simulate_model(m, y, opts),
    }
}

/// `points` output times evenly spaced over [0, t_end] including both ends (1: only t_end).
pub(crate) fn output_grid(t_end: f64, points: usize) -> Vec<f64> {
    if points == 1 {
        vec![t_end]
    } else {
        let last = (points - 1) as f64;
        (0..points)
            .map(|i| {
                if i + 1 == points {
                    t_end
                } else {
                    t_end * (i as f64) / last
                }
            })
            .collect()
    }
}

fn simulate_model<M: HostCircuit>(
    model: &M,
    mut y: Vec<f64>,
    opts: &WeisseOptions,
) -> Result<WeisseResult> {
    let t = output_grid(opts.t_end_min, opts.points);
    let n = model.dim();
    let mut states = vec![Vec::with_capacity(t.len()); n];
    let mut lambda = Vec::with_capacity(t.len());
    let sopts = SolverOptions {
        rtol: opts.rtol,
        atol: opts.atol,
        nonnegative: true,
        ..Default::default()
    };
    let mut integ = structured_integrator(model)?;
    let stats = integ
        .integrate(model, 0.0, &mut y, &t, &sopts, |_, v| {
            for (s, x) in states.iter_mut().zip(v) {
                s.push(*x);
            }
            lambda.push(model.growth_rate(v));
        })
        .map_err(solver_failure)?;
    Ok(WeisseResult {
        t,
        names: model.state_names(),
        states,
        lambda,
        stats,
    })
}
