//! A variable-order stiff integrator that keeps its Jacobian and factorisation over many
//! steps: the numerical differentiation formulas (NDF) of orders 1–5 in the quasi-constant
//! step-size form.
//!
//! Method: Shampine & Reichelt, "The MATLAB ODE suite", SIAM J. Sci. Comput. 18 (1997)
//! 1–22, section 2 (the NDFs, their coefficients κ and the backward-difference
//! representation, with the step-size change by the matrices R and U); the same scheme is
//! scipy's `BDF` and MATLAB's `ode15s`. The simplified Newton iteration, its convergence
//! test, and the rules for when the Jacobian and the iteration matrix are renewed follow
//! Hindmarsh et al., "SUNDIALS", ACM TOMS 31 (2005) 363–396, section 2.1 (CVODE): the
//! matrix `I − c·J` is refactored only when `c` has moved by more than 30 % since the last
//! factorisation, the Jacobian is re-evaluated only when the Newton iteration fails to
//! converge with a stale one, and a correction computed with a stale `c` is scaled by
//! `2/(1 + c/c_lu)`.
//!
//! Each step therefore costs one to four right-hand sides and as many solves with the
//! factorisation at hand, against [`Rodas4`](super::solver::Rodas4)'s Jacobian,
//! factorisation, six right-hand sides and six solves. BDF takes more steps at the same
//! tolerance and must restart at order 1 after every discontinuity, so it suits long runs
//! with few restarts (`simulate_circuits`); RODAS4 suits the hypervisor's short
//! 30-second segments.
//!
//! Determinism, as in [`solver`](super::solver): only `+ − × ÷` and `sqrt`. The step-size
//! factors `err^(−1/k)` are roots taken by Newton's method on `r^k = err` (`inv_root`),
//! never `powf`, so the same inputs give the same bits natively and in wasm.

// Index loops over several parallel arrays read better than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use super::linalg::LinearSolver;
use super::ode::OdeSystem;
use super::solver::{begin, initial_step, SolveError, SolverOptions, SolverStats};

/// Highest order.
const MAX_ORDER: usize = 5;
/// Newton iterations per attempt.
const NEWTON_MAXITER: usize = 4;
/// Step-size factor bounds after a rejection and after an accepted step.
const MIN_FACTOR: f64 = 0.2;
const MAX_FACTOR: f64 = 10.0;
/// The iteration matrix is kept while `c` stays within this relative distance of the `c`
/// it was factored at (CVODE's `DGMAX`).
const C_DRIFT: f64 = 0.3;

/// NDF coefficients κ_k (Shampine & Reichelt 1997, table 1; κ_1 = −0.1850 as there, BDF
/// for order 5).
const KAPPA: [f64; MAX_ORDER + 1] = [0.0, -0.1850, -1.0 / 9.0, -0.0823, -0.0415, 0.0];

/// γ_k = Σ_{j ≤ k} 1/j, α_k = (1 − κ_k)·γ_k and the error constants κ_k·γ_k + 1/(k + 1).
struct Coefficients {
    gamma: [f64; MAX_ORDER + 1],
    alpha: [f64; MAX_ORDER + 1],
    error: [f64; MAX_ORDER + 1],
}

fn coefficients() -> Coefficients {
    let mut gamma = [0.0; MAX_ORDER + 1];
    for k in 1..=MAX_ORDER {
        gamma[k] = gamma[k - 1] + 1.0 / k as f64;
    }
    let mut alpha = [0.0; MAX_ORDER + 1];
    let mut error = [0.0; MAX_ORDER + 1];
    for k in 0..=MAX_ORDER {
        alpha[k] = (1.0 - KAPPA[k]) * gamma[k];
        error[k] = KAPPA[k] * gamma[k] + 1.0 / (k + 1) as f64;
    }
    Coefficients {
        gamma,
        alpha,
        error,
    }
}

