//! A compact stiff integrator: the Rosenbrock method RODAS4 with an analytic Jacobian.
//!
//! Method: Hairer & Wanner, *Solving ODEs II* (2nd ed., 1996), section IV.7, the 6-stage,
//! order-4 stiffly accurate method "RODAS" with an embedded order-3 solution (the error
//! estimate is the last stage) and a continuous extension of order 3 for output between
//! steps. The coefficients are those of the authors' `rodas.f` (METH = 1), in the
//! W-transformed form (the stages `k_i` solve `(I/(γh) − J) k_i = f(y + Σ a_ij k_j) +
//! Σ (c_ij/h) k_j`), which needs one Jacobian, one LU factorisation and six right-hand-side
//! evaluations per step. The test `rodas4_converges_with_order_four` measures the order on a
//! problem with a known solution, so a mistyped coefficient fails a test.
//!
//! Step-size control is the standard one for this method (safety 0.9, growth in [1/5, 6]
//! per step) with Gustafsson's predictive controller, as in `rodas.f`.
//!
//! Determinism: the integrator uses only `+ − × ÷` and `sqrt` (correctly rounded in IEEE 754
//! and on wasm32), never `powf`/`exp`/`ln` whose last bit may differ between the native libm
//! and the wasm one; `err^(1/4)` is `sqrt(sqrt(err))`. The same inputs therefore give the same
//! bits natively and in wasm, provided the right-hand side follows the same rule.
//!
//! Linear algebra is pluggable ([`LinearSolver`]): dense LU for any system, or the O(n)
//! bordered block solver for systems that describe their Jacobian's structure.
//!
//! The integrator never panics on bad numbers: non-finite stages reject the step, a step
//! size that underflows or a step budget that runs out returns a [`SolveError`].

// Index loops over several parallel arrays read better than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use super::linalg::{BorderedLu, DenseLu, LinearSolver, SparseJacobian};
pub use super::ode::OdeSystem;

/// Integrator settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SolverOptions {
    /// Relative tolerance (per component, RMS-normed).
    pub rtol: f64,
    /// Absolute tolerance.
    pub atol: f64,
    /// Largest step (`None`: the whole interval).
    pub h_max: Option<f64>,
    /// First step (`None`: chosen from the problem).
    pub h_init: Option<f64>,
    /// Accepted + rejected steps allowed before giving up.
    pub max_steps: usize,
    /// The true solution stays non-negative: a step that leaves a component below
    /// `−(atol + rtol·|y|)` is rejected, and smaller excursions (within the tolerance) are
    /// clipped to 0, in the state and in dense output.
    pub nonnegative: bool,
}

impl Default for SolverOptions {
    fn default() -> Self {
        SolverOptions {
            rtol: 1e-6,
            atol: 1e-6,
            h_max: None,
            h_init: None,
            max_steps: 1_000_000,
            nonnegative: false,
        }
    }
}

/// Work done by one integration.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SolverStats {
    pub accepted: usize,
    pub rejected: usize,
    pub rhs_evals: usize,
    pub jacobian_evals: usize,
    pub lu_decompositions: usize,
}

impl SolverStats {
    fn add(&mut self, o: &SolverStats) {
        self.accepted += o.accepted;
        self.rejected += o.rejected;
        self.rhs_evals += o.rhs_evals;
        self.jacobian_evals += o.jacobian_evals;
        self.lu_decompositions += o.lu_decompositions;
    }
}

/// Why an integration stopped early.
#[derive(Debug, Clone, PartialEq)]
pub enum SolveError {
    /// The step size fell below what the time resolution allows.
    StepSizeUnderflow { t: f64, h: f64 },
    /// `max_steps` steps were taken before the end.
    TooManySteps { t: f64, steps: usize },
    /// Inputs the integrator cannot use (wrong lengths, non-finite or unsorted times).
    BadInput(&'static str),
}

impl std::fmt::Display for SolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SolveError::StepSizeUnderflow { t, h } => {
                write!(f, "step size underflow (h = {h:e}) at t = {t}")
            }
            SolveError::TooManySteps { t, steps } => {
                write!(f, "no convergence after {steps} steps (stopped at t = {t})")
            }
            SolveError::BadInput(m) => write!(f, "{m}"),
        }
    }
}

