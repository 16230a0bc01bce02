//! Schedulers: who holds the chassis's shared expression machinery next, and for how long.
//!
//! The hypervisor keeps the runnable set and the clock; a [`Scheduler`] keeps its own run
//! queue and answers [`Scheduler::pick`]. The protocol, for every policy:
//!
//! 1. `enqueue(slot, task, now)` when a VM becomes runnable (started, resumed, restarted).
//! 2. `pick(now)` returns the next [`Dispatch`] (the slot and the longest it may run) and takes
//!    that slot off the run queue; `None` means nothing may run now (empty, or all capped).
//! 3. The hypervisor runs the slot until `max_run_ms` elapses, its work cycle ends, an arrival
//!    preempts it (`preempts`), or the user pauses/stops it. It then calls
//!    `charge(slot, ran_ms, now, task)`: the policy accounts the run and puts the slot back in
//!    its queue (the slot is still runnable), and, if the VM is leaving, `remove(slot, now)`
//!    follows right after.
//! 4. `remove(slot, now)` when a queued VM stops being runnable (paused, stopped, destroyed,
//!    finished, faulted). It is not called for the dispatched slot before its `charge`, with
//!    one defensive exception: if `pick` returns a slot the hypervisor does not know as
//!    runnable (only possible with a corrupted state), that slot is removed at once.
//! 5. `update(slot, task, now)` when a queued or dispatched VM's weight, priority, cap or
//!    remaining work changes (e.g. a new work cycle began). For the dispatched slot a policy
//!    may defer it to the next `charge`, which carries the current `TaskInfo` too.
//!
//! Time is simulated integer milliseconds of biological time. Policies must be deterministic
//! (the lottery draws from a seeded ChaCha stream kept in the scheduler state) and cheap:
//! `pick`/`charge`/`enqueue` should be O(log n) amortised in the number of runnable VMs.

use serde::{Deserialize, Serialize};

use crate::error::{BioxenError, Result};

/// The FIFO run queue the FIFO-based policies share (public as a module, not re-exported
/// here: it imports this module's `Slot`, and a re-export would make the two import each other).
pub mod queue;
mod wide;

pub mod credit;
pub mod eevdf;
pub mod fcfs;
pub mod lottery;
pub mod mlfq;
pub mod priority;
pub mod reason;
pub mod round_robin;
pub mod sjf;
pub mod srtf;
pub mod update;

/// Simulated milliseconds.
pub type Ms = u64;
/// Index of a VM in the hypervisor's slot table; stable while the VM exists, reused after.
pub type Slot = u32;

/// What a policy may know about a VM.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TaskInfo {
    /// Proportional-share weight, 1..=65535 (Xen default 256).
    pub weight: u32,
    /// Priority 1..=10; a higher number runs first.
    pub priority: u8,
    /// Cap as a percentage of the shared machinery, 1..=100; 0 means no cap.
    pub cap_percent: u32,
    /// Estimated shared-machinery time (ms) this VM needs to finish its current work cycle if
    /// it held the machinery from now on; `u64::MAX` when it can never finish.
    pub remaining_ms: u64,
    /// Creation order of the VM (unique, increasing): the last tie-breaker everywhere.
    pub seq: u64,
    /// When the VM last became runnable (started, resumed, restarted): its arrival. A
    /// dispatch ending, by preemption or otherwise, does not change it. SJF and SRTF break
    /// ties by it before `seq`.
    pub arrival_ms: Ms,
}

/// The answer to `pick`: who runs, for at most how long, and why (≥ 1 ms; `u64::MAX` = no limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispatch {
    pub slot: Slot,
    pub max_run_ms: Ms,
    /// Why this VM, in the policy's own numbers (rendered to words by its `Display`).
    pub reason: reason::Reason,
}

/// The policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchedulerKind {
    Fcfs,
    Sjf,
    Srtf,
    RoundRobin,
    Priority,
    Mlfq,
    Lottery,
    Credit,
    Eevdf,
}

