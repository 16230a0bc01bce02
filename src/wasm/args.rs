//! Arguments in: every JS argument arrives as a `JsValue` and is checked here, so a wrong JS
//! type becomes an `Error` with `code = "INVALID_ARGUMENT"` naming the argument instead of a
//! trap. Plain objects are read as JSON with bounded depth and size.

use js_sys::{Array, Reflect};
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

use super::errors::{bad_arg, JsResult};

/// A JS value as the error messages name it.
pub(crate) fn describe(v: &JsValue) -> String {
    if v.is_undefined() {
        "undefined".into()
    } else if v.is_null() {
        "null".into()
    } else if let Some(s) = v.as_string() {
        let short: String = s.chars().take(40).collect();
        format!("the string {short:?}")
    } else if let Some(n) = v.as_f64() {
        format!("the number {n}")
    } else {
        format!(
            "a value of type {}",
            v.js_typeof().as_string().unwrap_or_default()
        )
    }
}

/// `undefined` or `null`: an optional argument left out.
pub(crate) fn absent(v: &JsValue) -> bool {
    v.is_undefined() || v.is_null()
}

pub(crate) fn string_arg(name: &str, v: &JsValue) -> JsResult<String> {
    v.as_string()
        .ok_or_else(|| bad_arg(name, format!("expected a string, got {}", describe(v))))
}

pub(crate) fn opt_string_arg(name: &str, v: &JsValue, default: &str) -> JsResult<String> {
    if absent(v) {
        Ok(default.to_string())
    } else {
        string_arg(name, v)
    }
}

/// A non-negative integer number of ms (fractions are refused, so nothing is silently lost).
pub(crate) fn ms_arg(name: &str, v: &JsValue) -> JsResult<u64> {
    match v.as_f64() {
        Some(n)
            if n.is_finite()
                && n >= 0.0
                && n.fract() == 0.0
                && n <= crate::hypervisor::MAX_TIME_MS as f64 =>
        {
            Ok(n as u64)
        }
        _ => Err(bad_arg(
            name,
            format!(
                "expected a whole number of milliseconds from 0 to 2^53, got {}",
                describe(v)
            ),
        )),
    }
}

/// An optional whole number read as [`ms_arg`] does: `default` when absent.
pub(crate) fn opt_ms_arg(name: &str, v: &JsValue, default: u64) -> JsResult<u64> {
    if absent(v) {
        Ok(default)
    } else {
        ms_arg(name, v)
    }
}

/// The `cursor` and `limit` of a `...Since(cursor, limit)` read: 0 and unlimited by default.
pub(crate) fn cursor_args(cursor: &JsValue, limit: &JsValue) -> JsResult<(u64, usize)> {
    let cursor = opt_ms_arg("cursor", cursor, 0)?;
    let limit = if absent(limit) {
        usize::MAX
    } else {
        ms_arg("limit", limit)? as usize
    };
    Ok((cursor, limit))
}

/// A whole-number option from 0 to `max` (`None` when absent).
pub(crate) fn whole(name: &str, v: Option<f64>, max: f64) -> JsResult<Option<u64>> {
    match v {
        None => Ok(None),
        Some(n) if n.is_finite() && n >= 0.0 && n.fract() == 0.0 && n <= max => Ok(Some(n as u64)),
        Some(n) => Err(bad_arg(
            name,
            format!("{n} is not a whole number from 0 to {max}"),
        )),
    }
}

/// A plain object argument as JSON (`None` for undefined/null). `strict`: refuse non-finite
/// numbers (typed options) instead of reading them as null (configs, whose validation then
/// reports the key by path).
pub(crate) fn object_value(
    name: &str,
    v: &JsValue,
    strict: bool,
) -> JsResult<Option<serde_json::Value>> {
    if absent(v) {
        return Ok(None);
    }
    if !v.is_object() || Array::is_array(v) {
        return Err(bad_arg(
            name,
            format!("expected an object, got {}", describe(v)),
        ));
    }
    js_to_json(v, 0, strict)
        .map(Some)
        .map_err(|e| bad_arg(name, e))
}

