//! Reading circuits from JSON values (the JS bindings, sessions, TOML and serde all come
//! through here): the shape (objects, key names, types, `mode` and `effect` words) is
//! checked with the path of each problem, then the rules of [`validate`](super::validate).
//! Unknown keys are refused, so a misspelt `initalProtein` is an error rather than a silent
//! default.

use serde_json::{Map, Value};

use super::types::{Circuit, Effect, Gene, Inducer, Mode, Regulation, MAX_LENGTH_AA};
use super::validate::{issue, join};
use crate::error::{json_kind, BioxenError, ConfigIssue, Result};

const CIRCUIT_KEYS: [&str; 2] = ["name", "genes"];
const GENE_KEYS: [&str; 7] = [
    "name",
    "w",
    "length",
    "leak",
    "degradation",
    "initialProtein",
    "regulation",
];
const REGULATION_KEYS: [&str; 5] = ["by", "mode", "K", "n", "inducer"];
const INDUCER_KEYS: [&str; 4] = ["name", "K", "n", "effect"];

/// Reads one object's fields, collecting problems.
struct Fields<'a> {
    obj: &'a Map<String, Value>,
    path: &'a str,
    issues: &'a mut Vec<ConfigIssue>,
}

impl<'a> Fields<'a> {
    /// The object at `v`, with unknown keys reported; None (and an issue) if not an object.
    fn open(
        v: &'a Value,
        path: &'a str,
        keys: &[&str],
        issues: &'a mut Vec<ConfigIssue>,
    ) -> Option<Self> {
        let Value::Object(obj) = v else {
            issues.push(issue(
                path_or_root(path),
                format!("expected an object, got {}", json_kind(v)),
            ));
            return None;
        };
        for k in obj.keys() {
            if !keys.contains(&k.as_str()) {
                let shown: String = k.chars().take(40).collect();
                issues.push(issue(
                    join(path, &shown),
                    format!("unknown key; expected one of {}", keys.join(", ")),
                ));
            }
        }
        Some(Fields { obj, path, issues })
    }

    /// The value of `key`; absent and null are both "not given".
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.obj.get(key).filter(|v| !v.is_null())
    }

    fn missing(&mut self, key: &str, what: &str) {
        self.issues
            .push(issue(join(self.path, key), format!("is required: {what}")));
    }

    fn wrong(&mut self, key: &str, expected: &str, v: &Value) {
        self.issues.push(issue(
            join(self.path, key),
            format!("expected {expected}, got {}", json_kind(v)),
        ));
    }

    fn string(&mut self, key: &str, what: &str) -> Option<String> {
        match self.get(key) {
            None => {
                self.missing(key, what);
                None
            }
            Some(Value::String(s)) => Some(s.clone()),
            Some(v) => {
                self.wrong(key, "a string", v);
                None
            }
        }
    }

    /// A number; `default` when absent (None: required).
    fn number(&mut self, key: &str, default: Option<f64>, what: &str) -> Option<f64> {
        match self.get(key) {
            None => {
                if default.is_none() {
                    self.missing(key, what);
                }
                default
            }
            Some(Value::Number(n)) => n.as_f64(),
            Some(v) => {
                self.wrong(key, "a number", v);
                None
            }
        }
    }

    fn array(&mut self, key: &str) -> Option<&'a Vec<Value>> {
        match self.get(key) {
            None => None,
            Some(Value::Array(a)) => Some(a),
            Some(v) => {
                self.wrong(key, "an array", v);
                None
            }
        }
    }
}

fn path_or_root(path: &str) -> String {
    if path.is_empty() {
        "$".into()
    } else {
        path.to_string()
    }
}

