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

/// Test problems shared by the integrators' tests.
#[cfg(test)]
pub(crate) mod problems {
    use super::OdeSystem;

    /// Robertson's chemical kinetics, the classic stiff test.
    pub(crate) struct Robertson;
    impl OdeSystem for Robertson {
        fn dim(&self) -> usize {
            3
        }
        fn rhs(&self, y: &[f64], dy: &mut [f64]) {
            dy[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
            dy[1] = 0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] * y[1];
            dy[2] = 3e7 * y[1] * y[1];
        }
        fn jacobian(&self, y: &[f64], j: &mut [f64]) {
            j[0] = -0.04;
            j[1] = 1e4 * y[2];
            j[2] = 1e4 * y[1];
            j[3] = 0.04;
            j[4] = -1e4 * y[2] - 6e7 * y[1];
            j[5] = -1e4 * y[1];
            j[7] = 6e7 * y[1];
        }
    }

    /// y1' = −y1 + y2², y2' = −2·y2 with y(0) = (1, 1): y2 = e^{−2t},
    /// y1 = (4/3)·e^{−t} − e^{−4t}/3. Nonlinear, with a closed-form solution.
    pub(crate) struct Exact;
    impl OdeSystem for Exact {
        fn dim(&self) -> usize {
            2
        }
        fn rhs(&self, y: &[f64], dy: &mut [f64]) {
            dy[0] = -y[0] + y[1] * y[1];
            dy[1] = -2.0 * y[1];
        }
        fn jacobian(&self, y: &[f64], j: &mut [f64]) {
            j[0] = -1.0;
            j[1] = 2.0 * y[1];
            j[3] = -2.0;
        }
    }
    pub(crate) fn exact(t: f64) -> [f64; 2] {
        [
            (1.0 + 1.0 / 3.0) * (-t).exp() - (-4.0 * t).exp() / 3.0,
            (-2.0 * t).exp(),
        ]
    }
}
