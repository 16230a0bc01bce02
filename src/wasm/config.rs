//! The `ConfigManager` class: a biological type's config defaults, and config validation
//! that reports every bad key by path.

use js_sys::{Array, Object};
use wasm_bindgen::prelude::*;

use super::args::{describe, object_value, opt_string_arg, string_arg};
use super::errors::{err, JsResult};
use super::values::{set, to_js};
use crate::config::ConfigManager;
use crate::error::ConfigIssue;
use crate::vm::{BiologicalType, VmType};

/// Config defaults and validation.
#[wasm_bindgen(js_name = ConfigManager)]
pub struct JsConfigManager;

#[wasm_bindgen(js_class = ConfigManager)]
impl JsConfigManager {
    /// Defaults for a biological type (camelCase keys).
    #[wasm_bindgen(unchecked_return_type = "ConfigDefaults")]
    pub fn defaults(
        #[wasm_bindgen(unchecked_param_type = "BiologicalType")] biologicalType: JsValue,
    ) -> JsResult<JsValue> {
        let t = string_arg("biologicalType", &biologicalType)?;
        let d = ConfigManager::defaults(BiologicalType::parse(&t).map_err(err)?);
        let out = Object::new();
        let put = |k: &str, v: Option<f64>| set(&out, k, &v.map_or(JsValue::NULL, JsValue::from));
        put("ribosomes", d.ribosomes.map(|n| n as f64));
        put("rnaPolymerase", d.rna_polymerase.map(|n| n as f64));
        put("atpPercent", d.atp_percent);
        put("memoryKb", d.memory_kb.map(|n| n as f64));
        put("priority", d.priority.map(f64::from));
        put("weight", d.weight.map(f64::from));
        put("cap", d.cap.map(f64::from));
        put("workloadAa", d.workload_aa.map(|n| n as f64));
        put("cycles", d.cycles.map(f64::from));
        Ok(out.into())
    }

    /// Validate a config object: `{ valid, errors: [{ path, message }] }`. `vmType` defaults
    /// to "basic" (pass "xcpng" to require the XCP-ng fields).
    #[wasm_bindgen(unchecked_return_type = "ConfigValidation")]
    pub fn validate(
        #[wasm_bindgen(unchecked_param_type = "unknown")] config: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "VmType")] vmType: JsValue,
    ) -> JsResult<JsValue> {
        let vt = opt_string_arg("vmType", &vmType, "basic")?;
        let vt = VmType::parse(&vt).map_err(err)?;
        let issues = match object_value("config", &config, false) {
            Ok(v) => ConfigManager::validate_value(&v.unwrap_or(serde_json::Value::Null), vt),
            Err(e) => vec![ConfigIssue {
                path: "$".into(),
                message: match e.dyn_ref::<js_sys::Error>() {
                    Some(e) if config.is_object() && !Array::is_array(&config) => {
                        e.message().into()
                    }
                    _ => format!("expected an object, got {}", describe(&config)),
                },
            }],
        };
        let out = Object::new();
        set(&out, "valid", &issues.is_empty().into());
        set(&out, "errors", &to_js(&issues)?);
        Ok(out.into())
    }
}
