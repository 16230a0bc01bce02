//! Writing: a [`Session`] to the bytes `serializeSession` writes (`JSON.stringify(s, null, 2)`
//! with its key order and number formatting), through a raw tree.

use super::format::{CONFIG_CIRCUIT_KEY, CONFIG_GENOME_KEY, FORMAT, MACHINERY_KEY, VERSION};
use super::raw::{js_number, json_string, Raw};
use super::types::{Op, Session, TimedOp};

/// `JSON.stringify(session, null, 2) + "\n"`, as `serializeSession` writes it: the same key
/// order and number formatting, so the playground and the CLI write the same bytes.
pub fn to_json(s: &Session) -> String {
    let mut out = String::new();
    write_json(&to_raw(s), 0, &mut out);
    out.push('\n');
    out
}

fn num(n: u64) -> Raw {
    Raw::Num(n as f64)
}

fn obj(kv: Vec<(&str, Raw)>) -> Raw {
    Raw::Obj(kv.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

/// The session as a raw JSON tree (key order of `serializeSession`).
pub fn to_raw(s: &Session) -> Raw {
    let mut options: Vec<(String, Raw)> = s
        .options
        .fields()
        .into_iter()
        .filter_map(|(k, v)| v.map(|n| (k.to_string(), num(n))))
        .collect();
    if let Some(m) = s.options.machinery {
        options.push((MACHINERY_KEY.into(), Raw::Str(m.as_str().into())));
    }
    let options = Raw::Obj(options);
    let ops = Raw::Arr(s.ops.iter().map(op_raw).collect());
    let meta = Raw::Obj(
        s.meta
            .iter()
            .map(|(k, v)| (k.clone(), Raw::Str(v.clone())))
            .collect(),
    );
    obj(vec![
        ("format", Raw::Str(FORMAT.into())),
        ("version", num(VERSION as u64)),
        ("chassis", s.chassis.to_raw()),
        ("scheduler", Raw::Str(s.scheduler.as_str().into())),
        ("options", options),
        ("ops", ops),
        ("endMs", num(s.end_ms)),
        ("meta", meta),
    ])
}

fn numbers_raw(fields: &[(&str, Option<f64>)]) -> Raw {
    Raw::Obj(
        fields
            .iter()
            .filter_map(|(k, v)| v.map(|n| (k.to_string(), Raw::Num(n))))
            .collect(),
    )
}

fn op_raw(t: &TimedOp) -> Raw {
    let mut kv: Vec<(&str, Raw)> =
        vec![("atMs", num(t.at_ms)), ("op", Raw::Str(t.op.kind().into()))];
    match &t.op {
        Op::CreateVm {
            vm_id,
            biological_type,
            vm_type,
            config,
        } => {
            let mut c: Vec<(String, Raw)> = Vec::new();
            if let Some(w) = &config.genome {
                c.push((
                    CONFIG_GENOME_KEY.into(),
                    Raw::Obj(vec![("workload".into(), w.clone())]),
                ));
            }
            if let Some(x) = &config.circuit {
                c.push((CONFIG_CIRCUIT_KEY.into(), (**x).clone()));
            }
            for (k, v) in config.numbers() {
                match v {
                    None => {}
                    Some(None) => c.push((k.into(), Raw::Null)),
                    Some(Some(n)) => c.push((k.into(), Raw::Num(n))),
                }
            }
            for (k, v) in config.strings() {
                if let Some(s) = v {
                    c.push((k.into(), Raw::Str(s.clone())));
                }
            }
            kv.push(("vmId", Raw::Str(vm_id.clone())));
            kv.push(("biologicalType", Raw::Str(biological_type.as_str().into())));
            kv.push(("vmType", Raw::Str(vm_type.as_str().into())));
            kv.push(("config", Raw::Obj(c)));
        }
        Op::Lifecycle { vm_id, .. } => kv.push(("vmId", Raw::Str(vm_id.clone()))),
        Op::SetScheduler { name, options } => {
            kv.push(("name", Raw::Str(name.as_str().into())));
            if let Some(o) = options {
                let mut fields: Vec<(String, Raw)> = o
                    .fields()
                    .into_iter()
                    .filter_map(|(k, v)| v.map(|n| (k.to_string(), num(n))))
                    .collect();
                for (k, v) in o.lists() {
                    if let Some(v) = v {
                        fields.push((k.to_string(), Raw::Arr(v.iter().map(|&n| num(n)).collect())));
                    }
                }
                if let Some(r) = o.mlfq_boost_rule {
                    fields.push(("mlfqBoostRule".into(), Raw::Str(r.as_str().into())));
                }
                kv.push(("options", Raw::Obj(fields)));
            }
        }
        Op::SetScheduling { vm_id, request } => {
            kv.push(("vmId", Raw::Str(vm_id.clone())));
            kv.push((
                "request",
                numbers_raw(&[
                    ("priority", request.priority),
                    ("weight", request.weight),
                    ("cap", request.cap),
                ]),
            ));
        }
        Op::AllocateResources { vm_id, request } => {
            kv.push(("vmId", Raw::Str(vm_id.clone())));
            kv.push((
                "request",
                numbers_raw(&[
                    ("ribosomes", request.ribosomes),
                    ("rnaPolymerase", request.rna_polymerase),
                    ("atpPercent", request.atp_percent),
                    ("memoryKb", request.memory_kb),
                ]),
            ));
        }
        Op::SetAtpSupply { percent } => kv.push(("percent", Raw::Num(*percent))),
        Op::SetInducer { name, value } => {
            kv.push(("name", Raw::Str(name.clone())));
            kv.push(("value", Raw::Num(*value)));
        }
    }
    obj(kv)
}

/// `JSON.stringify(v, null, 2)` of a raw tree.
pub fn write_json(v: &Raw, depth: usize, out: &mut String) {
    let pad = |d: usize, out: &mut String| {
        out.push('\n');
        for _ in 0..d {
            out.push_str("  ");
        }
    };
    match v {
        Raw::Null => out.push_str("null"),
        Raw::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Raw::Num(n) if n.is_finite() => out.push_str(&js_number(*n)),
        Raw::Num(_) => out.push_str("null"),
        Raw::Str(s) => out.push_str(&json_string(s)),
        Raw::Arr(items) if items.is_empty() => out.push_str("[]"),
        Raw::Arr(items) => {
            out.push('[');
            for (i, x) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(depth + 1, out);
                write_json(x, depth + 1, out);
            }
            pad(depth, out);
            out.push(']');
        }
        Raw::Obj(kv) if kv.is_empty() => out.push_str("{}"),
        Raw::Obj(kv) => {
            out.push('{');
            for (i, (k, x)) in kv.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                pad(depth + 1, out);
                out.push_str(&json_string(k));
                out.push_str(": ");
                write_json(x, depth + 1, out);
            }
            pad(depth, out);
            out.push('}');
        }
    }
}
