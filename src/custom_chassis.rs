//! A chassis described in JSON, as JS options, sessions and the CLI give it: a preset's name, or
//! an object that starts from a preset (`base`, default `"ecoli"`) and changes any of its
//! numbers. The object becomes a [`ChassisSpec`] of kind `custom` and passes
//! [`ChassisSpec::custom`]'s rules; every problem is reported with its path, all at once
//! (`chassis.ribosomes: 0 is out of range; expected 1..=10000000`), and nothing is built.
//!
//! ```json
//! { "base": "textbook", "name": "Two-core textbook", "ribosomes": 2000, "maxVms": 64,
//!   "hostReserve": { "ribosomes": 0.1 } }
//! ```
//!
//! Keys are the camelCase names of [`ChassisSpec`]'s fields (its JSON form), except `kind`,
//! which is always `custom`. `hostReserve` may give some of its four fractions; the others stay
//! the base's. `sources`, when given, replaces the base's list (a custom chassis's numbers are
//! the user's); without it the base's sources are kept with a note that the chassis was changed.
//! A custom chassis under the kinetic machinery uses the Weiße E. coli parameters.

use serde_json::{Map, Value};

use crate::chassis::{ChassisKind, ChassisSpec};
use crate::error::{json_kind, BioxenError, ConfigIssue, Result};

/// The keys a chassis object accepts.
pub const CHASSIS_KEYS: [&str; 16] = [
    "base",
    "name",
    "ribosomes",
    "rnaPolymerases",
    "elongationAaPerS",
    "transcriptionNtPerS",
    "atpPool",
    "atpTurnoverPerS",
    "atpPerAa",
    "memoryKb",
    "doublingTimeMin",
    "maxVms",
    "meanProteinAa",
    "hostReserve",
    "orthogonalFraction",
    "sources",
];
const RESERVE_KEYS: [&str; 4] = ["ribosomes", "rnaPolymerase", "atp", "memory"];
/// Most source lines, and characters in one.
const MAX_SOURCES: usize = 32;
const MAX_SOURCE_CHARS: usize = 500;

/// The chassis `v` names or describes. A string is a preset (`InvalidArgument` otherwise, as
/// for any unknown name); an object is a custom chassis (`InvalidConfig` listing every problem
/// with its path); anything else is `InvalidArgument`.
pub fn chassis_from_json(v: &Value) -> Result<ChassisSpec> {
    match v {
        Value::String(name) => ChassisSpec::preset(ChassisKind::parse(name)?),
        Value::Object(obj) => custom_from_object(obj),
        other => Err(BioxenError::arg(
            "chassis",
            format!(
                "expected a preset name or a chassis object, got {}",
                json_kind(other)
            ),
        )),
    }
}

