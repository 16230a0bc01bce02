//! The choice of stiff integrator for a whole-run simulation: [`Method`] (what a user asks
//! for, `"bdf"` or `"rodas4"`) and [`Integrator`] (one of the two, behind the shared
//! `integrate` contract of [`Rodas4::integrate`]).
//!
//! - `bdf` ([`Bdf`], the default of `simulate_circuits`): keeps its Jacobian and
//!   factorisation over many steps, so a step costs one to four right-hand sides. Measured
//!   natively at rtol 1e-6 (`node bench/circuits.mjs`, two runs): the toggle with an IPTG
//!   pulse over 10⁴ min 0.50–0.53 ms against RODAS4's 1.38 ms, the repressilator over 10⁴
//!   min 3.4–3.7 ms, 8 repressilators 18.9–19.4 ms against 118 ms.
//! - `rodas4` ([`Rodas4`]): a one-step method whose error per tolerance is smaller on
//!   oscillators. The repressilator after 2000 min agrees with libRoadRunner (CVODE at rtol
//!   1e-12) within 6.5e-8 at rtol 1e-10; BDF within 1.6e-6 at rtol 1e-10 and 5.9e-8 at
//!   1e-12 (`tests/sbml.rs`). The hypervisor's kinetic machinery and `simulate_weisse` use
//!   RODAS4.

use serde::{Deserialize, Serialize};

use super::bdf::Bdf;
use super::linalg::LinearSolver;
use super::ode::OdeSystem;
use super::solver::{Rodas4, SolveError, SolverOptions, SolverStats};

/// Which integrator runs a simulation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// Variable-order NDF/BDF (orders 1–5).
    #[default]
    Bdf,
    /// The Rosenbrock method RODAS4.
    Rodas4,
}

impl Method {
    /// Every method, as named in options.
    pub const ALL: [Method; 2] = [Method::Bdf, Method::Rodas4];

    /// The name used in options (`"bdf"`, `"rodas4"`).
    pub fn name(self) -> &'static str {
        match self {
            Method::Bdf => "bdf",
            Method::Rodas4 => "rodas4",
        }
    }

    /// The method of that name.
    pub fn from_name(name: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// One of the integrators, with its work arrays and linear solver.
#[derive(Debug, Clone)]
pub enum Integrator<L> {
    Bdf(Bdf<L>),
    Rodas4(Rodas4<L>),
}

impl<L> Integrator<L> {
    /// The integrator `method` for `n` states with the linear solver `lin`.
    pub fn new(method: Method, n: usize, lin: L) -> Self {
        match method {
            Method::Bdf => Integrator::Bdf(Bdf::with_solver(n, lin)),
            Method::Rodas4 => Integrator::Rodas4(Rodas4::with_solver(n, lin)),
        }
    }

    /// Integrate with the contract of [`Rodas4::integrate`].
    pub fn integrate<S: OdeSystem + ?Sized>(
        &mut self,
        sys: &S,
        t0: f64,
        y: &mut [f64],
        t_out: &[f64],
        opts: &SolverOptions,
        sink: impl FnMut(usize, &[f64]),
    ) -> Result<SolverStats, SolveError>
    where
        L: LinearSolver<S>,
    {
        match self {
            Integrator::Bdf(b) => b.integrate(sys, t0, y, t_out, opts, sink),
            Integrator::Rodas4(r) => r.integrate(sys, t0, y, t_out, opts, sink),
        }
    }
}
