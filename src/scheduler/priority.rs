//! Preemptive priority scheduling with aging: the queued VM with the highest effective
//! priority runs for at most one quantum, so VMs of equal priority take turns (round robin).
//! A VM's effective priority is its base priority (`TaskInfo::priority`, higher runs first)
//! plus one for every `aging_ms` it has waited since it was last queued at the back of its
//! class, which stops a stream of high-priority work from starving low-priority VMs forever.
//!
//! The conventions, those of the textbook's process tables:
//! - among equals the earlier arrival runs first, then the older VM (lower `seq`, row order);
//! - a VM that becomes runnable preempts the running VM only if it would be picked ahead of
//!   it: its effective priority is strictly higher than the running VM's (an equal never
//!   preempts). The running VM's effective priority counts the waiting it had when picked
//!   and goes on as if it were still queued, so a VM raised by aging is not preempted at once
//!   by every VM of a higher base priority;
//! - a preempted VM (a dispatch that ends before its quantum) keeps its place: it returns
//!   with the queueing time it had, as if it had never been picked;
//! - a VM whose quantum expired goes to the back of its class, its aging clock restarting,
//!   and behind a VM that arrives at the same instant (round robin's convention).
//!
//! Aging needs no per-tick work. With aging step `a` and queueing time `t`, the effective
//! priority at `now` is `base + ⌊(now − t) / a⌋ = ⌊(base·a − t + now) / a⌋`, a non-decreasing
//! function of the time-independent key `base·a − t`. Ordering by that key (highest first)
//! therefore always puts a VM of highest effective priority first; among VMs of equal base
//! priority it is FIFO by queueing time, which gives the round robin. The key is computed
//! exactly in `u128` as `base·a + (u64::MAX − t)` (below 2^73), with `a = 2^64` when aging
//! is off so that the base priority dominates. Equal keys are then ordered by the earlier
//! queueing time (for equal keys, the lower base), then a fresh or preempted VM before one
//! whose quantum expired, then `seq`: the first two are folded into the key as
//! `(key·256 + 255 − base)·2 + fresh` (below 2^82). It is stored complemented and split into
//! two `u64`s, so the run queue is a min-heap of plain integers that serialises in any
//! format. Removal is lazy: each queueing gets a unique stamp and heap entries whose stamp
//! is no longer their slot's are skipped, and purged once they outnumber the live ones.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};

use super::reason::{Reason, Tie};
use super::{Dispatch, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot, TaskInfo};

/// Where a slot stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
enum SlotState {
    /// Not runnable (never seen, removed, or left after its dispatch).
    #[default]
    Idle,
    /// Waiting since `since` (its aging clock and its place); its live heap entry carries
    /// `stamp`. `expired`: requeued because its quantum ran out (it yields to a VM queued at
    /// the same instant).
    Queued {
        base: u8,
        since: Ms,
        seq: u64,
        stamp: u64,
        expired: bool,
    },
    /// Dispatched; `base` aged from `since` (the queueing time it had when picked) is what
    /// arrivals must beat, and where it returns if preempted.
    Running { base: u8, since: Ms, seq: u64 },
}

/// `(complemented key high, complemented key low, seq, slot, stamp)`, smallest (= best)
/// first. `stamp` is unique per queueing, so an entry is live only while its slot is queued
/// with the same stamp; older entries are skipped when they surface (lazy deletion).
type Entry = (u64, u64, u64, Slot, u64);

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Priority {
    quantum_ms: Ms,
    /// Waiting this long raises the effective priority by one; 0 = no aging.
    aging_ms: Ms,
    heap: BinaryHeap<Reverse<Entry>>,
    /// Live entries in `heap` (= queued slots).
    live: usize,
    next_stamp: u64,
    slots: Vec<SlotState>,
}

impl Priority {
    pub fn new(params: &SchedulerParams) -> Self {
        Priority {
            quantum_ms: params.quantum_ms.max(1),
            aging_ms: params.aging_ms,
            heap: BinaryHeap::new(),
            live: 0,
            next_stamp: 0,
            slots: Vec::new(),
        }
    }