// RODAS4 coefficients (Hairer & Wanner, rodas.f, METH = 1). The method is autonomous here,
// so the c_i / d_i (time-derivative) coefficients are not needed.
const GAMMA: f64 = 0.25;
const A21: f64 = 1.544;
const A31: f64 = 0.946_678_528_081_582_6;
const A32: f64 = 0.255_701_169_898_328_4;
const A41: f64 = 3.314_825_187_068_521;
const A42: f64 = 2.896_124_015_972_201;
const A43: f64 = 0.998_641_913_997_781_7;
const A51: f64 = 1.221_224_509_226_641;
const A52: f64 = 6.019_134_481_288_629;
const A53: f64 = 12.537_083_329_320_87;
const A54: f64 = -0.687_886_036_105_895;
const C21: f64 = -5.6688;
const C31: f64 = -2.430_093_356_833_875;
const C32: f64 = -0.206_359_915_709_191_5;
const C41: f64 = -0.107_352_905_815_137_5;
const C42: f64 = -9.594_562_251_023_355;
const C43: f64 = -20.470_286_148_096_16;
const C51: f64 = 7.496_443_313_967_647;
const C52: f64 = -10.246_804_314_643_52;
const C53: f64 = -33.999_903_528_199_05;
const C54: f64 = 11.708_908_932_061_6;
const C61: f64 = 8.083_246_795_921_522;
const C62: f64 = -7.981_132_988_064_893;
const C63: f64 = -31.521_594_328_743_71;
const C64: f64 = 16.319_305_431_231_36;
const C65: f64 = -6.058_818_238_834_054;
// Continuous extension: y(t0 + s·h) = (1−s)·y0 + s·(y1 + (1−s)·(q3 + s·q4)),
// q3 = Σ D2i·k_i, q4 = Σ D3i·k_i.
const D21: f64 = 10.126_235_083_445_86;
const D22: f64 = -7.487_995_877_610_167;
const D23: f64 = -34.800_918_615_557_47;
const D24: f64 = -7.992_771_707_568_823;
const D25: f64 = 1.025_137_723_295_662;
const D31: f64 = -0.676_280_339_280_125_3;
const D32: f64 = 6.087_714_651_680_015;
const D33: f64 = 16.430_843_208_924_78;
const D34: f64 = 24.767_225_114_183_86;
const D35: f64 = -6.594_389_125_716_872;

const SAFETY: f64 = 0.9;
const FAC_MIN: f64 = 1.0 / 6.0; // h_new / h ≤ 6
const FAC_MAX: f64 = 5.0; // h_new / h ≥ 1/5

/// The RODAS4 integrator with its work arrays (reusable across runs of the same size) and
/// its linear solver ([`DenseLu`] for any system, [`BorderedLu`]
/// for structured ones).
#[derive(Debug, Clone)]
pub struct Rodas4<L = DenseLu> {
    n: usize,
    lin: L,
    k: [Vec<f64>; 6],
    f0: Vec<f64>,
    ytmp: Vec<f64>,
    ynew: Vec<f64>,
    q3: Vec<f64>,
    q4: Vec<f64>,
    yout: Vec<f64>,
    /// The step size the controller proposed after the last accepted step of the last
    /// integration (0 before any): a continuation can start from it (`h_init`).
    h_next: f64,
}

impl Rodas4<DenseLu> {
    /// With dense LU.
    pub fn new(n: usize) -> Self {
        Self::with_solver(n, DenseLu::new(n))
    }
}

impl<L> Rodas4<L> {
    /// The step size proposed after the last accepted step (not limited to the interval
    /// just integrated), for continuing with `SolverOptions::h_init`; 0 before any step.
    pub fn proposed_step(&self) -> f64 {
        self.h_next
    }

