//! PLACEHOLDER (being implemented): behaves as FIFO for now.

use serde::{Deserialize, Serialize};

use super::queue::FifoQueue;
use super::{Dispatch, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot, TaskInfo};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Credit {
    quantum_ms: Ms,
    queue: FifoQueue,
}

impl Credit {
    pub fn new(params: &SchedulerParams) -> Self {
        Credit {
            quantum_ms: params.quantum_ms.max(1),
            queue: FifoQueue::default(),
        }
    }
}

impl Scheduler for Credit {
    fn kind(&self) -> SchedulerKind {
        SchedulerKind::Credit
    }
    fn enqueue(&mut self, slot: Slot, _task: &TaskInfo, _now: Ms) {
        self.queue.push_back(slot);
    }
    fn remove(&mut self, slot: Slot, _now: Ms) {
        self.queue.remove(slot);
    }
    fn pick(&mut self, _now: Ms) -> Option<Dispatch> {
        self.queue.pop_front().map(|slot| Dispatch {
            slot,
            max_run_ms: self.quantum_ms,
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
