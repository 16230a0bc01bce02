//! How a hypervisor is built ([`HypervisorOptions`]), the partial change requests its
//! operations take, and the hard limits every hypervisor shares.

use serde::{Deserialize, Serialize};

use crate::chassis::{ChassisKind, ChassisSpec};
use crate::error::Result;
use crate::machinery::MachineryKind;
use crate::scheduler::{Ms, SchedulerKind};

/// Latest simulated time: 2⁵³ ms, so every time is exact as a JS number.
pub const MAX_TIME_MS: Ms = 1 << 53;

/// How to build a hypervisor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HypervisorOptions {
    pub chassis: ChassisSpec,
    pub scheduler: SchedulerKind,
    /// Base time slice; default 30 ribosome run-off times of the chassis.
    pub quantum_ms: Option<Ms>,
    /// VM limit; default the chassis's.
    pub max_vms: Option<u32>,
    /// Seed of every random choice (lottery).
    pub seed: u64,
    /// Context-switch cost; default the chassis's ribosome run-off time.
    pub context_switch_ms: Option<Ms>,
    /// Finished Gantt segments kept.
    pub trace_capacity: usize,
    /// Events kept.
    pub event_capacity: usize,
    /// The machinery model (see `kinetic_demand` for how schedulers drive the kinetic one).
    #[serde(default)]
    pub machinery: MachineryKind,
}

impl Default for HypervisorOptions {
    fn default() -> Self {
        HypervisorOptions {
            chassis: ChassisSpec::ecoli(),
            scheduler: SchedulerKind::RoundRobin,
            quantum_ms: None,
            max_vms: None,
            seed: 0,
            context_switch_ms: None,
            trace_capacity: 50_000,
            event_capacity: 10_000,
            machinery: MachineryKind::Simple,
        }
    }
}

impl HypervisorOptions {
    /// Options for a preset chassis by name.
    pub fn for_chassis(name: &str) -> Result<Self> {
        Self::on_preset(ChassisKind::parse(name)?)
    }

    /// Default options on the preset chassis `kind` (the typed form of [`Self::for_chassis`]).
    pub fn on_preset(kind: ChassisKind) -> Result<Self> {
        Ok(HypervisorOptions {
            chassis: ChassisSpec::preset(kind)?,
            ..Default::default()
        })
    }
}

/// A partial change of a VM's reservation: `None` keeps the current amount.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ResourceRequest {
    pub ribosomes: Option<u64>,
    pub rna_polymerase: Option<u64>,
    pub atp_percent: Option<f64>,
    pub memory_kb: Option<u64>,
}

/// A partial change of a VM's scheduling inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct SchedulingRequest {
    pub priority: Option<u8>,
    pub weight: Option<u32>,
    pub cap: Option<u32>,
}
