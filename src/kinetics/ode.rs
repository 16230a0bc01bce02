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