/// A typed options object (unknown keys refused by the type's serde attributes).
pub(crate) fn object_arg<T: DeserializeOwned>(name: &str, v: &JsValue) -> JsResult<Option<T>> {
    match object_value(name, v, true)? {
        None => Ok(None),
        Some(value) => serde_json::from_value(value)
            .map(Some)
            .map_err(|e| bad_arg(name, e)),
    }
}

/// A config-like object as JSON, `null` when absent (validation reports bad keys by path).
pub(crate) fn json_arg(name: &str, v: &JsValue) -> JsResult<serde_json::Value> {
    Ok(object_value(name, v, false)?.unwrap_or(serde_json::Value::Null))
}

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, catching what a Proxy's `ownKeys` trap throws.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    pub(crate) fn object_keys(v: &JsValue) -> Result<Array, JsValue>;
}

/// Deepest nesting accepted in an argument object (configs are at most two levels deep).
const MAX_DEPTH: u32 = 16;
/// Most keys or array items accepted in one argument object.
const MAX_ITEMS: f64 = 10_000.0;

/// Read a plain JS value as JSON. Unlike `serde_wasm_bindgen::from_value`, it bounds depth
/// and size (a cyclic or very deep object used to overflow the wasm stack: a trap that left
/// the instance unusable) and catches what getters and proxies throw (which used to unwind
/// through wasm as an Error without a `code`). `undefined` properties count as absent.
pub(crate) fn js_to_json(
    v: &JsValue,
    depth: u32,
    strict: bool,
) -> Result<serde_json::Value, String> {
    use serde_json::Value;
    let thrown = |what: &str, e: JsValue| match e.dyn_ref::<js_sys::Error>() {
        Some(e) => format!("reading {what} threw: {}", String::from(e.message())),
        None => format!("reading {what} threw {}", describe(&e)),
    };
    if depth > MAX_DEPTH {
        return Err(format!(
            "nested more than {MAX_DEPTH} levels deep (a cycle?)"
        ));
    }
    if absent(v) {
        return Ok(Value::Null);
    }
    if let Some(b) = v.as_bool() {
        return Ok(Value::Bool(b));
    }
    if let Some(n) = v.as_f64() {
        return Ok(if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
            if n >= 0.0 {
                Value::from(n as u64)
            } else {
                Value::from(n as i64)
            }
        } else if let Some(x) = serde_json::Number::from_f64(n) {
            Value::Number(x)
        } else if strict {
            return Err(format!("expected a finite number, got {n}"));
        } else {
            Value::Null
        });
    }
    if let Some(s) = v.as_string() {
        return Ok(Value::String(s));
    }
    if Array::is_array(v) {
        let len = Reflect::get(v, &"length".into()).map_err(|e| thrown("length", e))?;
        let len = len.as_f64().unwrap_or(0.0);
        if !(0.0..=MAX_ITEMS).contains(&len) {
            return Err(format!("an array of {len} items is too long"));
        }
        let mut out = Vec::with_capacity(len as usize);
        for i in 0..len as u32 {
            let x = Reflect::get(v, &i.into()).map_err(|e| thrown("an item", e))?;
            out.push(js_to_json(&x, depth + 1, strict)?);
        }
        return Ok(Value::Array(out));
    }
    if v.is_object() {
        let keys = object_keys(v).map_err(|e| thrown("the keys", e))?;
        if keys.length() as f64 > MAX_ITEMS {
            return Err(format!("an object with {} keys is too big", keys.length()));
        }
        let mut out = serde_json::Map::new();
        for k in keys.iter() {
            let key = k.as_string().unwrap_or_default();
            let x = Reflect::get(v, &k).map_err(|e| thrown(&format!("{key:?}"), e))?;
            if !x.is_undefined() {
                out.insert(key, js_to_json(&x, depth + 1, strict)?);
            }
        }
        return Ok(Value::Object(out));
    }
    Err(format!("expected plain data, got {}", describe(v)))
}
