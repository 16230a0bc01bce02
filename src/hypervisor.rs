//! The hypervisor: one chassis, one resource ledger, one scheduler and one clock for all VMs.
//!
//! It owns the VM records and their lifecycle, admits VMs against the [`Ledger`], and
//! advances simulated time event by event: dispatches chosen by the scheduler, context
//! switches (ribosome run-off), completions of work cycles. Between events nothing is
//! computed, so an idle hour costs nothing. Same options and operations give the same
//! trace, bit for bit, and a snapshot restores a hypervisor that continues exactly as the
//! original would.
//!
//! What is scheduled: the chassis's shared expression machinery, i.e. the guest ribosomes
//! that no VM has reserved. A running VM always polymerises with its own reserved
//! ribosomes; while it holds the shared machinery it also gets the shared pool.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use serde::{Deserialize, Serialize};

use crate::chassis::{ChassisKind, ChassisSpec};
use crate::config::VmConfig;
use crate::error::{BioxenError, Result};
use crate::genome::GeneGroup;
use crate::kinetics::host::{KineticMachinery, KineticMetrics, KineticSample};
use crate::machinery::{AnyMachinery, GeneDemand, Machinery, MachineryKind, SimpleMachinery};
use crate::metrics::{
    jain_index, PoolUtilisation, ResourceSummary, SystemMetrics, VmHolding, VmStatus,
};
use crate::resources::{atp_percent_to_centi, Amounts, Ledger, Pool, ATP_TOTAL_CENTI};
use crate::scheduler::{
    AnyScheduler, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot, TaskInfo,
};
use crate::trace::{Event, EventKind, EventLog, Segment, SegmentKind, Trace, TraceChunk};
use crate::vm::{Action, BiologicalType, VmId, VmState, VmType, XcpngConfig};
use crate::workload::Workload;

