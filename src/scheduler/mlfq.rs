//! Multi-level feedback queue, following the rules of OSTEP ch. 8:
//!
//! 1. A VM at a higher level (lower number, 0 = top) runs before one at a lower level.
//! 2. VMs at the same level take turns (round robin, FIFO within the level).
//! 3. A new VM enters at the top level.
//! 4. Each level `k` has an allotment of `quantum_ms × 2^k`. Once a VM has used its whole
//!    allotment at a level, however many times it gave up the machinery on the way, it moves
//!    down one level (the bottom level keeps it, with a fresh allotment). A VM that gives up
//!    the machinery before using its allotment stays at its level and keeps what it used.
//! 5. Every `mlfq_boost_ms` (0 = never) all VMs move back to the top level with fresh
//!    allotments.
//!
//! A dispatch lasts at most what is left of the VM's allotment, and a VM becoming runnable
//! at a higher level than the running VM preempts it.
//!
//! The boost is lazy: simulated time is split into boost epochs (`now / mlfq_boost_ms`) and
//! every VM remembers the epoch its level was set in; a VM from an earlier epoch is at the
//! top. The run queue is a short list of FIFO buckets, one per `(epoch, level)` in use, kept
//! in that order and served front first. For the current epoch that is the level order with
//! FIFO inside a level; every bucket from an earlier epoch comes ahead of all current ones,
//! as if the boost had appended the old levels, top to bottom, to the front of the top queue.
//! So nothing is moved at a boost. Removal is lazy (each queueing gets a unique stamp; stale
//! entries are skipped, and purged once they outnumber the live ones), so every operation is
//! amortised O(1) plus a binary search over the few buckets.
//!
//! A VM that is paused and resumed (same `seq` in the same slot) keeps its level and used
//! allotment, as a job blocking for I/O does in OSTEP; a new VM in a reused slot (different
//! `seq`) starts afresh at the top.

use std::collections::VecDeque;

use serde::{Deserialize, Serialize};

