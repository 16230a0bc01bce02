//! The typed session: hypervisor and scheduler options, VM configs, change requests, the
//! operations ([`Op`], [`TimedOp`]) and [`Session`] itself, with the accessors the reader,
//! the writer and the replay share.

use super::chassis::SessionChassis;
use super::raw::Raw;
use crate::genome::GenomeWorkload;
use crate::machinery::MachineryKind;
use crate::scheduler::SchedulerKind;
use crate::vm::{Action, BiologicalType, VmType};

/// Hypervisor options of a session (whole numbers, checked for range on replay, and the
/// machinery model).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SessionOptions {
    pub quantum_ms: Option<u64>,
    pub max_vms: Option<u64>,
    pub seed: Option<u64>,
    pub context_switch_ms: Option<u64>,
    pub trace_capacity: Option<u64>,
    pub event_capacity: Option<u64>,
    /// `None`: not written, replayed as the default (simple).
    pub machinery: Option<MachineryKind>,
}

impl SessionOptions {
    pub(super) fn fields(&self) -> [(&'static str, Option<u64>); 6] {
        [
            ("quantumMs", self.quantum_ms),
            ("maxVms", self.max_vms),
            ("seed", self.seed),
            ("contextSwitchMs", self.context_switch_ms),
            ("traceCapacity", self.trace_capacity),
            ("eventCapacity", self.event_capacity),
        ]
    }

    pub(super) fn set(&mut self, key: &str, v: u64) {
        match key {
            "quantumMs" => self.quantum_ms = Some(v),
            "maxVms" => self.max_vms = Some(v),
            "seed" => self.seed = Some(v),
            "contextSwitchMs" => self.context_switch_ms = Some(v),
            "traceCapacity" => self.trace_capacity = Some(v),
            _ => self.event_capacity = Some(v),
        }
    }
}

/// `setScheduler` options (whole numbers, and the MLFQ per-level lists).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchedOptions {
    pub quantum_ms: Option<u64>,
    pub seed: Option<u64>,
    pub mlfq_levels: Option<u64>,
    pub mlfq_boost_ms: Option<u64>,
    pub aging_ms: Option<u64>,
    /// MLFQ quantum per level in ms, top level first (mlfq.py -Q).
    pub mlfq_quanta_ms: Option<Vec<u64>>,
    /// MLFQ allotment per level in quanta, top level first (mlfq.py -A).
    pub mlfq_allotments: Option<Vec<u64>>,
    /// What an MLFQ boost gives at the top level (`fresh` or `ostep`).
    pub mlfq_boost_rule: Option<crate::scheduler::MlfqBoostRule>,
}