fn parse_inducer(v: &Value, path: &str, issues: &mut Vec<ConfigIssue>) -> Option<Inducer> {
    let mut f = Fields::open(v, path, &INDUCER_KEYS, issues)?;
    let name = f.string("name", "the inducer's name, e.g. \"IPTG\"");
    let k = f.number("K", None, "the inducer's half-effect concentration in µM");
    let n = f.number("n", None, "the inducer's Hill coefficient");
    let effect = match f.get("effect") {
        None => {
            f.missing("effect", "\"inactivates\" or \"activates\"");
            None
        }
        Some(Value::String(s)) => {
            let e = Effect::parse(s);
            if e.is_none() {
                let p = join(path, "effect");
                f.issues.push(issue(
                    p,
                    format!(
                        "unknown effect {s:?}; expected {}",
                        Effect::NAMES.join(" or ")
                    ),
                ));
            }
            e
        }
        Some(v) => {
            f.wrong("effect", "\"inactivates\" or \"activates\"", v);
            None
        }
    };
    Some(Inducer {
        name: name?,
        k: k?,
        n: n?,
        effect: effect?,
    })
}

fn parse_regulation(v: &Value, path: &str, issues: &mut Vec<ConfigIssue>) -> Option<Regulation> {
    let mut f = Fields::open(v, path, &REGULATION_KEYS, issues)?;
    let by = f.string("by", "the name of the regulating gene");
    let mode = match f.get("mode") {
        None => {
            f.missing("mode", "\"repress\" or \"activate\"");
            None
        }
        Some(Value::String(s)) => {
            let m = Mode::parse(s);
            if m.is_none() {
                f.issues.push(issue(
                    join(path, "mode"),
                    format!("unknown mode {s:?}; expected {}", Mode::NAMES.join(" or ")),
                ));
            }
            m
        }
        Some(v) => {
            f.wrong("mode", "\"repress\" or \"activate\"", v);
            None
        }
    };
    let k = f.number("K", None, "the regulator's half-effect level in molecules");
    let n = f.number("n", None, "the Hill coefficient");
    let inducer = match f.get("inducer") {
        None => Some(None),
        Some(iv) => parse_inducer(iv, &join(path, "inducer"), f.issues).map(Some),
    };
    Some(Regulation {
        by: by?,
        mode: mode?,
        k: k?,
        n: n?,
        inducer: inducer?,
    })
}

fn parse_gene(v: &Value, path: &str, issues: &mut Vec<ConfigIssue>) -> Option<Gene> {
    let mut f = Fields::open(v, path, &GENE_KEYS, issues)?;
    let name = f.string("name", "the gene's name, unique in its circuit");
    let w = f.number("w", None, "the maximal transcription rate in molecules/min");
    let length = match f.number("length", None, "the protein length in aa") {
        Some(l) if l == l.trunc() && (1.0..=MAX_LENGTH_AA as f64).contains(&l) => Some(l as u32),
        Some(l) => {
            f.issues.push(issue(
                join(path, "length"),
                format!("must be an integer from 1 to {MAX_LENGTH_AA} aa, got {l}"),
            ));
            None
        }
        None => None,
    };
    let leak = f.number("leak", Some(0.0), "");
    let degradation = f.number("degradation", Some(0.0), "");
    let initial_protein = f.number("initialProtein", Some(0.0), "");
    let regulation = match f.array("regulation") {
        None => Some(Vec::new()),
        Some(items) => {
            let parsed: Vec<Option<Regulation>> = items
                .iter()
                .enumerate()
                .map(|(k, r)| {
                    parse_regulation(r, &join(path, &format!("regulation[{k}]")), f.issues)
                })
                .collect();
            parsed.into_iter().collect()
        }
    };
    Some(Gene {
        name: name?,
        w: w?,
        length: length?,
        leak: leak?,
        degradation: degradation?,
        initial_protein: initial_protein?,
        regulation: regulation?,
    })
}