fn custom_from_object(obj: &Map<String, Value>) -> Result<ChassisSpec> {
    let mut issues = Vec::new();
    let mut bad = |path: String, message: String| issues.push(ConfigIssue { path, message });
    let base = match obj.get("base") {
        None | Some(Value::Null) => ChassisKind::Ecoli,
        Some(Value::String(s)) => match ChassisKind::parse(s) {
            Ok(k) if k != ChassisKind::Custom => k,
            _ => {
                let names: Vec<&str> = ChassisKind::PRESETS.iter().map(|k| k.as_str()).collect();
                return Err(BioxenError::InvalidConfig(vec![ConfigIssue {
                    path: "chassis.base".into(),
                    message: format!(
                        "expected one of {}, got the string {:?}",
                        names.join(", "),
                        s.chars().take(80).collect::<String>()
                    ),
                }]));
            }
        },
        Some(other) => {
            return Err(BioxenError::InvalidConfig(vec![ConfigIssue {
                path: "chassis.base".into(),
                message: format!("expected a preset name, got {}", json_kind(other)),
            }]))
        }
    };
    let mut spec = ChassisSpec::preset(base)?;
    let mut sources_given = false;
    for (key, val) in obj {
        let path = format!("chassis.{key}");
        let num = |v: &Value| v.as_f64().filter(|x| x.is_finite());
        let int = |v: &Value| {
            v.as_u64()
                .map(|n| n as f64)
                .or_else(|| num(v).filter(|x| *x == x.trunc() && *x >= 0.0))
        };
        let mut set_f = |target: &mut f64, v: &Value| match num(v) {
            Some(x) => *target = x,
            None => bad(
                path.clone(),
                format!("expected a finite number, got {}", describe(v)),
            ),
        };
        match key.as_str() {
            "base" => {}
            "name" => match val.as_str() {
                Some(s) => spec.name = s.to_string(),
                None => bad(path, format!("expected a string, got {}", json_kind(val))),
            },
            "ribosomes" | "rnaPolymerases" | "memoryKb" | "maxVms" => match int(val) {
                // out-of-range integers are left to `validate`, which names the range
                Some(n) if n <= u64::MAX as f64 => match key.as_str() {
                    "ribosomes" => spec.ribosomes = n as u64,
                    "rnaPolymerases" => spec.rna_polymerases = n as u64,
                    "memoryKb" => spec.memory_kb = n as u64,
                    _ => spec.max_vms = n.min(u32::MAX as f64) as u32,
                },
                _ => bad(
                    path,
                    format!("expected a whole number ≥ 0, got {}", describe(val)),
                ),
            },
            "elongationAaPerS" => set_f(&mut spec.elongation_aa_per_s, val),
            "transcriptionNtPerS" => set_f(&mut spec.transcription_nt_per_s, val),
            "atpPool" => set_f(&mut spec.atp_pool, val),
            "atpTurnoverPerS" => set_f(&mut spec.atp_turnover_per_s, val),
            "atpPerAa" => set_f(&mut spec.atp_per_aa, val),
            "doublingTimeMin" => set_f(&mut spec.doubling_time_min, val),
            "meanProteinAa" => set_f(&mut spec.mean_protein_aa, val),
            "orthogonalFraction" => match val {
                Value::Null => spec.orthogonal_fraction = None,
                v => match num(v) {
                    Some(x) => spec.orthogonal_fraction = Some(x),
                    None => bad(
                        path,
                        format!("expected a number or null, got {}", describe(v)),
                    ),
                },
            },
            "hostReserve" => match val.as_object() {
                Some(r) => {
                    for (k, v) in r {
                        let p = format!("{path}.{k}");
                        let slot = match k.as_str() {
                            "ribosomes" => &mut spec.host_reserve.ribosomes,
                            "rnaPolymerase" => &mut spec.host_reserve.rna_polymerase,
                            "atp" => &mut spec.host_reserve.atp,
                            "memory" => &mut spec.host_reserve.memory,
                            _ => {
                                bad(p, unknown_key(k, &RESERVE_KEYS));
                                continue;
                            }
                        };
                        match num(v) {
                            Some(x) => *slot = x,
                            None => {
                                bad(p, format!("expected a finite number, got {}", describe(v)))
                            }
                        }
                    }
                }
                None => bad(path, format!("expected an object, got {}", json_kind(val))),
            },
            "sources" => match val.as_array() {
                Some(a) if a.len() <= MAX_SOURCES => {
                    sources_given = true;
                    spec.sources.clear();
                    for (i, s) in a.iter().enumerate() {
                        match s.as_str() {
                            Some(t) if t.chars().count() <= MAX_SOURCE_CHARS => spec.sources.push(t.to_string()),
                            _ => bad(
                                format!("{path}[{i}]"),
                                format!("expected a string of at most {MAX_SOURCE_CHARS} characters, got {}", describe(s)),
                            ),
                        }
                    }
                }
                Some(a) => bad(
                    path,
                    format!("expected at most {MAX_SOURCES} strings, got {}", a.len()),
                ),
                None => bad(
                    path,
                    format!("expected an array of strings, got {}", json_kind(val)),
                ),
            },
            _ => bad(path, unknown_key(key, &CHASSIS_KEYS)),
        }
    }
    if !sources_given {
        spec.sources.push(format!(
            "custom chassis: the {base} preset with the numbers this description changes"
        ));
    }
    // type problems first, then the range rules of every field that parsed
    issues.extend(spec.validate());
    if issues.is_empty() {
        ChassisSpec::custom(&spec)
    } else {
        Err(BioxenError::InvalidConfig(issues))
    }
}

