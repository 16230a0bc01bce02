//! Machinery models: how ribosomes turn into amino acids, and what a context switch costs.
//!
//! The hypervisor asks the model for production rates and switch costs; schedulers never see
//! it. [`SimpleMachinery`] is the linear model used for scheduling lessons: each ribosome
//! polymerises at the chassis's elongation rate, and a switch costs one ribosome run-off time.
//! A kinetic host–circuit model can implement [`Machinery`] without touching the schedulers:
//! rates are treated as constant between the times [`Machinery::next_change`] announces.
//! [`KineticMachinery`](crate::kinetics::host::KineticMachinery) is that model: the
//! hypervisor tells it which gene each VM contributes and how far the scheduler has induced
//! it ([`GeneDemand`]), and asks it for each VM's production rate and whether a
//! transcriptional context switch is over.

use serde::{Deserialize, Serialize};

use crate::chassis::ChassisSpec;
use crate::kinetics::host::KineticMachinery;
use crate::scheduler::Ms;

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
    Kinetic(Box<KineticMachinery>),
}

impl AnyMachinery {
    /// The kinetic model, if this is one.
    pub fn as_kinetic(&self) -> Option<&KineticMachinery> {
        match self {
            AnyMachinery::Kinetic(k) => Some(k),
            AnyMachinery::Simple(_) => None,
        }
    }
}

macro_rules! each {
    ($self:ident, $m:ident => $e:expr) => {
        match $self {
            AnyMachinery::Simple($m) => $e,
            AnyMachinery::Kinetic($m) => $e,
        }
    };
}

impl Machinery for AnyMachinery {
    fn name(&self) -> &'static str {
        each!(self, m => m.name())
    }
    fn rate_aa_per_ms(&self, ribosomes: u64) -> f64 {
        each!(self, m => m.rate_aa_per_ms(ribosomes))
    }
    fn switch_cost_ms(&self) -> Ms {
        each!(self, m => m.switch_cost_ms())
    }
    fn advance(&mut self, now: Ms) -> bool {
        each!(self, m => m.advance(now))
    }
    fn next_change(&self, now: Ms) -> Option<Ms> {
        each!(self, m => m.next_change(now))
    }
    fn takes_demand(&self) -> bool {
        each!(self, m => m.takes_demand())
    }
    fn set_demand(&mut self, demand: Vec<GeneDemand>) {
        each!(self, m => m.set_demand(demand))
    }
    fn vm_rate_aa_per_ms(&self, key: u64) -> Option<f64> {
        each!(self, m => m.vm_rate_aa_per_ms(key))
    }
    fn switch_done(&self, from: Option<u64>, to: u64) -> Option<bool> {
        each!(self, m => m.switch_done(from, to))
    }
    fn record_switch(&mut self, ms: Ms) {
        each!(self, m => m.record_switch(ms))
    }
    fn default_quantum_ms(&self) -> Option<Ms> {
        each!(self, m => m.default_quantum_ms())
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
