//! First come, first served: the VM that became runnable first holds the machinery until its
//! workload finishes (a VM with an endless workload never lets go: the textbook convoy and
//! starvation lesson). If a dispatch ends for another reason, the VM queues at the back.

use serde::{Deserialize, Serialize};

use super::queue::FifoQueue;
use super::reason::Reason;
use super::{Dispatch, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot, TaskInfo};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Fcfs {
    queue: FifoQueue,
}

impl Fcfs {
    pub fn new(_params: &SchedulerParams) -> Self {
        Self::default()
    }
}

impl Scheduler for Fcfs {
    fn kind(&self) -> SchedulerKind {
        SchedulerKind::Fcfs
    }
    fn enqueue(&mut self, slot: Slot, _task: &TaskInfo, _now: Ms) {
        self.queue.push_back(slot);
    }
    fn remove(&mut self, slot: Slot, _now: Ms) {
        self.queue.remove(slot);
    }
    fn pick(&mut self, _now: Ms) -> Option<Dispatch> {
        let waiting = self.queue.len() as u32;
        self.queue.pop_front().map(|slot| Dispatch {
            slot,
            max_run_ms: u64::MAX,
            reason: Reason::FirstInLine { waiting },
        })
    }
    fn charge(&mut self, slot: Slot, _ran_ms: Ms, _now: Ms, _task: &TaskInfo) {
        // Only a finished cycle ends an FCFS dispatch: the next cycle is a new arrival.
        self.queue.push_back(slot);
    }
    fn update(&mut self, _slot: Slot, _task: &TaskInfo, _now: Ms) {}
    fn queued(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{run_jobs, Job};
    use super::super::SchedulerKind;

    #[test]
    fn textbook_convoy() {
        // OSTEP ch. 7: A=100, B=10, C=10 all arriving at 0, FCFS in order A, B, C.
        // Turnaround 100, 110, 120 (avg 110); waiting 0, 100, 110.
        let r = run_jobs(
            SchedulerKind::Fcfs,
            &[Job::new(0, 100), Job::new(0, 10), Job::new(0, 10)],
        );
        assert_eq!(r.turnaround(), [100, 110, 120]);
        assert_eq!(r.waiting(), [0, 100, 110]);
        assert_eq!(r.response(), [0, 100, 110]);
    }

    #[test]
    fn textbook_staggered_arrivals() {
        // Silberschatz-style: P1 (0, 8), P2 (1, 4), P3 (2, 9), P4 (3, 5).
        // Completion 8, 12, 21, 26 → waiting 0, 7, 10, 18 (avg 8.75).
        let r = run_jobs(
            SchedulerKind::Fcfs,
            &[
                Job::new(0, 8),
                Job::new(1, 4),
                Job::new(2, 9),
                Job::new(3, 5),
            ],
        );
        assert_eq!(r.completion, [8, 12, 21, 26]);
        assert_eq!(r.waiting(), [0, 7, 10, 18]);
    }
}
