//! The credit scheduler's state: its VMs, their places (queued by priority, parked, running),
//! the lazy-credit accumulator and thresholds, the constructor and the public queries.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};

use crate::scheduler::queue::FifoQueue;
use crate::scheduler::wide::{decimal, mul};
use crate::scheduler::{Ms, SchedulerParams, Slot};

/// Credit units per ms of machinery time (fixed point: handouts divide finely enough).
pub(super) const CREDIT_PER_MS: i128 = 1 << 40;

/// Xen's priority classes, highest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditPriority {
    Boost,
    Under,
    Over,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(super) enum Place {
    /// Not runnable (never enqueued, or removed): earns nothing.
    Off,
    Queued(CreditPriority),
    /// Runnable but out of cap budget until the next period.
    Parked,
    /// Dispatched with this priority, not yet charged.
    Running(CreditPriority),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Vm {
    /// Creation order of the occupant: a different `seq` in the same slot is a new VM.
    pub(super) seq: u64,
    pub(super) weight: u32,
    pub(super) cap_percent: u32,
    /// Credit (units of `CREDIT_PER_MS`) as of accumulator value `mark`.
    #[serde(with = "decimal")]
    pub(super) credit: i128,
    #[serde(with = "decimal")]
    pub(super) mark: i128,
    pub(super) place: Place,
    /// Credit reached the clip while parked: not earning, weight not in the active sum.
    pub(super) saturated: bool,
    /// Bumped on every change of `place`; heap entries carry it.
    pub(super) gen: u32,
    /// Cap budget (a token bucket, hundredths of a ms) as of `budget_at`: it starts empty and
    /// fills at `cap_percent` hundredths per ms up to one whole dispatch (slice + switch); a
    /// dispatch costs `(100 − cap_percent)` per ms held (it fills meanwhile), and starts only
    /// when the budget covers that for a whole dispatch, so it never goes negative (unless a
    /// switch outlasts `switch_ms`). Unused while uncapped.
    pub(super) budget: i64,
    pub(super) budget_at: Ms,
    /// When the dispatch in progress began (its pick): the dispatch holds the machinery from
    /// then to its charge, context switch included.
    pub(super) picked_at: Ms,
}

impl Vm {
    pub(super) fn active(&self) -> bool {
        self.place != Place::Off && !self.saturated
    }
}

/// A queued VM waiting for the accumulator to reach `at` (or, in `unparks`, a parked VM
/// waiting for the clock to reach `at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub(super) struct Threshold {
    #[serde(with = "decimal")]
    pub(super) at: i128,
    pub(super) seq: u64,
    pub(super) slot: Slot,
    pub(super) gen: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Credit {
    pub(super) slice_ms: Ms,
    pub(super) tick_ms: Ms,
    /// Credit handed out so far per unit of weight (units of `CREDIT_PER_MS`).
    #[serde(with = "decimal")]
    pub(super) acc: i128,
    /// Credit units handed out but not yet divisible among the active weight.
    #[serde(with = "decimal")]
    pub(super) spare: i128,
    /// Sum of the weights of active VMs.
    pub(super) active_weight: u64,
    pub(super) vms: Vec<Option<Vm>>,
    pub(super) boost: FifoQueue,
    pub(super) under: FifoQueue,
    pub(super) over: FifoQueue,
    /// OVER VMs by the accumulator value at which their credit turns non-negative.
    pub(super) promotions: BinaryHeap<Reverse<Threshold>>,
    /// Parked, unsaturated VMs by the accumulator value at which they reach the clip.
    pub(super) saturations: BinaryHeap<Reverse<Threshold>>,
    /// Parked VMs by the time (ms) their cap budget turns positive again.
    pub(super) unparks: BinaryHeap<Reverse<Threshold>>,
    pub(super) parked_count: usize,
    pub(super) running: Option<Slot>,
    /// The context switch a dispatch may pay (the chassis's run-off), told by the hypervisor
    /// before each pick: a capped VM is pickable only when its budget covers a slice plus it.
    /// Not stored: it is a property of the machinery, set again before every pick.
    #[serde(skip)]
    pub(super) switch_ms: Ms,
}

pub(super) fn clamp_weight(w: u32) -> u32 {
    w.clamp(1, 65_535)
}

pub(super) fn vm_in(vms: &[Option<Vm>], slot: Slot) -> Option<&Vm> {
    vms.get(slot as usize)?.as_ref()
}

pub(super) fn vm_mut_in(vms: &mut [Option<Vm>], slot: Slot) -> Option<&mut Vm> {
    vms.get_mut(slot as usize)?.as_mut()
}

pub(super) fn live_promotion(vms: &[Option<Vm>], t: &Threshold) -> bool {
    vm_in(vms, t.slot).is_some_and(|vm| {
        vm.seq == t.seq && vm.gen == t.gen && vm.place == Place::Queued(CreditPriority::Over)
    })
}

pub(super) fn live_unpark(vms: &[Option<Vm>], t: &Threshold) -> bool {
    vm_in(vms, t.slot)
        .is_some_and(|vm| vm.seq == t.seq && vm.gen == t.gen && vm.place == Place::Parked)
}

pub(super) fn live_saturation(vms: &[Option<Vm>], t: &Threshold) -> bool {
    vm_in(vms, t.slot).is_some_and(|vm| {
        vm.seq == t.seq && vm.gen == t.gen && !vm.saturated && vm.place == Place::Parked
    })
}

impl Credit {
    pub fn new(params: &SchedulerParams) -> Self {
        let slice_ms = params.quantum_ms.max(1);
        Credit {
            slice_ms,
            tick_ms: (slice_ms / 3).max(1),
            acc: 0,
            spare: 0,
            active_weight: 0,
            vms: Vec::new(),
            boost: FifoQueue::default(),
            under: FifoQueue::default(),
            over: FifoQueue::default(),
            promotions: BinaryHeap::new(),
            saturations: BinaryHeap::new(),
            unparks: BinaryHeap::new(),
            parked_count: 0,
            running: None,
            switch_ms: 0,
        }
    }

    /// A VM's credit in ms as of the last call (`None` if the slot holds no VM).
    pub fn credit_ms(&self, slot: Slot) -> Option<f64> {
        let vm = self.vm(slot)?;
        Some(self.current_credit(vm) as f64 / CREDIT_PER_MS as f64)
    }

    /// The priority a runnable VM is queued or running with (`None` if parked or not
    /// runnable).
    pub fn priority_of(&self, slot: Slot) -> Option<CreditPriority> {
        match self.vm(slot)?.place {
            Place::Queued(p) | Place::Running(p) => Some(p),
            Place::Off | Place::Parked => None,
        }
    }

    /// A capped VM's cap budget in ms at `now` (negative = debt; `None` if uncapped, holding
    /// the machinery, or no VM).
    pub fn cap_budget_ms(&self, slot: Slot, now: Ms) -> Option<f64> {
        let vm = self.vm(slot)?;
        if matches!(vm.place, Place::Running(_)) {
            return None;
        }
        Some(self.budget_now(vm, now)? as f64 / 100.0)
    }

    /// Whether a runnable VM is parked by its cap.
    pub fn is_parked(&self, slot: Slot) -> bool {
        self.vm(slot).is_some_and(|vm| vm.place == Place::Parked)
    }

    pub(super) fn clip(&self) -> i128 {
        mul(i128::from(self.slice_ms), CREDIT_PER_MS)
    }

    pub(super) fn vm(&self, slot: Slot) -> Option<&Vm> {
        vm_in(&self.vms, slot)
    }
}
