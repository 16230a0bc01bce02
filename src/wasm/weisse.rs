//! The Weiße 2015 entry points' conversion (feature `kinetics`): `simulateWeisse` and
//! `weisseSteadyState` options read from JS by name, their results built as typed arrays.
//! The exports themselves are in `kinetic`, so a build without the feature keeps them.

use std::collections::BTreeMap;

use js_sys::{Array, Float64Array, Object};
use serde_json::Value;
use wasm_bindgen::prelude::*;

use super::args::object_value;
use super::errors::{bad_arg, err, JsResult};
use super::values::{set, to_js};
use crate::kinetics::{self, Gene, OrthoParams, SteadyStateOptions, WeisseOptions};

/// Most output points `simulateWeisse` returns to JS (each point is (17 + 3k) doubles).
const MAX_JS_POINTS: f64 = 100_000.0;

/// A number option: absent → None; present but not a finite number → refused by name.
fn num(obj: &serde_json::Map<String, Value>, key: &str, name: &str) -> JsResult<Option<f64>> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(v) => Err(bad_arg(name, format!("expected a finite number, got {v}"))),
    }
}

fn refuse_unknown(
    obj: &serde_json::Map<String, Value>,
    allowed: &[&str],
    prefix: &str,
) -> JsResult<()> {
    match obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(bad_arg(
            &format!("{prefix}{k}"),
            format!("unknown option; expected one of {}", allowed.join(", ")),
        )),
        None => Ok(()),
    }
}

/// Options both entry points take.
const COMMON_KEYS: [&str; 6] = [
    "s0",
    "heterologous",
    "rtol",
    "atol",
    "initial",
    "orthogonal",
];

/// The options of `simulateWeisse` or `weisseSteadyState` over `opts` (the defaults): the
/// common keys and `extra`, the entry point's own; also returns the object for those.
fn read_options(
    v: &JsValue,
    extra: &[&str],
    mut opts: WeisseOptions,
) -> JsResult<(WeisseOptions, serde_json::Map<String, Value>)> {
    let Some(Value::Object(o)) = object_value("options", v, true)? else {
        return Ok((opts, serde_json::Map::new()));
    };
    let allowed: Vec<&str> = COMMON_KEYS.iter().chain(extra).copied().collect();
    refuse_unknown(&o, &allowed, "")?;
    if let Some(x) = num(&o, "s0", "s0")? {
        opts.s0 = x;
    }
    if let Some(x) = num(&o, "tEndMin", "tEndMin")? {
        opts.t_end_min = x;
    }
    if let Some(x) = num(&o, "rtol", "rtol")? {
        opts.rtol = x;
    }
    if let Some(x) = num(&o, "atol", "atol")? {
        opts.atol = x;
    }
    if let Some(x) = num(&o, "points", "points")? {
        if !(x.fract() == 0.0 && (1.0..=MAX_JS_POINTS).contains(&x)) {
            return Err(bad_arg(
                "points",
                format!("{x} is not a whole number from 1 to {MAX_JS_POINTS}"),
            ));
        }
        opts.points = x as usize;
    }
    match o.get("heterologous") {
        None | Some(Value::Null) => {}
        Some(Value::Array(genes)) => {
            for (j, g) in genes.iter().enumerate() {
                let name = format!("heterologous[{j}]");
                let Value::Object(g) = g else {
                    return Err(bad_arg(&name, format!("expected {{ w, length }}, got {g}")));
                };
                refuse_unknown(g, &["w", "length"], &format!("{name}."))?;
                let w = num(g, "w", &format!("{name}.w"))?;
                let length = num(g, "length", &format!("{name}.length"))?;
                match (w, length) {
                    (Some(w), Some(length)) => opts.heterologous.push(Gene::new(w, length)),
                    _ => return Err(bad_arg(&name, "needs both w and length")),
                }
            }
        }
        Some(v) => {
            return Err(bad_arg(
                "heterologous",
                format!("expected an array of {{ w, length }}, got {v}"),
            ))
        }
    }
    match o.get("initial") {
        None | Some(Value::Null) => {}
        Some(Value::Object(init)) => {
            let mut m = BTreeMap::new();
            for k in init.keys() {
                let name = format!("initial.{k}");
                m.insert(k.clone(), num(init, k, &name)?.unwrap_or(f64::NAN));
            }
            opts.initial = Some(m);
        }
        Some(v) => {
            return Err(bad_arg(
                "initial",
                format!("expected an object of state values, got {v}"),
            ))
        }
    }
    match o.get("orthogonal") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => opts.orthogonal = Some(OrthoParams::default()),
        Some(v) => {
            return Err(bad_arg(
                "orthogonal",
                format!("expected true or false, got {v}"),
            ))
        }
    }
    Ok((opts, o))
}

