//! Multi-level feedback queue with the conventions of OSTEP chapter 8's own simulator
//! (`mlfq.py` in ostep-homework, cpu-sched-mlfq), so that its `-c` answers and the core's
//! agree on jobs without I/O. Levels are numbered 0 = top here (`mlfq.py` numbers them the
//! other way: its top queue is `numQueues − 1`).
//!
//! - **Levels, quanta, allotments** (`-n`, `-Q`, `-A`): level `k` has a quantum `Q[k]`
//!   (`mlfq_quanta_ms[k]`, default `quantum_ms × 2^k`) and an allotment `A[k]` counted in
//!   quanta (`mlfq_allotments[k]`, default 1). A VM runs one quantum at a time; when a quantum
//!   is used up it goes to the back of its level with a fresh quantum, and after `A[k]` quanta
//!   at the level it moves down one level (fresh quantum and allotment of that level).
//! - **Bottom level**: a VM that uses up its allotment there stays, with a fresh quantum and
//!   allotment, at the back: the bottom level is round robin with quantum `Q[bottom]`.
//! - **Arrivals**: a new VM enters at the back of the top level with `Q[0]` and `A[0]`.
//!   Everything that happens at one instant `t` is decided as `mlfq.py`'s tick `t` does: the
//!   running VM's accounting for the time up to `t` first (a used-up quantum queues it before
//!   the arrivals), then the boost due at `t`, then the arrivals at `t` in the order they came,
//!   then the pick.
//! - **Preemption**: a VM becoming runnable at a higher level than the running VM preempts
//!   it, and the preempted VM keeps the head of its level with the rest of its quantum (in
//!   `mlfq.py` the running job is never taken off its queue until its quantum ends).
//! - **Boost** (`-B`, `mlfq_boost_ms`, 0 = never): at every multiple `t > 0` of the period,
//!   the queued VMs reach the top level in `mlfq.py`'s order: those already at the top keep
//!   their places (a VM interrupted there keeps the head), then the bottom level's, then the
//!   level above it, and so on up to level 1, each in its own order. Every VM (also a paused
//!   one) is then at the top. What it gets there is [`MlfqBoostRule`]: by default (`fresh`) a
//!   fresh top-level quantum and allotment, as the chapter's rule 5 says; with `ostep`, what
//!   `mlfq.py` computes: the ticks left set to the top queue's allotment count (`A[0]` ms, not
//!   its quantum), also for VMs arriving later, and the count of quanta left kept from the old
//!   level. That looks like a slip in `mlfq.py`, but it is what its `-c` answers show, so the
//!   process-table page uses it (with the default allotment 1 a boosted VM runs 1 ms at the
//!   top, then drops a level). A dispatch never runs past the next boost.
//! - **Paused and resumed VMs** stand for jobs blocking for I/O (`mlfq.py` without `-S`/`-I`):
//!   a resumed VM (same `seq` in the same slot) keeps its level, the rest of its quantum and
//!   its allotment count, and joins the back of its level; a new VM in a reused slot starts
//!   afresh at the top.
//!
//! Cost: one FIFO per level (at most 16) with lazy removal (each queueing gets a unique stamp;
//! stale entries are skipped, and purged once they outnumber the live ones); arrivals of the
//! current instant wait in a short list until the decision at that instant. A boost touches
//! every VM once (O(n) per boost period); everything else is amortised O(levels).

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::reason::Reason;
use super::{
    Dispatch, MlfqBoostRule, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot, TaskInfo,
};

pub const MAX_LEVELS: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Status {
    Idle,
    /// Arrived at `Mlfq::pending_at`, waiting for that instant's decision.
    Pending,
    /// In the FIFO of its level; its live entry there carries `stamp`.
    Queued {
        stamp: u64,
    },
    Running,
}

