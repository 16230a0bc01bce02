//! Shortest job first (non-preemptive): of the queued VMs, the one with the least remaining
//! work in its current cycle (`TaskInfo::remaining_ms` as last reported at enqueue, charge
//! or update) takes the machinery and keeps it until that cycle ends. Among equals the
//! earlier arrival runs first (`TaskInfo::arrival_ms`: when the VM last became runnable),
//! then the older VM (lower `seq`, row order in a process table). A dispatch that ends
//! without the VM leaving (a policy switch, say) requeues it under its original arrival, so
//! it keeps its place. Models the textbook SJF policy, which minimises average waiting time
//! when every job is known up front but can starve long jobs.
//!
//! The run queue is an ordered set keyed by `(remaining, arrival, seq, slot)`, so every
//! operation is O(log n) with exact removal (no stale entries). The same queue backs
//! [`super::srtf`].

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::reason::{Reason, Tie};
use super::{Dispatch, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot, TaskInfo};

/// Where a slot stands in a [`ShortestQueue`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(super) enum SlotState {
    /// Not runnable (never seen, removed, or left after its dispatch).
    #[default]
    Idle,
    /// In the run queue with this key.
    Queued {
        remaining: u64,
        arrival: Ms,
        seq: u64,
    },
    /// Dispatched: it had `remaining` left at time `since`.
    Running { since: Ms, remaining: u64, seq: u64 },
}

/// A run queue ordered by least remaining work, then earliest arrival, then `seq`; shared by
/// SJF and SRTF.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct ShortestQueue {
    /// `(remaining_ms, arrival_ms, seq, slot)`, smallest first.
    order: BTreeSet<(u64, Ms, u64, Slot)>,
    /// Per-slot state, indexed by slot.
    slots: Vec<SlotState>,
}

impl ShortestQueue {
    fn state(&self, slot: Slot) -> SlotState {
        self.slots.get(slot as usize).copied().unwrap_or_default()
    }

    fn state_mut(&mut self, slot: Slot) -> &mut SlotState {
        let i = slot as usize;
        if i >= self.slots.len() {
            self.slots.resize(i + 1, SlotState::Idle);
        }
        &mut self.slots[i]
    }

    /// Take `slot` out of the queue if it is there; in every case it ends up `Idle`.
    pub(super) fn remove(&mut self, slot: Slot) {
        if let SlotState::Queued {
            remaining,
            arrival,
            seq,
        } = self.state(slot)
        {
            self.order.remove(&(remaining, arrival, seq, slot));
        }
        if let Some(s) = self.slots.get_mut(slot as usize) {
            *s = SlotState::Idle;
        }
    }

    /// Queue `slot` with `task`'s remaining work and arrival (re-keys it if it is already
    /// queued).
    pub(super) fn enqueue(&mut self, slot: Slot, task: &TaskInfo) {
        self.remove(slot);
        self.order
            .insert((task.remaining_ms, task.arrival_ms, task.seq, slot));
        *self.state_mut(slot) = SlotState::Queued {
            remaining: task.remaining_ms,
            arrival: task.arrival_ms,
            seq: task.seq,
        };
    }

    /// Dequeue the queued slot with the least remaining work and mark it dispatched at `now`.
    /// Dequeue the best slot; with it, its remaining work, how many were waiting (it
    /// included) and what broke a tie with the next best.
    pub(super) fn pick(&mut self, now: Ms) -> Option<(Slot, u64, u32, Tie)> {
        let waiting = self.order.len() as u32;
        let (remaining, arrival, seq, slot) = self.order.pop_first()?;
        let tie = match self.order.first() {
            Some(&(r, a, _, _)) if r == remaining => {
                if a == arrival {
                    Tie::Order
                } else {
                    Tie::Arrival
                }
            }
            _ => Tie::None,
        };
        *self.state_mut(slot) = SlotState::Running {
            since: now,
            remaining,
            seq,
        };
        Some((slot, remaining, waiting, tie))
    }