/// `simulateWeisse`: the options read, the model run, every series as a Float64Array.
pub(crate) fn simulate_weisse(options: &JsValue) -> JsResult<JsValue> {
    let (opts, _) = read_options(options, &["tEndMin", "points"], WeisseOptions::default())?;
    let r = kinetics::simulate_weisse(&opts).map_err(err)?;
    let out = Object::new();
    set(&out, "t", &Float64Array::from(&r.t[..]).into());
    set(&out, "lambda", &Float64Array::from(&r.lambda[..]).into());
    let states = Object::new();
    let genes: Array = (0..opts.heterologous.len())
        .map(|_| JsValue::from(Object::new()))
        .collect();
    for (name, series) in r.names.iter().zip(&r.states) {
        let arr: JsValue = Float64Array::from(&series[..]).into();
        match name.split_once('[') {
            Some((kind, rest)) => {
                let j: u32 = rest.trim_end_matches(']').parse().unwrap_or(0);
                set(&genes.get(j), kind, &arr);
            }
            None => set(&states, name, &arr),
        }
    }
    set(&out, "states", &states.into());
    set(&out, "genes", &genes.into());
    let names: Array = r.names.iter().map(|s| JsValue::from_str(s)).collect();
    set(&out, "names", &names.into());
    set(&out, "stats", &to_js(&r.stats)?);
    Ok(out.into())
}

/// `weisseSteadyState`: the options read, the steady state found, its values by name.
pub(crate) fn weisse_steady_state(options: &JsValue) -> JsResult<JsValue> {
    let d = SteadyStateOptions::default();
    let base = WeisseOptions {
        rtol: d.rtol,
        atol: d.atol,
        ..WeisseOptions::default()
    };
    let (w, o) = read_options(options, &["maxTimeMin"], base)?;
    let opts = SteadyStateOptions {
        s0: w.s0,
        heterologous: w.heterologous,
        rtol: w.rtol,
        atol: w.atol,
        max_time_min: num(&o, "maxTimeMin", "maxTimeMin")?.unwrap_or(d.max_time_min),
        initial: w.initial,
        params: None,
        orthogonal: w.orthogonal,
    };
    let ss = kinetics::weisse_steady_state(&opts).map_err(err)?;
    let out = Object::new();
    let values = Object::new();
    for (name, v) in ss.names.iter().zip(&ss.state) {
        set(&values, name, &JsValue::from_f64(*v));
    }
    set(&out, "values", &values.into());
    set(&out, "state", &Float64Array::from(&ss.state[..]).into());
    let names: Array = ss.names.iter().map(|s| JsValue::from_str(s)).collect();
    set(&out, "names", &names.into());
    for (k, v) in [
        ("lambda", ss.lambda),
        ("ribosomalFraction", ss.ribosomal_fraction),
        ("proteinMass", ss.protein_mass),
        ("elongationAaPerMin", ss.elongation_aa_per_min),
        ("residual", ss.residual),
        ("timeMin", ss.time_min),
        ("newtonIterations", ss.newton_iterations as f64),
    ] {
        set(&out, k, &JsValue::from_f64(v));
    }
    let doubling = if ss.doubling_time_min.is_finite() {
        JsValue::from_f64(ss.doubling_time_min)
    } else {
        JsValue::NULL
    };
    set(&out, "doublingTimeMin", &doubling);
    Ok(out.into())
}
