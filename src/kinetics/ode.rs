//! The ODE system trait: what the integrator ([`solver`](super::solver)) and its linear
//! algebra ([`linalg`](super::linalg)) both need from a model, below both of them.

/// An autonomous ODE system `y' = f(y)` with its Jacobian.
pub trait OdeSystem {
    /// Number of states.
    fn dim(&self) -> usize;
    /// `dy = f(y)`.
    fn rhs(&self, y: &[f64], dy: &mut [f64]);
    /// `jac[i * n + j] = ∂f_i/∂y_j` (row-major, `n = dim()`); `jac` arrives zeroed.
    fn jacobian(&self, y: &[f64], jac: &mut [f64]);
}

/// Test support: the analytic Jacobian of `sys` at `y` against central finite differences,
/// entry by entry (relative to the entry, with a floor at the row's largest
/// |∂f_i/∂y_k·y_k|, below which central differences are round-off). `names` labels the
/// states in the message when given. Returns the analytic Jacobian for further checks.
#[cfg(test)]
pub(crate) fn assert_jacobian_matches_fd(
    sys: &impl OdeSystem,
    y: &[f64],
    names: &[String],
) -> Vec<f64> {
    let n = sys.dim();
    let mut jac = vec![0.0; n * n];
    sys.jacobian(y, &mut jac);
    let (mut f0, mut f1) = (vec![0.0; n], vec![0.0; n]);
    let label = |i: usize| names.get(i).map_or_else(|| i.to_string(), |s| s.clone());
    for j in 0..n {
        let h = 1e-6 * y[j].abs().max(1.0);
        let mut yp = y.to_vec();
        yp[j] += h;
        sys.rhs(&yp, &mut f1);
        let mut ym = y.to_vec();
        ym[j] -= h;
        sys.rhs(&ym, &mut f0);
        for i in 0..n {
            let fd = (f1[i] - f0[i]) / (2.0 * h);
            let an = jac[i * n + j];
            let row_scale = (0..n)
                .map(|k| (jac[i * n + k] * y[k].abs().max(1.0)).abs())
                .fold(0.0, f64::max)
                / y[j].abs().max(1.0);
            assert!(
                (fd - an).abs() <= 1e-5 * fd.abs().max(an.abs()) + 1e-8 * row_scale,
                "J[{i}][{j}] ({} wrt {}): analytic {an}, finite difference {fd}",
                label(i),
                label(j)
            );
        }
    }
    jac
}