    /// With the given linear solver (sized for `n` states).
    pub fn with_solver(n: usize, lin: L) -> Self {
        let v = || vec![0.0; n];
        Rodas4 {
            n,
            lin,
            k: [v(), v(), v(), v(), v(), v()],
            f0: v(),
            ytmp: v(),
            ynew: v(),
            q3: v(),
            q4: v(),
            yout: v(),
            h_next: 0.0,
        }
    }

    /// Integrate `sys` from `(t0, y)` to the last of `t_out` (sorted, all ≥ `t0`), calling
    /// `sink(i, y(t_out[i]))` for each output time in order. On return `y` holds the state
    /// at the last output time.
    pub fn integrate<S: OdeSystem + ?Sized>(
        &mut self,
        sys: &S,
        t0: f64,
        y: &mut [f64],
        t_out: &[f64],
        opts: &SolverOptions,
        mut sink: impl FnMut(usize, &[f64]),
    ) -> Result<SolverStats, SolveError>
    where
        L: LinearSolver<S>,
    {
        let n = self.n;
        let mut stats = SolverStats::default();
        let Some((mut next, t_end)) = begin(n, sys, t0, y, t_out, &mut sink)? else {
            return Ok(stats);
        };
        let (rtol, atol) = (opts.rtol, opts.atol);
        let span = t_end - t0;
        let h_max = opts.h_max.unwrap_or(span).min(span);

        sys.rhs(y, &mut self.f0);
        stats.rhs_evals += 1;
        let mut h = match opts.h_init {
            Some(h) if h > 0.0 => h,
            _ => {
                stats.rhs_evals += 1;
                let [k0, ..] = &mut self.k;
                initial_step(sys, y, &self.f0, &mut self.ytmp, k0, rtol, atol, 4)
            }
        }
        .min(h_max);

        let mut t = t0;
        let mut first = true;
        let mut last_rejected = false;
        let mut h_old = h;
        let mut err_old = 1.0;
        let mut jac_fresh = false;

        while t < t_end {
            if stats.accepted + stats.rejected >= opts.max_steps {
                return Err(SolveError::TooManySteps {
                    t,
                    steps: opts.max_steps,
                });
            }
            let remaining = t_end - t;
            let last = h >= remaining * (1.0 - 1e-12);
            if last {
                h = remaining;
            }
            if h <= (t.abs() + span) * 1e-14 || !h.is_finite() {
                return Err(SolveError::StepSizeUnderflow { t, h });
            }
            if !jac_fresh {
                self.lin.set_jacobian(sys, y);
                stats.jacobian_evals += 1;
                jac_fresh = true;
            }
            let err = match self.step(sys, y, h, rtol, atol, &mut stats) {
                Some(e) if e.is_finite() => e,
                _ => {
                    // Singular iteration matrix or non-finite stages: retry smaller.
                    stats.rejected += 1;
                    last_rejected = true;
                    h *= 0.25;
                    continue;
                }
            };

            // Step-size factor from the error (err^(1/4) via two square roots).
            let mut fac = (err.sqrt().sqrt() / SAFETY).clamp(FAC_MIN, FAC_MAX);
            let mut accept = err <= 1.0;
            if accept && opts.nonnegative {
                // Reject clear negative excursions; clip those within the tolerance.
                let mut bad = false;
                for i in 0..n {
                    let v = self.ynew[i];
                    if v < 0.0 {
                        let sk = atol + rtol * y[i].abs().max(v.abs());
                        if v < -sk {
                            bad = true;
                            break;
                        }
                    }
                }
                if bad {
                    accept = false;
                    fac = 2.0;
                }
            }
            if !accept {
                stats.rejected += 1;
                last_rejected = true;
                h /= fac;
                continue;
            }

            // Accepted.
            stats.accepted += 1;
            let t_new = if last { t_end } else { t + h };
            self.prepare_dense();
            while next < t_out.len() && t_out[next] <= t_new {
                let tt = t_out[next];
                if tt >= t_new {
                    self.yout.copy_from_slice(&self.ynew);
                } else {
                    let s = (tt - t) / h;
                    let s1 = 1.0 - s;
                    for i in 0..n {
                        self.yout[i] =
                            s1 * y[i] + s * (self.ynew[i] + s1 * (self.q3[i] + s * self.q4[i]));
                    }
                }
                if opts.nonnegative {
                    self.yout.iter_mut().for_each(|v| *v = v.max(0.0));
                }
                sink(next, &self.yout);
                next += 1;
            }
            y.copy_from_slice(&self.ynew);
            if opts.nonnegative {
                y.iter_mut().for_each(|v| *v = v.max(0.0));
            }
            t = t_new;
            sys.rhs(y, &mut self.f0);
            stats.rhs_evals += 1;
            jac_fresh = false;

            if !first {
                let pred = (h_old / h) * ((err * err / err_old).sqrt().sqrt()) / SAFETY;
                fac = fac.max(pred.clamp(FAC_MIN, FAC_MAX));
            }
            first = false;
            h_old = h;
            err_old = err.max(1e-2);
            let mut h_new = h / fac;
            if last_rejected {
                h_new = h_new.min(h);
            }
            last_rejected = false;
            h = h_new.min(h_max);
            self.h_next = h_new;
        }
        // Any output times equal to t_end that were not yet emitted (t0 == t_end handled above).
        while next < t_out.len() {
            sink(next, y);
            next += 1;
        }
        Ok(stats)
    }

