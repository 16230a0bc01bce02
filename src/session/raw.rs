//! Raw values: a parsed JSON/TOML tree that keeps the file's key order ([`Raw`]), and the JS
//! semantics the reader and writer share: `Object.keys` order, string lengths in UTF-16 units,
//! numbers as `String(n)` prints them, `describe()` for messages, and the conversion to JSON
//! that the bindings' `js_to_json` makes (with its nesting and size limits).

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::format::MAX_SAFE_INTEGER;

/// Deepest nesting of a genome workload and most items of one of its arrays or objects (the
/// limits of the JS bindings' conversion).
const MAX_DEPTH: u32 = 16;
const MAX_ITEMS: usize = 10_000;

/// A parsed JSON/TOML value that keeps the order of object keys (so that errors come in the
/// order a JS reader meets them). Numbers are `f64`, as in JS.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Raw>),
    Obj(Vec<(String, Raw)>),
}

impl Raw {
    pub(super) fn get(&self, key: &str) -> Option<&Raw> {
        match self {
            Raw::Obj(kv) => kv.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Raw;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
                Ok(Raw::Bool(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
                Ok(Raw::Num(v as f64))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
                Ok(Raw::Num(v as f64))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
                Ok(Raw::Num(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
                Ok(Raw::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Raw, E> {
                Ok(Raw::Str(v))
            }
            fn visit_unit<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_none<E>(self) -> Result<Raw, E> {
                Ok(Raw::Null)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
                Raw::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
                let mut out = Vec::new();
                while let Some(v) = seq.next_element()? {
                    out.push(v);
                }
                Ok(Raw::Arr(out))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
                let mut out: Vec<(String, Raw)> = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, Raw>()? {
                    // JSON.parse: a repeated key keeps its first position and its last value.
                    match out.iter_mut().find(|(x, _)| *x == k) {
                        Some(slot) => slot.1 = v,
                        None => out.push((k, v)),
                    }
                }
                Ok(Raw::Obj(out))
            }
        }
        d.deserialize_any(V)
    }
}

/// Keys in the order `Object.keys` lists them: array-index-like keys first, ascending.
pub(super) fn js_key_order(kv: &[(String, Raw)]) -> Vec<&(String, Raw)> {
    let index = |k: &str| -> Option<u64> {
        if k == "0"
            || (!k.starts_with('0') && !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
        {
            k.parse::<u64>().ok().filter(|&n| n < 4_294_967_295)
        } else {
            None
        }
    };
    let mut ints: Vec<(u64, &(String, Raw))> = kv
        .iter()
        .filter_map(|e| index(&e.0).map(|n| (n, e)))
        .collect();
    ints.sort_by_key(|(n, _)| *n);
    let mut out: Vec<&(String, Raw)> = ints.into_iter().map(|(_, e)| e).collect();
    out.extend(kv.iter().filter(|e| index(&e.0).is_none()));
    out
}

/// A copy with every object's keys in `Object.keys` order, as `JSON.parse` leaves them in JS.
pub(super) fn js_ordered(v: &Raw) -> Raw {
    match v {
        Raw::Obj(kv) => Raw::Obj(
            js_key_order(kv)
                .into_iter()
                .map(|(k, x)| (k.clone(), js_ordered(x)))
                .collect(),
        ),
        Raw::Arr(items) => Raw::Arr(items.iter().map(js_ordered).collect()),
        other => other.clone(),
    }
}

/// A raw value as the JS bindings read a JS value into JSON (`js_to_json`, strict): the same
/// number conversion, nesting and size limits, and messages.
pub(super) fn raw_to_json(v: &Raw, depth: u32) -> Result<Value, String> {
    if depth > MAX_DEPTH {
        return Err(format!(
            "nested more than {MAX_DEPTH} levels deep (a cycle?)"
        ));
    }
    Ok(match v {
        Raw::Null => Value::Null,
        Raw::Bool(b) => Value::Bool(*b),
        Raw::Num(n) if n.is_finite() => js_number_value(*n),
        Raw::Num(n) => return Err(format!("expected a finite number, got {n}")),
        Raw::Str(s) => Value::String(s.clone()),
        Raw::Arr(items) => {
            if items.len() > MAX_ITEMS {
                return Err(format!("an array of {} items is too long", items.len()));
            }
            Value::Array(
                items
                    .iter()
                    .map(|x| raw_to_json(x, depth + 1))
                    .collect::<Result<_, _>>()?,
            )
        }
        Raw::Obj(kv) => {
            if kv.len() > MAX_ITEMS {
                return Err(format!("an object with {} keys is too big", kv.len()));
            }
            let mut out = serde_json::Map::new();
            for (k, x) in js_key_order(kv) {
                out.insert(k.clone(), raw_to_json(x, depth + 1)?);
            }
            Value::Object(out)
        }
    })
}

/// Length in UTF-16 code units (JS `string.length`).
pub(super) fn js_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// A number as JS prints it (`String(n)`).
pub fn js_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        return "0".into();
    }
    let a = n.abs();
    if n.fract() == 0.0 && a < 1e21 {
        return format!("{}", n as i128);
    }
    if (1e-6..1e21).contains(&a) {
        return format!("{n}");
    }
    let e = format!("{n:e}");
    match e.split_once('e') {
        Some((m, x)) if !x.starts_with('-') => format!("{m}e+{x}"),
        _ => e,
    }
}

pub(super) fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// JS `describe()` of session.js; `None` is `undefined`.
pub(super) fn describe(v: Option<&Raw>) -> String {
    match v {
        None => "a value of type undefined".into(),
        Some(Raw::Null) => "null".into(),
        Some(Raw::Arr(_)) => "an array".into(),
        Some(Raw::Str(s)) => {
            if js_len(s) > 40 {
                let mut units = 0;
                let short: String = s
                    .chars()
                    .take_while(|c| {
                        units += c.len_utf16();
                        units <= 40
                    })
                    .collect();
                format!("the string {}", json_string(&format!("{short}…")))
            } else {
                format!("the string {}", json_string(s))
            }
        }
        Some(Raw::Num(n)) => format!("the number {}", js_number(*n)),
        Some(Raw::Bool(_)) => "a value of type boolean".into(),
        Some(Raw::Obj(_)) => "a value of type object".into(),
    }
}

/// A JS number as the bindings read it into JSON (see `js_to_json` in src/wasm/mod.rs).
pub(super) fn js_number_value(n: f64) -> Value {
    if n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64 {
        if n >= 0.0 {
            Value::from(n as u64)
        } else {
            Value::from(n as i64)
        }
    } else {
        serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}
