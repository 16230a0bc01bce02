//! Errors at the JS edge: every failure becomes a real JS `Error` whose `code` property is the
//! core's stable code, converted once, here. INVALID_CONFIG carries `issues` (every bad key with
//! its path); FEATURE_UNAVAILABLE carries `feature` ("kinetics" or "genome").

use js_sys::Reflect;
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::error::BioxenError;

pub(crate) type JsResult<T> = Result<T, JsValue>;

/// A JS `Error` with `code`.
pub(crate) fn js_error(code: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    let _ = Reflect::set(&e, &"code".into(), &code.into());
    e.into()
}

/// A core error as a JS `Error` with its code (and its details).
pub(crate) fn err(e: BioxenError) -> JsValue {
    let v = js_error(e.code(), &e.to_string());
    let issues = e.config_issues();
    if !issues.is_empty() {
        // Strings only: the same objects `to_js` would build through JSON.
        if let Ok(list) = issues.serialize(&serde_wasm_bindgen::Serializer::json_compatible()) {
            let _ = Reflect::set(&v, &"issues".into(), &list);
        }
    }
    if let BioxenError::FeatureUnavailable { feature, .. } = &e {
        let _ = Reflect::set(&v, &"feature".into(), &(*feature).into());
    }
    v
}

/// INVALID_ARGUMENT naming the argument.
pub(crate) fn bad_arg(name: &str, message: impl std::fmt::Display) -> JsValue {
    js_error(
        "INVALID_ARGUMENT",
        &format!("invalid argument {name}: {message}"),
    )
}

/// FEATURE_UNAVAILABLE for an entry point this build was compiled without (`bioxen/lite`).
#[cfg(not(feature = "kinetics"))]
pub(crate) fn unavailable(feature: &'static str, operation: &str) -> JsValue {
    err(BioxenError::feature_unavailable(feature, operation))
}