    /// One RODAS4 step of size `h` from `y` (f(y) in `f0`, J in `jac`). Leaves the new state
    /// in `ynew` and the stages in `k`; returns the scaled RMS error, or `None` if the
    /// iteration matrix is singular.
    fn step<S: OdeSystem + ?Sized>(
        &mut self,
        sys: &S,
        y: &[f64],
        h: f64,
        rtol: f64,
        atol: f64,
        stats: &mut SolverStats,
    ) -> Option<f64>
    where
        L: LinearSolver<S>,
    {
        let n = self.n;
        stats.lu_decompositions += 1;
        if !self.lin.factor(1.0 / (GAMMA * h)) {
            return None;
        }
        let inv_h = 1.0 / h;
        // Re-slice everything to exactly n so the compiler can drop the bounds checks in the
        // stage loops below.
        let [k1, k2, k3, k4, k5, k6] = &mut self.k;
        let (k1, k2, k3) = (&mut k1[..n], &mut k2[..n], &mut k3[..n]);
        let (k4, k5, k6) = (&mut k4[..n], &mut k5[..n], &mut k6[..n]);
        let y = &y[..n];
        let ytmp = &mut self.ytmp[..n];
        let ynew = &mut self.ynew[..n];

        // Stage 1.
        k1.copy_from_slice(&self.f0);
        self.lin.solve(k1);
        // Stage 2.
        for i in 0..n {
            ytmp[i] = y[i] + A21 * k1[i];
        }
        sys.rhs(ytmp, k2);
        for i in 0..n {
            k2[i] += C21 * k1[i] * inv_h;
        }
        self.lin.solve(k2);
        // Stage 3.
        for i in 0..n {
            ytmp[i] = y[i] + A31 * k1[i] + A32 * k2[i];
        }
        sys.rhs(ytmp, k3);
        for i in 0..n {
            k3[i] += (C31 * k1[i] + C32 * k2[i]) * inv_h;
        }
        self.lin.solve(k3);
        // Stage 4.
        for i in 0..n {
            ytmp[i] = y[i] + A41 * k1[i] + A42 * k2[i] + A43 * k3[i];
        }
        sys.rhs(ytmp, k4);
        for i in 0..n {
            k4[i] += (C41 * k1[i] + C42 * k2[i] + C43 * k3[i]) * inv_h;
        }
        self.lin.solve(k4);
        // Stage 5.
        for i in 0..n {
            ytmp[i] = y[i] + A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i];
        }
        sys.rhs(ytmp, k5);
        for i in 0..n {
            k5[i] += (C51 * k1[i] + C52 * k2[i] + C53 * k3[i] + C54 * k4[i]) * inv_h;
        }
        self.lin.solve(k5);
        // Embedded (order 3) solution, then stage 6 and the order-4 solution.
        for i in 0..n {
            ytmp[i] += k5[i];
        }
        sys.rhs(ytmp, k6);
        for i in 0..n {
            k6[i] += (C61 * k1[i] + C62 * k2[i] + C63 * k3[i] + C64 * k4[i] + C65 * k5[i]) * inv_h;
        }
        self.lin.solve(k6);
        stats.rhs_evals += 5;

