//! VM configuration: the typed [`VmConfig`], per-type defaults, and [`ConfigManager`], which
//! loads JSON or TOML and reports every bad key with its path.
//!
//! Keys are snake_case in Rust and TOML; the camelCase spellings used by the JS API
//! (`rnaPolymerase`, `atpPercent`, `memoryKb`, `workloadAa`, `xapiUrl`, `sshUser`) are
//! accepted everywhere as aliases.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{json_kind, BioxenError, ConfigIssue, Result};
use crate::vm::{BiologicalType, Secret, VmType, XcpngConfig};
use crate::workload::Workload;

/// Settings of one VM. `None` means "use the default for the biological type".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VmConfig {
    /// Ribosomes reserved for this VM alone.
    pub ribosomes: Option<u64>,
    /// RNA polymerases reserved.
    pub rna_polymerase: Option<u64>,
    /// Share of the chassis's ATP supply reserved, percent.
    pub atp_percent: Option<f64>,
    /// DNA capacity reserved, kb.
    pub memory_kb: Option<u64>,
    /// 1..=10, higher runs first (priority and MLFQ-style policies).
    pub priority: Option<u8>,
    /// Proportional-share weight 1..=65535 (Xen default 256).
    pub weight: Option<u32>,
    /// Cap, percent of the shared machinery (0 = none).
    pub cap: Option<u32>,
    /// Amino acids per work cycle (default: the genome's total coding length).
    pub workload_aa: Option<u64>,
    /// Work cycles to run before the VM stops by itself (default: run until stopped).
    pub cycles: Option<u32>,
    /// XCP-ng connection (required for, and only for, `xcpng` VMs).
    pub xcpng: Option<XcpngConfig>,
    /// A parsed genome: when set, the VM's defaults (memory, workload, reservation floor) come
    /// from it instead of from the biological type ([`crate::genome`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub genome: Option<std::sync::Arc<crate::genome::GenomeWorkload>>,
    /// A gene circuit to run (kinetic machinery only): its genes replace the VM's default
    /// gene ([`crate::circuits`]).
    #[cfg(feature = "kinetics")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub circuit: Option<crate::circuits::Circuit>,
}

/// The resolved scheduling and reservation settings of a VM.
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedConfig {
    pub reservation: crate::resources::Amounts,
    pub priority: u8,
    pub weight: u32,
    pub cap: u32,
    pub workload_aa: u64,
    pub cycles: Option<u32>,
}

/// Default reservation rules (design choices of this simulator, stated so users can judge):
/// a reservation is a small guaranteed floor, and most of a guest's expression goes through
/// the scheduler. The floor is one ribosome per ten essential genes of the guest and one RNA
/// polymerase per fifty (a trickle that keeps essential products flowing while the guest is
/// descheduled), 5 % of the ATP supply, and DNA capacity equal to the guest's genome length.
/// With these, two syn3A guests fit on the syn3A chassis and a yeast guest on yeast.
pub fn default_config(t: BiologicalType) -> VmConfig {
    defaults_for_workload(&Workload::for_type(t))
}

/// [`default_config`] for any workload (a built-in type's or a parsed genome's).
pub fn defaults_for_workload(w: &Workload) -> VmConfig {
    VmConfig {
        ribosomes: Some((w.essential_genes as u64).div_ceil(10)),
        rna_polymerase: Some((w.essential_genes as u64).div_ceil(50)),
        atp_percent: Some(5.0),
        memory_kb: Some(w.genome_kb),
        priority: Some(5),
        weight: Some(256),
        cap: Some(0),
        workload_aa: Some(w.total_aa),
        cycles: None,
        xcpng: None,
        genome: None,
        #[cfg(feature = "kinetics")]
        circuit: None,
    }
}