/// `x^(−1/k)` for `x ≥ 0` (∞ at 0, 0 at ∞), to the accuracy a step-size factor needs,
/// by Newton's method from an over-estimate built from `x`'s binary exponent.
pub(crate) fn inv_root(x: f64, k: usize) -> f64 {
    if x == 0.0 {
        return f64::INFINITY;
    }
    if !x.is_finite() || k == 0 {
        return 0.0;
    }
    if k == 1 {
        return 1.0 / x;
    }
    // Factors are clamped to [MIN_FACTOR, MAX_FACTOR] by every caller, so roots outside
    // [1e-3, 1e3] need no precision: clamp x to keep the exponent arithmetic in range.
    let kf = k as f64;
    let mut lo = 1e-3;
    let mut hi = 1e3;
    for _ in 1..k {
        lo *= 1e-3;
        hi *= 1e3;
    }
    let x = x.clamp(lo, hi);
    // x = m·2^e with m in [1, 2): r0 = 2^ceil((e + 1)/k) ≥ x^(1/k).
    let e = ((x.to_bits() >> 52) & 0x7ff) as i64 - 1023;
    let p = (e + 1).div_euclid(k as i64) + i64::from((e + 1).rem_euclid(k as i64) != 0);
    let mut r = f64::from_bits(((p + 1023) as u64) << 52);
    // Newton on r^k − x from above decreases monotonically to the root.
    for _ in 0..60 {
        let mut rk1 = 1.0; // r^(k−1)
        for _ in 1..k {
            rk1 *= r;
        }
        let next = r - (r * rk1 - x) / (kf * rk1);
        if next >= r || next.is_nan() {
            break;
        }
        r = next;
    }
    1.0 / r
}

/// The NDF integrator with its work arrays (reusable across runs of the same size) and its
/// linear solver.
#[derive(Debug, Clone)]
pub struct Bdf<L> {
    n: usize,
    lin: L,
    /// Backward differences D_0..D_{MAX_ORDER+2}, row i at `[i·n, (i+1)·n)`.
    d: Vec<f64>,
    dtmp: Vec<f64>,
    ypred: Vec<f64>,
    psi: Vec<f64>,
    ynew: Vec<f64>,
    dcor: Vec<f64>,
    f: Vec<f64>,
    dy: Vec<f64>,
    /// Inverse error scales 1/(atol + rtol·|y|).
    weight: Vec<f64>,
    yout: Vec<f64>,
    h_next: f64,
}

impl<L> Bdf<L> {
    /// With the given linear solver (sized for `n` states).
    pub fn with_solver(n: usize, lin: L) -> Self {
        let v = || vec![0.0; n];
        Bdf {
            n,
            lin,
            d: vec![0.0; (MAX_ORDER + 3) * n],
            dtmp: vec![0.0; (MAX_ORDER + 1) * n],
            ypred: v(),
            psi: v(),
            ynew: v(),
            dcor: v(),
            f: v(),
            dy: v(),
            weight: v(),
            yout: v(),
            h_next: 0.0,
        }
    }

    /// The step size at the end of the last integration (0 before any).
    pub fn proposed_step(&self) -> f64 {
        self.h_next
    }

    /// Integrate `sys` from `(t0, y)` to the last of `t_out`, with the contract of
    /// [`Rodas4::integrate`](super::solver::Rodas4::integrate): `sink(i, y(t_out[i]))` in
    /// order, `y` left at the last output time. With `nonnegative`, a step that leaves a
    /// component below `−(atol + rtol·|y|)` is rejected, and outputs (and the final state)
    /// are clipped at 0; the difference history itself is never clipped, which would
    /// break the formulas.
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
        let co = coefficients();
        let (rtol, atol) = (opts.rtol, opts.atol);
        let span = t_end - t0;
        let h_max = opts.h_max.unwrap_or(span).min(span);
        let newton_tol = (10.0 * f64::EPSILON / rtol).max(0.03f64.min(rtol.sqrt()));