use super::reason::Reason;
use super::{Dispatch, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot, TaskInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
enum Status {
    Idle,
    /// In the bucket `(epoch, level)`; its live entry there carries `stamp`.
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
    /// Allotment used at `level`, always below the level's allotment between dispatches.
    used: Ms,
    /// Boost epoch in which `level`/`used` were set; an older epoch means "boosted".
    epoch: u64,
    status: Status,
}

/// The FIFO of VMs whose level `level` was set in boost epoch `epoch`: `(slot, stamp)`.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Bucket {
    epoch: u64,
    level: u8,
    fifo: VecDeque<(Slot, u64)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Mlfq {
    quantum_ms: Ms,
    levels: u8,
    boost_ms: Ms,
    next_stamp: u64,
    /// Sorted by `(epoch, level)`, no two alike.
    buckets: VecDeque<Bucket>,
    /// Queued slots (live entries).
    live: usize,
    /// All entries in `buckets`, live or stale.
    entries: usize,
    slots: Vec<Option<VmState>>,
}

impl Mlfq {
    pub fn new(params: &SchedulerParams) -> Self {
        Mlfq {
            quantum_ms: params.quantum_ms.max(1),
            levels: params.mlfq_levels.clamp(1, 16),
            boost_ms: params.mlfq_boost_ms,
            next_stamp: 0,
            buckets: VecDeque::new(),
            live: 0,
            entries: 0,
            slots: Vec::new(),
        }
    }

    /// Allotment (and longest dispatch) at `level`.
    fn allotment(&self, level: u8) -> Ms {
        self.quantum_ms
            .max(1)
            .saturating_mul(1u64 << u32::from(level.min(15)))
    }

    fn epoch(&self, now: Ms) -> u64 {
        now.checked_div(self.boost_ms).unwrap_or(0)
    }

    fn bottom(&self) -> u8 {
        self.levels.clamp(1, 16) - 1
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

    /// Level of `vm` at `now`, counting a boost it has not seen yet.
    fn level_at(&self, vm: &VmState, now: Ms) -> u8 {
        if vm.epoch < self.epoch(now) {
            0
        } else {
            vm.level
        }
    }

    /// Apply any boost since `vm`'s level was set.
    fn catch_up(&self, vm: &mut VmState, now: Ms) {
        let cur = self.epoch(now);
        if vm.epoch < cur {
            vm.level = 0;
            vm.used = 0;
            vm.epoch = cur;
        }
    }

    /// Take `slot` out of the queue (its entry goes stale); leaves it `Idle`.
    fn unqueue(&mut self, slot: Slot) {
        if let Some(mut vm) = self.get(slot) {
            if let Status::Queued { .. } = vm.status {
                vm.status = Status::Idle;
                self.set(slot, vm);
                self.live = self.live.saturating_sub(1);
            }
        }
    }

    /// Put `vm` at the back of its `(epoch, level)` bucket.
    fn push(&mut self, slot: Slot, mut vm: VmState) {
        let stamp = self.next_stamp;
        self.next_stamp = self.next_stamp.wrapping_add(1);
        vm.status = Status::Queued { stamp };
        self.set(slot, vm);
        let key = (vm.epoch, vm.level);
        let at = self.buckets.partition_point(|b| (b.epoch, b.level) < key);
        match self.buckets.get_mut(at) {
            Some(b) if (b.epoch, b.level) == key => b.fifo.push_back((slot, stamp)),
            _ => self.buckets.insert(
                at,
                Bucket {
                    epoch: vm.epoch,
                    level: vm.level,
                    fifo: VecDeque::from([(slot, stamp)]),
                },
            ),
        }
        self.live += 1;
        self.entries += 1;
        // Drop stale entries once they outnumber the live ones (amortised O(1)).
        if self.entries > 2 * self.live + 64 {
            let slots = &self.slots;
            for b in self.buckets.iter_mut() {
                b.fifo.retain(|&(s, st)| Self::is_live(slots, s, st));
            }
            self.buckets.retain(|b| !b.fifo.is_empty());
            self.entries = self.buckets.iter().map(|b| b.fifo.len()).sum();
        }
    }

    /// Dequeue the first live entry.
    fn pop(&mut self) -> Option<Slot> {
        while let Some(front) = self.buckets.front_mut() {
            match front.fifo.pop_front() {
                Some((slot, stamp)) => {
                    self.entries = self.entries.saturating_sub(1);
                    if Self::is_live(&self.slots, slot, stamp) {
                        self.live = self.live.saturating_sub(1);
                        return Some(slot);
                    }
                }
                None => {
                    self.buckets.pop_front();
                }
            }
        }
        None
    }

    #[cfg(test)]
    fn level_of(&self, slot: Slot, now: Ms) -> Option<u8> {
        self.get(slot).map(|vm| self.level_at(&vm, now))
    }
}

impl Scheduler for Mlfq {
    fn kind(&self) -> SchedulerKind {
        SchedulerKind::Mlfq
    }
    fn enqueue(&mut self, slot: Slot, task: &TaskInfo, now: Ms) {
        let mut vm = match self.get(slot) {
            Some(vm) if vm.seq == task.seq => {
                if matches!(vm.status, Status::Queued { .. }) {
                    return; // already queued: keep its place
                }
                vm
            }
            _ => VmState {
                seq: task.seq,
                level: 0,
                used: 0,
                epoch: self.epoch(now),
                status: Status::Idle,
            },
        };
        self.unqueue(slot);
        self.catch_up(&mut vm, now);
        self.push(slot, vm);
    }
    fn remove(&mut self, slot: Slot, _now: Ms) {
        self.unqueue(slot);
        if let Some(mut vm) = self.get(slot) {
            vm.status = Status::Idle;
            self.set(slot, vm);
        }
    }
    fn pick(&mut self, now: Ms) -> Option<Dispatch> {
        let waiting = self.live as u32;
        let slot = self.pop()?;
        let mut vm = self.get(slot)?;
        self.catch_up(&mut vm, now);
        vm.status = Status::Running;
        self.set(slot, vm);
        let left = self.allotment(vm.level).saturating_sub(vm.used).max(1);
        Some(Dispatch {
            slot,
            max_run_ms: left,
            reason: Reason::Mlfq {
                level: vm.level,
                allotment_left_ms: left,
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
        let cur = self.epoch(now);
        if vm.epoch < cur {
            // A boost happened during the run: only the part after it counts, at the top.
            let since_boost = now.saturating_sub(cur.saturating_mul(self.boost_ms));
            vm.level = 0;
            vm.used = ran_ms.min(since_boost);
            vm.epoch = cur;
        } else {
            vm.used = vm.used.saturating_add(ran_ms);
        }
        if vm.used >= self.allotment(vm.level) {
            vm.level = vm.level.saturating_add(1).min(self.bottom());
            vm.used = 0;
        }
        self.push(slot, vm);
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
                if matches!(a.status, Status::Queued { .. }) && r.status == Status::Running =>
            {
                self.level_at(&a, now) < self.level_at(&r, now)
            }
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
    use super::Mlfq;

    fn params(quantum: u64, levels: u8, boost: u64) -> SchedulerParams {
        SchedulerParams {
            mlfq_levels: levels,
            mlfq_boost_ms: boost,
            ..SchedulerParams::with_quantum(quantum, 0)
        }
    }

    fn task(seq: u64) -> TaskInfo {
        TaskInfo {
            weight: 256,
            priority: 5,
            cap_percent: 0,
            remaining_ms: 1000,
            seq,
            arrival_ms: 0,
        }
    }

    /// Dispatch lengths of a lone VM charged for its full slice each time.
    #[test]
    fn full_slices_demote_to_the_bottom() {
        let mut s = Mlfq::new(&params(10, 3, 0));
        s.enqueue(0, &task(0), 0);
        let mut now = 0;
        let mut slices = Vec::new();
        for _ in 0..5 {
            let d = s.pick(now).expect("queued");
            slices.push(d.max_run_ms);
            now += d.max_run_ms;
            s.charge(0, d.max_run_ms, now, &task(0));
        }
        // Levels 0, 1, 2, then it stays at the bottom (2) with a fresh allotment.
        assert_eq!(slices, [10, 20, 40, 40, 40]);
        assert_eq!(s.level_of(0, now), Some(2));
    }

    #[test]
    fn giving_up_early_keeps_level_but_counts_allotment() {
        let mut s = Mlfq::new(&params(10, 3, 0));
        s.enqueue(0, &task(0), 0);
        assert_eq!(s.pick(0).map(|d| d.max_run_ms), Some(10));
        s.charge(0, 6, 6, &task(0)); // gave up after 6 of 10
        assert_eq!(s.level_of(0, 6), Some(0));
        assert_eq!(s.pick(6).map(|d| d.max_run_ms), Some(4)); // what is left of 10
        s.charge(0, 4, 10, &task(0)); // allotment used up: demoted
        assert_eq!(s.level_of(0, 10), Some(1));
        assert_eq!(s.pick(10).map(|d| d.max_run_ms), Some(20));
    }

    #[test]
    fn ostep_interactive_job_arrives_late() {
        // OSTEP fig. 8.3-style: quantum 10 (levels 10, 20, 40 ms), no boost. A (0, 400)
        // runs 0-10 (L0), 10-30 (L1), 30-70 and 70-… (L2). B (100, 20) enters at L0 and
        // preempts A at 100 (A has used 30 of 40); B runs 100-110 (L0) and 110-120 (L1) and
        // is done. A finishes the 10 left of its allotment, 120-130, and keeps running: 420.
        let jobs = [Job::new(0, 400), Job::new(100, 20)];
        let r = run_jobs_with(SchedulerKind::Mlfq, &params(10, 3, 0), &jobs);
        assert_eq!(r.completion, [420, 120]);
        assert_eq!(r.turnaround()[1], 20);
        assert_eq!(r.response()[1], 0);
        assert_eq!(r.gantt, [(0, 0, 100), (1, 100, 120), (0, 120, 420)]);
    }

    /// A (0, 1000) and a stream of 10 ms jobs, one every 10 ms from 50 to 340.
    fn starving_stream() -> Vec<Job> {
        let mut jobs = vec![Job::new(0, 1000)];
        jobs.extend((0..30).map(|i| Job::new(50 + 10 * i, 10)));
        jobs
    }

    fn runs_of(r: &super::super::testkit::JobsResult, job: usize) -> Vec<(u64, u64)> {
        r.gantt
            .iter()
            .filter(|g| g.0 == job)
            .map(|g| (g.1, g.2))
            .collect()
    }

    #[test]
    fn without_boost_the_long_job_starves() {
        // A runs 0-10, 10-30, 30-50 (20 of its 40 at L2); from 50 every new job enters at
        // L0, preempts or outranks it, and A never runs again before the horizon.
        let r = run_jobs_until(
            SchedulerKind::Mlfq,
            &params(10, 3, 0),
            &starving_stream(),
            300,
        );
        assert_eq!(runs_of(&r, 0), [(0, 50)]);
        assert_eq!(r.received[0], 50);
    }

    #[test]
    fn boost_lets_the_long_job_run() {
        // Boost every 100 ms. 0-100 as without boost (J0..J4 run 50-100). At 100 A (boosted)
        // sorts ahead of J5 (arrived at 100): A runs 100-110 at L0 and drops to L1; J5..J13
        // run 110-200 with one job always waiting. At 200 the old epoch's queues are J14 (L0)
        // then A (L1), both boosted: J14 200-210, A 210-220, then J15...
        let r = run_jobs_until(
            SchedulerKind::Mlfq,
            &params(10, 3, 100),
            &starving_stream(),
            300,
        );
        assert_eq!(runs_of(&r, 0), [(0, 50), (100, 110), (210, 220)]);
        assert_eq!(r.received[0], 70);
        assert_eq!(runs_of(&r, 15), [(200, 210)]); // J14
        assert_eq!(runs_of(&r, 6), [(110, 120)]); // J5
    }

    #[test]
    fn lazy_boost_and_running_level() {
        let mut s = Mlfq::new(&params(10, 3, 100));
        s.enqueue(0, &task(0), 0);
        let mut now = 0;
        for _ in 0..2 {
            let d = s.pick(now).expect("queued");
            now += d.max_run_ms;
            s.charge(0, d.max_run_ms, now, &task(0));
        }
        assert_eq!(now, 30);
        assert_eq!(s.level_of(0, now), Some(2));
        assert_eq!(s.level_of(0, 99), Some(2));
        assert_eq!(s.level_of(0, 100), Some(0)); // boosted lazily
        assert_eq!(s.pick(30).map(|d| d.max_run_ms), Some(40));
        s.enqueue(1, &task(1), 40);
        assert!(s.preempts(1, 0, 40)); // L0 arrival vs L2
        s.charge(0, 10, 40, &task(0)); // 10 of 40 used at L2
        assert_eq!(s.pick(40).map(|d| (d.slot, d.max_run_ms)), Some((1, 10)));
        s.charge(1, 10, 50, &task(1)); // L0 → L1
        assert_eq!(s.pick(50).map(|d| (d.slot, d.max_run_ms)), Some((1, 20)));
        s.charge(1, 20, 70, &task(1)); // L1 → L2, behind slot 0
        assert_eq!(s.pick(70).map(|d| (d.slot, d.max_run_ms)), Some((0, 30)));
        s.charge(0, 15, 85, &task(0)); // 25 of 40 used
        assert_eq!(s.pick(85).map(|d| (d.slot, d.max_run_ms)), Some((1, 40)));
        s.enqueue(2, &task(2), 95);
        assert!(s.preempts(2, 1, 95));
        assert!(!s.preempts(2, 1, 100)); // the boost lifted the running VM to L0 too
        s.remove(2, 95);
        // The run 85-125 straddles the boost at 100: only its 25 ms after the boost count,
        // at L0, which uses up L0's 10 ms.
        s.charge(1, 40, 125, &task(1));
        assert_eq!(s.level_of(1, 125), Some(1));
        assert_eq!(s.level_of(0, 125), Some(0)); // still queued from epoch 0: boosted
                                                 // Slot 0 left epoch 0 with 15 ms of its L2 allotment; boosted, it gets L0's 10.
        assert_eq!(s.pick(125).map(|d| (d.slot, d.max_run_ms)), Some((0, 10)));
        assert_eq!(s.pick(125).map(|d| (d.slot, d.max_run_ms)), Some((1, 20)));
        assert_eq!(s.pick(125), None);
    }

    #[test]
    fn remove_and_reuse_slot_starts_new_vm_at_top() {
        let mut s = Mlfq::new(&params(10, 3, 0));
        s.enqueue(0, &task(0), 0);
        for now in [0, 10] {
            let d = s.pick(now).expect("queued");
            s.charge(0, d.max_run_ms, now + d.max_run_ms, &task(0));
        }
        assert_eq!(s.level_of(0, 30), Some(2));
        s.enqueue(1, &task(1), 30);
        s.remove(0, 30);
        s.remove(0, 30);
        assert_eq!(s.queued(), 1);
        // Same VM resumed: keeps its level (behind slot 1).
        s.enqueue(0, &task(0), 31);
        assert_eq!(s.level_of(0, 31), Some(2));
        s.remove(0, 32);
        // New VM in the reused slot: top level, and no stale entry for slot 0 remains.
        s.enqueue(0, &task(7), 33);
        assert_eq!(s.level_of(0, 33), Some(0));
        assert_eq!(s.queued(), 2);
        assert_eq!(s.pick(33).map(|d| (d.slot, d.max_run_ms)), Some((1, 10)));
        assert_eq!(s.pick(33).map(|d| (d.slot, d.max_run_ms)), Some((0, 10)));
        assert_eq!(s.pick(33), None);
    }

    #[test]
    fn churn_purges_stale_entries() {
        let mut s = Mlfq::new(&params(10, 3, 0));
        for slot in 0..3 {
            s.enqueue(slot, &task(u64::from(slot)), 0);
        }
        for i in 0..1000 {
            s.remove(1, i);
            s.enqueue(1, &task(1), i);
        }
        assert_eq!(s.queued(), 3);
        assert!(s.entries <= 2 * 3 + 64 + 1);
        let picks: Vec<_> = std::iter::from_fn(|| s.pick(1000).map(|d| d.slot)).collect();
        assert_eq!(picks, [0, 2, 1]);
        assert_eq!(s.entries, 0);
        assert!(s.buckets.is_empty());
    }

    /// Random protocol-following churn (enqueue, remove, pick, charge, time passing boosts)
    /// against a naive O(n) model: each VM's `(level, used, epoch)` and a global enqueue
    /// counter; the next VM is the queued one with the least `(epoch, level, counter)`.
    #[test]
    fn matches_naive_model_under_churn() {
        #[derive(Clone, Copy)]
        struct M {
            seq: u64,
            level: u8,
            used: u64,
            epoch: u64,
            queued_at: Option<u64>,
        }
        const N: usize = 12;
        let (q, levels, boost) = (4u64, 4u8, 97u64);
        let mut s = Mlfq::new(&params(q, levels, boost));
        let mut m: Vec<Option<M>> = vec![None; N];
        let mut running: Option<(usize, u64)> = None; // (slot, max_run)
        let mut counter = 0u64;
        let mut next_seq = 0u64;
        let mut rng = 0x9e37_79b9_7f4a_7c15u64;
        let mut now = 0u64;
        let lift = |vm: &mut M, now: u64| {
            if vm.epoch < now / boost {
                vm.level = 0;
                vm.used = 0;
                vm.epoch = now / boost;
            }
        };
        for _ in 0..20_000 {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            let i = (rng % N as u64) as usize;
            let is_running = running.map(|r| r.0) == Some(i);
            let queued = m[i].is_some_and(|v| v.queued_at.is_some());
            match (rng >> 8) % 6 {
                0 if !queued && !is_running => {
                    // Resume the same VM or put a new one in the slot.
                    let fresh = m[i].is_none() || (rng >> 30).is_multiple_of(2);
                    let mut vm = match m[i] {
                        Some(vm) if !fresh => vm,
                        _ => {
                            next_seq += 1;
                            M {
                                seq: next_seq,
                                level: 0,
                                used: 0,
                                epoch: now / boost,
                                queued_at: None,
                            }
                        }
                    };
                    lift(&mut vm, now);
                    counter += 1;
                    vm.queued_at = Some(counter);
                    s.enqueue(i as u32, &task(vm.seq), now);
                    m[i] = Some(vm);
                }
                1 if queued => {
                    s.remove(i as u32, now);
                    if let Some(vm) = m[i].as_mut() {
                        vm.queued_at = None;
                    }
                }
                _ => match running.take() {
                    Some((r, max_run)) => {
                        let ran = 1 + (rng >> 40) % max_run;
                        now += ran;
                        let Some(vm) = m[r].as_mut() else {
                            unreachable!()
                        };
                        let cur = now / boost;
                        if vm.epoch < cur {
                            vm.level = 0;
                            vm.used = ran.min(now - cur * boost);
                            vm.epoch = cur;
                        } else {
                            vm.used += ran;
                        }
                        if vm.used >= q << vm.level {
                            vm.level = (vm.level + 1).min(levels - 1);
                            vm.used = 0;
                        }
                        counter += 1;
                        vm.queued_at = Some(counter);
                        s.charge(r as u32, ran, now, &task(vm.seq));
                    }
                    None => {
                        now += (rng >> 50) % 3;
                        let best = (0..N)
                            .filter_map(|j| {
                                let vm = m[j]?;
                                Some((vm.epoch, vm.level, vm.queued_at?, j))
                            })
                            .min();
                        let got = s.pick(now).map(|d| (d.slot as usize, d.max_run_ms));
                        match best {
                            None => assert_eq!(got, None),
                            Some((_, _, _, j)) => {
                                let Some(vm) = m[j].as_mut() else {
                                    unreachable!()
                                };
                                lift(vm, now);
                                vm.queued_at = None;
                                let max_run = (q << vm.level) - vm.used;
                                assert_eq!(got, Some((j, max_run)));
                                running = Some((j, max_run));
                            }
                        }
                    }
                },
            }
            let a = (rng >> 32) as usize % N;
            if let (Some((r, _)), Some(av)) = (running, m[a]) {
                let level = |vm: M| if vm.epoch < now / boost { 0 } else { vm.level };
                let expect = av.queued_at.is_some() && m[r].is_some_and(|rv| level(av) < level(rv));
                assert_eq!(s.preempts(a as u32, r as u32, now), expect);
            }
            let n = m.iter().flatten().filter(|v| v.queued_at.is_some()).count();
            assert_eq!(s.queued(), n);
        }
    }

    #[test]
    fn serde_round_trip_mid_run() {
        let p = params(10, 3, 100);
        let mut s = AnyScheduler::new(SchedulerKind::Mlfq, &p);
        for slot in 0..4u32 {
            s.enqueue(slot, &task(u64::from(slot)), 0);
        }
        let mut now = 0;
        for _ in 0..5 {
            let d = s.pick(now).expect("queued");
            now += d.max_run_ms;
            s.charge(d.slot, d.max_run_ms, now, &task(u64::from(d.slot)));
        }
        let d = s.pick(now).expect("queued");
        let json = serde_json::to_string(&s).expect("serialise");
        let mut back: AnyScheduler = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back.queued(), s.queued());
        let mut cur = Some(d);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        let mut t = now;
        for _ in 0..8 {
            let Some(d) = cur else { break };
            t += d.max_run_ms;
            for (sched, out) in [(&mut s, &mut a), (&mut back, &mut b)] {
                sched.charge(d.slot, d.max_run_ms, t, &task(u64::from(d.slot)));
                out.push(sched.pick(t));
            }
            cur = a.last().copied().flatten();
        }
        assert_eq!(a, b);
        // 0..3 ran at L0 (0-40), slot 0 at L1 (40-60); slot 1 (L1, 60-80) is dispatched when
        // serialised. Slot 2 runs at L1 80-100; at 100 the boost lifts everyone: 3, 0, 1 run
        // 10 ms at L0 (slot 2, charged at the boost instant, has used nothing at L0 yet and
        // runs 130-140), then all four are at L1 (20 ms).
        let slots: Vec<_> = a.iter().flatten().map(|d| (d.slot, d.max_run_ms)).collect();
        assert_eq!(
            slots,
            [
                (2, 20),
                (3, 10),
                (0, 10),
                (1, 10),
                (2, 10),
                (3, 20),
                (0, 20),
                (1, 20)
            ]
        );
    }
}