    /// [`pick`](Self::pick) as a run-to-completion dispatch, with its reason (SJF and SRTF
    /// differ only in `preemptive`).
    pub(super) fn dispatch(&mut self, now: Ms, preemptive: bool) -> Option<Dispatch> {
        self.pick(now)
            .map(|(slot, remaining_ms, waiting, tie)| Dispatch {
                slot,
                max_run_ms: u64::MAX,
                reason: Reason::Shortest {
                    // u64::MAX is how TaskInfo says "endless"; the reason says it as None
                    remaining_ms: (remaining_ms != u64::MAX).then_some(remaining_ms),
                    waiting,
                    preemptive,
                    tie,
                },
            })
    }

    /// New inputs for `slot`: re-key it if queued; if dispatched, restart its remaining-work
    /// estimate from `now`. Ignored for slots that are not runnable (their next enqueue
    /// carries fresh inputs).
    pub(super) fn update(&mut self, slot: Slot, task: &TaskInfo, now: Ms) {
        match self.state(slot) {
            SlotState::Idle => {}
            SlotState::Queued { .. } => self.enqueue(slot, task),
            SlotState::Running { .. } => {
                *self.state_mut(slot) = SlotState::Running {
                    since: now,
                    remaining: task.remaining_ms,
                    seq: task.seq,
                };
            }
        }
    }

    /// Remaining work of a queued slot.
    pub(super) fn queued_remaining(&self, slot: Slot) -> Option<u64> {
        match self.state(slot) {
            SlotState::Queued { remaining, .. } => Some(remaining),
            _ => None,
        }
    }

    /// Remaining work of a dispatched slot at `now` (`u64::MAX` stays unbounded).
    pub(super) fn running_remaining(&self, slot: Slot, now: Ms) -> Option<u64> {
        match self.state(slot) {
            SlotState::Running {
                since, remaining, ..
            } => Some(if remaining == u64::MAX {
                u64::MAX
            } else {
                remaining.saturating_sub(now.saturating_sub(since))
            }),
            _ => None,
        }
    }

