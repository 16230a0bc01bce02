//! Prompt fields of `bioxen interactive` that check what is typed as the package will: config
//! keys by `ConfigManager::validate_value`, whole numbers by their range.

use bioxen::config::ConfigManager;
use bioxen::VmType;
use inquire::validator::Validation;
use inquire::Text;
use serde_json::json;

use super::prompt::{ask, Flow, Valid};
use crate::error::CliError;

/// Check one config key as the package will (`ConfigManager::validate_value`).
fn config_issue(key: &str, value: serde_json::Value, vm_type: VmType) -> Option<String> {
    let mut obj = serde_json::Map::new();
    obj.insert(key.to_string(), value);
    ConfigManager::validate_value(&serde_json::Value::Object(obj), vm_type)
        .into_iter()
        .find(|i| i.path == key)
        .map(|i| i.message)
}

/// A number prompt checked against the package's rule for `key` as it is typed in.
pub(super) fn number_field(
    label: &str,
    key: &'static str,
    default: String,
    vm_type: VmType,
) -> Result<Result<Option<f64>, Flow>, CliError> {
    let v = ask(Text::new(label)
        .with_placeholder(&default)
        .with_help_message("Enter keeps the default")
        .with_validator(move |s: &str| -> Valid {
            let s = s.trim();
            if s.is_empty() || (key == "cycles" && s == "endless") {
                return Ok(Validation::Valid);
            }
            let Ok(n) = s.parse::<f64>() else {
                return Ok(Validation::Invalid(format!("{s:?} is not a number").into()));
            };
            Ok(match config_issue(key, json!(n_json(n)), vm_type) {
                None => Validation::Valid,
                Some(m) => Validation::Invalid(m.into()),
            })
        })
        .prompt())?;
    Ok(v.map(|s| {
        let s = s.trim().to_string();
        if s.is_empty() || s == "endless" {
            None
        } else {
            s.parse::<f64>().ok()
        }
    }))
}

/// A number as JSON the way the package sees it (whole numbers as integers).
fn n_json(n: f64) -> serde_json::Value {
    if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0 {
        if n >= 0.0 {
            json!(n as u64)
        } else {
            json!(n as i64)
        }
    } else {
        json!(n)
    }
}

pub(super) fn string_field(
    label: &str,
    key: &'static str,
    default: &str,
    vm_type: VmType,
) -> Result<Result<String, Flow>, CliError> {
    ask(Text::new(label)
        .with_default(default)
        .with_validator(move |s: &str| -> Valid {
            Ok(match config_issue(key, json!(s), vm_type) {
                None => Validation::Valid,
                Some(m) => Validation::Invalid(m.into()),
            })
        })
        .prompt())
}

/// A whole-number prompt with a range (empty keeps the current value).
pub(super) fn whole_field(
    label: &str,
    current: String,
    max: u64,
) -> Result<Result<Option<f64>, Flow>, CliError> {
    let v = ask(Text::new(label)
        .with_placeholder(&current)
        .with_help_message("Enter keeps the current value")
        .with_validator(move |s: &str| -> Valid {
            let s = s.trim();
            if s.is_empty() {
                return Ok(Validation::Valid);
            }
            Ok(match s.parse::<u64>() {
                Ok(n) if n <= max => Validation::Valid,
                _ => Validation::Invalid(format!("expected a whole number from 0 to {max}").into()),
            })
        })
        .prompt())?;
    Ok(v.map(|s| s.trim().parse::<u64>().ok().map(|n| n as f64)))
}
