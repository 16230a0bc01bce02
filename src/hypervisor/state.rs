//! The [`Hypervisor`] struct and its VM records: every field the other files of this module
//! work on, construction from [`HypervisorOptions`], and the plain queries.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use serde::{Deserialize, Serialize};

use crate::chassis::{ChassisSpec, MAX_VMS_LIMIT};
use crate::error::{BioxenError, Result};
use crate::genome::GeneGroup;
use crate::machinery::Machinery;
use crate::resources::{Amounts, Ledger};
use crate::scheduler::{AnyScheduler, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot};
use crate::trace::{EventLog, Trace};
use crate::vm::{BiologicalType, VmId, VmState, VmType, XcpngConfig};
use crate::workload::Workload;

use super::machinery::AnyMachinery;
use super::options::HypervisorOptions;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(super) struct VmRecord {
    pub(super) id: VmId,
    pub(super) seq: u64,
    pub(super) bio: BiologicalType,
    pub(super) vm_type: VmType,
    pub(super) state: VmState,
    /// The reservation the VM asks for; held in the ledger unless `held` is false (error).
    pub(super) reservation: Amounts,
    pub(super) held: bool,
    pub(super) priority: u8,
    pub(super) weight: u32,
    pub(super) cap: u32,
    pub(super) workload_aa: u64,
    pub(super) cycles: Option<u32>,
    pub(super) xcpng: Option<XcpngConfig>,
    // Production, folded at `mark`.
    pub(super) done_aa: f64,
    pub(super) produced_aa: f64,
    pub(super) mark: Ms,
    pub(super) rate: f64,
    pub(super) epoch: u64,
    pub(super) cycles_completed: u64,
    pub(super) run_cycles: u64,
    // Times.
    pub(super) created_at: Ms,
    pub(super) first_start: Option<Ms>,
    pub(super) first_run: Option<Ms>,
    pub(super) first_completion: Option<Ms>,
    pub(super) machinery_ms: Ms,
    pub(super) switches_in: u64,
    pub(super) runnable_since: Option<Ms>,
    pub(super) runnable_ms: Ms,
    pub(super) fair_base: f64,
    pub(super) fair_mark: f64,
    /// The workload of the genome the VM was created with, if any (absent in older snapshots).
    #[serde(default)]
    pub(super) genome: Option<Workload>,
    /// Its genome's protein-coding gene groups (each a gene class under the kinetic machinery;
    /// empty for VMs without a genome and in older snapshots).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(super) gene_groups: Vec<GeneGroup>,
}

/// The dispatch in progress.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub(super) struct Current {
    pub(super) slot: Slot,
    pub(super) seq: u64,
    pub(super) switch_start: Ms,
    /// Run phase starts here (after the context switch).
    pub(super) run_start: Ms,
    pub(super) slice_end: Ms,
    pub(super) running: bool,
    /// Why the scheduler chose it (absent in older snapshots).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) reason: Option<crate::scheduler::reason::Reason>,
}

/// Version of the snapshot format [`Hypervisor::snapshot`] writes (snapshots from before the
/// field existed read as version 1). Version 2: SJF, SRTF and priority break ties by arrival,
/// which their state records; version 1 is still read for the other policies. Version 3: MLFQ
/// follows OSTEP's `mlfq.py` (per-level quanta and allotments, its boost order), with a new
/// state; versions 1 and 2 are still read for the other policies.
pub const SNAPSHOT_VERSION: u32 = 3;

fn snapshot_v1() -> u32 {
    1
}

