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
//! factorisation, the Jacobian is re-evaluated when the Newton iteration fails to converge
//! with a stale one and every 50 accepted steps, a correction computed with a stale `c` is
//! scaled by `2/(1 + c/c_lu)`, the convergence test uses a rate estimate carried across
//! steps (so a step can converge after one iteration), and a step-size increase below
//! 1.5× is not taken.
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
/// The Newton iteration has converged when its estimated remaining error, `‖δ‖·min(1,
/// rate)`, is below this fraction of the local error the step may have (in the error
/// test's units, so the tolerance on `‖δ‖` is `NEWTON_TOL / error constant`). CVODE uses
/// 0.1; on the circuit models 0.1 made the order selection noisy (its high-order
/// differences carry the Newton error): the repressilator over 10⁴ min took 10,195 steps
/// against 4,957 at 0.01 and 5,223 at 0.001 (rtol 1e-6, with the other rules here).
const NEWTON_TOL: f64 = 0.01;
/// The rate estimate decays by at most this factor per iteration (CVODE's `CRDOWN`), and
/// an iteration whose correction grows by more than `R_DIV` diverges (CVODE's `RDIV`).
const CR_DOWN: f64 = 0.3;
const R_DIV: f64 = 2.0;
/// The Jacobian is re-evaluated after this many accepted steps even if Newton converges
/// (CVODE's `MSBJ`), so that the carried rate estimate stays honest.
const JACOBIAN_EVERY: usize = 50;
/// A step-size increase smaller than this is not taken (CVODE's `THRESH`): it would cost
/// a rescaling of the differences and soon a refactorisation for little gain.
const STEP_UP_MIN: f64 = 1.5;

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
    if k == 2 {
        return 1.0 / x.sqrt();
    }
    if k == 4 {
        return 1.0 / x.sqrt().sqrt();
    }
    // A first guess within about 6 % from the bits of x (the exponent field divided by k,
    // the mantissa as its linear approximation of log2), then Newton on r^k − x, which
    // converges quadratically: 6e-2, 4e-3, 2e-5, 4e-10, below 1 ulp.
    let bias = 1023i64 << 52;
    let bits = x.to_bits() as i64;
    let mut r = f64::from_bits(((bits - bias) / k as i64 + bias) as u64);
    for _ in 0..5 {
        let mut rk1 = 1.0; // r^(k−1)
        for _ in 1..k {
            rk1 *= r;
        }
        r -= (r * rk1 - x) / (kf * rk1);
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
    /// The Newton iteration's convergence-rate estimate, carried across steps and reset
    /// to 1 at every factorisation (CVODE's `crate`).
    rate: f64,
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
            rate: 1.0,
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
        // Accepted steps since the Jacobian was evaluated.
        let mut since_j = 0;

        while t < t_end {
            if since_j >= JACOBIAN_EVERY && !jac_current {
                self.lin.set_jacobian(sys, &self.d[..n]);
                stats.jacobian_evals += 1;
                jac_current = true;
                c_lu = None;
                since_j = 0;
            }
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
                        self.rate = 1.0;
                        ok
                    } else {
                        true
                    };
                    if factored {
                        let cl = c_lu.unwrap_or(c);
                        let (ok, k) =
                            self.newton(sys, c, cl, NEWTON_TOL / co.error[order], &mut stats);
                        converged = ok;
                        iters = k;
                    }
                    if converged || jac_current {
                        break;
                    }
                    self.lin.set_jacobian(sys, &self.ypred);
                    stats.jacobian_evals += 1;
                    jac_current = true;
                    since_j = 0;
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
                let err_norm = rms(&self.dcor, &self.weight, co.error[order]);
                let negative =
                    opts.nonnegative
                        && self.ynew.iter().zip(&self.ypred).any(|(&yn, &yp)| {
                            yn < 0.0 && yn < -(atol + rtol * yp.abs().max(yn.abs()))
                        });
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
            since_j += 1;
            n_equal += 1;
            let q = order;
            {
                let (d1, d2) = self.d[(q + 1) * n..(q + 3) * n].split_at_mut(n);
                for ((a, b), &dc) in d1.iter_mut().zip(d2.iter_mut()).zip(&self.dcor) {
                    *b = dc - *a;
                    *a = dc;
                }
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
            let row = |i: usize| &self.d[i * n..(i + 1) * n];
            let err_m = if q > 1 {
                rms(row(q), &self.weight, co.error[q - 1])
            } else {
                f64::INFINITY
            };
            let err_p = if q < MAX_ORDER {
                rms(row(q + 2), &self.weight, co.error[q + 1])
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
            if factor > 1.0 && factor < STEP_UP_MIN {
                factor = 1.0;
            }
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
        self.ynew.copy_from_slice(&self.ypred);
        self.dcor.iter_mut().for_each(|v| *v = 0.0);
        // (I − c_lu·J)⁻¹ b is the solve of (I/c_lu − J) x = b/c_lu; a stale c is corrected
        // by 2/(1 + c/c_lu) (CVODE).
        let post = 2.0 / (1.0 + c / c_lu) / c_lu;
        let mut old = 0.0;
        for k in 0..NEWTON_MAXITER {
            sys.rhs(&self.ynew, &mut self.f);
            stats.rhs_evals += 1;
            // A non-finite f gives a non-finite correction, caught by its norm below.
            for (((dy, &f), &ps), &dc) in self
                .dy
                .iter_mut()
                .zip(&self.f)
                .zip(&self.psi)
                .zip(&self.dcor)
            {
                *dy = (c * f - ps - dc) * post;
            }
            self.lin.solve(&mut self.dy);
            // The correction's norm, and the correction applied (a failed iteration's
            // iterate is never used: the step is retried from the prediction).
            let norm = add_and_norm(&self.dy, &self.weight, &mut self.ynew, &mut self.dcor);
            if !norm.is_finite() {
                return (false, k + 1);
            }
            if k > 0 {
                self.rate = (CR_DOWN * self.rate).max(norm / old);
            }
            if norm * self.rate.min(1.0) <= tol {
                return (true, k + 1);
            }
            if k > 0 && norm > R_DIV * old {
                return (false, k + 1);
            }
            old = norm;
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

/// The weighted RMS norm `|ec|·sqrt(Σ (x_i·w_i)² / n)`, summed in four interleaved partial
/// sums (a fixed order, so the same bits everywhere) that the compiler can keep in vector
/// registers instead of one long chain of dependent additions.
fn rms(x: &[f64], w: &[f64], ec: f64) -> f64 {
    let mut acc = [0.0f64; 4];
    let (xc, wc) = (x.chunks_exact(4), w.chunks_exact(4));
    let (xr, wr) = (xc.remainder(), wc.remainder());
    for (a, b) in xc.zip(wc) {
        for k in 0..4 {
            let e = a[k] * b[k];
            acc[k] += e * e;
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (&a, &b) in xr.iter().zip(wr) {
        let e = a * b;
        s += e * e;
    }
    ec.abs() * (s / x.len() as f64).sqrt()
}

/// `y += dy`, `dcor += dy`, and `rms(dy, w, 1)` in the same pass (the same partial sums).
fn add_and_norm(dy: &[f64], w: &[f64], y: &mut [f64], dcor: &mut [f64]) -> f64 {
    let n = dy.len();
    let mut acc = [0.0f64; 4];
    let split = n - n % 4;
    let (d4, dr) = dy.split_at(split);
    let (w4, wr) = w.split_at(split);
    let (y4, yr) = y.split_at_mut(split);
    let (c4, cr) = dcor.split_at_mut(split);
    for (((d, w), y), c) in d4
        .chunks_exact(4)
        .zip(w4.chunks_exact(4))
        .zip(y4.chunks_exact_mut(4))
        .zip(c4.chunks_exact_mut(4))
    {
        for k in 0..4 {
            let e = d[k] * w[k];
            acc[k] += e * e;
            y[k] += d[k];
            c[k] += d[k];
        }
    }
    let mut s = (acc[0] + acc[1]) + (acc[2] + acc[3]);
    for (((&d, &w), y), c) in dr.iter().zip(wr).zip(yr).zip(cr) {
        let e = d * w;
        s += e * e;
        *y += d;
        *c += d;
    }
    (s / n as f64).sqrt()
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