impl SchedulerKind {
    pub const ALL: [SchedulerKind; 9] = [
        SchedulerKind::Fcfs,
        SchedulerKind::Sjf,
        SchedulerKind::Srtf,
        SchedulerKind::RoundRobin,
        SchedulerKind::Priority,
        SchedulerKind::Mlfq,
        SchedulerKind::Lottery,
        SchedulerKind::Credit,
        SchedulerKind::Eevdf,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SchedulerKind::Fcfs => "fcfs",
            SchedulerKind::Sjf => "sjf",
            SchedulerKind::Srtf => "srtf",
            SchedulerKind::RoundRobin => "round_robin",
            SchedulerKind::Priority => "priority",
            SchedulerKind::Mlfq => "mlfq",
            SchedulerKind::Lottery => "lottery",
            SchedulerKind::Credit => "credit",
            SchedulerKind::Eevdf => "eevdf",
        }
    }

    pub fn parse(s: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| BioxenError::UnsupportedScheduler(s.chars().take(80).collect()))
    }

    /// Proportional-share policies judge fairness by weight; the others by equal shares.
    pub fn is_proportional(self) -> bool {
        matches!(
            self,
            SchedulerKind::Lottery | SchedulerKind::Credit | SchedulerKind::Eevdf
        )
    }

    /// One line for users: what the policy does.
    pub fn describe(self) -> &'static str {
        match self {
            SchedulerKind::Fcfs => "first come, first served: the first runnable VM keeps the machinery until its workload finishes (an endless VM never lets go)",
            SchedulerKind::Sjf => "shortest job first: the VM with the least remaining work runs until its workload finishes",
            SchedulerKind::Srtf => "shortest remaining time first: like SJF, but a shorter arrival preempts",
            SchedulerKind::RoundRobin => "round robin: each VM in turn for one quantum",
            SchedulerKind::Priority => "preemptive priority with aging: waiting raises a VM's priority",
            SchedulerKind::Mlfq => "multi-level feedback queue: using a whole quantum demotes a VM; periodic boost",
            SchedulerKind::Lottery => "lottery: a seeded draw with tickets in proportion to weight",
            SchedulerKind::Credit => "Xen credit1: weights and caps, 30-unit slices, BOOST/UNDER/OVER",
            SchedulerKind::Eevdf => "EEVDF (Linux 6.6+): eligible VM with the earliest virtual deadline",
        }
    }
}

impl std::fmt::Display for SchedulerKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tunables shared by the policies. Times are simulated ms; `quantum_ms` is the base slice
/// every time-slicing policy derives its own lengths from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SchedulerParams {
    /// Base time slice (round robin quantum, MLFQ top-level quantum, credit slice, EEVDF base
    /// slice). Default: 30 ribosome run-off times of the chassis.
    pub quantum_ms: Ms,
    /// Seed for randomised policies (lottery).
    pub seed: u64,
    /// MLFQ: number of levels (1..=16).
    pub mlfq_levels: u8,
    /// MLFQ: every this many ms all VMs return to the top level (0 = never).
    pub mlfq_boost_ms: Ms,
    /// Priority: waiting this long raises a VM's effective priority by one (0 = no aging).
    pub aging_ms: Ms,
    /// MLFQ: the quantum of each level in ms, top level first (OSTEP `mlfq.py -Q`); only the
    /// first `mlfq_levels` count, and 0 there means the derived `quantum_ms × 2^level`.
    /// (Last, and defaulted: snapshots written before the lists existed end before them.)
    #[serde(default)]
    pub mlfq_quanta_ms: [Ms; 16],
    /// MLFQ: the allotment of each level in quanta, top level first (`mlfq.py -A`): how many
    /// quanta a VM runs at a level before it moves down; 0 means 1.
    #[serde(default)]
    pub mlfq_allotments: [u32; 16],
    /// MLFQ: what a boost gives each VM at the top level (see [`MlfqBoostRule`]).
    #[serde(default)]
    pub mlfq_boost_rule: MlfqBoostRule,
}

