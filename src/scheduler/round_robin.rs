//! Round robin: each runnable VM in turn holds the machinery for one quantum.

use serde::{Deserialize, Serialize};

use super::queue::FifoQueue;
use super::reason::Reason;
use super::{Dispatch, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot, TaskInfo};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RoundRobin {
    quantum_ms: Ms,
    queue: FifoQueue,
}

impl RoundRobin {
    pub fn new(params: &SchedulerParams) -> Self {
        RoundRobin {
            quantum_ms: params.quantum_ms.max(1),
            queue: FifoQueue::default(),
        }
    }
}

impl Scheduler for RoundRobin {
    fn kind(&self) -> SchedulerKind {
        SchedulerKind::RoundRobin
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
            max_run_ms: self.quantum_ms,
            reason: Reason::NextInQueue { waiting },
        })
    }
    fn charge(&mut self, slot: Slot, _ran_ms: Ms, _now: Ms, _task: &TaskInfo) {
        self.queue.push_back(slot);
    }
    fn update(&mut self, _slot: Slot, _task: &TaskInfo, _now: Ms) {}
    fn queued(&self) -> usize {
        self.queue.len()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{run_jobs_with, Job};
    use super::super::{SchedulerKind, SchedulerParams};

    #[test]
    fn textbook_quantum_4() {
        // Silberschatz: P1=24, P2=3, P3=3 at time 0, quantum 4.
        // Gantt: P1 0-4, P2 4-7, P3 7-10, P1 10-30. Waiting 6, 4, 7 (avg 17/3).
        let p = SchedulerParams::with_quantum(4, 0);
        let r = run_jobs_with(
            SchedulerKind::RoundRobin,
            &p,
            &[Job::new(0, 24), Job::new(0, 3), Job::new(0, 3)],
        );
        assert_eq!(r.completion, [30, 7, 10]);
        assert_eq!(r.waiting(), [6, 4, 7]);
        assert_eq!(r.response(), [0, 4, 7]);
        assert_eq!(
            &r.gantt[..4],
            &[(0, 0, 4), (1, 4, 7), (2, 7, 10), (0, 10, 30)]
        );
    }

    #[test]
    fn ostep_response_time() {
        // OSTEP ch. 7: A, B, C each 5 at time 0 with a 1 ms slice: responses 0, 1, 2.
        let p = SchedulerParams::with_quantum(1, 0);
        let r = run_jobs_with(
            SchedulerKind::RoundRobin,
            &p,
            &[Job::new(0, 5), Job::new(0, 5), Job::new(0, 5)],
        );
        assert_eq!(r.response(), [0, 1, 2]);
        assert_eq!(r.completion, [13, 14, 15]);
    }
}
