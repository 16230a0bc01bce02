//! The session format, version 1: what the playground exports, imports and autosaves, and
//! what the `bioxen` CLI runs (see `www/session-format.md` and `docs/session.schema.json`).
//!
//! A session rebuilds a hypervisor deterministically: chassis, scheduler, hypervisor options,
//! every operation that succeeded with the simulated time at which it happened, and the time
//! the session reached. This module is the Rust twin of `www/js/session.js`: the same keys,
//! validation rules, limits and error paths, and the same replay:
//!
//! ```text
//! h = Hypervisor::new(options)
//! for op in ops { h.step(op.at_ms - h.now_ms()); apply(h, op)? }
//! h.step(end_ms - h.now_ms())
//! ```
//!
//! Operations are applied with the same argument conversions as the JS bindings
//! (`src/wasm/mod.rs`), so a refused operation fails with the same code and message in both.
//! Values the package checks itself (weight ranges, ids, ...) are left to replay, as in JS.
//!
//! Unlike `validateSession`, which throws at the first problem, [`validate`] reports every
//! problem it can find; the first one is the one the JS reader reports.
//!
//! The files: `format.rs` (constants, keys and [`SessionError`]), `raw.rs` (raw values and
//! the JS semantics they follow), `types.rs` (the typed session), `chassis.rs` (a preset or
//! a custom chassis), `read.rs` (text to a raw
//! tree), `validate.rs`, `write.rs`, `replay.rs` and `live.rs` ([`LiveSession`]). This file
//! only declares them and re-exports their public items.

mod chassis;
mod format;
mod live;
#[cfg(test)]
mod mlfq_tests;
mod raw;
mod read;
mod replay;
#[cfg(feature = "kinetics")]
mod sbml;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_chassis;
#[cfg(all(test, feature = "kinetics"))]
mod tests_circuits;
mod types;
mod validate;
mod write;

pub use chassis::SessionChassis;
pub use format::{
    SessionError, CONFIG_GENOME_KEY, CONFIG_NUMBER_KEYS, CONFIG_STRING_KEYS, FORMAT,
    INVALID_SESSION, MACHINERY_KEY, MAX_BYTES, MAX_END_MS, MAX_ID, MAX_META, MAX_OPS, MAX_STRING,
    OPTION_KEYS, OP_KINDS, REDACTED_PASSWORD, VERSION,
};
pub use live::LiveSession;
pub use raw::{js_number, Raw};
pub use read::{parse, parse_raw, Syntax};
pub use replay::{apply_op, replay, ReplayOptions, Replayed};
#[cfg(feature = "kinetics")]
pub use sbml::circuit_options;
pub use types::{
    Op, ResourceChange, SchedOptions, SchedulingChange, Session, SessionConfig, SessionOptions,
    TimedOp,
};
pub use validate::validate;
pub use write::{to_json, to_raw, write_json};