impl VmConfig {
    /// Fill unset fields from the defaults of `t`, validate, and resolve.
    pub fn resolve(&self, t: BiologicalType, vm_type: VmType) -> Result<ResolvedConfig> {
        let issues = self.issues(vm_type);
        if !issues.is_empty() {
            return Err(BioxenError::InvalidConfig(issues));
        }
        let d = match &self.genome {
            Some(g) => defaults_for_workload(&g.workload),
            None => default_config(t),
        };
        let pick = |a: Option<u64>, b: Option<u64>| a.or(b).unwrap_or(0);
        Ok(ResolvedConfig {
            reservation: crate::resources::Amounts {
                ribosomes: pick(self.ribosomes, d.ribosomes),
                rna_polymerase: pick(self.rna_polymerase, d.rna_polymerase),
                atp_centi: crate::resources::atp_percent_to_centi(
                    self.atp_percent.or(d.atp_percent).unwrap_or(0.0),
                )?,
                memory_kb: pick(self.memory_kb, d.memory_kb),
            },
            priority: self.priority.or(d.priority).unwrap_or(5),
            weight: self.weight.or(d.weight).unwrap_or(256),
            cap: self.cap.or(d.cap).unwrap_or(0),
            workload_aa: pick(self.workload_aa, d.workload_aa).max(1),
            cycles: self.cycles,
        })
    }

    /// Every problem with a typed config (ranges and the xcpng rule).
    pub fn issues(&self, vm_type: VmType) -> Vec<ConfigIssue> {
        let value = self.to_value();
        ConfigManager::validate_value(&value, vm_type)
    }

    fn to_value(&self) -> Value {
        let mut m = Map::new();
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                m.insert(k.to_string(), v);
            }
        };
        put("ribosomes", self.ribosomes.map(Value::from));
        put("rna_polymerase", self.rna_polymerase.map(Value::from));
        put(
            "atp_percent",
            self.atp_percent
                .map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        );
        put("memory_kb", self.memory_kb.map(Value::from));
        put("priority", self.priority.map(Value::from));
        put("weight", self.weight.map(Value::from));
        put("cap", self.cap.map(Value::from));
        put("workload_aa", self.workload_aa.map(Value::from));
        put("cycles", self.cycles.map(Value::from));
        if let Some(x) = &self.xcpng {
            put("xapi_url", Some(Value::from(x.xapi_url.clone())));
            put("username", Some(Value::from(x.username.clone())));
            put(
                "password",
                Some(Value::from(x.password.expose().to_string())),
            );
            put("ssh_user", Some(Value::from(x.ssh_user.clone())));
        }
        Value::Object(m)
    }
}

/// Canonical key names and their accepted aliases.
const KEYS: &[(&str, &[&str])] = &[
    ("ribosomes", &[]),
    ("rna_polymerase", &["rnaPolymerase"]),
    ("atp_percent", &["atpPercent", "atp"]),
    ("memory_kb", &["memoryKb"]),
    ("priority", &[]),
    ("weight", &[]),
    ("cap", &[]),
    ("workload_aa", &["workloadAa"]),
    ("cycles", &[]),
    ("xapi_url", &["xapiUrl"]),
    ("username", &[]),
    ("password", &[]),
    ("ssh_user", &["sshUser"]),
];

const XCPNG_KEYS: [&str; 4] = ["xapi_url", "username", "password", "ssh_user"];

fn canonical(key: &str) -> Option<&'static str> {
    KEYS.iter()
        .find(|(k, aliases)| *k == key || aliases.contains(&key))
        .map(|(k, _)| *k)
}

/// Config loading and validation, as the upstream `ConfigManager` promised.
pub struct ConfigManager;

/// Formats [`ConfigManager::load`] reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigFormat {
    Json,
    Toml,
}

impl ConfigManager {
    /// Defaults for a biological type.
    pub fn defaults(t: BiologicalType) -> VmConfig {
        default_config(t)
    }