/// What the policy remembers about the VM in one slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct VmState {
    /// Identity of the VM; a different `seq` in the same slot is a new VM.
    seq: u64,
    level: u8,
    /// What is left of the current quantum (ms), ≥ 1 between dispatches.
    ticks_left: Ms,
    /// Quanta left at this level, counting the current one (≥ 1).
    allot_left: u32,
    status: Status,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Mlfq {
    levels: u8,
    quanta: [Ms; MAX_LEVELS],
    allotments: [u32; MAX_LEVELS],
    boost_ms: Ms,
    /// Boosts applied so far: the one at `k × boost_ms` is applied once this is ≥ k.
    boosted: u64,
    /// One FIFO of `(slot, stamp)` per level, top first.
    queues: Vec<VecDeque<(Slot, u64)>>,
    /// Arrivals at `pending_at`, in order, not yet in their level's FIFO.
    pending: Vec<Slot>,
    pending_at: Ms,
    next_stamp: u64,
    /// Queued slots (live entries in `queues`).
    live: usize,
    /// All entries in `queues`, live or stale.
    entries: usize,
    slots: Vec<Option<VmState>>,
    /// `mlfq.py`'s boost ([`MlfqBoostRule::Ostep`]) instead of a fresh quantum and allotment.
    #[serde(default)]
    ostep_boost: bool,
}

impl Mlfq {
    pub fn new(params: &SchedulerParams) -> Self {
        let levels = params.mlfq_levels.clamp(1, MAX_LEVELS as u8);
        let base = params.quantum_ms.max(1);
        let mut quanta = [0; MAX_LEVELS];
        let mut allotments = [1; MAX_LEVELS];
        for k in 0..MAX_LEVELS {
            quanta[k] = match params.mlfq_quanta_ms[k] {
                0 => base.saturating_mul(1u64 << k),
                q => q,
            };
            allotments[k] = params.mlfq_allotments[k].max(1);
        }
        Mlfq {
            levels,
            quanta,
            allotments,
            boost_ms: params.mlfq_boost_ms,
            boosted: 0,
            queues: vec![VecDeque::new(); usize::from(levels)],
            pending: Vec::new(),
            pending_at: 0,
            next_stamp: 0,
            live: 0,
            entries: 0,
            slots: Vec::new(),
            ostep_boost: params.mlfq_boost_rule == MlfqBoostRule::Ostep,
        }
    }

    fn bottom(&self) -> u8 {
        self.levels - 1
    }

    fn quantum(&self, level: u8) -> Ms {
        self.quanta[usize::from(level)]
    }

    fn allotment(&self, level: u8) -> u32 {
        self.allotments[usize::from(level)]
    }

    /// The quantum after a boost: the top level's (fresh), or its allotment count in ms (as
    /// `mlfq.py`).
    fn boosted_ticks(&self) -> Ms {
        if self.ostep_boost {
            Ms::from(self.allotment(0)).max(1)
        } else {
            self.quantum(0)
        }
    }

    /// Boosts due at instants up to and including `t`.
    fn boosts_by(&self, t: Ms) -> u64 {
        t.checked_div(self.boost_ms).unwrap_or(0)
    }

    fn get(&self, slot: Slot) -> Option<VmState> {
        self.slots.get(slot as usize).copied().flatten()
    }

    fn set(&mut self, slot: Slot, vm: VmState) {
        let i = slot as usize;
        if i >= self.slots.len() {
            self.slots.resize(i + 1, None);
        }
        self.slots[i] = Some(vm);
    }

    fn is_live(slots: &[Option<VmState>], slot: Slot, stamp: u64) -> bool {
        matches!(
            slots.get(slot as usize),
            Some(Some(VmState { status: Status::Queued { stamp: s }, .. })) if *s == stamp
        )
    }