impl SchedOptions {
    pub(super) fn fields(&self) -> [(&'static str, Option<u64>); 5] {
        [
            ("quantumMs", self.quantum_ms),
            ("seed", self.seed),
            ("mlfqLevels", self.mlfq_levels),
            ("mlfqBoostMs", self.mlfq_boost_ms),
            ("agingMs", self.aging_ms),
        ]
    }

    pub(super) fn lists(&self) -> [(&'static str, Option<&Vec<u64>>); 2] {
        [
            ("mlfqQuantaMs", self.mlfq_quanta_ms.as_ref()),
            ("mlfqAllotments", self.mlfq_allotments.as_ref()),
        ]
    }
}

/// A VM config as a session stores it: numbers as given (the package checks ranges), the
/// XCP-ng strings, never a password. `cycles: Some(None)` is an explicit `null` (endless).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionConfig {
    pub ribosomes: Option<f64>,
    pub rna_polymerase: Option<f64>,
    pub atp_percent: Option<f64>,
    pub memory_kb: Option<f64>,
    pub priority: Option<f64>,
    pub weight: Option<f64>,
    pub cap: Option<f64>,
    pub workload_aa: Option<f64>,
    pub cycles: Option<Option<f64>>,
    pub xapi_url: Option<String>,
    pub username: Option<String>,
    pub ssh_user: Option<String>,
    /// `genome.workload` of a genome VM, as the file holds it (object keys in the order JS
    /// lists them, so it is written back byte for byte).
    pub genome: Option<Raw>,
    /// A circuit VM's `circuit`: a built-in id or a circuit, as the file holds it.
    pub circuit: Option<Box<Raw>>,
}

impl SessionConfig {
    pub(super) fn numbers(&self) -> [(&'static str, Option<Option<f64>>); 9] {
        [
            ("ribosomes", self.ribosomes.map(Some)),
            ("rnaPolymerase", self.rna_polymerase.map(Some)),
            ("atpPercent", self.atp_percent.map(Some)),
            ("memoryKb", self.memory_kb.map(Some)),
            ("priority", self.priority.map(Some)),
            ("weight", self.weight.map(Some)),
            ("cap", self.cap.map(Some)),
            ("workloadAa", self.workload_aa.map(Some)),
            ("cycles", self.cycles),
        ]
    }

    pub(super) fn strings(&self) -> [(&'static str, Option<&String>); 3] {
        [
            ("xapiUrl", self.xapi_url.as_ref()),
            ("username", self.username.as_ref()),
            ("sshUser", self.ssh_user.as_ref()),
        ]
    }

    pub(super) fn set_number(&mut self, key: &str, v: Option<f64>) {
        match key {
            "ribosomes" => self.ribosomes = v,
            "rnaPolymerase" => self.rna_polymerase = v,
            "atpPercent" => self.atp_percent = v,
            "memoryKb" => self.memory_kb = v,
            "priority" => self.priority = v,
            "weight" => self.weight = v,
            "cap" => self.cap = v,
            "workloadAa" => self.workload_aa = v,
            _ => self.cycles = Some(v),
        }
    }

    pub(super) fn set_string(&mut self, key: &str, v: String) {
        match key {
            "xapiUrl" => self.xapi_url = Some(v),
            "username" => self.username = Some(v),
            _ => self.ssh_user = Some(v),
        }
    }

    /// Make this a genome VM's config: the workload as `parseGenome` gives it (key order of
    /// its JSON), which is what the playground's genome panel records.
    pub fn set_genome(&mut self, w: &GenomeWorkload) {
        self.genome = serde_json::to_string(w)
            .ok()
            .and_then(|t| serde_json::from_str::<Raw>(&t).ok());
    }
}

/// A `setScheduling` request (numbers as given).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SchedulingChange {
    pub priority: Option<f64>,
    pub weight: Option<f64>,
    pub cap: Option<f64>,
}

/// An `allocateResources` request (numbers as given).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ResourceChange {
    pub ribosomes: Option<f64>,
    pub rna_polymerase: Option<f64>,
    pub atp_percent: Option<f64>,
    pub memory_kb: Option<f64>,
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    CreateVm {
        vm_id: String,
        biological_type: BiologicalType,
        vm_type: VmType,
        config: SessionConfig,
    },
    /// `startVm`, `pauseVm`, `resumeVm`, `stopVm`, `restartVm`, `destroyVm`.
    Lifecycle {
        action: Action,
        vm_id: String,
    },
    SetScheduler {
        name: SchedulerKind,
        options: Option<SchedOptions>,
    },
    SetScheduling {
        vm_id: String,
        request: SchedulingChange,
    },
    AllocateResources {
        vm_id: String,
        request: ResourceChange,
    },
    SetAtpSupply {
        percent: f64,
    },
    /// An inducer of the medium every VM shares, µM (kinetic machinery).
    SetInducer {
        name: String,
        value: f64,
    },
}

pub(super) const LIFECYCLE: [(&str, Action); 6] = [
    ("startVm", Action::Start),
    ("pauseVm", Action::Pause),
    ("resumeVm", Action::Resume),
    ("stopVm", Action::Stop),
    ("restartVm", Action::Restart),
    ("destroyVm", Action::Destroy),
];

impl Op {
    /// The `op` string.
    pub fn kind(&self) -> &'static str {
        match self {
            Op::CreateVm { .. } => "createVm",
            Op::Lifecycle { action, .. } => LIFECYCLE
                .iter()
                .find(|(_, a)| a == action)
                .map_or("startVm", |(k, _)| k),
            Op::SetScheduler { .. } => "setScheduler",
            Op::SetScheduling { .. } => "setScheduling",
            Op::AllocateResources { .. } => "allocateResources",
            Op::SetAtpSupply { .. } => "setAtpSupply",
            Op::SetInducer { .. } => "setInducer",
        }
    }

    /// The VM this operation is about, if any.
    pub fn vm_id(&self) -> Option<&str> {
        match self {
            Op::CreateVm { vm_id, .. }
            | Op::Lifecycle { vm_id, .. }
            | Op::SetScheduling { vm_id, .. }
            | Op::AllocateResources { vm_id, .. } => Some(vm_id),
            _ => None,
        }
    }
}

/// An operation and the simulated time at which it happened.
#[derive(Debug, Clone, PartialEq)]
pub struct TimedOp {
    pub at_ms: u64,
    pub op: Op,
}

/// A validated session.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// A preset or a custom chassis.
    pub chassis: SessionChassis,
    pub scheduler: SchedulerKind,
    pub options: SessionOptions,
    pub ops: Vec<TimedOp>,
    pub end_ms: u64,
    /// Informative strings (`title`, `savedAt`, `bioxenVersion`, `createdBy`, `preset`), in
    /// file order; never replayed.
    pub meta: Vec<(String, String)>,
}

impl Session {
    /// An empty session (`chassis`: a [`crate::chassis::ChassisKind`] or a [`SessionChassis`]).
    pub fn new(
        chassis: impl Into<SessionChassis>,
        scheduler: SchedulerKind,
        options: SessionOptions,
    ) -> Self {
        Session {
            chassis: chassis.into(),
            scheduler,
            options,
            ops: Vec::new(),
            end_ms: 0,
            meta: Vec::new(),
        }
    }

    /// Set (or replace) a `meta` string.
    pub fn set_meta(&mut self, key: &str, value: &str) {
        match self.meta.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.to_string(),
            None => self.meta.push((key.to_string(), value.to_string())),
        }
    }

    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The same session cut at `t_ms`: operations after it are left out and it ends there.
    pub fn until(&self, t_ms: u64) -> Session {
        Session {
            ops: self
                .ops
                .iter()
                .filter(|o| o.at_ms <= t_ms)
                .cloned()
                .collect(),
            end_ms: t_ms,
            ..self.clone()
        }
    }
}