    pub(super) fn len(&self) -> usize {
        self.order.len()
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Sjf {
    queue: ShortestQueue,
}

impl Sjf {
    pub fn new(_params: &SchedulerParams) -> Self {
        Self::default()
    }
}

impl Scheduler for Sjf {
    fn kind(&self) -> SchedulerKind {
        SchedulerKind::Sjf
    }
    fn enqueue(&mut self, slot: Slot, task: &TaskInfo, _now: Ms) {
        self.queue.enqueue(slot, task);
    }
    fn remove(&mut self, slot: Slot, _now: Ms) {
        self.queue.remove(slot);
    }
    fn pick(&mut self, now: Ms) -> Option<Dispatch> {
        self.queue.dispatch(now, false)
    }
    fn charge(&mut self, slot: Slot, _ran_ms: Ms, _now: Ms, task: &TaskInfo) {
        // The dispatch ended (cycle over, or the VM is leaving): queue it by what is left.
        self.queue.enqueue(slot, task);
    }
    fn update(&mut self, slot: Slot, task: &TaskInfo, now: Ms) {
        self.queue.update(slot, task, now);
    }
    fn queued(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{run_jobs, task, Job};
    use super::super::{AnyScheduler, Scheduler, SchedulerKind, SchedulerParams};
    use super::Sjf;

    #[test]
    fn textbook_all_at_zero() {
        // Silberschatz: P1=6, P2=8, P3=7, P4=3 at 0. Order P4, P1, P3, P2:
        // P4 0-3, P1 3-9, P3 9-16, P2 16-24. Waiting 3, 16, 9, 0 (avg 7).
        let r = run_jobs(
            SchedulerKind::Sjf,
            &[
                Job::new(0, 6),
                Job::new(0, 8),
                Job::new(0, 7),
                Job::new(0, 3),
            ],
        );
        assert_eq!(r.completion, [9, 24, 16, 3]);
        assert_eq!(r.waiting(), [3, 16, 9, 0]);
        assert_eq!(r.gantt, [(3, 0, 3), (0, 3, 9), (2, 9, 16), (1, 16, 24)]);
    }

    #[test]
    fn textbook_staggered_arrivals_no_preemption() {
        // P1 (0, 8), P2 (1, 4), P3 (2, 9), P4 (3, 5). P1 holds the machinery to 8 even
        // though shorter jobs arrive; then P2 (4) 8-12, P4 (5) 12-17, P3 (9) 17-26.
        // Waiting 0, 7, 15, 9 (avg 7.75).
        let r = run_jobs(
            SchedulerKind::Sjf,
            &[
                Job::new(0, 8),
                Job::new(1, 4),
                Job::new(2, 9),
                Job::new(3, 5),
            ],
        );
        assert_eq!(r.completion, [8, 12, 26, 17]);
        assert_eq!(r.waiting(), [0, 7, 15, 9]);
        assert_eq!(r.switches, 4);
    }

    #[test]
    fn ties_go_to_lower_seq() {
        // Equal bursts: creation order decides.
        let r = run_jobs(
            SchedulerKind::Sjf,
            &[Job::new(0, 5), Job::new(0, 5), Job::new(0, 2)],
        );
        assert_eq!(r.completion, [7, 12, 2]);
    }

    #[test]
    fn ties_go_to_the_earlier_arrival_before_row_order() {
        // P1 (0, 6) runs 0-6. P2 (3, 4) and P3 (1, 4) wait with equal bursts: P3 arrived
        // first, so P3 6-10, then P2 10-14, although P2 is the earlier row.
        let r = run_jobs(
            SchedulerKind::Sjf,
            &[Job::new(0, 6), Job::new(3, 4), Job::new(1, 4)],
        );
        assert_eq!(r.gantt, [(0, 0, 6), (2, 6, 10), (1, 10, 14)]);
    }

    #[test]
    fn remove_and_reuse_slot_leaves_no_stale_entry() {
        let p = SchedulerParams::with_quantum(10, 0);
        let mut s = Sjf::new(&p);
        s.enqueue(0, &task(1, 0), 0); // would be picked first
        s.enqueue(1, &task(50, 1), 0);
        s.enqueue(2, &task(20, 2), 0);
        s.remove(0, 0);
        s.remove(0, 0); // double remove is harmless
        assert_eq!(s.queued(), 2);
        // Slot 0 reused by a new VM with more work: its old key must not come back.
        s.enqueue(0, &task(30, 3), 5);
        assert_eq!(s.queued(), 3);
        let picks: Vec<_> = std::iter::from_fn(|| s.pick(5).map(|d| d.slot)).collect();
        assert_eq!(picks, [2, 0, 1]);
        assert_eq!(s.queued(), 0);
    }

    #[test]
    fn update_rekeys_queued_and_applies_dispatched_at_charge() {
        let p = SchedulerParams::with_quantum(10, 0);
        let mut s = Sjf::new(&p);
        s.enqueue(0, &task(10, 0), 0);
        s.enqueue(1, &task(20, 1), 0);
        s.update(1, &task(5, 1), 0); // queued: re-keyed
        let d = s.pick(0).map(|d| d.slot);
        assert_eq!(d, Some(1));
        s.update(1, &task(100, 1), 3); // dispatched: takes effect when it is requeued
        assert_eq!(s.queued(), 1);
        s.charge(1, 5, 5, &task(100, 1));
        assert_eq!(s.pick(5).map(|d| d.slot), Some(0));
        assert_eq!(s.pick(5).map(|d| d.slot), Some(1));
        assert_eq!(s.pick(5), None);
    }

    #[test]
    fn serde_round_trip_mid_run() {
        let p = SchedulerParams::with_quantum(10, 0);
        let mut s = AnyScheduler::new(SchedulerKind::Sjf, &p);
        for (slot, rem) in [(0u32, 40u64), (1, 10), (2, 30), (3, 20), (4, 10)] {
            s.enqueue(slot, &task(rem, u64::from(slot)), 0);
        }
        let first = s.pick(0).map(|d| d.slot);
        assert_eq!(first, Some(1));
        s.remove(3, 2);
        let json = serde_json::to_string(&s).expect("serialise");
        let mut back: AnyScheduler = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back.queued(), s.queued());
        // The dispatched slot finishes its cycle and starts a 25 ms one in both copies.
        s.charge(1, 10, 10, &task(25, 1));
        back.charge(1, 10, 10, &task(25, 1));
        let a: Vec<_> = std::iter::from_fn(|| s.pick(10)).collect();
        let b: Vec<_> = std::iter::from_fn(|| back.pick(10)).collect();
        assert_eq!(a, b);
        let slots: Vec<_> = a.iter().map(|d| d.slot).collect();
        assert_eq!(slots, [4, 1, 2, 0]);
    }
}