    /// Apply the boost due by `t`, if not yet applied (boosts with nothing in between are
    /// the same as one).
    fn boost_by(&mut self, t: Ms) {
        let due = self.boosts_by(t);
        if due <= self.boosted {
            return;
        }
        self.boosted = due;
        let slots = &self.slots;
        let mut top = std::mem::take(&mut self.queues[0]);
        for level in (1..self.queues.len()).rev() {
            for (slot, stamp) in std::mem::take(&mut self.queues[level]) {
                if Self::is_live(slots, slot, stamp) {
                    top.push_back((slot, stamp));
                }
            }
        }
        top.retain(|&(s, st)| Self::is_live(slots, s, st));
        self.entries = top.len();
        self.queues[0] = top;
        let (ticks, allot) = (self.boosted_ticks(), self.allotment(0));
        let ostep = self.ostep_boost;
        for vm in self.slots.iter_mut().flatten() {
            vm.level = 0;
            vm.ticks_left = ticks;
            if !ostep {
                vm.allot_left = allot;
            }
        }
    }

    /// Bring the queues up to just before instant `now`: the arrivals of an earlier instant
    /// join their levels (after the boost due at that instant), and every boost before `now`
    /// is applied. The boost due at `now` waits for the decision at `now`.
    fn settle_before(&mut self, now: Ms) {
        if !self.pending.is_empty() && self.pending_at < now {
            self.boost_by(self.pending_at);
            self.merge_pending();
        }
        if now > 0 {
            self.boost_by(now - 1);
        }
    }

    fn merge_pending(&mut self) {
        for slot in std::mem::take(&mut self.pending) {
            if let Some(vm) = self.get(slot) {
                if vm.status == Status::Pending {
                    self.push(slot, vm, false);
                }
            }
        }
    }

    /// Queue `vm` at the back (or the front) of its level.
    fn push(&mut self, slot: Slot, mut vm: VmState, front: bool) {
        let stamp = self.next_stamp;
        self.next_stamp = self.next_stamp.wrapping_add(1);
        vm.status = Status::Queued { stamp };
        vm.level = vm.level.min(self.bottom());
        self.set(slot, vm);
        let q = &mut self.queues[usize::from(vm.level)];
        if front {
            q.push_front((slot, stamp));
        } else {
            q.push_back((slot, stamp));
        }
        self.live += 1;
        self.entries += 1;
        // Drop stale entries once they outnumber the live ones (amortised O(1)).
        if self.entries > 2 * self.live + 64 {
            let slots = &self.slots;
            for q in self.queues.iter_mut() {
                q.retain(|&(s, st)| Self::is_live(slots, s, st));
            }
            self.entries = self.queues.iter().map(VecDeque::len).sum();
        }
    }

    /// Dequeue the head of the highest non-empty level.
    fn pop(&mut self) -> Option<Slot> {
        for level in 0..self.queues.len() {
            while let Some((slot, stamp)) = self.queues[level].pop_front() {
                self.entries = self.entries.saturating_sub(1);
                if Self::is_live(&self.slots, slot, stamp) {
                    self.live = self.live.saturating_sub(1);
                    return Some(slot);
                }
            }
        }
        None
    }

    /// The longest the dispatch starting at `now` may run: the rest of the quantum, and never
    /// past the next boost.
    fn max_run(&self, vm: &VmState, now: Ms) -> Ms {
        let left = vm.ticks_left.max(1);
        match self.boost_ms {
            0 => left,
            b => {
                let next = (self.boosts_by(now) + 1).saturating_mul(b);
                left.min(next.saturating_sub(now).max(1))
            }
        }
    }

    #[cfg(test)]
    fn level_of(&self, slot: Slot) -> Option<u8> {
        self.get(slot).map(|vm| vm.level)
    }
}

