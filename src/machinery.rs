//! Machinery models: how ribosomes turn into amino acids, and what a context switch costs.
//!
//! The hypervisor asks the model for production rates and switch costs; schedulers never see
//! it. [`SimpleMachinery`] is the linear model used for scheduling lessons: each ribosome
//! polymerises at the chassis's elongation rate, and a switch costs one ribosome run-off time.
//! A kinetic host–circuit model can implement [`Machinery`] without touching the schedulers:
//! rates are treated as constant between the times [`Machinery::next_change`] announces.

use serde::{Deserialize, Serialize};

use crate::chassis::ChassisSpec;
use crate::scheduler::Ms;

/// A model of the expression machinery.
pub trait Machinery {
    /// Short name, e.g. "simple".
    fn name(&self) -> &'static str;
    /// Amino acids per simulated ms made by `ribosomes` ribosomes working for one VM.
    fn rate_aa_per_ms(&self, ribosomes: u64) -> f64;
    /// Cost in ms of handing the shared machinery from one VM to another.
    fn switch_cost_ms(&self) -> Ms;
    /// Advance internal state to `now` (for models with their own dynamics).
    fn advance(&mut self, _now: Ms) {}
    /// The next time rates may change on their own (None: only on hypervisor events).
    fn next_change(&self, _now: Ms) -> Option<Ms> {
        None
    }
}

/// Linear production at the chassis's elongation rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimpleMachinery {
    pub elongation_aa_per_s: f64,
    pub switch_cost_ms: Ms,
}

impl SimpleMachinery {
    /// The model for a chassis; `switch_cost_override` replaces the run-off time (e.g. 0 for
    /// textbook exercises).
    pub fn for_chassis(chassis: &ChassisSpec, switch_cost_override: Option<Ms>) -> Self {
        SimpleMachinery {
            elongation_aa_per_s: chassis.elongation_aa_per_s,
            switch_cost_ms: switch_cost_override.unwrap_or_else(|| chassis.switch_cost_ms()),
        }
    }
}

impl Machinery for SimpleMachinery {
    fn name(&self) -> &'static str {
        "simple"
    }
    fn rate_aa_per_ms(&self, ribosomes: u64) -> f64 {
        ribosomes as f64 * self.elongation_aa_per_s / 1000.0
    }
    fn switch_cost_ms(&self) -> Ms {
        self.switch_cost_ms
    }
}

/// Every machinery model behind one serialisable type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnyMachinery {
    Simple(SimpleMachinery),
}

impl Machinery for AnyMachinery {
    fn name(&self) -> &'static str {
        match self {
            AnyMachinery::Simple(m) => m.name(),
        }
    }
    fn rate_aa_per_ms(&self, ribosomes: u64) -> f64 {
        match self {
            AnyMachinery::Simple(m) => m.rate_aa_per_ms(ribosomes),
        }
    }
    fn switch_cost_ms(&self) -> Ms {
        match self {
            AnyMachinery::Simple(m) => m.switch_cost_ms(),
        }
    }
    fn advance(&mut self, now: Ms) {
        match self {
            AnyMachinery::Simple(m) => m.advance(now),
        }
    }
    fn next_change(&self, now: Ms) -> Option<Ms> {
        match self {
            AnyMachinery::Simple(m) => m.next_change(now),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_rates() {
        let m = SimpleMachinery::for_chassis(&ChassisSpec::ecoli(), None);
        assert_eq!(m.rate_aa_per_ms(1000), 15.0);
        assert_eq!(m.switch_cost_ms(), 20_000);
        assert_eq!(
            SimpleMachinery::for_chassis(&ChassisSpec::ecoli(), Some(0)).switch_cost_ms(),
            0
        );
    }
}
