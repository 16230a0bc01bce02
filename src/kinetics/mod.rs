//! Kinetic host–circuit machinery: the Weiße et al. 2015 model of a growing E. coli cell
//! whose expression machinery is shared with heterologous ("VM") genes.
//!
//! - [`params`]: the paper's parameters (Table S1, each with its source) and [`Gene`];
//!   [`calibration`]: rescaled sets for syn3a and yeast and how they were calibrated.
//! - [`model`]: states, equations, analytic Jacobian and conservation laws.
//! - [`regulation`]: regulated promoters and protein degradation of heterologous genes
//!   (the rate law of gene circuits; the circuit descriptions are `crate::circuits`).
//! - [`orthogonal`]: the Darlington et al. 2018 host with an orthogonal-ribosome pool
//!   (selected by [`WeisseOptions::orthogonal`]); heterologous genes use o-ribosomes only.
//! - [`solver`]: a deterministic stiff integrator (RODAS4: 6-stage, order-4 Rosenbrock with
//!   an embedded order-3 error estimate and order-3 dense output) that runs the same natively
//!   and in wasm; [`linalg`]: its linear algebra, dense LU or an O(n) bordered block solver
//!   that exploits the model's structure (each gene's mRNA/complex/protein block, the
//!   energy and ribosome border, and λ's rank-one dilution term).
//! - [`bdf`]: a variable-order (1–5) NDF integrator that keeps its Jacobian and
//!   factorisation over many steps, for long runs with few restarts;
//!   [`integrator`]: the choice between the two ([`Method`](integrator::Method)), BDF by
//!   default for `simulate_circuits`.
//! - [`simulate_weisse`]: the direct entry point (time courses of every state and of λ).
//! - [`weisse_steady_state`]: steady state (λ, ribosomal mass fraction) by integration to
//!   convergence, polished by Newton's method on f(y) = 0.
//!
//! Plain Rust, no wall clock, no wasm or JS types; bad options are refused with
//! [`BioxenError::InvalidArgument`](crate::BioxenError::InvalidArgument) naming the option.

pub mod bdf;
pub mod calibration;
mod circuit;
pub mod host;
pub mod integrator;
pub mod linalg;
pub mod model;
pub mod ode;
pub mod orthogonal;
pub mod params;
pub mod regulation;
mod simulate;
pub mod solver;
mod steady;

pub(crate) use circuit::{check_nonneg, check_tol};
pub use circuit::{HostCircuit, MAX_GENES};
pub use model::{state_index, state_names, WeisseModel};
pub use orthogonal::{OrthoParams, OrthogonalModel};
pub use params::{Gene, WeisseParams};
pub use regulation::{GeneControl, Promoter, Term};
pub(crate) use simulate::output_grid;
pub use simulate::{simulate_weisse, WeisseOptions, WeisseResult, MAX_POINTS};
pub use steady::{weisse_steady_state, SteadyState, SteadyStateOptions};