    /// Parse and validate a config in `format`; every bad key is reported with its path.
    pub fn load(text: &str, format: ConfigFormat, vm_type: VmType) -> Result<VmConfig> {
        let value: Value = match format {
            ConfigFormat::Json => serde_json::from_str(text).map_err(|e| {
                BioxenError::InvalidConfig(vec![ConfigIssue {
                    path: "$".into(),
                    message: format!("not valid JSON: {e}"),
                }])
            })?,
            ConfigFormat::Toml => toml_to_json(text)?,
        };
        Self::from_value(&value, vm_type)
    }

    /// Validate a JSON value and convert it.
    pub fn from_value(value: &Value, vm_type: VmType) -> Result<VmConfig> {
        let issues = Self::validate_value(value, vm_type);
        if !issues.is_empty() {
            return Err(BioxenError::InvalidConfig(issues));
        }
        Ok(Self::convert(value))
    }

    /// Every problem in a JSON config value (empty when valid).
    pub fn validate_value(value: &Value, vm_type: VmType) -> Vec<ConfigIssue> {
        let mut issues = Vec::new();
        let mut add = |path: &str, message: String| {
            issues.push(ConfigIssue {
                path: path.to_string(),
                message,
            })
        };
        let obj = match value {
            Value::Object(m) => m,
            Value::Null => return Self::xcpng_missing(&Map::new(), vm_type),
            other => {
                add("$", format!("expected an object, got {}", json_kind(other)));
                return issues;
            }
        };
        let flat = match flatten(obj) {
            Ok(f) => f,
            Err(i) => return vec![i],
        };
        let mut seen: Vec<&str> = Vec::new();
        for (path, key, v) in &flat {
            let Some(k) = canonical(key) else {
                let expected: Vec<&str> = KEYS.iter().map(|(k, _)| *k).collect();
                let path: String = path.chars().take(80).collect();
                add(
                    &path,
                    format!("unknown key; expected one of {}", expected.join(", ")),
                );
                continue;
            };
            if seen.contains(&k) {
                add(path, format!("{k} is given twice (under two spellings)"));
                continue;
            }
            seen.push(k);
            if let Some(m) = check_key(k, v) {
                add(path, m);
            }
            if XCPNG_KEYS.contains(&k) && vm_type != VmType::Xcpng {
                add(path, "only xcpng VMs take XCP-ng settings".into());
            }
        }
        issues.extend(Self::xcpng_missing_keys(&seen, vm_type));
        issues
    }

    fn xcpng_missing(_m: &Map<String, Value>, vm_type: VmType) -> Vec<ConfigIssue> {
        Self::xcpng_missing_keys(&[], vm_type)
    }

    fn xcpng_missing_keys(seen: &[&str], vm_type: VmType) -> Vec<ConfigIssue> {
        if vm_type != VmType::Xcpng {
            return Vec::new();
        }
        XCPNG_KEYS
            .iter()
            .filter(|k| !seen.contains(k))
            .map(|k| ConfigIssue {
                path: k.to_string(),
                message: "required for xcpng VMs".into(),
            })
            .collect()
    }

