//! The medium: concentrations of inducers (µM), shared by every circuit in a host.
//!
//! Inducers are neither consumed nor diluted; a concentration holds until it is changed.
//! A name the medium does not hold is at 0. The hypervisor will own one medium for all its
//! VMs (IPTG added for one VM reaches every LacI-regulated promoter); `simulate_circuits`
//! builds one per segment of its inducer schedules.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::validate::name_problem;
use crate::error::{BioxenError, Result};

/// Inducer concentrations by name (µM).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Medium(BTreeMap<String, f64>);

impl Medium {
    /// The concentration of `name` (µM; 0 if never set).
    pub fn get(&self, name: &str) -> f64 {
        self.0.get(name).copied().unwrap_or(0.0)
    }

    /// Set `name` to `um` µM. Refuses a bad name or a negative or non-finite value with
    /// `InvalidArgument`, changing nothing.
    pub fn set(&mut self, name: &str, um: f64) -> Result<()> {
        if let Some(m) = name_problem(name) {
            return Err(BioxenError::arg("name", m));
        }
        if !(um.is_finite() && um >= 0.0) {
            return Err(BioxenError::arg(
                name,
                format!("a concentration must be finite and ≥ 0 µM, got {um}"),
            ));
        }
        self.0.insert(name.to_string(), um);
        Ok(())
    }

    /// Whether no concentration was ever set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every concentration set, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.0.iter().map(|(k, v)| (k.as_str(), *v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unset_is_zero_and_bad_values_change_nothing() {
        let mut m = Medium::default();
        assert_eq!(m.get("IPTG"), 0.0);
        m.set("IPTG", 1000.0).unwrap();
        assert_eq!(m.get("IPTG"), 1000.0);
        for bad in [-1.0, f64::NAN, f64::INFINITY] {
            let e = m.set("IPTG", bad).unwrap_err();
            assert_eq!(e.code(), "INVALID_ARGUMENT");
        }
        assert!(m.set("IP TG", 1.0).is_err());
        assert_eq!(m.iter().collect::<Vec<_>>(), [("IPTG", 1000.0)]);
    }
}