impl Scheduler for Mlfq {
    fn kind(&self) -> SchedulerKind {
        SchedulerKind::Mlfq
    }
    fn enqueue(&mut self, slot: Slot, task: &TaskInfo, now: Ms) {
        self.settle_before(now);
        let mut vm = match self.get(slot) {
            Some(vm) if vm.seq == task.seq => {
                if matches!(vm.status, Status::Queued { .. } | Status::Pending) {
                    return; // already queued: keep its place
                }
                vm
            }
            _ => VmState {
                seq: task.seq,
                level: 0,
                // A boost also sets the quantum of jobs that have not arrived yet.
                ticks_left: if self.boosted > 0 {
                    self.boosted_ticks()
                } else {
                    self.quantum(0)
                },
                allot_left: self.allotment(0),
                status: Status::Idle,
            },
        };
        if vm.status == Status::Running {
            return; // protocol slip: it is dispatched; its charge requeues it
        }
        vm.status = Status::Pending;
        self.set(slot, vm);
        self.pending.push(slot);
        self.pending_at = now;
    }
    fn remove(&mut self, slot: Slot, now: Ms) {
        self.settle_before(now);
        if let Some(mut vm) = self.get(slot) {
            if let Status::Queued { .. } = vm.status {
                self.live = self.live.saturating_sub(1);
            }
            if vm.status == Status::Pending {
                self.pending.retain(|&s| s != slot);
            }
            vm.status = Status::Idle;
            self.set(slot, vm);
        }
    }
    fn pick(&mut self, now: Ms) -> Option<Dispatch> {
        self.settle_before(now);
        self.boost_by(now);
        self.merge_pending();
        let waiting = self.live as u32;
        let slot = self.pop()?;
        let mut vm = self.get(slot)?;
        vm.status = Status::Running;
        self.set(slot, vm);
        let quantum = self.quantum(vm.level);
        Some(Dispatch {
            slot,
            max_run_ms: self.max_run(&vm, now),
            reason: Reason::Mlfq {
                level: vm.level,
                allotment_left_ms: vm
                    .ticks_left
                    .saturating_add(Ms::from(vm.allot_left.saturating_sub(1)) * quantum),
                waiting,
            },
        })
    }
    fn charge(&mut self, slot: Slot, ran_ms: Ms, now: Ms, task: &TaskInfo) {
        let mut vm = match self.get(slot) {
            Some(vm) if vm.status == Status::Running => vm,
            // Not dispatched (protocol slip): treat it as becoming runnable.
            _ => return self.enqueue(slot, task, now),
        };
        // A run crosses a boost only when a context-switch cost delayed its start: the boost
        // then counts as if it came at the end of the run.
        self.settle_before(now);
        let vm_now = self.get(slot).unwrap_or(vm);
        vm.level = vm_now.level;
        vm.ticks_left = vm_now.ticks_left.saturating_sub(ran_ms);
        if vm.ticks_left > 0 {
            // Interrupted (an arrival above it, a boost, a pause): keeps the head of its level
            // with the rest of its quantum.
            return self.push(slot, vm, true);
        }
        vm.allot_left = vm.allot_left.saturating_sub(1);
        if vm.allot_left == 0 {
            // Allotment used up: down one level; the bottom level keeps it.
            vm.level = (vm.level + 1).min(self.bottom());
            vm.allot_left = self.allotment(vm.level);
        }
        vm.ticks_left = self.quantum(vm.level);
        self.push(slot, vm, false);
    }
    fn update(&mut self, _slot: Slot, _task: &TaskInfo, _now: Ms) {
        // Levels depend only on observed usage, not on the VM's declared inputs.
    }
    fn preempts(&self, arriving: Slot, running: Slot, now: Ms) -> bool {
        if arriving == running {
            return false;
        }
        match (self.get(arriving), self.get(running)) {
            (Some(a), Some(r))
                if matches!(a.status, Status::Pending | Status::Queued { .. })
                    && r.status == Status::Running =>
            {
                // A boost due now reorders everything: decide again.
                self.boosts_by(now) > self.boosted || a.level < r.level
            }
            _ => false,
        }
    }
    fn queued(&self) -> usize {
        self.live + self.pending.len()
    }
}

#[cfg(test)]
mod tests;
