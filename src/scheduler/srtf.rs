//! Shortest remaining time first (preemptive SJF): the queued VM with the least remaining work
//! runs, and a VM that becomes runnable with strictly less remaining work than the running VM
//! has left at that moment preempts it. Among equals the earlier arrival
//! (`TaskInfo::arrival_ms`, when the VM last became runnable) runs first, then the older VM
//! (lower `seq`, row order); an equal never preempts the running VM. A preempted VM is
//! requeued under its original arrival, so it keeps its place among equals. Models the
//! textbook SRTF policy (optimal average waiting time for known bursts).
//!
//! The running VM's remaining work is tracked from its dispatch (or its last update):
//! `remaining_then − (now − then)`, saturating, with `u64::MAX` meaning "never finishes".

use serde::{Deserialize, Serialize};

use super::sjf::ShortestQueue;
use super::{Dispatch, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot, TaskInfo};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Srtf {
    queue: ShortestQueue,
}

impl Srtf {
    pub fn new(_params: &SchedulerParams) -> Self {
        Self::default()
    }
}

impl Scheduler for Srtf {
    fn kind(&self) -> SchedulerKind {
        SchedulerKind::Srtf
    }
    fn enqueue(&mut self, slot: Slot, task: &TaskInfo, _now: Ms) {
        self.queue.enqueue(slot, task);
    }
    fn remove(&mut self, slot: Slot, _now: Ms) {
        self.queue.remove(slot);
    }
    fn pick(&mut self, now: Ms) -> Option<Dispatch> {
        self.queue.dispatch(now, true)
    }
    fn charge(&mut self, slot: Slot, _ran_ms: Ms, _now: Ms, task: &TaskInfo) {
        // `task` carries what is left after the run; queue it by that.
        self.queue.enqueue(slot, task);
    }
    fn update(&mut self, slot: Slot, task: &TaskInfo, now: Ms) {
        self.queue.update(slot, task, now);
    }
    fn preempts(&self, arriving: Slot, running: Slot, now: Ms) -> bool {
        if arriving == running {
            return false;
        }
        match (
            self.queue.queued_remaining(arriving),
            self.queue.running_remaining(running, now),
        ) {
            (Some(a), Some(r)) => a < r,
            _ => false,
        }
    }
    fn queued(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{run_jobs, task, Job};
    use super::super::{AnyScheduler, Scheduler, SchedulerKind, SchedulerParams};
    use super::Srtf;

    #[test]
    fn textbook_preemptive_sjf() {
        // Silberschatz: P1 (0, 8), P2 (1, 4), P3 (2, 9), P4 (3, 5).
        // P1 0-1, P2 1-5, P4 5-10, P1 10-17, P3 17-26. Waiting 9, 0, 15, 2 (avg 6.5).
        let r = run_jobs(
            SchedulerKind::Srtf,
            &[
                Job::new(0, 8),
                Job::new(1, 4),
                Job::new(2, 9),
                Job::new(3, 5),
            ],
        );
        assert_eq!(r.completion, [17, 5, 26, 10]);
        assert_eq!(r.waiting(), [9, 0, 15, 2]);
        assert_eq!(r.waiting().iter().sum::<u64>(), 26); // 26 / 4 = 6.5
        assert_eq!(
            r.gantt,
            [(0, 0, 1), (1, 1, 5), (3, 5, 10), (0, 10, 17), (2, 17, 26)]
        );
    }

    #[test]
    fn equal_remaining_does_not_preempt() {
        // A (0, 10); B arrives at 4 with 6 = A's remaining then: no preemption, even though
        // B is older (index 0) and would win the tie in the queue. C arrives at 5 with 4 < A's
        // 5 left: it preempts. A 0-5, C 5-9, then A (5) before B (6): A 9-14, B 14-20.
        let r = run_jobs(
            SchedulerKind::Srtf,
            &[Job::new(4, 6), Job::new(0, 10), Job::new(5, 4)],
        );
        assert_eq!(r.completion, [20, 14, 9]);
        assert_eq!(r.gantt, [(1, 0, 5), (2, 5, 9), (1, 9, 14), (0, 14, 20)]);
    }

    #[test]
    fn preempted_job_keeps_its_place_by_arrival() {
        // P2 (0, 5) runs 0-2; P3 (2, 1) preempts it (1 < 3) and runs 2-3. P1 (3, 3) arrives
        // at 3 with 3 = P2's remaining: P2 arrived first, so P2 3-6, then P1 6-9, although
        // P1 is the earlier row.
        let r = run_jobs(
            SchedulerKind::Srtf,
            &[Job::new(3, 3), Job::new(0, 5), Job::new(2, 1)],
        );
        assert_eq!(r.gantt, [(1, 0, 2), (2, 2, 3), (1, 3, 6), (0, 6, 9)]);
    }

    #[test]
    fn preempts_uses_remaining_at_now() {
        let p = SchedulerParams::with_quantum(10, 0);
        let mut s = Srtf::new(&p);
        s.enqueue(0, &task(10, 0), 0);
        assert_eq!(
            s.pick(0).map(|d| (d.slot, d.max_run_ms)),
            Some((0, u64::MAX))
        );
        s.enqueue(1, &task(7, 1), 2);
        assert!(s.preempts(1, 0, 2)); // 7 < 8
        assert!(!s.preempts(1, 0, 3)); // 7 = 7
        assert!(!s.preempts(1, 0, 9)); // 7 > 1
        assert!(!s.preempts(2, 0, 2)); // unknown arriving slot

        // An update of the running VM restarts its estimate from that moment.
        s.update(0, &task(100, 0), 5);
        assert!(s.preempts(1, 0, 9)); // 7 < 96

        // A VM that never finishes is always beaten by a finite one.
        s.update(0, &task(u64::MAX, 0), 9);
        assert!(s.preempts(1, 0, u64::MAX - 1));
    }

    #[test]
    fn remove_and_reuse_slot_leaves_no_stale_entry() {
        let p = SchedulerParams::with_quantum(10, 0);
        let mut s = Srtf::new(&p);
        s.enqueue(0, &task(50, 0), 0);
        assert_eq!(s.pick(0).map(|d| d.slot), Some(0));
        s.enqueue(1, &task(3, 1), 0);
        s.enqueue(2, &task(20, 2), 0);
        s.remove(1, 0);
        assert!(!s.preempts(1, 0, 1)); // removed: no longer an arrival

        // Slot 1 reused by a VM with more work than the running one has left.
        s.enqueue(1, &task(60, 3), 1);
        assert!(!s.preempts(1, 0, 1));
        assert_eq!(s.queued(), 2);
        s.charge(0, 10, 10, &task(40, 0));
        let picks: Vec<_> = std::iter::from_fn(|| s.pick(10).map(|d| d.slot)).collect();
        assert_eq!(picks, [2, 0, 1]);
    }

    #[test]
    fn serde_round_trip_mid_run() {
        let p = SchedulerParams::with_quantum(10, 0);
        let mut s = AnyScheduler::new(SchedulerKind::Srtf, &p);
        for (slot, rem) in [(0u32, 40u64), (1, 12), (2, 30), (3, 20)] {
            s.enqueue(slot, &task(rem, u64::from(slot)), 0);
        }
        assert_eq!(s.pick(0).map(|d| d.slot), Some(1));
        let json = serde_json::to_string(&s).expect("serialise");
        let mut back: AnyScheduler = serde_json::from_str(&json).expect("deserialise");
        // The dispatch state survives: at 5, slot 1 has 7 left.
        s.enqueue(4, &task(6, 4), 5);
        back.enqueue(4, &task(6, 4), 5);
        assert!(s.preempts(4, 1, 5));
        assert!(back.preempts(4, 1, 5));
        s.charge(1, 5, 5, &task(7, 1));
        back.charge(1, 5, 5, &task(7, 1));
        let a: Vec<_> = std::iter::from_fn(|| s.pick(5)).collect();
        let b: Vec<_> = std::iter::from_fn(|| back.pick(5)).collect();
        assert_eq!(a, b);
        let slots: Vec<_> = a.iter().map(|d| d.slot).collect();
        assert_eq!(slots, [4, 1, 3, 2, 0]);
    }
}
