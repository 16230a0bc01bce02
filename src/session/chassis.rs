//! A session's `chassis`: a preset's name, or a chassis object as `new Hypervisor({ chassis })`
//! takes it (`custom_chassis`: a `base` preset and the numbers it changes). A custom chassis
//! keeps the description as the file gave it, so that it is written back as it was read, and
//! the [`ChassisSpec`] built from it, so that it was checked once, when it was read.
//!
//! The object form widens version 1: every session that was valid stays valid and the version
//! does not change. The rules are `custom_chassis`'s; this module only reports their issues
//! as session errors (`chassis.hostReserve.atp: 1 is out of range; expected 0 <= f < 1`).

use serde_json::Value;

use super::format::{SessionError, MAX_STRING};
use super::raw::{describe, js_len, js_ordered, raw_to_json, Raw};
use crate::chassis::{ChassisKind, ChassisSpec};
use crate::custom_chassis::chassis_from_json;
use crate::error::{BioxenError, Result};

/// The chassis a session runs on.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionChassis {
    /// A preset, written as its name.
    Preset(ChassisKind),
    /// A chassis object: `description` as the file holds it (keys in `Object.keys` order), and
    /// the spec it describes (kind `custom`, valid).
    Custom {
        description: Raw,
        spec: Box<ChassisSpec>,
    },
}

impl From<ChassisKind> for SessionChassis {
    fn from(kind: ChassisKind) -> Self {
        SessionChassis::Preset(kind)
    }
}

impl SessionChassis {
    /// A custom chassis from its JSON description (the object `new Hypervisor({ chassis })`
    /// takes); refused with every issue, as there. A string names a preset.
    pub fn from_json(description: &Value) -> Result<Self> {
        let spec = chassis_from_json(description)?;
        if spec.kind != ChassisKind::Custom {
            return Ok(SessionChassis::Preset(spec.kind));
        }
        let raw: Raw = serde_json::from_value(description.clone())
            .map_err(|e| BioxenError::arg("chassis", e.to_string()))?;
        Ok(SessionChassis::Custom {
            description: js_ordered(&raw),
            spec: Box::new(spec),
        })
    }

    /// `custom` for a chassis object, else the preset.
    pub fn kind(&self) -> ChassisKind {
        match self {
            SessionChassis::Preset(k) => *k,
            SessionChassis::Custom { .. } => ChassisKind::Custom,
        }
    }

    /// The preset a chassis object starts from (`base`, default `ecoli`); a preset is its own.
    pub fn base(&self) -> ChassisKind {
        match self {
            SessionChassis::Preset(k) => *k,
            SessionChassis::Custom { description, .. } => match description.get("base") {
                Some(Raw::Str(s)) => ChassisKind::parse(s).unwrap_or(ChassisKind::Ecoli),
                _ => ChassisKind::Ecoli,
            },
        }
    }

    /// The spec the hypervisor is built on.
    pub fn spec(&self) -> Result<ChassisSpec> {
        match self {
            SessionChassis::Preset(k) => ChassisSpec::preset(*k),
            SessionChassis::Custom { spec, .. } => Ok((**spec).clone()),
        }
    }

    /// How to show it in one line: `ecoli`, or `"Two-core textbook" (custom, on textbook)`.
    pub fn label(&self) -> String {
        match self {
            SessionChassis::Preset(k) => k.as_str().to_string(),
            SessionChassis::Custom { spec, .. } => {
                let name: String = spec.name.chars().take(60).collect();
                format!("{name:?} (custom, on {})", self.base().as_str())
            }
        }
    }

    /// The description as it was given, for a custom chassis.
    pub fn description(&self) -> Option<&Raw> {
        match self {
            SessionChassis::Preset(_) => None,
            SessionChassis::Custom { description, .. } => Some(description),
        }
    }

    /// The value a session writes: the name, or the description as read.
    pub(super) fn to_raw(&self) -> Raw {
        match self {
            SessionChassis::Preset(k) => Raw::Str(k.as_str().into()),
            SessionChassis::Custom { description, .. } => description.clone(),
        }
    }
}

/// Read a session's `chassis`, pushing every problem onto `errors` (paths `chassis…`).
pub(super) fn read(v: Option<&Raw>, errors: &mut Vec<SessionError>) -> Option<SessionChassis> {
    match v {
        Some(Raw::Str(s)) => {
            let names = crate::factory::get_supported_chassis();
            if js_len(s) > MAX_STRING {
                errors.push(SessionError::new(
                    format!("string longer than {MAX_STRING} characters"),
                    "chassis",
                ));
                return None;
            }
            match ChassisKind::parse(s) {
                Ok(k) if names.contains(&k.as_str()) => Some(SessionChassis::Preset(k)),
                _ => {
                    errors.push(SessionError::new(
                        format!("expected one of {}, got {}", names.join(", "), describe(v)),
                        "chassis",
                    ));
                    None
                }
            }
        }
        Some(obj @ Raw::Obj(_)) => {
            let json = match raw_to_json(obj, 0) {
                Ok(j) => j,
                Err(e) => {
                    errors.push(SessionError::new(e, "chassis"));
                    return None;
                }
            };
            match chassis_from_json(&json) {
                Ok(spec) => Some(SessionChassis::Custom {
                    description: js_ordered(obj),
                    spec: Box::new(spec),
                }),
                Err(e) => {
                    let issues = e.config_issues();
                    if issues.is_empty() {
                        errors.push(SessionError::new(e.to_string(), "chassis"));
                    }
                    for i in issues {
                        errors.push(SessionError::new(i.message.clone(), i.path.clone()));
                    }
                    None
                }
            }
        }
        other => {
            errors.push(SessionError::new(
                format!(
                    "expected a preset name or a chassis object, got {}",
                    describe(other)
                ),
                "chassis",
            ));
            None
        }
    }
}
