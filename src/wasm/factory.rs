//! The factory API's free functions: the version, the names the package accepts, chassis and
//! scheduler facts for display, and the default hypervisor with `createBioVm` on it (the
//! upstream entry points of [`crate::factory`]).

use js_sys::Array;
use wasm_bindgen::prelude::*;

use super::args::{js_to_json, string_arg};
use super::errors::{bad_arg, err, JsResult};
use super::hypervisor::JsHypervisor;
use super::values::{set, str_array, to_js};
use super::vm::JsBiologicalVm;
use crate::chassis::{ChassisKind, ChassisSpec};
use crate::custom_chassis::chassis_from_json;
use crate::factory;
use crate::scheduler::SchedulerKind;

/// The package's version (the crate's, from Cargo.toml), e.g. "0.1.0".
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

/// Every biological type `createVm` accepts.
#[wasm_bindgen(js_name = getSupportedBiologicalTypes, unchecked_return_type = "BiologicalType[]")]
pub fn get_supported_biological_types() -> Array {
    str_array(factory::get_supported_biological_types())
}
/// Every VM type `createVm` accepts ("basic", "xcpng").
#[wasm_bindgen(js_name = getSupportedVmTypes, unchecked_return_type = "VmType[]")]
pub fn get_supported_vm_types() -> Array {
    str_array(factory::get_supported_vm_types())
}
/// Every preset chassis `new Hypervisor({ chassis })` and `chassisInfo` accept.
#[wasm_bindgen(js_name = getSupportedChassis, unchecked_return_type = "ChassisName[]")]
pub fn get_supported_chassis() -> Array {
    str_array(factory::get_supported_chassis())
}
/// Every scheduling policy `new Hypervisor({ scheduler })` and `setScheduler` accept.
#[wasm_bindgen(js_name = getSupportedSchedulers, unchecked_return_type = "SchedulerName[]")]
pub fn get_supported_schedulers() -> Array {
    str_array(factory::get_supported_schedulers())
}
/// True when `t` is a supported biological type; never throws (any value may be passed).
#[wasm_bindgen(js_name = validateBiologicalType)]
pub fn validate_biological_type(
    #[wasm_bindgen(unchecked_param_type = "unknown")] t: JsValue,
) -> bool {
    t.as_string()
        .is_some_and(|s| factory::validate_biological_type(&s))
}
/// True when `t` is a supported VM type; never throws (any value may be passed).
#[wasm_bindgen(js_name = validateVmType)]
pub fn validate_vm_type(#[wasm_bindgen(unchecked_param_type = "unknown")] t: JsValue) -> bool {
    t.as_string().is_some_and(|s| factory::validate_vm_type(&s))
}

/// Chassis facts with their sources, for display: of a preset by name, or of the custom
/// chassis a description gives (checked as `new Hypervisor({ chassis })` checks it).
#[wasm_bindgen(js_name = chassisInfo, unchecked_return_type = "ChassisInfo")]
pub fn chassis_info(
    #[wasm_bindgen(unchecked_param_type = "ChassisName | ChassisDescription")] name: JsValue,
) -> JsResult<JsValue> {
    let spec = if name.is_object() && !js_sys::Array::is_array(&name) {
        let json = js_to_json(&name, 0, true).map_err(|e| bad_arg("chassis", e))?;
        chassis_from_json(&json).map_err(err)?
    } else {
        let name = string_arg("name", &name)?;
        ChassisSpec::preset(ChassisKind::parse(&name).map_err(err)?).map_err(err)?
    };
    let v = to_js(&spec)?;
    set(&v, "switchCostMs", &(spec.switch_cost_ms() as f64).into());
    set(
        &v,
        "defaultQuantumMs",
        &(spec.default_quantum_ms() as f64).into(),
    );
    Ok(v)
}

/// One line describing each scheduler, for display.
#[wasm_bindgen(js_name = describeScheduler)]
pub fn describe_scheduler(
    #[wasm_bindgen(unchecked_param_type = "SchedulerName")] name: JsValue,
) -> JsResult<String> {
    let name = string_arg("name", &name)?;
    Ok(SchedulerKind::parse(&name)
        .map_err(err)?
        .describe()
        .to_string())
}

/// A handle to the process-wide default hypervisor (E. coli chassis, round robin) that
/// `createBioVm` and `new BioResourceManager()` use; every call returns the same hypervisor.
#[wasm_bindgen(js_name = defaultHypervisor)]
pub fn default_hypervisor() -> JsHypervisor {
    JsHypervisor::from(factory::default_hypervisor())
}

/// Create a VM on the default hypervisor (see `defaultHypervisor`); the same as
/// `defaultHypervisor().createVm(...)`.
#[wasm_bindgen(js_name = createBioVm)]
pub fn create_bio_vm(
    #[wasm_bindgen(unchecked_param_type = "string")] vmId: JsValue,
    #[wasm_bindgen(unchecked_param_type = "BiologicalType")] biologicalType: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "VmType")] vmType: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "VmConfig")] config: JsValue,
) -> JsResult<JsBiologicalVm> {
    default_hypervisor().create_vm(vmId, biologicalType, vmType, config)
}