    /// Convert a value that passed validation.
    fn convert(value: &Value) -> VmConfig {
        let mut c = VmConfig::default();
        let Value::Object(obj) = value else {
            return c;
        };
        let Ok(flat) = flatten(obj) else {
            return c;
        };
        let mut x = XcpngConfig {
            xapi_url: String::new(),
            username: String::new(),
            password: Secret::default(),
            ssh_user: String::new(),
        };
        let mut any_x = false;
        for (_, key, v) in flat {
            let u = v.as_u64();
            match canonical(&key).unwrap_or("") {
                "ribosomes" => c.ribosomes = u,
                "rna_polymerase" => c.rna_polymerase = u,
                "atp_percent" => c.atp_percent = v.as_f64(),
                "memory_kb" => c.memory_kb = u,
                "priority" => c.priority = u.map(|n| n as u8),
                "weight" => c.weight = u.map(|n| n as u32),
                "cap" => c.cap = u.map(|n| n as u32),
                "workload_aa" => c.workload_aa = u,
                "cycles" => c.cycles = u.map(|n| n as u32),
                "xapi_url" => (x.xapi_url, any_x) = (str_of(&v), true),
                "username" => (x.username, any_x) = (str_of(&v), true),
                "password" => (x.password, any_x) = (Secret::new(str_of(&v)), true),
                "ssh_user" => (x.ssh_user, any_x) = (str_of(&v), true),
                _ => {}
            }
        }
        if any_x {
            c.xcpng = Some(x);
        }
        c
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn toml_to_json(text: &str) -> Result<Value> {
    let bad = |message: String| {
        BioxenError::InvalidConfig(vec![ConfigIssue {
            path: "$".into(),
            message,
        }])
    };
    let t: toml::Value =
        toml::from_str(text).map_err(|e| bad(format!("not valid TOML: {}", e.message())))?;
    serde_json::to_value(t).map_err(|e| bad(e.to_string()))
}

#[cfg(target_arch = "wasm32")]
fn toml_to_json(_text: &str) -> Result<Value> {
    Err(BioxenError::arg(
        "format",
        "TOML is read by the native library and CLI; the wasm build reads JSON",
    ))
}

fn str_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// Flatten `{ ..., "xcpng_config": { ... } }` (the upstream layout) into (path, key, value).
fn flatten(
    obj: &Map<String, Value>,
) -> std::result::Result<Vec<(String, String, Value)>, ConfigIssue> {
    let mut out = Vec::new();
    for (k, v) in obj {
        if k == "xcpng_config" || k == "xcpngConfig" || k == "xcpng" {
            match v {
                Value::Object(inner) => {
                    for (ik, iv) in inner {
                        out.push((format!("{k}.{ik}"), ik.clone(), iv.clone()));
                    }
                }
                Value::Null => {}
                other => {
                    return Err(ConfigIssue {
                        path: k.clone(),
                        message: format!("expected an object, got {}", json_kind(other)),
                    })
                }
            }
        } else {
            out.push((k.clone(), k.clone(), v.clone()));
        }
    }
    Ok(out)
}

fn int_in(v: &Value, min: u64, max: u64) -> Option<String> {
    match v.as_u64() {
        Some(n) if (min..=max).contains(&n) => None,
        Some(n) => Some(format!(
            "{n} is out of range; expected an integer {min}..={max}"
        )),
        None => Some(format!(
            "expected an integer {min}..={max}, got {}",
            shown(v)
        )),
    }
}

fn shown(v: &Value) -> String {
    match v {
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{:?}", s.chars().take(40).collect::<String>()),
        other => json_kind(other).to_string(),
    }
}

fn string_rule(v: &Value, max: usize, ok: impl Fn(&str) -> bool, what: &str) -> Option<String> {
    match v.as_str() {
        Some(s) if !s.is_empty() && s.chars().count() <= max && ok(s) => None,
        Some(_) => Some(format!("expected {what}")),
        None => Some(format!("expected {what}, got {}", json_kind(v))),
    }
}

/// Check one key's value; `None` when valid. Messages never echo a password.
fn check_key(key: &str, v: &Value) -> Option<String> {
    match key {
        "ribosomes" | "rna_polymerase" => int_in(v, 0, 10_000_000),
        "memory_kb" => int_in(v, 0, 1_000_000_000),
        "priority" => int_in(v, 1, 10),
        "weight" => int_in(v, 1, 65_535),
        "cap" => int_in(v, 0, 100),
        "workload_aa" => int_in(v, 1, 1_000_000_000_000_000),
        "cycles" => {
            if v.is_null() {
                None
            } else {
                int_in(v, 1, 1_000_000_000)
            }
        }
        "atp_percent" => match v.as_f64() {
            Some(f) if f.is_finite() && (0.0..=100.0).contains(&f) => None,
            _ => Some(format!("expected a number from 0 to 100, got {}", shown(v))),
        },
        "xapi_url" => string_rule(
            v,
            2048,
            |s| {
                (s.starts_with("https://") || s.starts_with("http://"))
                    && s.len() > "https://".len()
                    && !s.chars().any(char::is_whitespace)
            },
            "an http:// or https:// URL of at most 2048 characters",
        ),
        "username" => string_rule(
            v,
            64,
            |s| s.chars().all(|c| c.is_ascii_graphic()),
            "1-64 printable characters without spaces",
        ),
        "password" => match v.as_str() {
            Some(s) if !s.is_empty() && s.len() <= 1024 => None,
            _ => Some("expected a non-empty string of at most 1024 bytes".into()),
        },
        "ssh_user" => string_rule(
            v,
            32,
            |s| {
                let mut cs = s.chars();
                cs.next()
                    .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
                    && cs.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-')
            },
            "a Unix user name: lowercase letters, digits, '_' or '-', starting with a letter or '_', at most 32 characters",
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn defaults_per_type_come_from_workloads() {
        let d = ConfigManager::defaults(BiologicalType::Syn3a);
        assert_eq!(d.ribosomes, Some(46));
        assert_eq!(d.rna_polymerase, Some(10));
        assert_eq!(d.memory_kb, Some(544));
        let e = ConfigManager::defaults(BiologicalType::Ecoli);
        assert_eq!(e.workload_aa, Some(1_329_980));
        assert!(d.issues(VmType::Basic).is_empty());
    }

    #[test]
    fn every_bad_key_with_its_path() {
        let v = json!({
            "ribosomes": -1, "atpPercent": 120, "weight": 0, "bogus": 1,
            "xcpng_config": {"xapi_url": "ftp://x", "password": ""}
        });
        let issues = ConfigManager::validate_value(&v, VmType::Xcpng);
        let paths: Vec<&str> = issues.iter().map(|i| i.path.as_str()).collect();
        for p in [
            "ribosomes",
            "atpPercent",
            "weight",
            "bogus",
            "xcpng_config.xapi_url",
            "xcpng_config.password",
            "username",
            "ssh_user",
        ] {
            assert!(paths.contains(&p), "{p} missing from {paths:?}");
        }
        assert_eq!(issues.len(), 8, "{issues:?}");
    }

    #[test]
    fn json_and_toml_load_the_same_config() {
        let j = ConfigManager::load(
            r#"{"ribosomes": 10, "memoryKb": 20, "priority": 7, "xapiUrl": "https://h", "username": "root", "password": "s3cret", "sshUser": "bioxen"}"#,
            ConfigFormat::Json,
            VmType::Xcpng,
        )
        .unwrap();
        let t = ConfigManager::load(
            "ribosomes = 10\nmemory_kb = 20\npriority = 7\n[xcpng_config]\nxapi_url = \"https://h\"\nusername = \"root\"\npassword = \"s3cret\"\nssh_user = \"bioxen\"\n",
            ConfigFormat::Toml,
            VmType::Xcpng,
        )
        .unwrap();
        assert_eq!(j, t);
        assert_eq!(j.xcpng.as_ref().unwrap().password.expose(), "s3cret");
        let err = ConfigManager::load("{", ConfigFormat::Json, VmType::Basic).unwrap_err();
        assert_eq!(err.code(), "INVALID_CONFIG");
    }

    #[test]
    fn password_never_echoed() {
        let v = json!({"password": 12345678, "xapi_url": "https://h", "username": "u", "ssh_user": "u"});
        let issues = ConfigManager::validate_value(&v, VmType::Xcpng);
        assert_eq!(issues.len(), 1);
        assert!(!issues[0].message.contains("12345678"));
        let basic = ConfigManager::validate_value(&json!({"password": "x"}), VmType::Basic);
        assert_eq!(basic[0].message, "only xcpng VMs take XCP-ng settings");
    }
}
