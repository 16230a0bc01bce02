//! Kinetic host–circuit machinery: the Weiße et al. 2015 model of a growing E. coli cell
//! whose expression machinery is shared with heterologous ("VM") genes.
//!
//! - [`params`]: the paper's parameters (Table S1, each with its source) and [`Gene`];
//!   [`calibration`]: rescaled sets for syn3a and yeast and how they were calibrated.
//! - [`model`]: states, equations, analytic Jacobian and conservation laws.
//! - [`orthogonal`]: the Darlington et al. 2018 host with an orthogonal-ribosome pool
//!   (selected by [`WeisseOptions::orthogonal`]); heterologous genes use o-ribosomes only.
//! - [`solver`]: a deterministic stiff integrator (RODAS4: 6-stage, order-4 Rosenbrock with
//!   an embedded order-3 error estimate and order-3 dense output) that runs the same natively
//!   and in wasm; [`linalg`]: its linear algebra, dense LU or an O(n) bordered block solver
//!   that exploits the model's structure (each gene's mRNA/complex/protein block, the
//!   energy and ribosome border, and λ's rank-one dilution term).
//! - [`simulate_weisse`]: the direct entry point (time courses of every state and of λ).
//! - [`weisse_steady_state`]: steady state (λ, ribosomal mass fraction) by integration to
//!   convergence, polished by Newton's method on f(y) = 0.
//!
//! Plain Rust, no wall clock, no wasm or JS types; bad options are refused with
//! [`BioxenError::InvalidArgument`] naming the option.

pub mod calibration;
pub mod host;
pub mod linalg;
pub mod model;
pub mod orthogonal;
pub mod params;
pub mod solver;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{BioxenError, Result};
use linalg::{BorderedLu, SparseJacobian};
pub use model::{state_index, state_names, WeisseModel};
pub use orthogonal::{OrthoParams, OrthogonalModel};
pub use params::{Gene, WeisseParams};
use solver::{OdeSystem, Rodas4, SolverOptions, SolverStats};

/// Most heterologous genes one run accepts (a run is O(n) in the 14 + 3k states with the
/// structured solver; the steady-state Newton polish is dense, O(n³)).
pub const MAX_GENES: usize = 256;
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

fn check_tol(name: &str, v: f64) -> Result<()> {
    if !(v.is_finite() && v > 0.0 && v < 1.0) {
        return Err(BioxenError::arg(
            name,
            format!("must be in (0, 1), got {v}"),
        ));
    }
    Ok(())
}

fn check_nonneg(name: &str, v: f64) -> Result<()> {
    if !(v.is_finite() && v >= 0.0) {
        return Err(BioxenError::arg(
            name,
            format!("must be finite and ≥ 0, got {v}"),
        ));
    }
    Ok(())
}

/// What the entry points need from a host–circuit model.
pub trait HostCircuit: SparseJacobian {
    fn state_names(&self) -> Vec<String>;
    /// λ (min⁻¹).
    fn growth_rate(&self, y: &[f64]) -> f64;
    /// Total protein mass P (aa); equals M at steady state.
    fn protein_mass(&self, y: &[f64]) -> f64;
    /// Ribosomal (r-protein) mass fraction.
    fn ribosomal_fraction(&self, y: &[f64]) -> f64;
    /// Elongation rate γ(a) (aa/min).
    fn elongation(&self, y: &[f64]) -> f64;
}

impl HostCircuit for WeisseModel {
    fn state_names(&self) -> Vec<String> {
        state_names(self.genes.len())
    }
    fn growth_rate(&self, y: &[f64]) -> f64 {
        WeisseModel::growth_rate(self, y)
    }
    fn protein_mass(&self, y: &[f64]) -> f64 {
        WeisseModel::protein_mass(self, y)
    }
    fn ribosomal_fraction(&self, y: &[f64]) -> f64 {
        WeisseModel::ribosomal_fraction(self, y)
    }
    fn elongation(&self, y: &[f64]) -> f64 {
        let p = &self.params;
        p.gmax * y[model::A] / (p.kgamma + y[model::A])
    }
}

