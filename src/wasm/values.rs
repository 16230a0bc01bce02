//! Values out: Rust values as JS values, with camelCase keys and `null` for absent values.

use js_sys::{Array, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use super::errors::{js_error, JsResult};
use crate::jsonsafe::json_safe;

/// A Rust value as a JS value. serde-wasm-bindgen makes JS calls per property and per string
/// (about 2 ms for `metrics()` of 256 VMs); when the value's JSON text means the same to
/// JavaScript ([`json_safe`]), serde_json's text and one `JSON.parse` build it instead.
pub(crate) fn to_js<T: Serialize + ?Sized>(v: &T) -> JsResult<JsValue> {
    if json_safe(v) {
        if let Ok(text) = serde_json::to_string(v) {
            return parse_json(&text);
        }
    }
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| js_error("INVALID_ARGUMENT", &e.to_string()))
}

/// `JSON.parse` of text serde_json wrote.
pub(crate) fn parse_json(text: &str) -> JsResult<JsValue> {
    js_sys::JSON::parse(text).map_err(|_| js_error("INVALID_ARGUMENT", "JSON.parse failed"))
}

/// Set a property of a JS object.
pub(crate) fn set(obj: &JsValue, key: &str, value: &JsValue) {
    let _ = Reflect::set(obj, &key.into(), value);
}

/// Names as a JS array of strings.
pub(crate) fn str_array(items: impl IntoIterator<Item = &'static str>) -> Array {
    items.into_iter().map(JsValue::from_str).collect()
}