        let mut err = 0.0;
        for i in 0..n {
            let yn = ytmp[i] + k6[i];
            ynew[i] = yn;
            let sk = atol + rtol * y[i].abs().max(yn.abs());
            let e = k6[i] / sk;
            err += e * e;
        }
        Some((err / n as f64).sqrt())
    }

    fn prepare_dense(&mut self) {
        let [k1, k2, k3, k4, k5, _] = &self.k;
        for i in 0..self.n {
            self.q3[i] = D21 * k1[i] + D22 * k2[i] + D23 * k3[i] + D24 * k4[i] + D25 * k5[i];
            self.q4[i] = D31 * k1[i] + D32 * k2[i] + D33 * k3[i] + D34 * k4[i] + D35 * k5[i];
        }
    }
}

/// What every integrator does before its first step: check the inputs (lengths, finite and
/// sorted output times not before `t0`, a finite initial state), emit the output times at
/// or before `t0`, and return the next output index and the end time, or `None` when
/// nothing is left to integrate.
pub(super) fn begin<S: OdeSystem + ?Sized>(
    n: usize,
    sys: &S,
    t0: f64,
    y: &[f64],
    t_out: &[f64],
    sink: &mut impl FnMut(usize, &[f64]),
) -> Result<Option<(usize, f64)>, SolveError> {
    if sys.dim() != n || y.len() != n {
        return Err(SolveError::BadInput(
            "state length does not match the system",
        ));
    }
    if !t0.is_finite() || t_out.iter().any(|t| !t.is_finite() || *t < t0) {
        return Err(SolveError::BadInput("output times must be finite and ≥ t0"));
    }
    if t_out.windows(2).any(|w| w[1] < w[0]) {
        return Err(SolveError::BadInput("output times must be sorted"));
    }
    if y.iter().any(|v| !v.is_finite()) {
        return Err(SolveError::BadInput("initial state must be finite"));
    }
    let mut next = 0;
    while next < t_out.len() && t_out[next] <= t0 {
        sink(next, y);
        next += 1;
    }
    match t_out.last() {
        Some(&t_end) if next < t_out.len() => Ok(Some((next, t_end))),
        _ => Ok(None),
    }
}

/// Hairer & Wanner's starting step (II.4) for a method of order `p`, with `f0 = f(y)`;
/// `ytmp` and `f1` are work arrays. The root `(0.01/dm)^(1/(p+1))` is taken with square
/// roots only, so `p + 1` must be 2 or 4 (1/4 for RODAS4, whose `p + 1` is 5, as
/// `rodas.f` rounds it; 1/2 for the first BDF step).
#[allow(clippy::too_many_arguments)]
pub(super) fn initial_step<S: OdeSystem + ?Sized>(
    sys: &S,
    y: &[f64],
    f0: &[f64],
    ytmp: &mut [f64],
    f1: &mut [f64],
    rtol: f64,
    atol: f64,
    root: u32,
) -> f64 {
    let n = y.len();
    let nf = n as f64;
    let mut d0 = 0.0;
    let mut d1 = 0.0;
    for i in 0..n {
        let sk = atol + rtol * y[i].abs();
        d0 += (y[i] / sk) * (y[i] / sk);
        d1 += (f0[i] / sk) * (f0[i] / sk);
    }
    let (d0, d1) = ((d0 / nf).sqrt(), (d1 / nf).sqrt());
    let h0 = if d0 < 1e-5 || d1 < 1e-5 {
        1e-6
    } else {
        0.01 * d0 / d1
    };
    for i in 0..n {
        ytmp[i] = y[i] + h0 * f0[i];
    }
    sys.rhs(ytmp, f1);
    let mut d2 = 0.0;
    for i in 0..n {
        let sk = atol + rtol * y[i].abs();
        let v = (f1[i] - f0[i]) / sk;
        d2 += v * v;
    }
    let d2 = (d2 / nf).sqrt() / h0;
    let dm = d1.max(d2);
    let h1 = if dm <= 1e-15 || !dm.is_finite() {
        (h0 * 1e-3).max(1e-6)
    } else if root == 2 {
        (0.01 / dm).sqrt()
    } else {
        (0.01 / dm).sqrt().sqrt()
    };
    let h = (100.0 * h0).min(h1);
    if h.is_finite() && h > 0.0 {
        h
    } else {
        1e-6
    }
}

