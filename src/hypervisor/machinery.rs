//! The machinery models behind one serialisable type, [`AnyMachinery`]: the simple model
//! always, the kinetic one (`kinetics::host::KineticMachinery`) only with the `kinetics`
//! feature. Building one from a [`MachineryKind`] is the only place the hypervisor names the
//! kinetic model; everything else goes through the [`Machinery`] trait.

use serde::{Deserialize, Serialize};

use crate::chassis::ChassisSpec;
use crate::error::{BioxenError, Result};
#[cfg(feature = "kinetics")]
use crate::kinetics::host::KineticMachinery;
use crate::machinery::{
    GeneDemand, GeneSeriesColumn, KineticMetrics, KineticSample, Machinery, MachineryKind,
    SimpleMachinery,
};
use crate::scheduler::Ms;

/// Every machinery model behind one serialisable type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnyMachinery {
    Simple(SimpleMachinery),
    #[cfg(feature = "kinetics")]
    Kinetic(Box<KineticMachinery>),
}

impl AnyMachinery {
    /// The model of `kind` for a chassis. `context_switch_ms` overrides the simple model's
    /// switch cost; the kinetic model measures its switches, so it must be unset there.
    /// Without the `kinetics` feature the kinetic model is FEATURE_UNAVAILABLE.
    pub(super) fn build(
        kind: MachineryKind,
        chassis: &ChassisSpec,
        context_switch_ms: Option<Ms>,
    ) -> Result<Self> {
        match kind {
            MachineryKind::Simple => Ok(AnyMachinery::Simple(SimpleMachinery::for_chassis(
                chassis,
                context_switch_ms,
            ))),
            MachineryKind::Kinetic => Self::kinetic(chassis, context_switch_ms),
        }
    }

    #[cfg(feature = "kinetics")]
    fn kinetic(chassis: &ChassisSpec, context_switch_ms: Option<Ms>) -> Result<Self> {
        if context_switch_ms.is_some() {
            return Err(BioxenError::arg(
                "context_switch_ms",
                "the kinetic machinery measures context switches; leave it unset",
            ));
        }
        Ok(AnyMachinery::Kinetic(Box::new(
            KineticMachinery::for_chassis(chassis)?,
        )))
    }

    #[cfg(not(feature = "kinetics"))]
    fn kinetic(_chassis: &ChassisSpec, _context_switch_ms: Option<Ms>) -> Result<Self> {
        Err(BioxenError::feature_unavailable(
            "kinetics",
            "machinery \"kinetic\"",
        ))
    }
}

#[cfg(feature = "kinetics")]
impl AnyMachinery {
    /// The kinetic model, if this is it.
    pub(super) fn kinetic_model(&self) -> Option<&KineticMachinery> {
        match self {
            AnyMachinery::Kinetic(k) => Some(k),
            AnyMachinery::Simple(_) => None,
        }
    }

    /// Register the circuit VM `key` runs (no effect on the simple model, which refuses
    /// circuits before this is reached).
    pub(super) fn set_circuit(&mut self, key: u64, circuit: crate::circuits::Circuit) {
        if let AnyMachinery::Kinetic(k) = self {
            k.set_circuit(key, circuit);
        }
    }

    /// Set an inducer of the medium; the simple model has no medium (`InvalidConfig`).
    pub(super) fn set_inducer(&mut self, name: &str, um: f64) -> Result<()> {
        match self {
            AnyMachinery::Kinetic(k) => k.set_inducer(name, um),
            AnyMachinery::Simple(_) => Err(BioxenError::InvalidConfig(vec![
                crate::error::ConfigIssue {
                    path: "machinery".into(),
                    message: "the medium of inducers belongs to the kinetic machinery; create \
                              the hypervisor with machinery \"kinetic\""
                        .into(),
                },
            ])),
        }
    }
}

macro_rules! each {
    ($self:ident, $m:ident => $e:expr) => {
        match $self {
            AnyMachinery::Simple($m) => $e,
            #[cfg(feature = "kinetics")]
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
    fn kind(&self) -> MachineryKind {
        each!(self, m => m.kind())
    }
    fn kinetic_report(&self) -> Option<KineticMetrics> {
        each!(self, m => m.kinetic_report())
    }
    fn kinetic_series_since(
        &self,
        cursor: u64,
        limit: usize,
    ) -> Option<(Vec<KineticSample>, u64, u64)> {
        each!(self, m => m.kinetic_series_since(cursor, limit))
    }
    fn kinetic_gene_series(&self, from: u64, to: u64) -> Vec<GeneSeriesColumn> {
        each!(self, m => m.kinetic_gene_series(from, to))
    }
    fn check_state(&self, live_keys: &[u64], now: Ms) -> Option<std::result::Result<(), String>> {
        each!(self, m => m.check_state(live_keys, now))
    }
}