/// Hard upper limit on VMs per hypervisor, whatever the chassis or options say.
pub const MAX_VMS_LIMIT: u32 = 4096;
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
        Ok(HypervisorOptions {
            chassis: ChassisSpec::preset(ChassisKind::parse(name)?)?,
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct VmRecord {
    id: VmId,
    seq: u64,
    bio: BiologicalType,
    vm_type: VmType,
    state: VmState,
    /// The reservation the VM asks for; held in the ledger unless `held` is false (error).
    reservation: Amounts,
    held: bool,
    priority: u8,
    weight: u32,
    cap: u32,
    workload_aa: u64,
    cycles: Option<u32>,
    xcpng: Option<XcpngConfig>,
    // Production, folded at `mark`.
    done_aa: f64,
    produced_aa: f64,
    mark: Ms,
    rate: f64,
    epoch: u64,
    cycles_completed: u64,
    run_cycles: u64,
    // Times.
    created_at: Ms,
    first_start: Option<Ms>,
    first_run: Option<Ms>,
    first_completion: Option<Ms>,
    machinery_ms: Ms,
    switches_in: u64,
    runnable_since: Option<Ms>,
    runnable_ms: Ms,
    fair_base: f64,
    fair_mark: f64,
    /// The workload of the genome the VM was created with, if any (absent in older snapshots).
    #[serde(default)]
    genome: Option<Workload>,
    /// Its genome's protein-coding gene groups (each a gene class under the kinetic machinery;
    /// empty for VMs without a genome and in older snapshots).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    gene_groups: Vec<GeneGroup>,
}

/// The dispatch in progress.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
struct Current {
    slot: Slot,
    seq: u64,
    switch_start: Ms,
    /// Run phase starts here (after the context switch).
    run_start: Ms,
    slice_end: Ms,
    running: bool,
}

/// Version of the snapshot format [`Hypervisor::snapshot`] writes (snapshots from before the
/// field existed read as version 1).
pub const SNAPSHOT_VERSION: u32 = 1;

fn snapshot_v1() -> u32 {
    1
}

/// The hypervisor. See the module docs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Hypervisor {
    #[serde(default = "snapshot_v1")]
    snapshot_version: u32,
    chassis: ChassisSpec,
    machinery: AnyMachinery,
    scheduler: AnyScheduler,
    params: SchedulerParams,
    max_vms: u32,
    seed: u64,
    now: Ms,
    ledger: Ledger,
    /// Host ATP reserve at full supply (absolute, hundredths of a percent).
    host_atp_reserve: u64,
    atp_supply_percent: f64,
    slots: Vec<Option<VmRecord>>,
    free_slots: Vec<Slot>,
    index: BTreeMap<VmId, Slot>,
    next_seq: u64,
    next_epoch: u64,
    completions: BinaryHeap<Reverse<(Ms, Slot, u64)>>,
    current: Option<Current>,
    last_holder: Option<u64>,
    /// The slot `last_holder` had when it was set: a hint that saves a scan over every VM at
    /// each context switch. Not in snapshots (a restored hypervisor scans once).
    #[serde(skip)]
    last_holder_slot: Option<Slot>,
    last_release: Ms,
    fair_clock: f64,
    total_weight: u64,
    runnable: u32,
    overhead_ms: Ms,
    busy_ms: Ms,
    switches: u64,
    decisions: u64,
    completed_cycles: u64,
    trace: Trace,
    events: EventLog,
    /// Under the kinetic machinery's time slicing: the VM (seq) whose genes the switch in
    /// progress is switching off.
    #[serde(default)]
    switch_from: Option<u64>,
}

fn secs(ms: Ms) -> f64 {
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
        let machinery = match options.machinery {
            MachineryKind::Simple => AnyMachinery::Simple(SimpleMachinery::for_chassis(
                &chassis,
                options.context_switch_ms,
            )),
            MachineryKind::Kinetic => {
                if options.context_switch_ms.is_some() {
                    return Err(BioxenError::arg(
                        "context_switch_ms",
                        "the kinetic machinery measures context switches; leave it unset",
                    ));
                }
                AnyMachinery::Kinetic(Box::new(KineticMachinery::for_chassis(&chassis)?))
            }
        };
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
        Ok(Hypervisor {
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
        })
    }

    // ------------------------------------------------------------------ queries

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

    fn slot_of(&self, id: &str) -> Result<Slot> {
        self.index
            .get(id)
            .copied()
            .ok_or_else(|| BioxenError::NotFound(id.chars().take(80).collect()))
    }

    fn rec(&self, slot: Slot) -> Option<&VmRecord> {
        self.slots.get(slot as usize).and_then(Option::as_ref)
    }
    fn rec_mut(&mut self, slot: Slot) -> Option<&mut VmRecord> {
        self.slots.get_mut(slot as usize).and_then(Option::as_mut)
    }
    fn rec_of(&self, id: &str) -> Result<&VmRecord> {
        let s = self.slot_of(id)?;
        self.rec(s)
            .ok_or_else(|| BioxenError::NotFound(id.chars().take(80).collect()))
    }

    fn weight_eff(&self, r: &VmRecord) -> u64 {
        if self.scheduler.kind().is_proportional() {
            r.weight as u64
        } else {
            1
        }
    }

    fn shared_ribosomes(&self) -> u64 {
        self.ledger.free().ribosomes
    }
    fn shared_rate(&self) -> f64 {
        self.machinery.rate_aa_per_ms(self.shared_ribosomes())
    }
    fn own_rate(&self, r: &VmRecord) -> f64 {
        if r.held {
            self.machinery.rate_aa_per_ms(r.reservation.ribosomes)
        } else {
            0.0
        }
    }
    /// Rate the VM in `slot` should have now.
    fn target_rate(&self, slot: Slot) -> f64 {
        let Some(r) = self.rec(slot) else { return 0.0 };
        if r.state != VmState::Running {
            return 0.0;
        }
        if let Some(rate) = self.machinery.vm_rate_aa_per_ms(r.seq) {
            return rate;
        }
        let mut rate = self.own_rate(r);
        if let Some(c) = self.current {
            if c.slot == slot && c.running {
                rate += self.shared_rate();
            }
        }
        rate
    }

    fn task_info(&self, slot: Slot) -> TaskInfo {
        let Some(r) = self.rec(slot) else {
            return TaskInfo {
                weight: 1,
                priority: 1,
                cap_percent: 0,
                remaining_ms: u64::MAX,
                seq: u64::MAX,
            };
        };
        let done = r.done_aa + r.rate * (self.now - r.mark) as f64;
        // The job is the whole finite workload (every remaining cycle); an endless
        // workload never finishes.
        let remaining = match r.cycles {
            Some(c) => {
                let left = (c as u64).saturating_sub(r.run_cycles + 1);
                left as f64 * r.workload_aa as f64 + (r.workload_aa as f64 - done).max(0.0)
            }
            None => f64::INFINITY,
        };
        let rate = self.own_rate(r) + self.shared_rate();
        let remaining_ms = if remaining <= 0.0 {
            0
        } else if rate > 0.0 && remaining.is_finite() {
            let t = (remaining / rate).ceil();
            if t >= MAX_TIME_MS as f64 {
                u64::MAX
            } else {
                t as u64
            }
        } else {
            u64::MAX
        };
        TaskInfo {
            weight: r.weight,
            priority: r.priority,
            cap_percent: r.cap,
            remaining_ms,
            seq: r.seq,
        }
    }

    // ------------------------------------------------------------------ production

    /// Fold production up to now and set a new rate; reschedule the completion event.
    fn set_rate(&mut self, slot: Slot, rate: f64) {
        let now = self.now;
        let epoch = self.next_epoch;
        self.next_epoch += 1;
        let Some(r) = self.rec_mut(slot) else { return };
        let made = r.rate * (now - r.mark) as f64;
        r.done_aa += made;
        r.produced_aa += made;
        r.mark = now;
        r.rate = rate;
        r.epoch = epoch;
        if rate > 0.0 {
            let remaining = (r.workload_aa as f64 - r.done_aa).max(0.0);
            let dt = (remaining / rate).ceil();
            if dt < (MAX_TIME_MS - now) as f64 {
                self.completions
                    .push(Reverse((now + dt as u64, slot, epoch)));
            }
        }
        // Rates that change often (the kinetic machinery's, every grid tick) leave many
        // superseded entries; drop them before they pile up.
        if self.completions.len() > 64 + 4 * self.slots.len() {
            let slots = &self.slots;
            self.completions.retain(|Reverse((_, s, e))| {
                slots
                    .get(*s as usize)
                    .and_then(Option::as_ref)
                    .is_some_and(|r| r.epoch == *e)
            });
        }
    }

    fn refresh_rate(&mut self, slot: Slot) {
        let rate = self.target_rate(slot);
        self.set_rate(slot, rate);
    }

    fn next_completion(&mut self) -> Option<Ms> {
        while let Some(Reverse((t, slot, epoch))) = self.completions.peek().copied() {
            if self.rec(slot).is_some_and(|r| r.epoch == epoch) {
                return Some(t);
            }
            self.completions.pop();
        }
        None
    }

    // ------------------------------------------------------------------ runnable set

    fn enter_runnable(&mut self, slot: Slot) {
        let now = self.now;
        let fc = self.fair_clock;
        let Some(r) = self.rec(slot) else { return };
        let w = self.weight_eff(r);
        if let Some(r) = self.rec_mut(slot) {
            r.runnable_since = Some(now);
            r.fair_mark = fc;
        }
        self.total_weight += w;
        self.runnable += 1;
        self.refresh_rate(slot);
        let info = self.task_info(slot);
        self.scheduler.enqueue(slot, &info, now);
        if let Some(c) = self.current {
            if c.slot != slot && self.scheduler.preempts(slot, c.slot, now) {
                self.end_dispatch(true);
            }
        }
        self.sync_machinery();
    }

    fn leave_runnable(&mut self, slot: Slot) {
        let now = self.now;
        let fc = self.fair_clock;
        if self.current.is_some_and(|c| c.slot == slot) {
            self.end_dispatch(false);
        } else {
            self.scheduler.remove(slot, now);
        }
        let Some(r) = self.rec(slot) else { return };
        let w = self.weight_eff(r);
        if let Some(r) = self.rec_mut(slot) {
            if let Some(since) = r.runnable_since.take() {
                r.runnable_ms += now - since;
                r.fair_base += w as f64 * (fc - r.fair_mark);
            }
        }
        self.total_weight = self.total_weight.saturating_sub(w);
        self.runnable = self.runnable.saturating_sub(1);
        self.set_rate(slot, 0.0);
        self.sync_machinery();
    }

    fn fair_ms(&self, r: &VmRecord) -> f64 {
        let live = if r.runnable_since.is_some() {
            self.weight_eff(r) as f64 * (self.fair_clock - r.fair_mark)
        } else {
            0.0
        };
        r.fair_base + live
    }

    // ------------------------------------------------------------------ dispatching

    fn end_dispatch(&mut self, still_runnable: bool) {
        let Some(c) = self.current.take() else { return };
        let now = self.now;
        if c.running {
            self.refresh_rate(c.slot);
            self.trace_push(c.slot, c.run_start, now, SegmentKind::Run);
        } else {
            self.trace_push(c.slot, c.switch_start, now, SegmentKind::Switch);
        }
        self.last_holder = Some(c.seq);
        self.last_holder_slot = Some(c.slot);
        self.last_release = now;
        let ran = if c.running { now - c.run_start } else { 0 };
        let info = self.task_info(c.slot);
        self.scheduler.charge(c.slot, ran, now, &info);
        if !still_runnable {
            self.scheduler.remove(c.slot, now);
        }
        self.switch_from = None;
        self.sync_machinery();
    }

    fn trace_push(&mut self, slot: Slot, start: Ms, end: Ms, kind: SegmentKind) {
        if let Some(vm) = self.rec(slot).map(|r| r.id.shared()) {
            self.trace.push(Segment {
                vm,
                start,
                end,
                kind,
            });
        }
    }

    /// The VM that last held the machinery, if it still exists.
    fn last_holder_record(&self) -> Option<&VmRecord> {
        let h = self.last_holder?;
        let hinted = self.last_holder_slot.and_then(|s| self.rec(s));
        match hinted {
            Some(r) if r.seq == h => Some(r),
            _ => self.slots.iter().flatten().find(|r| r.seq == h),
        }
    }

    /// Ask the scheduler for the next holder and start its dispatch.
    fn dispatch_next(&mut self) {
        let now = self.now;
        // A policy can only return slots it was given; guard against a corrupted state anyway.
        for _ in 0..=self.slots.len() {
            let Some(d) = self.scheduler.pick(now) else {
                return;
            };
            self.decisions += 1;
            let Some(r) = self.rec(d.slot) else {
                continue;
            };
            if r.state != VmState::Running {
                self.scheduler.remove(d.slot, now);
                continue;
            }
            let seq = r.seq;
            let id = r.id.shared();
            let switching = self.last_holder.is_some_and(|h| h != seq);
            let slice = d.max_run_ms.max(1);
            let measured = switching
                && self.kinetic_slicing()
                && self.machinery.switch_done(self.last_holder, seq) == Some(false);
            let cost = if measured {
                // A cap: the switch ends on the grid once the incoming VM's translation has
                // overtaken the outgoing one's (`after_machinery_tick`), at most one slice.
                slice
            } else if switching && !self.machinery.takes_demand() {
                (self.last_release + self.machinery.switch_cost_ms()).saturating_sub(now)
            } else {
                0
            };
            self.switch_from = if measured { self.last_holder } else { None };
            if switching {
                self.switches += 1;
                let from = self.last_holder_record().map(|r| r.id.shared());
                if let Some(r) = self.rec_mut(d.slot) {
                    r.switches_in += 1;
                }
                self.events
                    .push(now, Some(id), EventKind::ContextSwitch { from });
            }
            let run_start = now.saturating_add(cost).min(MAX_TIME_MS);
            self.current = Some(Current {
                slot: d.slot,
                seq,
                switch_start: now,
                run_start,
                slice_end: run_start.saturating_add(slice).min(MAX_TIME_MS),
                running: false,
            });
            self.last_holder = Some(seq);
            self.last_holder_slot = Some(d.slot);
            self.sync_machinery();
            if cost == 0 {
                self.begin_run();
            }
            return;
        }
    }

    fn begin_run(&mut self) {
        let now = self.now;
        let Some(c) = self.current.as_mut() else {
            return;
        };
        c.running = true;
        let (slot, start) = (c.slot, c.switch_start);
        if now > start {
            self.trace_push(slot, start, now, SegmentKind::Switch);
            if self.switch_from.take().is_some() {
                self.machinery.record_switch(now - start);
            }
        }
        if let Some(r) = self.rec_mut(slot) {
            r.first_run.get_or_insert(now);
        }
        self.refresh_rate(slot);
    }

    /// Advance the clock to `t` with nothing happening in between.
    fn advance_to(&mut self, t: Ms) {
        let dt = t - self.now;
        if dt == 0 {
            return;
        }
        if let Some(c) = self.current {
            if c.running {
                self.busy_ms += dt;
                if let Some(r) = self.rec_mut(c.slot) {
                    r.machinery_ms += dt;
                }
            } else {
                self.overhead_ms += dt;
            }
        }
        if self.total_weight > 0 {
            self.fair_clock += dt as f64 / self.total_weight as f64;
        }
        self.now = t;
        if self.machinery.advance(t) {
            self.after_machinery_tick();
        }
    }

    /// The kinetic model crossed a grid point: every runnable VM's production rate changed,
    /// and a transcriptional switch in progress may be over.
    fn after_machinery_tick(&mut self) {
        for i in 0..self.slots.len() {
            if self.slots[i]
                .as_ref()
                .is_some_and(|r| r.state == VmState::Running)
            {
                self.refresh_rate(i as Slot);
            }
        }
        let Some(c) = self.current else { return };
        if !c.running
            && self.switch_from.is_some()
            && self.machinery.switch_done(self.switch_from, c.seq) == Some(true)
        {
            let now = self.now;
            if let Some(c) = self.current.as_mut() {
                let slice = c.slice_end - c.run_start;
                c.run_start = now;
                c.slice_end = now.saturating_add(slice).min(MAX_TIME_MS);
            }
            self.begin_run();
        }
    }

    /// Under the kinetic machinery with a time-slicing policy.
    fn kinetic_slicing(&self) -> bool {
        self.machinery.takes_demand() && !self.scheduler.kind().is_proportional()
    }

    /// Appends the genes a VM contributes to the kinetic model, at `induction`, to `out`; their
    /// rates come from the RNA polymerases it reserved (none while it holds no reservation), and
    /// their transcription together uses all of them:
    /// Σ w·3·length = RNAP × v_tx (nt/s, the chassis's) × 60 s/min.
    ///
    /// * A VM built on a genome gives one gene class per gene group of its genome
    ///   (`GenomeWorkload::groups`): the group's mean protein (its aa ÷ its genes), each gene
    ///   of the genome transcribed at the same rate (one copy of every protein per work cycle),
    ///   so class g gets w_g = RNAP × v_tx × 60 × n_g ÷ (3 × Σ aa).
    /// * Any other VM gives one gene, the mean protein of its workload (coding aa ÷
    ///   protein-coding genes of its biological type's `Workload`, or of a genome without
    ///   groups): w = RNAP × v_tx × 60 ÷ (3 × length).
    fn genes_of(&self, r: &VmRecord, induction: f64, out: &mut Vec<GeneDemand>) {
        let gene = |class: usize, w_max: f64, length: f64| GeneDemand {
            key: r.seq,
            class: class as u32,
            w_max,
            induction,
            length,
        };
        let rnap = if r.held {
            r.reservation.rna_polymerase as f64
        } else {
            0.0
        };
        let nt_per_min = rnap * self.chassis.transcription_nt_per_s * 60.0;
        if !r.gene_groups.is_empty() {
            let aa: f64 = r.gene_groups.iter().map(|g| g.aa as f64).sum();
            out.extend(r.gene_groups.iter().enumerate().map(|(i, g)| {
                let n = f64::from(g.genes);
                gene(i, nt_per_min * n / (3.0 * aa), g.aa as f64 / n)
            }));
            return;
        }
        let length = match &r.genome {
            Some(g) if g.protein_coding > 0 && g.total_aa > 0 => {
                g.total_aa as f64 / f64::from(g.protein_coding)
            }
            _ => {
                let w = Workload::for_type(r.bio);
                w.total_aa as f64 / w.protein_coding.max(1) as f64
            }
        };
        out.push(gene(0, nt_per_min / (3.0 * length), length));
    }

    /// Tell a kinetic machinery every VM's gene and how far it is induced.
    ///
    /// Time-slicing policies (fcfs, sjf, srtf, round_robin, priority, mlfq) act as an
    /// inducible promoter: the VM holding the machinery (switching in or running) has its
    /// genes on (induction 1), every other VM's are off. Proportional-share policies
    /// (lottery, credit, eevdf) keep every runnable VM's genes on at once, each promoter at
    /// weight ÷ (largest runnable weight), at most cap % when a cap is set, so transcription
    /// strengths stand in the ratio of the shares and no gene is ever switched off (their
    /// dispatches still run for the accounting, without switch cost). Paused, stopped,
    /// created and faulted VMs are repressed (0): their mRNAs decay and their ribosomes run
    /// off over biological time.
    fn sync_machinery(&mut self) {
        if !self.machinery.takes_demand() {
            return;
        }
        let proportional = self.scheduler.kind().is_proportional();
        let holder = self.current.map(|c| c.slot);
        let max_w = self
            .slots
            .iter()
            .flatten()
            .filter(|r| r.runnable_since.is_some())
            .map(|r| r.weight)
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let mut demand: Vec<GeneDemand> = Vec::with_capacity(self.slots.len());
        for (slot, r) in self
            .slots
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.as_ref().map(|r| (i as Slot, r)))
        {
            let induction = if r.runnable_since.is_none() {
                0.0
            } else if proportional {
                let u = r.weight as f64 / max_w;
                if r.cap > 0 {
                    u.min(r.cap as f64 / 100.0)
                } else {
                    u
                }
            } else if holder == Some(slot) {
                1.0
            } else {
                0.0
            };
            self.genes_of(r, induction, &mut demand);
        }
        demand.sort_unstable_by_key(|d| (d.key, d.class));
        self.machinery.set_demand(demand);
    }

    /// Handle every work cycle that completes at or before now.
    fn process_completions(&mut self) {
        while let Some(t) = self.next_completion() {
            if t > self.now {
                break;
            }
            let Some(Reverse((_, slot, _))) = self.completions.pop() else {
                break;
            };
            self.complete_cycle(slot);
        }
    }

    fn complete_cycle(&mut self, slot: Slot) {
        let now = self.now;
        let Some(r) = self.rec_mut(slot) else { return };
        let made = r.rate * (now - r.mark) as f64;
        // The cycle is complete by construction of the event time; absorb rounding.
        r.produced_aa += made + (r.workload_aa as f64 - (r.done_aa + made));
        r.done_aa = 0.0;
        r.mark = now;
        r.cycles_completed += 1;
        r.run_cycles += 1;
        let cycle = r.cycles_completed;
        let finished = r.cycles.is_some_and(|c| r.run_cycles >= c as u64);
        // Endless workloads log only their first cycle (their turnaround); the rest show in
        // the metrics, so they cannot crowd lifecycle events out of the bounded log.
        let log = r.cycles.is_some() || r.first_completion.is_none();
        if finished || r.first_completion.is_none() {
            r.first_completion.get_or_insert(now);
        }
        let id = r.id.shared();
        self.completed_cycles += 1;
        if log {
            self.events
                .push(now, Some(id.clone()), EventKind::CycleCompleted { cycle });
        }
        if finished {
            self.leave_runnable(slot);
            if let Some(r) = self.rec_mut(slot) {
                r.state = VmState::Stopped;
            }
            self.events.push(now, Some(id), EventKind::WorkloadFinished);
        } else {
            // The next cycle starts at once; the job goes on, so this is not a scheduling
            // point, but the policy learns the new remaining work.
            self.refresh_rate(slot);
            let info = self.task_info(slot);
            self.scheduler.update(slot, &info, now);
        }
    }

    /// Advance simulated time by `dt_ms`.
    pub fn step(&mut self, dt_ms: Ms) -> Result<()> {
        let t = self.now.checked_add(dt_ms).filter(|&t| t <= MAX_TIME_MS);
        match t {
            Some(t) => self.run_until(t),
            None => Err(BioxenError::arg(
                "dt_ms",
                format!("{dt_ms} would move the clock past {MAX_TIME_MS} ms"),
            )),
        }
    }

    /// Advance simulated time to `t_ms` (not before now).
    pub fn run_until(&mut self, t_ms: Ms) -> Result<()> {
        if t_ms < self.now || t_ms > MAX_TIME_MS {
            return Err(BioxenError::arg(
                "t_ms",
                format!(
                    "{t_ms} is out of range; expected {}..={MAX_TIME_MS} (now is {})",
                    self.now, self.now
                ),
            ));
        }
        loop {
            self.process_completions();
            if self.current.is_none() && self.runnable > 0 {
                self.dispatch_next();
            }
            if self.now >= t_ms {
                break;
            }
            let mut next = t_ms;
            match self.current {
                Some(c) if !c.running => next = next.min(c.run_start),
                Some(c) => next = next.min(c.slice_end),
                None => {
                    if self.runnable > 0 {
                        if let Some(w) = self.scheduler.next_wakeup(self.now) {
                            next = next.min(w.max(self.now + 1));
                        }
                    }
                }
            }
            if let Some(t) = self.next_completion() {
                next = next.min(t.max(self.now));
            }
            if let Some(t) = self.machinery.next_change(self.now) {
                next = next.min(t.max(self.now + 1));
            }
            self.advance_to(next);
            if let Some(c) = self.current {
                if !c.running && self.now >= c.run_start {
                    self.begin_run();
                } else if c.running && self.now >= c.slice_end {
                    // Let a completion at the same instant be handled first.
                    self.process_completions();
                    if self.current.is_some_and(|x| x.slot == c.slot && x.running) {
                        self.end_dispatch(true);
                    }
                }
            }
        }
        Ok(())
    }

    // ------------------------------------------------------------------ lifecycle

    /// Create a VM. Checks, in order: id, config, duplicate, VM limit, resources.
    pub fn create_vm(
        &mut self,
        id: &str,
        bio: BiologicalType,
        vm_type: VmType,
        config: &VmConfig,
    ) -> Result<()> {
        let vm_id = VmId::new(id)?;
        let resolved = config.resolve(bio, vm_type)?;
        if self.index.contains_key(&vm_id) {
            return Err(BioxenError::DuplicateVm(id.to_string()));
        }
        if self.index.len() as u32 >= self.max_vms {
            return Err(BioxenError::CapacityReached {
                id: id.to_string(),
                limit: self.max_vms,
            });
        }
        self.ledger.set(id, resolved.reservation)?;
        let seq = self.next_seq;
        self.next_seq += 1;
        let rec = VmRecord {
            id: vm_id.clone(),
            seq,
            bio,
            vm_type,
            state: VmState::Created,
            reservation: resolved.reservation,
            held: true,
            priority: resolved.priority,
            weight: resolved.weight,
            cap: resolved.cap,
            workload_aa: resolved.workload_aa,
            cycles: resolved.cycles,
            xcpng: config.xcpng.clone(),
            done_aa: 0.0,
            produced_aa: 0.0,
            mark: self.now,
            rate: 0.0,
            epoch: 0,
            cycles_completed: 0,
            run_cycles: 0,
            created_at: self.now,
            first_start: None,
            first_run: None,
            first_completion: None,
            machinery_ms: 0,
            switches_in: 0,
            runnable_since: None,
            runnable_ms: 0,
            fair_base: 0.0,
            fair_mark: 0.0,
            genome: config.genome.as_ref().map(|g| g.workload.clone()),
            gene_groups: config
                .genome
                .as_ref()
                .map(|g| {
                    g.groups
                        .iter()
                        .filter(|x| x.genes > 0 && x.aa > 0)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default(),
        };
        let slot = match self.free_slots.pop() {
            Some(s) => {
                self.slots[s as usize] = Some(rec);
                s
            }
            None => {
                self.slots.push(Some(rec));
                (self.slots.len() - 1) as Slot
            }
        };
        self.index.insert(vm_id.clone(), slot);
        self.events
            .push(self.now, Some(vm_id.shared()), EventKind::Created);
        self.after_ledger_change();
        self.sync_machinery();
        Ok(())
    }

    fn check_action(&self, id: &str, action: Action) -> Result<(Slot, VmState, VmState)> {
        let slot = self.slot_of(id)?;
        let r = self
            .rec(slot)
            .ok_or_else(|| BioxenError::NotFound(id.to_string()))?;
        let to = action.apply(&r.id, r.state)?;
        if matches!(action, Action::Start | Action::Restart | Action::Resume)
            && r.vm_type == VmType::Xcpng
        {
            return Err(BioxenError::BackendUnavailable(id.to_string()));
        }
        Ok((slot, r.state, to))
    }

    fn log(&mut self, slot: Slot, kind: EventKind) {
        let vm = self.rec(slot).map(|r| r.id.shared());
        self.events.push(self.now, vm, kind);
    }

    /// created | stopped → running.
    pub fn start_vm(&mut self, id: &str) -> Result<()> {
        let (slot, _, _) = self.check_action(id, Action::Start)?;
        self.begin_new_run(slot);
        self.log(slot, EventKind::Started);
        Ok(())
    }

    fn begin_new_run(&mut self, slot: Slot) {
        let now = self.now;
        if let Some(r) = self.rec_mut(slot) {
            r.state = VmState::Running;
            r.first_start.get_or_insert(now);
            r.done_aa = 0.0;
            r.mark = now;
            r.run_cycles = 0;
        }
        self.enter_runnable(slot);
    }

    /// running → paused.
    pub fn pause_vm(&mut self, id: &str) -> Result<()> {
        let (slot, _, _) = self.check_action(id, Action::Pause)?;
        self.leave_runnable(slot);
        if let Some(r) = self.rec_mut(slot) {
            r.state = VmState::Paused;
        }
        self.log(slot, EventKind::Paused);
        Ok(())
    }

    /// paused → running (its work cycle continues where it stopped).
    pub fn resume_vm(&mut self, id: &str) -> Result<()> {
        let (slot, _, _) = self.check_action(id, Action::Resume)?;
        if let Some(r) = self.rec_mut(slot) {
            r.state = VmState::Running;
        }
        self.enter_runnable(slot);
        self.log(slot, EventKind::Resumed);
        Ok(())
    }

    /// running | paused → stopped (the current work cycle is abandoned).
    pub fn stop_vm(&mut self, id: &str) -> Result<()> {
        let (slot, from, _) = self.check_action(id, Action::Stop)?;
        if from == VmState::Running {
            self.leave_runnable(slot);
        }
        if let Some(r) = self.rec_mut(slot) {
            r.state = VmState::Stopped;
            r.done_aa = 0.0;
        }
        self.log(slot, EventKind::Stopped);
        Ok(())
    }

    /// running | paused | stopped | error → running, from the start of a new run. From
    /// `error` the VM's reservation must fit again (all or nothing).
    pub fn restart_vm(&mut self, id: &str) -> Result<()> {
        let (slot, from, _) = self.check_action(id, Action::Restart)?;
        if from == VmState::Error {
            let want = self.rec(slot).map(|r| r.reservation).unwrap_or_default();
            self.ledger.set(id, want)?;
            if let Some(r) = self.rec_mut(slot) {
                r.held = true;
            }
            self.after_ledger_change();
        }
        if from == VmState::Running {
            self.leave_runnable(slot);
        }
        self.begin_new_run(slot);
        self.log(slot, EventKind::Restarted);
        Ok(())
    }

    /// Any state → removed; everything it held is returned.
    pub fn destroy_vm(&mut self, id: &str) -> Result<()> {
        let (slot, from, _) = self.check_action(id, Action::Destroy)?;
        if from == VmState::Running {
            self.leave_runnable(slot);
        }
        self.log(slot, EventKind::Destroyed);
        self.ledger.release(id);
        if let Some(rec) = self.slots.get_mut(slot as usize).and_then(Option::take) {
            self.index.remove(&rec.id);
            if self.last_holder == Some(rec.seq) {
                // Its ribosomes still run off; the next holder pays the switch either way.
                self.last_holder = Some(u64::MAX);
                self.last_holder_slot = None;
            }
        }
        self.free_slots.push(slot);
        self.after_ledger_change();
        self.sync_machinery();
        Ok(())
    }

    /// Apply a lifecycle action by value.
    pub fn apply(&mut self, id: &str, action: Action) -> Result<()> {
        match action {
            Action::Start => self.start_vm(id),
            Action::Pause => self.pause_vm(id),
            Action::Resume => self.resume_vm(id),
            Action::Stop => self.stop_vm(id),
            Action::Restart => self.restart_vm(id),
            Action::Destroy => self.destroy_vm(id),
        }
    }

    /// Move a VM to `error` (its demand can no longer be met): it leaves the schedule and
    /// returns its reservation. Only `restart` or `destroy` are accepted afterwards.
    fn fault(&mut self, slot: Slot, reason: String) {
        let Some(r) = self.rec(slot) else { return };
        if r.state == VmState::Error {
            return;
        }
        let (from, id) = (r.state, r.id.clone());
        if from == VmState::Running {
            self.leave_runnable(slot);
        }
        self.ledger.release(id.as_str());
        if let Some(r) = self.rec_mut(slot) {
            r.state = VmState::Error;
            r.held = false;
        }
        self.events
            .push(self.now, Some(id.shared()), EventKind::Faulted { reason });
    }

    /// A nutrient shift: the chassis's ATP supply becomes `percent` % of normal. The host
    /// keeps its own ATP need; if guests' ATP reservations no longer fit, VMs fault (lowest
    /// priority first, newest first among equals) until the rest fit. Returns the ids of
    /// the VMs that faulted.
    pub fn set_atp_supply(&mut self, percent: f64) -> Result<Vec<String>> {
        // Capacity in hundredths of a percent of the normal supply.
        let capacity = atp_percent_to_centi(percent)?;
        // Host reserve is absolute: it is what the host needs, whatever the supply.
        let reserve = self.host_atp_reserve.min(capacity);
        self.ledger.set_atp(capacity, reserve);
        self.atp_supply_percent = percent;
        self.events
            .push(self.now, None, EventKind::AtpSupplyChanged { percent });
        let mut faulted = Vec::new();
        loop {
            let allocated = self.ledger.allocated().atp_centi;
            if allocated + reserve <= capacity {
                break;
            }
            let victim = self
                .slots
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.as_ref().map(|r| (i as Slot, r)))
                .filter(|(_, r)| r.held && r.reservation.atp_centi > 0)
                .min_by_key(|(_, r)| (r.priority, Reverse(r.seq)))
                .map(|(i, r)| (i, r.id.to_string()));
            let Some((slot, id)) = victim else { break };
            self.fault(
                slot,
                format!(
                    "ATP supply fell to {percent}% of normal; its {}% ATP reservation can no longer be met",
                    self.rec(slot).map_or(0.0, |r| r.reservation.atp_percent())
                ),
            );
            faulted.push(id);
        }
        self.after_ledger_change();
        Ok(faulted)
    }

    pub fn atp_supply_percent(&self) -> f64 {
        self.atp_supply_percent
    }

    // ------------------------------------------------------------------ resources

    /// Change a VM's reservation (partial), all or nothing; allowed in every state but
    /// `error` (restart first).
    pub fn set_reservation(&mut self, id: &str, req: &ResourceRequest) -> Result<()> {
        let slot = self.slot_of(id)?;
        let r = self
            .rec(slot)
            .ok_or_else(|| BioxenError::NotFound(id.to_string()))?;
        if r.state == VmState::Error {
            return Err(BioxenError::InvalidTransition {
                vm: id.to_string(),
                state: VmState::Error,
                action: "allocate resources to",
                allowed: "any state but error (restart or destroy it first)",
            });
        }
        let mut want = r.reservation;
        if let Some(v) = req.ribosomes {
            want.ribosomes = v;
        }
        if let Some(v) = req.rna_polymerase {
            want.rna_polymerase = v;
        }
        if let Some(v) = req.atp_percent {
            want.atp_centi = atp_percent_to_centi(v)?;
        }
        if let Some(v) = req.memory_kb {
            want.memory_kb = v;
        }
        self.ledger.set(id, want)?;
        if let Some(r) = self.rec_mut(slot) {
            r.reservation = want;
        }
        self.log(slot, EventKind::ReservationChanged);
        self.after_ledger_change();
        Ok(())
    }

    /// Return everything a VM holds (its reservation becomes zero; it keeps running on the
    /// shared machinery only).
    pub fn release_resources(&mut self, id: &str) -> Result<()> {
        self.set_reservation(
            id,
            &ResourceRequest {
                ribosomes: Some(0),
                rna_polymerase: Some(0),
                atp_percent: Some(0.0),
                memory_kb: Some(0),
            },
        )
    }

    /// The shared pool changed: the holder's rate and every runnable VM's own rate may too.
    fn after_ledger_change(&mut self) {
        let slots: Vec<Slot> = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, r)| r.as_ref().is_some_and(|r| r.state == VmState::Running))
            .map(|(i, _)| i as Slot)
            .collect();
        for s in slots {
            if (self.target_rate(s) - self.rec(s).map_or(0.0, |r| r.rate)).abs() > 0.0 {
                self.refresh_rate(s);
                let info = self.task_info(s);
                if self.current.is_none_or(|c| c.slot != s) {
                    self.scheduler.update(s, &info, self.now);
                }
            }
        }
        self.sync_machinery();
    }

    /// Change a VM's priority, weight or cap (validated; all or nothing).
    pub fn set_scheduling(&mut self, id: &str, req: &SchedulingRequest) -> Result<()> {
        let slot = self.slot_of(id)?;
        if let Some(p) = req.priority {
            if !(1..=10).contains(&p) {
                return Err(BioxenError::arg(
                    "priority",
                    format!("{p} is out of range; expected 1..=10"),
                ));
            }
        }
        if let Some(w) = req.weight {
            if !(1..=65_535).contains(&w) {
                return Err(BioxenError::arg(
                    "weight",
                    format!("{w} is out of range; expected 1..=65535"),
                ));
            }
        }
        if let Some(c) = req.cap {
            if c > 100 {
                return Err(BioxenError::arg(
                    "cap",
                    format!("{c} is out of range; expected 0..=100"),
                ));
            }
        }
        let fc = self.fair_clock;
        let proportional = self.scheduler.kind().is_proportional();
        let Some(r) = self.rec_mut(slot) else {
            return Err(BioxenError::NotFound(id.to_string()));
        };
        let old_w = r.weight as u64;
        if let Some(p) = req.priority {
            r.priority = p;
        }
        if let Some(w) = req.weight {
            r.weight = w;
        }
        if let Some(c) = req.cap {
            r.cap = c;
        }
        let new_w = r.weight as u64;
        let runnable = r.runnable_since.is_some();
        if runnable && proportional {
            r.fair_base += old_w as f64 * (fc - r.fair_mark);
            r.fair_mark = fc;
            self.total_weight = self.total_weight - old_w + new_w;
        }
        if runnable {
            let info = self.task_info(slot);
            self.scheduler.update(slot, &info, self.now);
        }
        self.sync_machinery();
        self.log(slot, EventKind::SchedulingChanged);
        Ok(())
    }

    /// Switch policy (and parameters) while VMs run. The dispatch in progress ends; the
    /// runnable VMs join the new policy in creation order.
    pub fn set_scheduler(
        &mut self,
        kind: SchedulerKind,
        params: Option<SchedulerParams>,
    ) -> Result<()> {
        let params = params.unwrap_or(SchedulerParams {
            seed: self.seed,
            ..self.params
        });
        params.validate()?;
        let now = self.now;
        self.end_dispatch(true);
        // Fold fair shares under the old weighting, then re-weight.
        let mut order: Vec<(u64, Slot)> = Vec::new();
        for (i, r) in self.slots.iter_mut().enumerate() {
            if let Some(r) = r {
                if r.runnable_since.is_some() {
                    let w = if self.scheduler.kind().is_proportional() {
                        r.weight as u64
                    } else {
                        1
                    };
                    r.fair_base += w as f64 * (self.fair_clock - r.fair_mark);
                    r.fair_mark = self.fair_clock;
                    order.push((r.seq, i as Slot));
                }
            }
        }
        order.sort_unstable();
        self.scheduler = AnyScheduler::new(kind, &params);
        self.params = params;
        self.total_weight = 0;
        for &(_, slot) in &order {
            let w = self.rec(slot).map_or(0, |r| self.weight_eff(r));
            self.total_weight += w;
            let info = self.task_info(slot);
            self.scheduler.enqueue(slot, &info, now);
        }
        self.events.push(
            now,
            None,
            EventKind::SchedulerChanged {
                scheduler: kind.as_str().to_string(),
            },
        );
        self.sync_machinery();
        Ok(())
    }

    /// Change the base quantum of the current policy (keeps the policy).
    pub fn set_quantum(&mut self, quantum_ms: Ms) -> Result<()> {
        let p = SchedulerParams {
            quantum_ms,
            ..SchedulerParams::with_quantum(quantum_ms, self.seed)
        };
        if quantum_ms == 0 {
            return Err(BioxenError::arg(
                "quantum_ms",
                "0 is out of range; expected 1..=1e12",
            ));
        }
        self.set_scheduler(self.scheduler.kind(), Some(p))
    }

    // ------------------------------------------------------------------ reports

    fn status_of(&self, r: &VmRecord) -> VmStatus {
        let now = self.now;
        let runnable = r.runnable_ms + r.runnable_since.map_or(0, |s| now - s);
        let live = r.rate * (now - r.mark) as f64;
        let fair = self.fair_ms(r);
        let (held, res) = (r.held, r.reservation);
        let res = if held { res } else { Amounts::default() };
        VmStatus {
            vm_id: r.id.to_string(),
            state: r.state,
            biological_type: r.bio,
            vm_type: r.vm_type,
            ribosomes: res.ribosomes,
            rna_polymerase: res.rna_polymerase,
            atp_percent: res.atp_percent(),
            memory_kb: res.memory_kb,
            priority: r.priority,
            weight: r.weight,
            cap: r.cap,
            machinery_time_ms: r.machinery_ms,
            wait_time_ms: runnable.saturating_sub(r.machinery_ms),
            runnable_time_ms: runnable,
            response_time_ms: r.first_run.zip(r.first_start).map(|(a, b)| a - b),
            turnaround_time_ms: r.first_completion.zip(r.first_start).map(|(a, b)| a - b),
            context_switches: r.switches_in,
            aa_produced: r.produced_aa + live,
            cycles_completed: r.cycles_completed,
            workload_aa: r.workload_aa,
            progress: ((r.done_aa + live) / r.workload_aa as f64).clamp(0.0, 1.0),
            fair_share: if runnable > 0 {
                fair / runnable as f64
            } else {
                0.0
            },
            share_received: if runnable > 0 {
                r.machinery_ms as f64 / runnable as f64
            } else {
                0.0
            },
        }
    }

    fn records(&self) -> Vec<&VmRecord> {
        let mut v: Vec<&VmRecord> = self.slots.iter().flatten().collect();
        v.sort_by_key(|r| r.seq);
        v
    }

    /// One VM's status.
    pub fn vm_status(&self, id: &str) -> Result<VmStatus> {
        Ok(self.status_of(self.rec_of(id)?))
    }

    /// Every VM's status in creation order.
    pub fn list_vms(&self) -> Vec<VmStatus> {
        self.records()
            .into_iter()
            .map(|r| self.status_of(r))
            .collect()
    }

    /// The ledger with totals, host reserve, allocations and what each VM holds.
    pub fn resource_summary(&self) -> ResourceSummary {
        let l = &self.ledger;
        let per_vm = self
            .records()
            .into_iter()
            .map(|r| {
                let a = l.held_by(r.id.as_str());
                VmHolding {
                    vm_id: r.id.to_string(),
                    ribosomes: a.ribosomes,
                    rna_polymerase: a.rna_polymerase,
                    atp_percent: a.atp_percent(),
                    memory_kb: a.memory_kb,
                }
            })
            .collect();
        ResourceSummary {
            chassis: self.chassis.kind.as_str().to_string(),
            ribosomes: l.pool_summary(Pool::Ribosomes),
            rna_polymerase: l.pool_summary(Pool::RnaPolymerase),
            atp: l.pool_summary(Pool::Atp),
            memory_kb: l.pool_summary(Pool::Memory),
            vm_count: self.index.len(),
            active_vms: self.runnable as usize,
            max_vms: self.max_vms,
            per_vm,
        }
    }

    /// Every measurement, computed from what happened.
    pub fn metrics(&self) -> SystemMetrics {
        let per_vm: Vec<VmStatus> = self.list_vms();
        let ratios: Vec<f64> = self
            .records()
            .iter()
            .zip(&per_vm)
            .filter_map(|(r, s)| {
                let fair = self.fair_ms(r);
                (fair > 0.0).then(|| s.machinery_time_ms as f64 / fair)
            })
            .collect();
        let elapsed = self.now.max(1) as f64;
        let total_aa: f64 = per_vm.iter().map(|s| s.aa_produced).sum();
        let util = |p: Pool| {
            let s = self.ledger.pool_summary(p);
            let guest = s.total - s.reserved;
            if guest > 0.0 {
                s.allocated / guest
            } else {
                0.0
            }
        };
        // Current guest production → ATP demand, against the guests' share of supply.
        let rate_aa_per_s: f64 = self.slots.iter().flatten().map(|r| r.rate).sum::<f64>() * 1000.0;
        let atp_demand = rate_aa_per_s * self.chassis.atp_per_aa;
        let guest_atp_fraction = (self.ledger.capacity().atp_centi as f64
            - self.ledger.reserve().atp_centi as f64)
            .max(0.0)
            / ATP_TOTAL_CENTI as f64;
        let supply = self.chassis.atp_turnover_per_s * guest_atp_fraction;
        let atp_level = if supply > 0.0 {
            (100.0 * (1.0 - atp_demand / supply)).clamp(0.0, 100.0)
        } else if atp_demand > 0.0 {
            0.0
        } else {
            100.0
        };
        SystemMetrics {
            now_ms: self.now,
            fairness_index: jain_index(&ratios),
            overhead_percent: 100.0 * self.overhead_ms as f64 / elapsed,
            context_switches: self.switches,
            decisions: self.decisions,
            throughput_aa_per_s: if self.now > 0 {
                total_aa / secs(self.now)
            } else {
                0.0
            },
            completed_cycles: self.completed_cycles,
            machinery_busy: self.busy_ms as f64 / elapsed,
            shared_ribosomes: self.shared_ribosomes(),
            pool_utilisation: PoolUtilisation {
                ribosomes: util(Pool::Ribosomes),
                rna_polymerase: util(Pool::RnaPolymerase),
                atp: util(Pool::Atp),
                memory: util(Pool::Memory),
            },
            atp_level_percent: atp_level,
            per_vm,
            kinetic: self.kinetic_metrics(),
        }
    }

    /// The machinery model in use.
    pub fn machinery_kind(&self) -> MachineryKind {
        match self.machinery {
            AnyMachinery::Simple(_) => MachineryKind::Simple,
            AnyMachinery::Kinetic(_) => MachineryKind::Kinetic,
        }
    }

    /// The kinetic host's state (None under the simple machinery).
    pub fn kinetic_metrics(&self) -> Option<KineticMetrics> {
        let k = self.machinery.as_kinetic()?;
        let mut m = k.report();
        for v in &mut m.per_vm {
            if let Some(r) = self.slots.iter().flatten().find(|r| r.seq == v.key) {
                v.vm_id = r.id.to_string();
                for c in &mut v.gene_classes {
                    c.group = match r.gene_groups.get(c.class as usize) {
                        Some(g) => g.name.clone(),
                        None => "mean_protein".into(),
                    };
                }
            }
        }
        // Genes of VMs destroyed since the last grid point are still decaying; report live VMs.
        m.per_vm.retain(|v| !v.vm_id.is_empty());
        Some(m)
    }

    /// Kinetic chart samples from `cursor` (at most `limit`), the next cursor and how many
    /// were dropped before being read (None under the simple machinery).
    pub fn kinetic_series_since(
        &self,
        cursor: u64,
        limit: usize,
    ) -> Option<(Vec<KineticSample>, u64, u64)> {
        Some(self.machinery.as_kinetic()?.series_since(cursor, limit))
    }

    /// Finished Gantt segments from `cursor` (at most `limit`), plus the open one.
    pub fn trace_since(&self, cursor: u64, limit: usize) -> TraceChunk {
        let (segments, next_cursor, dropped) = self.trace.since(cursor, limit);
        let open = self.current.and_then(|c| {
            let vm = self.rec(c.slot)?.id.shared();
            let (start, kind) = if c.running {
                (c.run_start, SegmentKind::Run)
            } else {
                (c.switch_start, SegmentKind::Switch)
            };
            (self.now > start).then_some(Segment {
                vm,
                start,
                end: self.now,
                kind,
            })
        });
        TraceChunk {
            segments,
            next_cursor,
            dropped,
            open,
        }
    }

    /// Events with id ≥ `since`, at most `limit`.
    pub fn events_since(&self, since: u64, limit: usize) -> Vec<Event> {
        self.events.since(since, limit)
    }

    /// Total context-switch time so far.
    pub fn overhead_ms(&self) -> Ms {
        self.overhead_ms
    }

    // ------------------------------------------------------------------ snapshots

    /// The whole hypervisor as JSON. Secrets (xcpng passwords) are not included.
    pub fn snapshot(&self) -> String {
        crate::snapjson::to_string(self).unwrap_or_default()
    }

    /// Rebuild a hypervisor from [`snapshot`](Self::snapshot) output; the result continues
    /// exactly as the original would. Inconsistent snapshots are refused.
    pub fn restore(json: &str) -> Result<Self> {
        if json.len() > 256 * 1024 * 1024 {
            return Err(BioxenError::InvalidSnapshot("larger than 256 MiB".into()));
        }
        // `snapjson` rather than serde_json directly: far less wasm (see there).
        let v = crate::snapjson::parse(json)
            .map_err(|e| BioxenError::InvalidSnapshot(e.to_string()))?;
        // The version first: a snapshot from another format version would otherwise fail on
        // whichever field changed, with a message that does not say why.
        match v.get("snapshot_version").map(|x| x.as_u64()) {
            None => {}
            Some(Some(n)) if n == u64::from(SNAPSHOT_VERSION) => {}
            Some(n) => {
                return Err(BioxenError::InvalidSnapshot(format!(
                    "snapshot format version {}: this bioxen ({}) reads version {SNAPSHOT_VERSION}",
                    n.map_or_else(|| v["snapshot_version"].to_string(), |n| n.to_string()),
                    env!("CARGO_PKG_VERSION")
                )))
            }
        }
        let h: Hypervisor = crate::snapjson::from_value(&v)
            .map_err(|e| BioxenError::InvalidSnapshot(e.to_string()))?;
        h.check_consistency()
            .map_err(BioxenError::InvalidSnapshot)?;
        Ok(h)
    }

    /// Internal invariants; `Err` names the first one broken. Used by `restore` and tests.
    pub fn check_consistency(&self) -> std::result::Result<(), String> {
        if !self.chassis.validate().is_empty() {
            return Err("chassis is invalid".into());
        }
        if !self.ledger.invariant_holds() {
            return Err("resource ledger over-commits or does not add up".into());
        }
        if self.now > MAX_TIME_MS {
            return Err("clock out of range".into());
        }
        let live = self.slots.iter().flatten().count();
        if self.max_vms == 0 || self.max_vms > MAX_VMS_LIMIT {
            return Err("VM limit out of range".into());
        }
        if live != self.index.len() || live > self.max_vms as usize {
            return Err("VM index does not match VM records".into());
        }
        let mut runnable = 0u32;
        let mut weight = 0u64;
        for (id, &slot) in &self.index {
            let r = self.rec(slot).ok_or("index points at an empty slot")?;
            if &r.id != id {
                return Err(format!("index entry {id} points at VM {}", r.id));
            }
            let held = self.ledger.held_by(id.as_str());
            if r.held && held != r.reservation {
                return Err(format!("ledger and VM {id} disagree about its reservation"));
            }
            if !r.held && held != Amounts::default() {
                return Err(format!("VM {id} is in error but holds resources"));
            }
            if (r.state == VmState::Running) != r.runnable_since.is_some() {
                return Err(format!("VM {id}: running state and runnable set disagree"));
            }
            if r.state == VmState::Running {
                runnable += 1;
                weight += self.weight_eff(r);
            }
            if !(r.done_aa.is_finite() && r.produced_aa.is_finite() && r.rate.is_finite())
                || r.mark > self.now
                || !(1..=10).contains(&r.priority)
                || r.weight == 0
                || r.cap > 100
                || r.workload_aa == 0
            {
                return Err(format!("VM {id} has out-of-range fields"));
            }
        }
        if self.ledger.per_vm().keys().any(|k| !self.contains(k)) {
            return Err("ledger holds resources for a VM that does not exist".into());
        }
        if runnable != self.runnable || weight != self.total_weight {
            return Err("runnable count or total weight does not match the VMs".into());
        }
        if self.scheduler.kind().as_str().is_empty() || self.params.validate().is_err() {
            return Err("scheduler parameters out of range".into());
        }
        if let Some(c) = self.current {
            match self.rec(c.slot) {
                Some(r) if r.seq == c.seq && r.state == VmState::Running => {}
                _ => return Err("dispatch points at a VM that is not running".into()),
            }
        }
        if self.free_slots.iter().any(|&s| self.rec(s).is_some()) {
            return Err("free slot list holds a live VM".into());
        }
        if let Some(k) = self.machinery.as_kinetic() {
            let mut keys: Vec<u64> = self.slots.iter().flatten().map(|r| r.seq).collect();
            keys.sort_unstable();
            k.check(&keys, self.now)?;
        } else if self.switch_from.is_some() {
            return Err("a measured switch without the kinetic machinery".into());
        }
        Ok(())
    }
}