fn parse_circuit(v: &Value, path: &str, issues: &mut Vec<ConfigIssue>) -> Option<Circuit> {
    let mut f = Fields::open(v, path, &CIRCUIT_KEYS, issues)?;
    let name = match f.get("name") {
        None => Some(None),
        Some(Value::String(s)) => Some(Some(s.clone())),
        Some(v) => {
            f.wrong("name", "a string", v);
            None
        }
    };
    let genes = match f.array("genes") {
        None => {
            if f.get("genes").is_none() {
                f.missing("genes", "a list of 1 to 32 genes");
            }
            None
        }
        Some(items) => {
            let parsed: Vec<Option<Gene>> = items
                .iter()
                .enumerate()
                .map(|(j, g)| parse_gene(g, &join(path, &format!("genes[{j}]")), f.issues))
                .collect();
            parsed.into_iter().collect()
        }
    };
    Some(Circuit {
        name: name?,
        genes: genes?,
    })
}

impl Circuit {
    /// Read and check a circuit from a JSON value; every problem with its path under
    /// `prefix` (e.g. `circuits[0]`).
    pub fn from_value_at(
        v: &Value,
        prefix: &str,
    ) -> std::result::Result<Circuit, Vec<ConfigIssue>> {
        let mut issues = Vec::new();
        let c = parse_circuit(v, prefix, &mut issues);
        if !issues.is_empty() {
            return Err(issues);
        }
        let c = c.ok_or_else(|| vec![issue(path_or_root(prefix), "not a circuit".into())])?;
        let issues = c.issues(prefix);
        if issues.is_empty() {
            Ok(c)
        } else {
            Err(issues)
        }
    }

    /// Read and check a circuit from a JSON value; `InvalidConfig` with every problem.
    pub fn from_value(v: &Value) -> Result<Circuit> {
        Self::from_value_at(v, "").map_err(BioxenError::InvalidConfig)
    }
}

/// `path: message; path: message` for serde errors.
fn describe(issues: &[ConfigIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("{}: {}", i.path, i.message))
        .collect::<Vec<_>>()
        .join("; ")
}

impl TryFrom<Value> for Circuit {
    type Error = String;
    fn try_from(v: Value) -> std::result::Result<Self, String> {
        Circuit::from_value_at(&v, "").map_err(|i| describe(&i))
    }
}

/// Parse one part on its own, then its own rules.
fn standalone<T>(
    v: &Value,
    parse: fn(&Value, &str, &mut Vec<ConfigIssue>) -> Option<T>,
    rules: impl Fn(&T) -> Vec<ConfigIssue>,
) -> std::result::Result<T, String> {
    let mut issues = Vec::new();
    let t = parse(v, "", &mut issues);
    if let (true, Some(t)) = (issues.is_empty(), t) {
        let more = rules(&t);
        if more.is_empty() {
            return Ok(t);
        }
        issues = more;
    }
    Err(describe(&issues))
}

impl TryFrom<Value> for Gene {
    type Error = String;
    fn try_from(v: Value) -> std::result::Result<Self, String> {
        standalone(&v, parse_gene, |g| g.issues(""))
    }
}

impl TryFrom<Value> for Regulation {
    type Error = String;
    fn try_from(v: Value) -> std::result::Result<Self, String> {
        standalone(&v, parse_regulation, |r| r.issues(""))
    }
}