/// What an MLFQ boost gives each VM at the top level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MlfqBoostRule {
    /// A fresh top-level quantum and allotment, for every VM boosted (OSTEP's rule 5 as the
    /// chapter states it).
    #[default]
    Fresh,
    /// As `mlfq.py -B` computes it: the ticks left are set to the top queue's allotment count
    /// (in ms), also for VMs that arrive after the boost, and the count of quanta left is kept;
    /// the process-table page uses it so that its answers are `mlfq.py -c`'s.
    Ostep,
}

impl MlfqBoostRule {
    pub const NAMES: [&'static str; 2] = ["fresh", "ostep"];

    pub fn as_str(self) -> &'static str {
        match self {
            MlfqBoostRule::Fresh => "fresh",
            MlfqBoostRule::Ostep => "ostep",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "fresh" => Some(MlfqBoostRule::Fresh),
            "ostep" => Some(MlfqBoostRule::Ostep),
            _ => None,
        }
    }
}

impl SchedulerParams {
    pub fn with_quantum(quantum_ms: Ms, seed: u64) -> Self {
        SchedulerParams {
            quantum_ms: quantum_ms.max(1),
            seed,
            mlfq_levels: 3,
            mlfq_boost_ms: quantum_ms.saturating_mul(20),
            mlfq_quanta_ms: [0; 16],
            mlfq_allotments: [0; 16],
            mlfq_boost_rule: MlfqBoostRule::Fresh,
            aging_ms: quantum_ms.saturating_mul(10),
        }
    }

    pub fn validate(&self) -> Result<()> {
        if self.quantum_ms == 0 || self.quantum_ms > 1_000_000_000_000 {
            return Err(BioxenError::arg(
                "quantum_ms",
                format!("{} is out of range; expected 1..=1e12", self.quantum_ms),
            ));
        }
        if !(1..=16).contains(&self.mlfq_levels) {
            return Err(BioxenError::arg(
                "mlfq_levels",
                format!("{} is out of range; expected 1..=16", self.mlfq_levels),
            ));
        }
        for (k, &q) in self.mlfq_quanta_ms.iter().enumerate() {
            if q > 1_000_000_000_000 {
                return Err(BioxenError::arg(
                    format!("mlfq_quanta_ms[{k}]"),
                    format!("{q} is out of range; expected 1..=1e12 (0 = derived)"),
                ));
            }
        }
        for (k, &a) in self.mlfq_allotments.iter().enumerate() {
            if a > 1_000_000 {
                return Err(BioxenError::arg(
                    format!("mlfq_allotments[{k}]"),
                    format!("{a} is out of range; expected 1..=1000000 (0 = 1)"),
                ));
            }
        }
        Ok(())
    }
}

/// One scheduling policy. See the module docs for the calling protocol.
pub trait Scheduler {
    fn kind(&self) -> SchedulerKind;
    /// `slot` became runnable at `now`.
    fn enqueue(&mut self, slot: Slot, task: &TaskInfo, now: Ms);
    /// A queued `slot` stopped being runnable.
    fn remove(&mut self, slot: Slot, now: Ms);
    /// Choose and dequeue the next slot to hold the machinery.
    fn pick(&mut self, now: Ms) -> Option<Dispatch>;
    /// The dispatched `slot` ran `ran_ms`, ending at `now`; requeue it per policy.
    fn charge(&mut self, slot: Slot, ran_ms: Ms, now: Ms, task: &TaskInfo);
    /// A VM's scheduling inputs changed.
    fn update(&mut self, slot: Slot, task: &TaskInfo, now: Ms);
    /// Should the arrival (enqueue) of `arriving` end the dispatch of `running` right now?
    fn preempts(&self, _arriving: Slot, _running: Slot, _now: Ms) -> bool {
        false
    }
    /// If `pick` returned `None` while VMs are queued (e.g. all capped), the time at which
    /// `pick` may succeed again.
    fn next_wakeup(&self, _now: Ms) -> Option<Ms> {
        None
    }
    /// Runnable slots the policy holds (queued, excluding the dispatched one).
    fn queued(&self) -> usize;
    /// What the next context switch will cost (ms), told before every pick: it is the
    /// machinery's (measured on the kinetic host), not the policy's, so it is not kept in
    /// snapshots. Credit's caps need it; the other policies ignore it.
    fn set_switch_cost(&mut self, _switch_ms: Ms) {}
}

