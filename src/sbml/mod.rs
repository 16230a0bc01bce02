//! SBML export: models written as SBML Level 3 Version 2 core, so that COPASI, Tellurium and
//! libRoadRunner can reproduce a run. [`math`] holds the expression tree and its MathML,
//! [`document`] the model (quantities, rules, timed events) and its XML, [`circuits`] the
//! model of a `simulate_circuits` call (host, circuits, inducer schedules).

pub mod circuits;
pub mod document;
pub mod math;

pub use circuits::{circuits_document, circuits_to_sbml};
pub use document::{Document, Quantity, TimedEvent};
pub use math::{num, sym, Expr};