/// The hypervisor. See the module docs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hypervisor {
    #[serde(default = "snapshot_v1")]
    pub(super) snapshot_version: u32,
    pub(super) chassis: ChassisSpec,
    pub(super) machinery: AnyMachinery,
    pub(super) scheduler: AnyScheduler,
    pub(super) params: SchedulerParams,
    pub(super) max_vms: u32,
    pub(super) seed: u64,
    pub(super) now: Ms,
    pub(super) ledger: Ledger,
    /// Host ATP reserve at full supply (absolute, hundredths of a percent).
    pub(super) host_atp_reserve: u64,
    pub(super) atp_supply_percent: f64,
    pub(super) slots: Vec<Option<VmRecord>>,
    pub(super) free_slots: Vec<Slot>,
    pub(super) index: BTreeMap<VmId, Slot>,
    pub(super) next_seq: u64,
    pub(super) next_epoch: u64,
    pub(super) completions: BinaryHeap<Reverse<(Ms, Slot, u64)>>,
    pub(super) current: Option<Current>,
    pub(super) last_holder: Option<u64>,
    /// The slot `last_holder` had when it was set: a hint that saves a scan over every VM at
    /// each context switch. Not in snapshots (a restored hypervisor scans once).
    #[serde(skip)]
    pub(super) last_holder_slot: Option<Slot>,
    pub(super) last_release: Ms,
    /// The fair clock (simulated ms per unit of weight handed out while runnable) as it stood
    /// at `fair_epoch`. It is folded forward only when `total_weight` changes, which happens
    /// at events, never at the edges of `step()` chunks: any chunking of the same operations
    /// then adds the same terms in the same order, so snapshots and fair shares are
    /// identical bit for bit. Read it through [`Hypervisor::fair_now`].
    pub(super) fair_clock: f64,
    /// When `fair_clock` was last folded. `None` in snapshots written before this field
    /// existed, whose `fair_clock` was kept current at `now`.
    #[serde(default)]
    pub(super) fair_epoch: Option<Ms>,
    pub(super) total_weight: u64,
    pub(super) runnable: u32,
    pub(super) overhead_ms: Ms,
    pub(super) busy_ms: Ms,
    pub(super) switches: u64,
    pub(super) decisions: u64,
    pub(super) completed_cycles: u64,
    pub(super) trace: Trace,
    pub(super) events: EventLog,
    /// Under the kinetic machinery's time slicing: the VM (seq) whose genes the switch in
    /// progress is switching off.
    #[serde(default)]
    pub(super) switch_from: Option<u64>,
}

pub(super) fn secs(ms: Ms) -> f64 {
    ms as f64 / 1000.0
}

impl Hypervisor {
    /// A hypervisor with `options`; every option is validated.
    pub fn new(options: HypervisorOptions) -> Result<Self> {
        let issues = options.chassis.validate();
        if !issues.is_empty() {
            return Err(BioxenError::InvalidConfig(issues));
        }
        let chassis = options.chassis;
        let max_vms = options.max_vms.unwrap_or(chassis.max_vms);
        if max_vms == 0 || max_vms > MAX_VMS_LIMIT {
            return Err(BioxenError::arg(
                "max_vms",
                format!("{max_vms} is out of range; expected 1..={MAX_VMS_LIMIT}"),
            ));
        }
        if let Some(c) = options.context_switch_ms {
            if c > 1_000_000_000 {
                return Err(BioxenError::arg(
                    "context_switch_ms",
                    format!("{c} is out of range; expected 0..=1e9"),
                ));
            }
        }
        for (name, v) in [
            ("trace_capacity", options.trace_capacity),
            ("event_capacity", options.event_capacity),
        ] {
            if v == 0 || v > 10_000_000 {
                return Err(BioxenError::arg(
                    name,
                    format!("{v} is out of range; expected 1..=10000000"),
                ));
            }
        }
        let machinery =
            AnyMachinery::build(options.machinery, &chassis, options.context_switch_ms)?;
        let quantum = options.quantum_ms.unwrap_or_else(|| {
            machinery
                .default_quantum_ms()
                .unwrap_or_else(|| chassis.default_quantum_ms())
        });
        let params = SchedulerParams::with_quantum(quantum, options.seed);
        params.validate()?;
        if options.quantum_ms == Some(0) {
            return Err(BioxenError::arg(
                "quantum_ms",
                "0 is out of range; expected 1..=1e12",
            ));
        }
        let reserve = chassis.reserve_amounts();
        let ledger = Ledger::new(chassis.capacity_amounts(), reserve);
        let mut h = Hypervisor {
            snapshot_version: SNAPSHOT_VERSION,
            machinery,
            scheduler: AnyScheduler::new(options.scheduler, &params),
            params,
            max_vms,
            seed: options.seed,
            now: 0,
            ledger,
            host_atp_reserve: reserve.atp_centi,
            atp_supply_percent: 100.0,
            slots: Vec::new(),
            free_slots: Vec::new(),
            index: BTreeMap::new(),
            next_seq: 0,
            next_epoch: 0,
            completions: BinaryHeap::new(),
            current: None,
            last_holder: None,
            last_holder_slot: None,
            last_release: 0,
            fair_clock: 0.0,
            fair_epoch: Some(0),
            total_weight: 0,
            runnable: 0,
            overhead_ms: 0,
            busy_ms: 0,
            switches: 0,
            decisions: 0,
            completed_cycles: 0,
            trace: Trace::new(options.trace_capacity),
            events: EventLog::new(options.event_capacity),
            chassis,
            switch_from: None,
        };
        h.tell_switch_cost();
        Ok(h)
    }