impl HostCircuit for OrthogonalModel {
    fn state_names(&self) -> Vec<String> {
        orthogonal::state_names(self.genes.len())
    }
    fn growth_rate(&self, y: &[f64]) -> f64 {
        OrthogonalModel::growth_rate(self, y)
    }
    fn protein_mass(&self, y: &[f64]) -> f64 {
        let p = &self.host;
        let mut mass = p.nr * self.total_r_protein(y)
            + p.nx * (y[orthogonal::ET] + y[orthogonal::EM] + y[orthogonal::Q]);
        for (j, g) in self.genes.iter().enumerate() {
            mass += g.length * y[orthogonal::p_index(j)];
        }
        mass
    }
    fn ribosomal_fraction(&self, y: &[f64]) -> f64 {
        let mass = HostCircuit::protein_mass(self, y);
        if mass > 0.0 {
            self.host.nr * self.total_r_protein(y) / mass
        } else {
            0.0
        }
    }
    fn elongation(&self, y: &[f64]) -> f64 {
        let p = &self.host;
        p.gmax * y[orthogonal::A] / (p.kgamma + y[orthogonal::A])
    }
}

/// A validated model of either host.
enum Built {
    Weisse(WeisseModel),
    Orthogonal(OrthogonalModel),
}

/// Validate the model part of the options and build the model and its initial state.
fn build_model(
    s0: f64,
    genes: &[Gene],
    params: Option<&WeisseParams>,
    ortho: Option<&OrthoParams>,
    initial: Option<&BTreeMap<String, f64>>,
) -> Result<(Built, Vec<f64>)> {
    check_nonneg("s0", s0)?;
    if genes.len() > MAX_GENES {
        return Err(BioxenError::arg(
            "heterologous",
            format!("{} genes is too many; at most {MAX_GENES}", genes.len()),
        ));
    }
    for (j, g) in genes.iter().enumerate() {
        check_nonneg(&format!("heterologous[{j}].w"), g.w)?;
        if !(g.length.is_finite() && g.length > 0.0) {
            return Err(BioxenError::arg(
                format!("heterologous[{j}].length"),
                format!("must be finite and > 0 aa, got {}", g.length),
            ));
        }
    }
    let params = params.cloned().unwrap_or_else(WeisseParams::ecoli);
    params.validate()?;
    let k = genes.len();
    type StateIndex = fn(&str, usize) -> Option<usize>;
    let (mut y0, index, names): (Vec<f64>, StateIndex, Vec<String>) = match ortho {
        None => (model::default_initial(k), state_index, state_names(k)),
        Some(o) => {
            o.validate()?;
            (
                orthogonal::default_initial(k),
                orthogonal::state_index,
                orthogonal::state_names(k),
            )
        }
    };
    if let Some(init) = initial {
        for (name, &v) in init {
            let Some(i) = index(name, k) else {
                return Err(BioxenError::arg(
                    format!("initial.{name}"),
                    format!("no such state; expected one of {}", names.join(", ")),
                ));
            };
            check_nonneg(&format!("initial.{name}"), v)?;
            y0[i] = v;
        }
    }
    let built = match ortho {
        None => Built::Weisse(WeisseModel::new(params, s0, genes.to_vec())),
        Some(o) => Built::Orthogonal(OrthogonalModel {
            host: params,
            ortho: o.clone(),
            s0,
            genes: genes.to_vec(),
        }),
    };
    Ok((built, y0))
}

fn solver_failure(e: solver::SolveError) -> BioxenError {
    BioxenError::arg(
        "options",
        format!("the integration failed: {e}; the inputs are outside what the model can integrate"),
    )
}

fn structured_integrator<M: SparseJacobian>(model: &M) -> Result<Rodas4<BorderedLu>> {
    let lin = BorderedLu::new(model)
        .ok_or_else(|| BioxenError::arg("options", "internal: bad Jacobian structure"))?;
    Ok(Rodas4::with_solver(model.dim(), lin))
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

fn simulate_model<M: HostCircuit>(
    model: &M,
    mut y: Vec<f64>,
    opts: &WeisseOptions,
) -> Result<WeisseResult> {
    let t_end = opts.t_end_min;
    let t: Vec<f64> = if opts.points == 1 {
        vec![t_end]
    } else {
        let last = (opts.points - 1) as f64;
        (0..opts.points)
            .map(|i| {
                if i + 1 == opts.points {
                    t_end
                } else {
                    t_end * (i as f64) / last
                }
            })
            .collect()
    };
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
    /// Where the integration starts (same rules as [`WeisseOptions::initial`]).
    pub initial: Option<BTreeMap<String, f64>>,
    pub params: Option<WeisseParams>,
    /// As [`WeisseOptions::orthogonal`].
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