    /// The time-independent order key with its tie-breakers; see the module docs.
    fn key(&self, base: u8, since: Ms, expired: bool) -> (u64, u64) {
        let step: u128 = if self.aging_ms == 0 {
            1 << 64
        } else {
            u128::from(self.aging_ms)
        };
        // base ≤ 255 and step ≤ 2^64, so this is < 2^73, and the whole < 2^82: no overflow.
        let key = u128::from(base) * step + u128::from(u64::MAX - since);
        let key = (key * 256 + u128::from(255 - base)) * 2 + u128::from(!expired);
        let inv = !key;
        ((inv >> 64) as u64, inv as u64)
    }

    /// Effective priority of a VM of `base` priority waiting since `since`, at `now`.
    /// Base priority and queueing time of the best queued slot (stale heap tops dropped).
    fn next_queued(&mut self) -> Option<(u8, Ms)> {
        while let Some(&Reverse((_, _, _, slot, stamp))) = self.heap.peek() {
            if let SlotState::Queued {
                base,
                since,
                stamp: s,
                ..
            } = self.state(slot)
            {
                if s == stamp {
                    return Some((base, since));
                }
            }
            self.heap.pop();
        }
        None
    }

    fn effective(&self, base: u8, since: Ms, now: Ms) -> u64 {
        let waited = now.saturating_sub(since);
        let bonus = waited.checked_div(self.aging_ms).unwrap_or(0);
        u64::from(base).saturating_add(bonus)
    }

    fn state(&self, slot: Slot) -> SlotState {
        self.slots.get(slot as usize).copied().unwrap_or_default()
    }

    fn set_state(&mut self, slot: Slot, st: SlotState) {
        let i = slot as usize;
        if i >= self.slots.len() {
            self.slots.resize(i + 1, SlotState::Idle);
        }
        self.slots[i] = st;
    }

    fn is_live(slots: &[SlotState], slot: Slot, stamp: u64) -> bool {
        matches!(
            slots.get(slot as usize),
            Some(SlotState::Queued { stamp: s, .. }) if *s == stamp
        )
    }

    /// Take `slot` out of the queue (its heap entry goes stale); leaves it `Idle`.
    fn unqueue(&mut self, slot: Slot) {
        if let SlotState::Queued { .. } = self.state(slot) {
            self.live = self.live.saturating_sub(1);
            self.set_state(slot, SlotState::Idle);
        }
    }

    fn queue(&mut self, slot: Slot, base: u8, since: Ms, seq: u64, expired: bool) {
        self.unqueue(slot);
        let stamp = self.next_stamp;
        self.next_stamp = self.next_stamp.wrapping_add(1);
        let (hi, lo) = self.key(base, since, expired);
        self.heap.push(Reverse((hi, lo, seq, slot, stamp)));
        self.set_state(
            slot,
            SlotState::Queued {
                base,
                since,
                seq,
                stamp,
                expired,
            },
        );
        self.live += 1;
        // Drop stale entries once they outnumber the live ones (amortised O(1)).
        if self.heap.len() > 2 * self.live + 64 {
            let slots = &self.slots;
            self.heap
                .retain(|Reverse((_, _, _, slot, stamp))| Self::is_live(slots, *slot, *stamp));
        }
    }
}

