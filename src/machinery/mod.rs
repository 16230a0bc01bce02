//! Machinery models: how ribosomes turn into amino acids, and what a context switch costs.
//!
//! The hypervisor asks the model for production rates and switch costs; schedulers never see
//! it. [`SimpleMachinery`] is the linear model used for scheduling lessons: each ribosome
//! polymerises at the chassis's elongation rate, and a switch costs one ribosome run-off time.
//! A kinetic host–circuit model can implement [`Machinery`] without touching the schedulers:
//! rates are treated as constant between the times [`Machinery::next_change`] announces.
//! The kinetic machinery (`kinetics::host::KineticMachinery`, feature `kinetics`) is that
//! model: the hypervisor tells it which gene each VM contributes and how far the scheduler has
//! induced it ([`GeneDemand`]), and asks it for each VM's production rate, whether a
//! transcriptional context switch is over, and for its reports (the private `report` module).
//!
//! This is the seam between the hypervisor and `kinetics`: both import it, it imports
//! neither, and the types both need live here.

use serde::{Deserialize, Serialize};

use crate::chassis::ChassisSpec;
use crate::scheduler::Ms;

mod report;
pub use report::{
    GeneSeriesColumn, KineticExpression, KineticGeneClass, KineticMetrics, KineticSample, KineticVm,
};

/// Which machinery model a hypervisor uses.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MachineryKind {
    /// Linear production, constant switch cost (scheduling lessons).
    #[default]
    Simple,
    /// The Weiße 2015 host–circuit model (Darlington 2018 on the orthogonal chassis).
    Kinetic,
}

impl MachineryKind {
    pub const ALL: [MachineryKind; 2] = [MachineryKind::Simple, MachineryKind::Kinetic];

    pub fn as_str(self) -> &'static str {
        match self {
            MachineryKind::Simple => "simple",
            MachineryKind::Kinetic => "kinetic",
        }
    }

    pub fn parse(s: &str) -> crate::error::Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                crate::error::BioxenError::arg(
                    "machinery",
                    format!(
                        "unsupported machinery {:?}: expected one of simple, kinetic",
                        s.chars().take(80).collect::<String>()
                    ),
                )
            })
    }
}

/// One gene (class) a VM contributes to a kinetic model: a VM built on a genome gives one per
/// gene group, any other VM one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeneDemand {
    /// The VM's creation sequence number (stable, never reused).
    pub key: u64,
    /// Which of the VM's gene classes (0 for a VM with one).
    #[serde(default)]
    pub class: u32,
    /// Maximal transcription rate w (molecules/min).
    pub w_max: f64,
    /// 0..1: how far the scheduler has switched the promoter on.
    pub induction: f64,
    /// Protein length (aa).
    pub length: f64,
}

/// A model of the expression machinery.
pub trait Machinery {
    /// Short name, e.g. "simple".
    fn name(&self) -> &'static str;
    /// Amino acids per simulated ms made by `ribosomes` ribosomes working for one VM.
    fn rate_aa_per_ms(&self, ribosomes: u64) -> f64;
    /// Cost in ms of handing the shared machinery from one VM to another.
    fn switch_cost_ms(&self) -> Ms;
    /// Advance internal state to `now` (for models with their own dynamics); true when the
    /// production rates changed.
    fn advance(&mut self, _now: Ms) -> bool {
        false
    }
    /// The next time rates may change on their own (None: only on hypervisor events).
    fn next_change(&self, _now: Ms) -> Option<Ms> {
        None
    }
    /// Whether the model wants each VM's gene and induction ([`Machinery::set_demand`]).
    fn takes_demand(&self) -> bool {
        false
    }
    /// Every live VM's genes, by creation order then class (replaces the previous demand).
    fn set_demand(&mut self, _demand: Vec<GeneDemand>) {}
    /// The production rate of one VM's genes, if the model decides it per VM (None: the
    /// hypervisor uses [`Machinery::rate_aa_per_ms`] of the ribosomes it grants).
    fn vm_rate_aa_per_ms(&self, _key: u64) -> Option<f64> {
        None
    }
    /// Whether a context switch from `from` to `to` is over, if the model measures switches
    /// (None: the switch costs [`Machinery::switch_cost_ms`]).
    fn switch_done(&self, _from: Option<u64>, _to: u64) -> Option<bool> {
        None
    }
    /// A measured switch ended after `ms`.
    fn record_switch(&mut self, _ms: Ms) {}
    /// The model's own default scheduling quantum, if it has one.
    fn default_quantum_ms(&self) -> Option<Ms> {
        None
    }
    /// Which model this is.
    fn kind(&self) -> MachineryKind;
    /// The model's report of the host and each VM's genes, if it keeps one (VM ids and gene
    /// group names are left for the hypervisor to fill in).
    fn kinetic_report(&self) -> Option<KineticMetrics> {
        None
    }
    /// Chart samples from `cursor` (at most `limit`), the next cursor and how many were
    /// dropped before being read, if the model keeps a series.
    fn kinetic_series_since(
        &self,
        _cursor: u64,
        _limit: usize,
    ) -> Option<(Vec<KineticSample>, u64, u64)> {
        None
    }
    /// Circuit genes' protein at the chart samples with cursors `from..to` (empty if the
    /// model keeps none).
    fn kinetic_gene_series(&self, _from: u64, _to: u64) -> Vec<GeneSeriesColumn> {
        Vec::new()
    }
    /// Checks the model's own state against the live VMs (`live_keys`, sorted) and the clock,
    /// if it has state of its own (None: nothing to check).
    fn check_state(&self, _live_keys: &[u64], _now: Ms) -> Option<std::result::Result<(), String>> {
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
    fn kind(&self) -> MachineryKind {
        MachineryKind::Simple
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