/// Convenience: integrate once with fresh work arrays, collecting the outputs row by row
/// (`out[i]` is the state at `t_out[i]`).
pub fn solve<S: OdeSystem + ?Sized>(
    sys: &S,
    t0: f64,
    y0: &[f64],
    t_out: &[f64],
    opts: &SolverOptions,
) -> Result<(Vec<Vec<f64>>, SolverStats), SolveError> {
    let mut y = y0.to_vec();
    let mut out = vec![Vec::new(); t_out.len()];
    let mut r = Rodas4::new(sys.dim());
    let stats = r.integrate(sys, t0, &mut y, t_out, opts, |i, v| out[i] = v.to_vec())?;
    Ok((out, stats))
}

/// Like [`solve`] with the structured O(n) linear algebra of [`BorderedLu`].
pub fn solve_structured<S: SparseJacobian + ?Sized>(
    sys: &S,
    t0: f64,
    y0: &[f64],
    t_out: &[f64],
    opts: &SolverOptions,
) -> Result<(Vec<Vec<f64>>, SolverStats), SolveError> {
    let lin = BorderedLu::new(sys).ok_or(SolveError::BadInput(
        "the system's block structure does not cover every state once",
    ))?;
    let mut y = y0.to_vec();
    let mut out = vec![Vec::new(); t_out.len()];
    let mut r = Rodas4::with_solver(sys.dim(), lin);
    let stats = r.integrate(sys, t0, &mut y, t_out, opts, |i, v| out[i] = v.to_vec())?;
    Ok((out, stats))
}

/// Integrate in chunks until `f(y)` is negligible (used by the steady-state finder).
/// Returns the time reached and the accumulated statistics.
pub(crate) fn integrate_until_steady<S: OdeSystem + ?Sized, L: LinearSolver<S>>(
    r: &mut Rodas4<L>,
    sys: &S,
    y: &mut [f64],
    chunk: f64,
    max_time: f64,
    opts: &SolverOptions,
    mut steady: impl FnMut(&[f64]) -> bool,
) -> Result<(f64, SolverStats), SolveError> {
    let mut t = 0.0;
    let mut stats = SolverStats::default();
    while t < max_time {
        let t1 = (t + chunk).min(max_time);
        let s = r.integrate(sys, t, y, &[t1], opts, |_, _| {})?;
        stats.add(&s);
        t = t1;
        if steady(y) {
            break;
        }
    }
    Ok((t, stats))
}

#[cfg(test)]
mod tests {
    use super::super::linalg::{lu_factor, lu_solve};
    use super::super::ode::problems::{exact, Exact, Robertson};
    use super::*;

    #[test]
    fn lu_solves_a_pivoting_system() {
        // Column-major; the (0, 0) entry is 0, so a row swap is needed.
        let mut a = vec![0.0, 2.0, 1.0, 1.0, 1.0, 1.0, 2.0, 1.0, 3.0];
        let orig = a.clone();
        let mut piv = vec![0; 3];
        assert!(lu_factor(&mut a, 3, &mut piv));
        let x = [1.0, -2.0, 3.0];
        let mut b: Vec<f64> = (0..3)
            .map(|i| (0..3).map(|j| orig[j * 3 + i] * x[j]).sum())
            .collect();
        lu_solve(&a, 3, &piv, &mut b);
        for i in 0..3 {
            assert!((b[i] - x[i]).abs() < 1e-12);
        }
        let mut sing = vec![1.0, 2.0, 2.0, 4.0];
        assert!(!lu_factor(&mut sing, 2, &mut [0; 2]));
    }

