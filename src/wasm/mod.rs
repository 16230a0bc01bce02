//! JavaScript bindings (wasm32 only): type and error conversion over the core, nothing more.
//!
//! Every argument arrives as a `JsValue` and is checked (the `args` module), so a wrong JS type becomes
//! an `Error` with `code = "INVALID_ARGUMENT"` instead of a trap. Names are parsed into the
//! core's types here, once; the core never sees a string it has to parse again. Every failure
//! is a real JS `Error` whose `code` property is the core's stable code (the `errors` module). Objects
//! are returned with camelCase keys and `null` for absent values (the `values` module).
//!
//! Built without a cargo feature (`bioxen/lite`), the exports stay the same: what needs the
//! feature throws FEATURE_UNAVAILABLE with `feature` naming it.
//!
//! This file only declares the modules and the package's start; each class's bindings are
//! spread over the files of their concern, with the shared helpers in `args`, `errors` and
//! `values` (which import nothing from here).

#![allow(non_snake_case)]

mod args;
mod circuits;
mod config;
mod errors;
mod factory;
mod genome;
mod hypervisor;
mod kinetic;
mod lifecycle;
mod reports;
mod resources;
mod values;
mod vm;
#[cfg(feature = "kinetics")]
mod weisse;

use wasm_bindgen::prelude::*;

pub use config::JsConfigManager;
pub use factory::{
    chassis_info, create_bio_vm, default_hypervisor, describe_scheduler,
    get_supported_biological_types, get_supported_chassis, get_supported_schedulers,
    get_supported_vm_types, validate_biological_type, validate_vm_type, version,
};
pub use genome::{genome_input_limit, parse_genome};
pub use hypervisor::JsHypervisor;
pub use kinetic::{get_supported_machinery, simulate_weisse, weisse_steady_state};
pub use resources::JsBioResourceManager;
pub use vm::JsBiologicalVm;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("types.d.ts");

/// Runs once when the module is instantiated: installs the hook that reports Rust panics on
/// the console. There is no need to call it.
#[wasm_bindgen(start)]
fn start() {
    console_error_panic_hook::set_once();
}