/// Every policy behind one serialisable type (enum dispatch keeps snapshots simple and calls
/// cheap).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnyScheduler {
    Fcfs(fcfs::Fcfs),
    Sjf(sjf::Sjf),
    Srtf(srtf::Srtf),
    RoundRobin(round_robin::RoundRobin),
    Priority(priority::Priority),
    Mlfq(mlfq::Mlfq),
    Lottery(lottery::Lottery),
    Credit(credit::Credit),
    Eevdf(eevdf::Eevdf),
}

macro_rules! each {
    ($self:expr, $s:ident => $e:expr) => {
        match $self {
            AnyScheduler::Fcfs($s) => $e,
            AnyScheduler::Sjf($s) => $e,
            AnyScheduler::Srtf($s) => $e,
            AnyScheduler::RoundRobin($s) => $e,
            AnyScheduler::Priority($s) => $e,
            AnyScheduler::Mlfq($s) => $e,
            AnyScheduler::Lottery($s) => $e,
            AnyScheduler::Credit($s) => $e,
            AnyScheduler::Eevdf($s) => $e,
        }
    };
}

impl AnyScheduler {
    pub fn new(kind: SchedulerKind, params: &SchedulerParams) -> Self {
        match kind {
            SchedulerKind::Fcfs => AnyScheduler::Fcfs(fcfs::Fcfs::new(params)),
            SchedulerKind::Sjf => AnyScheduler::Sjf(sjf::Sjf::new(params)),
            SchedulerKind::Srtf => AnyScheduler::Srtf(srtf::Srtf::new(params)),
            SchedulerKind::RoundRobin => {
                AnyScheduler::RoundRobin(round_robin::RoundRobin::new(params))
            }
            SchedulerKind::Priority => AnyScheduler::Priority(priority::Priority::new(params)),
            SchedulerKind::Mlfq => AnyScheduler::Mlfq(mlfq::Mlfq::new(params)),
            SchedulerKind::Lottery => AnyScheduler::Lottery(lottery::Lottery::new(params)),
            SchedulerKind::Credit => AnyScheduler::Credit(credit::Credit::new(params)),
            SchedulerKind::Eevdf => AnyScheduler::Eevdf(eevdf::Eevdf::new(params)),
        }
    }
}

impl Scheduler for AnyScheduler {
    fn kind(&self) -> SchedulerKind {
        each!(self, s => s.kind())
    }
    fn enqueue(&mut self, slot: Slot, task: &TaskInfo, now: Ms) {
        each!(self, s => s.enqueue(slot, task, now))
    }
    fn remove(&mut self, slot: Slot, now: Ms) {
        each!(self, s => s.remove(slot, now))
    }
    fn pick(&mut self, now: Ms) -> Option<Dispatch> {
        each!(self, s => s.pick(now))
    }
    fn charge(&mut self, slot: Slot, ran_ms: Ms, now: Ms, task: &TaskInfo) {
        each!(self, s => s.charge(slot, ran_ms, now, task))
    }
    fn update(&mut self, slot: Slot, task: &TaskInfo, now: Ms) {
        each!(self, s => s.update(slot, task, now))
    }
    fn preempts(&self, arriving: Slot, running: Slot, now: Ms) -> bool {
        each!(self, s => s.preempts(arriving, running, now))
    }
    fn next_wakeup(&self, now: Ms) -> Option<Ms> {
        each!(self, s => s.next_wakeup(now))
    }
    fn queued(&self) -> usize {
        each!(self, s => s.queued())
    }
    fn set_switch_cost(&mut self, switch_ms: Ms) {
        each!(self, s => s.set_switch_cost(switch_ms))
    }
}

#[cfg(test)]
pub(crate) mod testkit;