impl Scheduler for Priority {
    fn kind(&self) -> SchedulerKind {
        SchedulerKind::Priority
    }
    fn enqueue(&mut self, slot: Slot, task: &TaskInfo, now: Ms) {
        // Already queued (protocol slip): keep its aging clock, as `update` does.
        let (since, expired) = match self.state(slot) {
            SlotState::Queued { since, expired, .. } => (since, expired),
            _ => (now, false),
        };
        self.queue(slot, task.priority, since, task.seq, expired);
    }
    fn remove(&mut self, slot: Slot, _now: Ms) {
        self.unqueue(slot);
        if let SlotState::Running { .. } = self.state(slot) {
            self.set_state(slot, SlotState::Idle);
        }
    }
    fn pick(&mut self, now: Ms) -> Option<Dispatch> {
        let waiting = self.live as u32;
        while let Some(Reverse((_, _, _, slot, stamp))) = self.heap.pop() {
            if let SlotState::Queued {
                base,
                since,
                seq,
                stamp: s,
                ..
            } = self.state(slot)
            {
                if s == stamp {
                    self.live = self.live.saturating_sub(1);
                    self.set_state(slot, SlotState::Running { base, since, seq });
                    let priority = self.effective(base, since, now);
                    let tie = match self.next_queued() {
                        Some((b, s)) if self.effective(b, s, now) == priority => {
                            if s == since {
                                Tie::Order
                            } else {
                                Tie::Arrival
                            }
                        }
                        _ => Tie::None,
                    };
                    return Some(Dispatch {
                        slot,
                        max_run_ms: self.quantum_ms.max(1),
                        reason: Reason::Priority {
                            priority,
                            base,
                            waiting,
                            tie,
                        },
                    });
                }
            }
        }
        None
    }
    fn charge(&mut self, slot: Slot, ran_ms: Ms, now: Ms, task: &TaskInfo) {
        match self.state(slot) {
            // Preempted (or ended early for another reason): back to its place, its aging
            // clock untouched.
            SlotState::Running { since, .. } if ran_ms < self.quantum_ms => {
                self.queue(slot, task.priority, since, task.seq, false)
            }
            // Quantum expired: back of its priority class; its aging clock restarts.
            _ => self.queue(slot, task.priority, now, task.seq, true),
        }
    }
    fn update(&mut self, slot: Slot, task: &TaskInfo, _now: Ms) {
        match self.state(slot) {
            SlotState::Idle => {}
            // Keep its aging clock: a priority change is not a requeue.
            SlotState::Queued { since, expired, .. } => {
                self.queue(slot, task.priority, since, task.seq, expired)
            }
            SlotState::Running { since, .. } => self.set_state(
                slot,
                SlotState::Running {
                    base: task.priority,
                    since,
                    seq: task.seq,
                },
            ),
        }
    }
    fn preempts(&self, arriving: Slot, running: Slot, now: Ms) -> bool {
        if arriving == running {
            return false;
        }
        match (self.state(arriving), self.state(running)) {
            (
                SlotState::Queued { base, since, .. },
                SlotState::Running {
                    base: run_base,
                    since: run_since,
                    ..
                },
            ) => self.effective(base, since, now) > self.effective(run_base, run_since, now),
            _ => false,
        }
    }
    fn queued(&self) -> usize {
        self.live
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{run_jobs_until, run_jobs_with, Job};
    use super::super::{AnyScheduler, Scheduler, SchedulerKind, SchedulerParams, TaskInfo};
    use super::Priority;

    fn params(quantum: u64, aging: u64) -> SchedulerParams {
        SchedulerParams {
            aging_ms: aging,
            ..SchedulerParams::with_quantum(quantum, 0)
        }
    }

    fn task(priority: u8, seq: u64) -> TaskInfo {
        TaskInfo {
            weight: 256,
            priority,
            cap_percent: 0,
            remaining_ms: 100,
            seq,
            arrival_ms: 0,
        }
    }

    #[test]
    fn textbook_preemptive_no_aging() {
        // (arrival, burst, priority), higher runs first; quantum 100 so slices never expire.
        // P1 (0, 10, 2) runs 0-2; P2 (2, 4, 5) preempts it and runs 2-3; P3 (3, 2, 8) preempts
        // P2 and runs 3-5. At 5 P4 (5, 6, 5) arrives but P2 was requeued first (at 3), so
        // P2 5-8, P4 8-14, P1 14-22 (P5 (20, 3, 1) does not preempt it), P5 22-25.
        // Completion 22, 8, 5, 14, 25; waiting 12, 2, 0, 3, 2.
        let jobs = [
            Job::new(0, 10).priority(2),
            Job::new(2, 4).priority(5),
            Job::new(3, 2).priority(8),
            Job::new(5, 6).priority(5),
            Job::new(20, 3).priority(1),
        ];
        let r = run_jobs_with(SchedulerKind::Priority, &params(100, 0), &jobs);
        assert_eq!(r.completion, [22, 8, 5, 14, 25]);
        assert_eq!(r.waiting(), [12, 2, 0, 3, 2]);
        assert_eq!(
            r.gantt,
            [
                (0, 0, 2),
                (1, 2, 3),
                (2, 3, 5),
                (1, 5, 8),
                (3, 8, 14),
                (0, 14, 22),
                (4, 22, 25)
            ]
        );
    }

    #[test]
    fn equal_priorities_round_robin() {
        // A, B (8 each, priority 5) and C (4, priority 1), quantum 4, no aging:
        // A 0-4, B 4-8, A 8-12, B 12-16, C 16-20.
        let jobs = [
            Job::new(0, 8).priority(5),
            Job::new(0, 8).priority(5),
            Job::new(0, 4).priority(1),
        ];
        let r = run_jobs_with(SchedulerKind::Priority, &params(4, 0), &jobs);
        assert_eq!(r.completion, [12, 16, 20]);
        assert_eq!(
            r.gantt,
            [(0, 0, 4), (1, 4, 8), (0, 8, 12), (1, 12, 16), (2, 16, 20)]
        );
    }

    /// A stream of priority-10 jobs (10 ms each, one every 10 ms from 0) and one priority-1
    /// job L (5 ms, arriving at 0, created last). Quantum 10.
    fn starving_stream() -> Vec<Job> {
        let mut jobs: Vec<Job> = (0..30).map(|i| Job::new(10 * i, 10).priority(10)).collect();
        jobs.push(Job::new(0, 5).priority(1));
        jobs
    }

    #[test]
    fn without_aging_the_stream_starves_low_priority() {
        let jobs = starving_stream();
        let r = run_jobs_until(SchedulerKind::Priority, &params(10, 0), &jobs, 250);
        let l = jobs.len() - 1;
        assert_eq!(r.first_run[l], u64::MAX);
        assert_eq!(r.received[l], 0);
    }

    #[test]
    fn aging_lets_low_priority_run() {
        // Aging step 10 ms: L's key is 1·10 − 0 = 10; the stream job arriving at t has key
        // 10·10 − t. At t = 90 the keys tie (L has effective priority 1 + 9 = 10) and L, the
        // earlier arrival, wins: it runs 90-95 and finishes. The job that arrived at 90 runs
        // 95-105 (the one arriving at 100 is its equal and does not preempt it), the job
        // that arrived at 100 runs 105-115, and so on.
        let jobs = starving_stream();
        let r = run_jobs_until(SchedulerKind::Priority, &params(10, 10), &jobs, 250);
        let l = jobs.len() - 1;
        assert_eq!(r.first_run[l], 90);
        assert_eq!(r.completion[l], 95);
        assert_eq!(r.completion[8], 90);
        assert_eq!(r.completion[9], 105);
        assert_eq!(r.completion[10], 115);
        assert!(r.gantt.contains(&(l, 90, 95)));
    }

    #[test]
    fn aged_arrival_preempts_only_when_strictly_higher() {
        let mut s = Priority::new(&params(10, 10));
        s.enqueue(0, &task(5, 0), 0);
        assert_eq!(s.pick(0).map(|d| (d.slot, d.max_run_ms)), Some((0, 10)));
        s.enqueue(1, &task(5, 1), 0);
        // Queued at the same instant with the same base: equals at every time, never a
        // preemption (the running VM ages as if it were still queued).
        for t in [0, 9, 10, 100] {
            assert!(!s.preempts(1, 0, t));
        }
        s.enqueue(2, &task(6, 2), 0);
        assert!(s.preempts(2, 0, 0)); // 6 > 5
        s.update(0, &task(9, 0), 1); // the running VM's new priority counts
        assert!(!s.preempts(2, 0, 30)); // 6 + 3 < 9 + 3
        s.enqueue(3, &task(9, 3), 25); // 9 + 0 vs 9 + 2 at 25; 9 + 1 vs 9 + 4 at 40
        assert!(!s.preempts(3, 0, 25));
        assert!(!s.preempts(3, 0, 40));

        // A VM raised by aging is not preempted by every higher base: queued at 0 with base
        // 1, picked at 50 (1 + 5 = 6).
        let mut s = Priority::new(&params(10, 10));
        s.enqueue(0, &task(1, 0), 0);
        assert_eq!(s.pick(50).map(|d| d.slot), Some(0));
        s.enqueue(1, &task(5, 1), 50);
        s.enqueue(2, &task(7, 2), 50);
        assert!(!s.preempts(1, 0, 50)); // 5 < 6
        assert!(!s.preempts(1, 0, 60)); // 6 < 7
        assert!(s.preempts(2, 0, 50)); // 7 > 6
                                       // Preempted after 5 ms (under the quantum): it returns to its place (queued at 0,
                                       // key 1·10 − 0 = 10), behind slot 2 (7·10 − 50 = 20), ahead of slot 1 (0).
        s.charge(0, 5, 55, &task(1, 0));
        let picks: Vec<_> = std::iter::from_fn(|| s.pick(55).map(|d| d.slot)).collect();
        assert_eq!(picks, [2, 0, 1]);
    }

    #[test]
    fn preempted_job_keeps_its_place_and_expired_quantum_goes_behind_arrivals() {
        // No aging, quantum 4. P1 (0, 6, prio 2) and P2 (1, 6, prio 2); P3 (2, 1, prio 5)
        // preempts P1 at 2 and runs 2-3. P1 keeps its place (arrived 0) ahead of P2 and runs
        // 3-7 (a new quantum of 4 covers the 4 it has left). P2 7-11; its quantum expires at
        // 11 with 2 left, and P4 (11, 2, prio 2), arriving at 11, goes first: P4 11-13, then
        // P2 13-15.
        let jobs = [
            Job::new(0, 6).priority(2),
            Job::new(1, 6).priority(2),
            Job::new(2, 1).priority(5),
            Job::new(11, 2).priority(2),
        ];
        let r = run_jobs_with(SchedulerKind::Priority, &params(4, 0), &jobs);
        assert_eq!(
            r.gantt,
            [
                (0, 0, 2),
                (2, 2, 3),
                (0, 3, 7),
                (1, 7, 11),
                (3, 11, 13),
                (1, 13, 15)
            ]
        );
    }

    #[test]
    fn remove_and_reuse_slot_leaves_no_stale_entry() {
        let mut s = Priority::new(&params(10, 0));
        s.enqueue(0, &task(9, 0), 0);
        s.enqueue(1, &task(5, 1), 0);
        s.enqueue(2, &task(3, 2), 0);
        s.remove(0, 1);
        assert_eq!(s.queued(), 2);
        // Slot 0 reused by a low-priority VM: the old priority-9 entry must be gone.
        s.enqueue(0, &task(1, 3), 2);
        s.update(2, &task(7, 2), 3); // queued update re-keys
        let picks: Vec<_> = std::iter::from_fn(|| s.pick(5).map(|d| d.slot)).collect();
        assert_eq!(picks, [2, 1, 0]);
        assert_eq!(s.queued(), 0);
    }

    #[test]
    fn extreme_times_are_exact() {
        // No aging: waiting since 0 never lifts priority 1 above a priority-2 arrival, even
        // near the end of time.
        let late = u64::MAX - 10;
        let mut s = Priority::new(&params(10, 0));
        s.enqueue(0, &task(1, 0), 0);
        s.enqueue(1, &task(2, 1), late);
        assert_eq!(s.pick(late).map(|d| d.slot), Some(1));
        // Largest aging step: one step of waiting is exactly one level.
        let mut s = Priority::new(&params(10, u64::MAX));
        s.enqueue(0, &task(1, 0), 0);
        s.enqueue(1, &task(2, 1), u64::MAX - 1); // key 2·a − (a − 1) = a + 1 > a
        assert_eq!(s.pick(u64::MAX).map(|d| d.slot), Some(1));
        let mut s = Priority::new(&params(10, u64::MAX));
        s.enqueue(0, &task(1, 0), 0);
        s.enqueue(1, &task(2, 1), u64::MAX); // keys tie at a: the earlier arrival wins
        assert_eq!(s.pick(u64::MAX).map(|d| d.slot), Some(0));
    }

    #[test]
    fn churn_purges_stale_entries() {
        let mut s = Priority::new(&params(10, 0));
        s.enqueue(0, &task(5, 0), 0);
        s.enqueue(1, &task(5, 1), 0);
        s.enqueue(2, &task(5, 2), 0);
        // Far more re-queueings than live entries: the stale ones must be purged, and the
        // count and order must stay right.
        for i in 0..1000 {
            s.remove(1, i);
            s.enqueue(1, &task(5, 1), i);
            s.update(2, &task(5, 2), i);
        }
        assert_eq!(s.queued(), 3);
        assert!(s.heap.len() <= 2 * 3 + 64 + 1);
        let picks: Vec<_> = std::iter::from_fn(|| s.pick(1000).map(|d| d.slot)).collect();
        assert_eq!(picks, [0, 2, 1]); // slot 2 kept its aging clock (queued at 0)
    }

    /// Random protocol-following churn (enqueue, remove, update, pick, charge after a whole
    /// quantum or less) against a naive O(n) model that evaluates `base·a − since` in signed
    /// arithmetic and applies the tie rules one by one.
    #[test]
    fn matches_naive_model_under_churn() {
        const N: usize = 12;
        // (base, since, seq, expired)
        type Q = (u8, u64, u64, bool);
        for aging in [0u64, 7] {
            let mut s = Priority::new(&params(5, aging));
            let a: i128 = if aging == 0 {
                1 << 64
            } else {
                i128::from(aging)
            };
            let mut queued: Vec<Option<Q>> = vec![None; N];
            // (slot, base, since, seq)
            let mut running: Option<(u32, u8, u64, u64)> = None;
            let mut next_seq = 0u64;
            let mut rng = 0x2545_f491_4f6c_dd1du64;
            let mut now = 0u64;
            for _ in 0..20_000 {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let slot = (rng % N as u64) as u32;
                let i = slot as usize;
                let prio = (1 + (rng >> 20) % 10) as u8;
                let is_running = running.map(|r| r.0) == Some(slot);
                match (rng >> 8) % 6 {
                    0 if queued[i].is_none() && !is_running => {
                        next_seq += 1;
                        s.enqueue(slot, &task(prio, next_seq), now);
                        queued[i] = Some((prio, now, next_seq, false));
                    }
                    1 if queued[i].is_some() => {
                        s.remove(slot, now);
                        queued[i] = None;
                    }
                    2 => {
                        if let Some((_, since, seq, expired)) = queued[i] {
                            s.update(slot, &task(prio, seq), now);
                            queued[i] = Some((prio, since, seq, expired));
                        } else if let Some((r, _, since, seq)) = running.filter(|_| is_running) {
                            s.update(r, &task(prio, seq), now);
                            running = Some((r, prio, since, seq));
                        }
                    }
                    _ => match running.take() {
                        Some((r, base, since, seq)) => {
                            let ran = 3 + 2 * ((rng >> 50) % 2); // 3 (preempted) or 5 (expired)
                            now += 1 + (rng >> 40) % 9;
                            s.charge(r, ran, now, &task(base, seq));
                            queued[r as usize] = Some(if ran < 5 {
                                (base, since, seq, false)
                            } else {
                                (base, now, seq, true)
                            });
                        }
                        None => {
                            let best = (0..N).filter_map(|j| queued[j].map(|q| (j, q))).max_by_key(
                                |&(_, (b, since, seq, expired))| {
                                    (
                                        i128::from(b) * a - i128::from(since),
                                        std::cmp::Reverse(since),
                                        !expired,
                                        std::cmp::Reverse(seq),
                                    )
                                },
                            );
                            let got = s.pick(now).map(|d| d.slot as usize);
                            assert_eq!(got, best.map(|b| b.0));
                            if let Some((j, (b, since, seq, _))) = best {
                                let eff = s.effective(b, since, now);
                                for (b2, since2, _, _) in queued.iter().flatten() {
                                    assert!(s.effective(*b2, *since2, now) <= eff);
                                }
                                queued[j] = None;
                                running = Some((j as u32, b, since, seq));
                            }
                        }
                    },
                }
                let arriving = (rng >> 32) as u32 % N as u32;
                if let Some((r, base, run_since, _)) = running {
                    let expect = queued[arriving as usize].is_some_and(|(b, since, _, _)| {
                        s.effective(b, since, now) > s.effective(base, run_since, now)
                    });
                    assert_eq!(s.preempts(arriving, r, now), expect);
                }
                assert_eq!(s.queued(), queued.iter().flatten().count());
            }
        }
    }

    #[test]
    fn serde_round_trip_mid_run() {
        let p = params(10, 7);
        let mut s = AnyScheduler::new(SchedulerKind::Priority, &p);
        for (slot, pr) in [(0u32, 3u8), (1, 9), (2, 5), (3, 5), (4, 1)] {
            s.enqueue(slot, &task(pr, u64::from(slot)), u64::from(slot));
        }
        assert_eq!(s.pick(5).map(|d| d.slot), Some(1));
        let json = serde_json::to_string(&s).expect("serialise");
        let mut back: AnyScheduler = serde_json::from_str(&json).expect("deserialise");
        s.charge(1, 10, 15, &task(9, 1));
        back.charge(1, 10, 15, &task(9, 1));
        let mut a = Vec::new();
        let mut b = Vec::new();
        for now in [15, 25, 35, 45, 55] {
            a.push(s.pick(now));
            b.push(back.pick(now));
        }
        assert_eq!(a, b);
        let slots: Vec<_> = a.iter().flatten().map(|d| d.slot).collect();
        // Keys (base·7 − since): 0: 21, 1: 63 − 15 = 48, 2: 33, 3: 32, 4: 3.
        assert_eq!(slots, [1, 2, 3, 0, 4]);
    }
}
