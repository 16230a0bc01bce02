//! Guest gene circuits (issue 15): genes whose promoters are repressed or activated by the
//! proteins of other genes and by inducers in the medium, running on the kinetic host.
//!
//! - [`types`]: the description ([`Circuit`], [`Gene`], [`Regulation`], [`Inducer`],
//!   [`Mode`], [`Effect`]), the same JSON shape in Rust, JS, sessions and the CLI;
//!   [`parse`] reads it from JSON values naming the path of every problem;
//!   [`validate`] holds the rules (names, ranges, regulators of the same circuit).
//! - [`promoter`]: promoter activity f = leak + (1 − leak)·Π h as pure functions;
//!   [`medium`]: inducer concentrations shared by every circuit of a host.
//! - [`compile`](mod@compile): circuits as the Weiße model's heterologous genes with regulated promoters
//!   (`crate::kinetics::regulation` holds the rate law the integrator evaluates).
//! - [`library`]: the built-in circuits with their sources ([`supported_circuits`]).
//! - [`simulate_circuits`]: the bare model with inducer schedules ([`CircuitOptions`]).
//!
//! A circuit gene is a heterologous gene of the Weiße model: transcription
//! ω = w·f·a/(θ_nr + a), the host's mRNA decay, ribosome binding and translation, its
//! complexes count in λ, and dp/dt = ν − (λ + degradation)·p. Regulation stays inside a
//! circuit; circuits in one host interact only through the shared machinery and medium.
//!
//! Plain Rust (feature `kinetics`), no wall clock, no wasm or JS types. Bad input is
//! refused with a coded error naming the path (`circuits[0].genes[1].regulation[0].by`):
//! `InvalidConfig` for a circuit on its own, `InvalidArgument` for `simulate_circuits`.

pub mod compile;
pub mod library;
pub mod medium;
pub mod options;
pub mod parse;
pub mod promoter;
mod simulate;
pub mod types;
pub mod validate;

pub use compile::{compile, Compiled};
pub use library::{
    circuit_from_json, library_circuit, library_ids, supported_circuits, LibraryCircuit,
};
pub use medium::Medium;
pub use options::CircuitOptions;
pub use simulate::{simulate_circuits, CircuitResult, CircuitSeries, GeneSeries, HostSeries};
pub use types::{Circuit, Effect, Gene, Inducer, Mode, Regulation};