    #[test]
    fn rodas4_converges_with_order_four() {
        // Fixed steps (huge tolerances so every step is accepted, h_max forces the size).
        let errs: Vec<f64> = [0.1, 0.05, 0.025]
            .iter()
            .map(|&h| {
                let opts = SolverOptions {
                    rtol: 1e6,
                    atol: 1e6,
                    h_max: Some(h),
                    h_init: Some(h),
                    ..Default::default()
                };
                let (out, _) = solve(&Exact, 0.0, &[1.0, 1.0], &[2.0], &opts).unwrap();
                let e = exact(2.0);
                (out[0][0] - e[0]).abs().max((out[0][1] - e[1]).abs())
            })
            .collect();
        let o1 = (errs[0] / errs[1]).log2();
        let o2 = (errs[1] / errs[2]).log2();
        assert!(
            o1 > 3.7 && o2 > 3.7,
            "observed orders {o1} {o2}, errors {errs:?}"
        );
    }

    #[test]
    fn dense_output_is_accurate_between_steps() {
        let opts = SolverOptions {
            rtol: 1e-9,
            atol: 1e-12,
            ..Default::default()
        };
        let ts: Vec<f64> = (0..=40).map(|i| i as f64 * 0.1).collect();
        let (out, stats) = solve(&Exact, 0.0, &[1.0, 1.0], &ts, &opts).unwrap();
        assert!(stats.accepted < 1000, "{stats:?}");
        for (t, y) in ts.iter().zip(&out) {
            let e = exact(*t);
            assert!((y[0] - e[0]).abs() < 1e-7, "t={t}: {} vs {}", y[0], e[0]);
            assert!((y[1] - e[1]).abs() < 1e-7);
        }
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
        let (out, stats) = solve(&Robertson, 0.0, &[1.0, 0.0, 0.0], &[40.0], &opts).unwrap();
        let y = &out[0];
        assert!((y[0] - 0.715_827_068_7).abs() < 1e-8, "{y:?}");
        assert!((y[1] / 9.185_534_764e-6 - 1.0).abs() < 1e-6, "{y:?}");
        assert!((y[0] + y[1] + y[2] - 1.0).abs() < 1e-12);
        assert!(stats.accepted > 10 && stats.accepted < 10_000, "{stats:?}");
    }

    #[test]
    fn bad_inputs_are_errors_not_panics() {
        let opts = SolverOptions::default();
        assert!(solve(&Exact, 0.0, &[1.0], &[1.0], &opts).is_err());
        assert!(solve(&Exact, 0.0, &[1.0, f64::NAN], &[1.0], &opts).is_err());
        assert!(solve(&Exact, 0.0, &[1.0, 1.0], &[2.0, 1.0], &opts).is_err());
        assert!(solve(&Exact, 0.0, &[1.0, 1.0], &[-1.0], &opts).is_err());
        let few = SolverOptions {
            max_steps: 3,
            rtol: 1e-12,
            atol: 1e-12,
            ..opts
        };
        assert!(matches!(
            solve(&Robertson, 0.0, &[1.0, 0.0, 0.0], &[1e5], &few),
            Err(SolveError::TooManySteps { .. })
        ));
        // Empty output list and t_end == t0 are fine.
        assert!(solve(&Exact, 0.0, &[1.0, 1.0], &[], &opts)
            .unwrap()
            .0
            .is_empty());
        let (o, _) = solve(&Exact, 0.0, &[1.0, 1.0], &[0.0, 0.0], &opts).unwrap();
        assert_eq!(o, vec![vec![1.0, 1.0], vec![1.0, 1.0]]);
    }

    #[test]
    fn same_inputs_give_identical_bits() {
        let opts = SolverOptions {
            rtol: 1e-8,
            atol: 1e-10,
            ..Default::default()
        };
        let a = solve(&Robertson, 0.0, &[1.0, 0.0, 0.0], &[1.0, 100.0], &opts).unwrap();
        let b = solve(&Robertson, 0.0, &[1.0, 0.0, 0.0], &[1.0, 100.0], &opts).unwrap();
        assert_eq!(a, b);
    }
}
