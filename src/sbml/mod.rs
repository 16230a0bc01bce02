//! SBML export: models written as SBML Level 3 Version 2 core, so that COPASI, Tellurium and
//! libRoadRunner can reproduce a run. [`math`] holds the expression tree and its MathML,
//! [`document`] the model (quantities, rules, timed events) and its XML.

pub mod document;
pub mod math;

pub use document::{Document, Quantity, TimedEvent};
pub use math::{num, sym, Expr};