fn unknown_key(key: &str, allowed: &[&str]) -> String {
    format!(
        "unknown key {:?}; expected one of {}",
        key.chars().take(60).collect::<String>(),
        allowed.join(", ")
    )
}

/// A value for a message: numbers and short strings as they are, else their kind.
fn describe(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("the string {:?}", s.chars().take(40).collect::<String>()),
        other => json_kind(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn paths(v: Value) -> Vec<String> {
        let e = chassis_from_json(&v).unwrap_err();
        assert_eq!(e.code(), "INVALID_CONFIG", "{e}");
        e.config_issues().iter().map(|i| i.path.clone()).collect()
    }

    #[test]
    fn a_name_is_a_preset_and_an_object_starts_from_its_base() {
        assert_eq!(
            chassis_from_json(&json!("yeast")).unwrap(),
            ChassisSpec::yeast()
        );
        assert_eq!(
            chassis_from_json(&json!("mars")).unwrap_err().code(),
            "INVALID_ARGUMENT"
        );
        let c = chassis_from_json(
            &json!({ "base": "textbook", "ribosomes": 2000, "hostReserve": { "atp": 0.25 } }),
        )
        .unwrap();
        let t = ChassisSpec::textbook();
        assert_eq!(c.kind, ChassisKind::Custom);
        assert_eq!(c.ribosomes, 2000);
        assert_eq!(c.host_reserve.atp, 0.25);
        assert_eq!(c.host_reserve.ribosomes, t.host_reserve.ribosomes);
        assert_eq!(c.elongation_aa_per_s, t.elongation_aa_per_s);
        assert!(c.sources.last().unwrap().contains("textbook preset"));
        let d = chassis_from_json(&json!({})).unwrap();
        assert_eq!(
            (d.kind, d.ribosomes),
            (ChassisKind::Custom, ChassisSpec::ecoli().ribosomes)
        );
    }

    #[test]
    fn every_bad_field_is_named_with_its_path() {
        let mut p = paths(json!({
            "ribosomes": -3, "maxVms": 1.5, "atpPool": "lots", "colour": "red",
            "hostReserve": { "atp": 1.0, "dna": 0.1 }, "sources": [1], "elongationAaPerS": 0
        }));
        // type problems (in key order), then the range rules (in the spec's field order)
        let range = p.split_off(6);
        p.sort();
        assert_eq!(
            p,
            [
                "chassis.atpPool",
                "chassis.colour",
                "chassis.hostReserve.dna",
                "chassis.maxVms",
                "chassis.ribosomes",
                "chassis.sources[0]",
            ]
        );
        assert_eq!(
            range,
            ["chassis.elongationAaPerS", "chassis.hostReserve.atp"]
        );
        assert_eq!(paths(json!({ "ribosomes": 0 })), ["chassis.ribosomes"]);
        assert_eq!(paths(json!({ "base": "custom" })), ["chassis.base"]);
        let e = chassis_from_json(&json!(7)).unwrap_err();
        assert_eq!(
            e.code(),
            "INVALID_ARGUMENT",
            "a value of the wrong kind is a bad argument: {e}"
        );
        assert!(e.to_string().contains("chassis"), "{e}");
        let e = chassis_from_json(&json!({ "ribosomes": 0 })).unwrap_err();
        assert!(
            e.to_string()
                .contains("chassis.ribosomes: 0 is out of range; expected 1..=10000000"),
            "{e}"
        );
    }
}