        sys.rhs(y, &mut self.f);
        stats.rhs_evals += 1;
        let mut h = match opts.h_init {
            Some(h) if h > 0.0 => h,
            _ => {
                stats.rhs_evals += 1;
                initial_step(sys, y, &self.f, &mut self.ynew, &mut self.dy, rtol, atol, 2)
            }
        }
        .min(h_max);
        self.d.iter_mut().for_each(|v| *v = 0.0);
        for i in 0..n {
            self.d[i] = y[i];
            self.d[n + i] = h * self.f[i];
        }
        self.lin.set_jacobian(sys, y);
        stats.jacobian_evals += 1;
        let mut jac_current = true;
        let mut c_lu: Option<f64> = None;
        let mut order = 1;
        let mut n_equal = 0;
        let mut t = t0;

        while t < t_end {
            // One accepted step, after as many attempts as it takes.
            let (t_new, err_norm, safety) = loop {
                if stats.accepted + stats.rejected >= opts.max_steps {
                    return Err(SolveError::TooManySteps {
                        t,
                        steps: opts.max_steps,
                    });
                }
                if h <= (t.abs() + span) * 1e-14 || !h.is_finite() {
                    return Err(SolveError::StepSizeUnderflow { t, h });
                }
                let remaining = t_end - t;
                let last = h >= remaining * (1.0 - 1e-12);
                if last && h != remaining {
                    self.change_d(order, remaining / h);
                    h = remaining;
                    n_equal = 0;
                }
                let t_new = if last { t_end } else { t + h };
                self.predict(order, &co, atol, rtol);
                let c = h / co.alpha[order];
                let mut converged = false;
                let mut iters = 0;
                loop {
                    let stale = c_lu.is_none_or(|cl| (c / cl - 1.0).abs() > C_DRIFT);
                    let factored = if stale {
                        stats.lu_decompositions += 1;
                        let ok = self.lin.factor(1.0 / c);
                        c_lu = ok.then_some(c);
                        ok
                    } else {
                        true
                    };
                    if factored {
                        let cl = c_lu.unwrap_or(c);
                        let (ok, k) = self.newton(sys, c, cl, newton_tol, &mut stats);
                        converged = ok;
                        iters = k;
                    }
                    if converged || jac_current {
                        break;
                    }
                    self.lin.set_jacobian(sys, &self.ypred);
                    stats.jacobian_evals += 1;
                    jac_current = true;
                    c_lu = None;
                }
                if !converged {
                    stats.rejected += 1;
                    self.change_d(order, 0.5);
                    h *= 0.5;
                    n_equal = 0;
                    continue;
                }
                let safety =
                    0.9 * (2 * NEWTON_MAXITER + 1) as f64 / (2 * NEWTON_MAXITER + iters) as f64;
                let mut err = 0.0;
                let mut negative = false;
                for i in 0..n {
                    let yn = self.ynew[i];
                    let wk = 1.0 / (atol + rtol * yn.abs());
                    self.weight[i] = wk;
                    let e = co.error[order] * self.dcor[i] * wk;
                    err += e * e;
                    if opts.nonnegative
                        && yn < 0.0
                        && yn < -(atol + rtol * self.ypred[i].abs().max(yn.abs()))
                    {
                        negative = true;
                    }
                }
                let err_norm = (err / n as f64).sqrt();
                if err_norm.is_nan() || err_norm > 1.0 || negative {
                    stats.rejected += 1;
                    let factor = if negative || err_norm.is_nan() {
                        0.5
                    } else {
                        MIN_FACTOR.max(safety * inv_root(err_norm, order + 1))
                    };
                    self.change_d(order, factor);
                    h *= factor;
                    n_equal = 0;
                    continue;
                }
                break (t_new, err_norm, safety);
            };

            // Accepted: update the differences (D_{q+2} = d − D_{q+1}, D_{q+1} = d,
            // D_i += D_{i+1} for i = q..0).
            stats.accepted += 1;
            n_equal += 1;
            let q = order;
            for i in 0..n {
                let dq1 = self.d[(q + 1) * n + i];
                self.d[(q + 2) * n + i] = self.dcor[i] - dq1;
                self.d[(q + 1) * n + i] = self.dcor[i];
            }
            for j in (0..=q).rev() {
                let (lo, hi) = self.d.split_at_mut((j + 1) * n);
                for (a, b) in lo[j * n..].iter_mut().zip(&hi[..n]) {
                    *a += *b;
                }
            }
            while next < t_out.len() && t_out[next] <= t_new {
                let tt = t_out[next];
                if tt >= t_new {
                    self.yout.copy_from_slice(&self.d[..n]);
                } else {
                    self.dense(q, t_new, h, tt);
                }
                if opts.nonnegative {
                    self.yout.iter_mut().for_each(|v| *v = v.max(0.0));
                }
                sink(next, &self.yout);
                next += 1;
            }
            t = t_new;
            jac_current = false;
            if n_equal < q + 1 {
                continue;
            }
            // Order and step-size selection from the error estimates at q − 1, q, q + 1.
            let norm_of = |row: usize, ec: f64, d: &[f64], weight: &[f64]| {
                let mut s = 0.0;
                for i in 0..n {
                    let e = ec * d[row * n + i] * weight[i];
                    s += e * e;
                }
                (s / n as f64).sqrt()
            };
            let err_m = if q > 1 {
                norm_of(q, co.error[q - 1], &self.d, &self.weight)
            } else {
                f64::INFINITY
            };
            let err_p = if q < MAX_ORDER {
                norm_of(q + 2, co.error[q + 1], &self.d, &self.weight)
            } else {
                f64::INFINITY
            };
            let factors = [
                inv_root(err_m, q),
                inv_root(err_norm, q + 1),
                inv_root(err_p, q + 2),
            ];
            let mut best = 1;
            for (i, f) in factors.iter().enumerate() {
                if *f > factors[best] {
                    best = i;
                }
            }
            order = q + best - 1;
            let mut factor = MAX_FACTOR.min(safety * factors[best]);
            if h * factor > h_max {
                factor = h_max / h;
            }
            self.change_d(order, factor);
            h *= factor;
            n_equal = 0;
        }
        self.h_next = h;
        y.copy_from_slice(&self.d[..n]);
        if opts.nonnegative {
            y.iter_mut().for_each(|v| *v = v.max(0.0));
        }
        while next < t_out.len() {
            sink(next, y);
            next += 1;
        }
        Ok(stats)
    }

    /// Predictor `Σ_{i ≤ q} D_i`, the weights `1/(atol + rtol·|y|)` at it, and
    /// `ψ = Σ_{1 ≤ i ≤ q} γ_i·D_i / α_q`.
    fn predict(&mut self, q: usize, co: &Coefficients, atol: f64, rtol: f64) {
        let n = self.n;
        let (d0, rest) = self.d.split_at(n);
        self.ypred.copy_from_slice(d0);
        self.psi.iter_mut().for_each(|v| *v = 0.0);
        for (j, dj) in rest.chunks_exact(n).take(q).enumerate() {
            let g = co.gamma[j + 1];
            for ((yp, ps), &x) in self.ypred.iter_mut().zip(&mut self.psi).zip(dj) {
                *yp += x;
                *ps += g * x;
            }
        }
        let inv_alpha = 1.0 / co.alpha[q];
        for i in 0..n {
            self.psi[i] *= inv_alpha;
            self.weight[i] = 1.0 / (atol + rtol * self.ypred[i].abs());
        }
    }

    /// The simplified Newton iteration for `d` in `c·f(y_pred + d) − ψ − d = 0` with the
    /// factorisation of `I − c_lu·J`. Leaves `y = y_pred + d` in `ynew` and `d` in `dcor`;
    /// returns whether it converged and the iterations used.
    fn newton<S: OdeSystem + ?Sized>(
        &mut self,
        sys: &S,
        c: f64,
        c_lu: f64,
        tol: f64,
        stats: &mut SolverStats,
    ) -> (bool, usize)
    where
        L: LinearSolver<S>,
    {
        let n = self.n;
        self.ynew.copy_from_slice(&self.ypred);
        self.dcor.iter_mut().for_each(|v| *v = 0.0);
        // (I − c_lu·J)⁻¹ b is the solve of (I/c_lu − J) x = b/c_lu; a stale c is corrected
        // by 2/(1 + c/c_lu) (CVODE).
        let post = 2.0 / (1.0 + c / c_lu) / c_lu;
        let mut old: Option<f64> = None;
        for k in 0..NEWTON_MAXITER {
            sys.rhs(&self.ynew, &mut self.f);
            stats.rhs_evals += 1;
            // A non-finite f gives a non-finite correction, caught by its norm below.
            for i in 0..n {
                self.dy[i] = (c * self.f[i] - self.psi[i] - self.dcor[i]) * post;
            }
            self.lin.solve(&mut self.dy);
            let mut s = 0.0;
            for i in 0..n {
                let e = self.dy[i] * self.weight[i];
                s += e * e;
            }
            let norm = (s / n as f64).sqrt();
            if !norm.is_finite() {
                return (false, k + 1);
            }
            let rate = old.map(|o| norm / o);
            if let Some(r) = rate {
                let mut rk = 1.0;
                for _ in k..NEWTON_MAXITER {
                    rk *= r;
                }
                if r >= 1.0 || rk / (1.0 - r) * norm > tol {
                    return (false, k + 1);
                }
            }
            for i in 0..n {
                self.ynew[i] += self.dy[i];
                self.dcor[i] += self.dy[i];
            }
            if norm == 0.0 || rate.is_some_and(|r| r / (1.0 - r) * norm < tol) {
                return (true, k + 1);
            }
            old = Some(norm);
        }
        (false, NEWTON_MAXITER)
    }

    /// Rescale D_0..D_q from step h to `factor·h`: `D ← (R·U)ᵀ D` (Shampine & Reichelt
    /// 1997, eq. 2.6), with `R_ij = Π_{l ≤ i} (l − 1 − factor·j)/l` and `U` the same at 1.
    fn change_d(&mut self, q: usize, factor: f64) {
        if factor == 1.0 {
            return;
        }
        let n = self.n;
        let r = r_matrix(q, factor);
        let u = r_matrix(q, 1.0);
        let mut ru = [[0.0; MAX_ORDER + 1]; MAX_ORDER + 1];
        for i in 0..=q {
            for j in 0..=q {
                let mut s = 0.0;
                for l in 0..=q {
                    s += r[i][l] * u[l][j];
                }
                ru[i][j] = s;
            }
        }
        for j in 0..=q {
            let out = &mut self.dtmp[j * n..(j + 1) * n];
            out.iter_mut().for_each(|v| *v = 0.0);
            for i in 0..=q {
                let w = ru[i][j];
                if w != 0.0 {
                    for (o, &di) in out.iter_mut().zip(&self.d[i * n..(i + 1) * n]) {
                        *o += w * di;
                    }
                }
            }
        }
        self.d[..(q + 1) * n].copy_from_slice(&self.dtmp[..(q + 1) * n]);
    }

    /// The interpolating polynomial of the last step (order q, size h, ending at `t1`)
    /// at `tt`, into `yout`.
    fn dense(&mut self, q: usize, t1: f64, h: f64, tt: f64) {
        let n = self.n;
        self.yout.copy_from_slice(&self.d[..n]);
        let mut p = 1.0;
        for j in 0..q {
            p *= (tt - (t1 - h * j as f64)) / (h * (j + 1) as f64);
            for (o, &dj) in self.yout.iter_mut().zip(&self.d[(j + 1) * n..(j + 2) * n]) {
                *o += p * dj;
            }
        }
    }
}

/// Shampine & Reichelt's R for order q and step ratio ρ (entries 0..=q).
fn r_matrix(q: usize, rho: f64) -> [[f64; MAX_ORDER + 1]; MAX_ORDER + 1] {
    let mut r = [[0.0; MAX_ORDER + 1]; MAX_ORDER + 1];
    for j in 0..=q {
        r[0][j] = 1.0;
    }
    for i in 1..=q {
        for j in 1..=q {
            r[i][j] = r[i - 1][j] * ((i as f64 - 1.0 - rho * j as f64) / i as f64);
        }
    }
    r
}

#[cfg(test)]
#[path = "bdf_tests.rs"]
mod tests;