impl TryFrom<Value> for Inducer {
    type Error = String;
    fn try_from(v: Value) -> std::result::Result<Self, String> {
        standalone(&v, parse_inducer, |i| i.issues(""))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn toggle_json() -> Value {
        json!({
            "name": "toggle",
            "genes": [
                { "name": "lacI", "w": 10, "length": 360, "initialProtein": 5000,
                  "regulation": [{ "by": "tetR", "mode": "repress", "K": 300, "n": 2,
                                   "inducer": { "name": "aTc", "K": 0.05, "n": 2, "effect": "inactivates" } }] },
                { "name": "tetR", "w": 10, "length": 207,
                  "regulation": [{ "by": "lacI", "mode": "repress", "K": 300, "n": 2 }] }
            ]
        })
    }

    fn first_issue(v: &Value) -> ConfigIssue {
        Circuit::from_value_at(v, "circuits[0]")
            .unwrap_err()
            .remove(0)
    }

    #[test]
    fn the_issue_shape_reads_and_writes_back_the_same() {
        let c: Circuit = serde_json::from_value(toggle_json()).unwrap();
        assert_eq!(c.genes[0].initial_protein, 5000.0);
        assert_eq!(
            c.genes[0].regulation[0].inducer.as_ref().unwrap().effect,
            Effect::Inactivates
        );
        assert_eq!(c.genes[1].regulation[0].mode, Mode::Repress);
        assert_eq!(c.genes[1].leak, 0.0);
        let back = serde_json::to_value(&c).unwrap();
        // The same keys and values (integers come back as floats, except length).
        fn norm(v: &Value) -> Value {
            match v {
                Value::Number(n) => json!(n.as_f64().unwrap()),
                Value::Array(a) => Value::Array(a.iter().map(norm).collect()),
                Value::Object(o) => {
                    Value::Object(o.iter().map(|(k, v)| (k.clone(), norm(v))).collect())
                }
                other => other.clone(),
            }
        }
        assert_eq!(norm(&back), norm(&toggle_json()));
        let again: Circuit = serde_json::from_value(back).unwrap();
        assert_eq!(again, c);
    }

    #[test]
    fn shape_errors_name_their_path() {
        let mut v = toggle_json();
        v["genes"][1]["regulation"][0]["mode"] = json!("represses");
        let i = first_issue(&v);
        assert_eq!(i.path, "circuits[0].genes[1].regulation[0].mode");
        assert!(i.message.contains("\"represses\"") && i.message.contains("repress or activate"));

        let mut v = toggle_json();
        v["genes"][0]["regulation"][0]["inducer"]["effect"] = json!("blocks");
        let i = first_issue(&v);
        assert_eq!(i.path, "circuits[0].genes[0].regulation[0].inducer.effect");
        assert!(i.message.contains("\"blocks\"") && i.message.contains("inactivates or activates"));

        let mut v = toggle_json();
        v["genes"][0]["initalProtein"] = json!(1);
        let i = first_issue(&v);
        assert_eq!(i.path, "circuits[0].genes[0].initalProtein");
        assert!(i.message.contains("unknown key") && i.message.contains("initialProtein"));

        let mut v = toggle_json();
        v["genes"][0]["w"] = json!("fast");
        let i = first_issue(&v);
        assert_eq!(i.path, "circuits[0].genes[0].w");
        assert!(i.message.contains("expected a number, got a string"));

        let mut v = toggle_json();
        v["genes"][0]["length"] = json!(300.5);
        assert_eq!(first_issue(&v).path, "circuits[0].genes[0].length");

        let mut v = toggle_json();
        v["genes"][1].as_object_mut().unwrap().remove("w");
        let i = first_issue(&v);
        assert_eq!(i.path, "circuits[0].genes[1].w");
        assert!(i.message.contains("required"));

        let mut v = toggle_json();
        v["genes"] = json!({});
        assert_eq!(first_issue(&v).path, "circuits[0].genes");
        assert_eq!(first_issue(&json!([1])).path, "circuits[0]");
        assert_eq!(
            Circuit::from_value_at(&json!(7), "").unwrap_err()[0].path,
            "$"
        );
    }

    #[test]
    fn rule_errors_come_after_a_good_shape() {
        let mut v = toggle_json();
        v["genes"][1]["regulation"][0]["by"] = json!("LacI");
        let i = first_issue(&v);
        assert_eq!(i.path, "circuits[0].genes[1].regulation[0].by");
        assert!(i.message.contains("\"LacI\""));
        // Through serde: the message carries the path.
        let e = serde_json::from_value::<Circuit>(v)
            .unwrap_err()
            .to_string();
        assert!(e.contains("genes[1].regulation[0].by"), "{e}");
        let e = Circuit::from_value(&json!({ "genes": [] })).unwrap_err();
        assert_eq!(e.code(), "INVALID_CONFIG");
        assert_eq!(e.config_issues()[0].path, "genes");
    }
}