    pub fn now_ms(&self) -> Ms {
        self.now
    }
    pub fn chassis(&self) -> &ChassisSpec {
        &self.chassis
    }
    pub fn scheduler_kind(&self) -> SchedulerKind {
        self.scheduler.kind()
    }
    pub fn scheduler_params(&self) -> &SchedulerParams {
        &self.params
    }
    pub fn max_vms(&self) -> u32 {
        self.max_vms
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn vm_count(&self) -> usize {
        self.index.len()
    }
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }
    pub fn switch_cost_ms(&self) -> Ms {
        self.machinery.switch_cost_ms()
    }
    /// The VM holding the shared machinery (or switching to it), if any.
    pub fn current_vm(&self) -> Option<&str> {
        self.current
            .and_then(|c| self.rec(c.slot))
            .map(|v| v.id.as_str())
    }
    pub fn contains(&self, id: &str) -> bool {
        self.slot_of(id).is_ok()
    }
    /// Ids in creation order.
    pub fn vm_ids(&self) -> Vec<String> {
        let mut v: Vec<&VmRecord> = self.slots.iter().flatten().collect();
        v.sort_by_key(|r| r.seq);
        v.into_iter().map(|r| r.id.to_string()).collect()
    }
    pub fn vm_state(&self, id: &str) -> Result<VmState> {
        Ok(self.rec_of(id)?.state)
    }
    /// The workload facts behind a VM: its genome's, else its biological type's.
    pub fn vm_workload(&self, id: &str) -> Result<Workload> {
        let r = self.rec_of(id)?;
        let mut w = match &r.genome {
            Some(g) => g.clone(),
            None => Workload::for_type(r.bio),
        };
        w.total_aa = r.workload_aa;
        Ok(w)
    }
    /// A VM's XCP-ng settings (with the password, for a backend; never log it).
    pub fn vm_xcpng(&self, id: &str) -> Result<Option<&XcpngConfig>> {
        Ok(self.rec_of(id)?.xcpng.as_ref())
    }

    pub(super) fn slot_of(&self, id: &str) -> Result<Slot> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| BioxenError::NotFound(id.chars().take(80).collect()))
    }

    pub(super) fn rec(&self, slot: Slot) -> Option<&VmRecord> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }
    pub(super) fn rec_mut(&mut self, slot: Slot) -> Option<&mut VmRecord> {
        self.slots.get_mut(slot as usize).and_then(Option::as_mut)
    }
    pub(super) fn rec_of(&self, id: &str) -> Result<&VmRecord> {
        let s = self.slot_of(id)?;
        self.rec(s)
            .ok_or_else(|| BioxenError::NotFound(id.chars().take(80).collect()))
    }
}
