//! Production and the runnable set: each VM's rate of amino-acid production (folded at every
//! change, with its next completion event), what a policy is told about a VM ([`TaskInfo`]),
//! and VMs entering and leaving the runnable set with their fair share.

use std::cmp::Reverse;

use crate::machinery::Machinery;
use crate::scheduler::{Ms, Scheduler, Slot, TaskInfo};
use crate::vm::VmState;

use super::options::MAX_TIME_MS;
use super::state::{Hypervisor, VmRecord};

impl Hypervisor {
    pub(super) fn weight_eff(&self, r: &VmRecord) -> u64 {
        if self.scheduler.kind().is_proportional() {
            r.weight as u64
        } else {
            1
        }
    }

    pub(super) fn shared_ribosomes(&self) -> u64 {
        self.ledger.free().ribosomes
    }
    pub(super) fn shared_rate(&self) -> f64 {
        self.machinery.rate_aa_per_ms(self.shared_ribosomes())
    }
    pub(super) fn own_rate(&self, r: &VmRecord) -> f64 {
        if r.held {
            self.machinery.rate_aa_per_ms(r.reservation.ribosomes)
        } else {
            0.0
        }
    }
    /// Rate the VM in `slot` should have now.
    pub(super) fn target_rate(&self, slot: Slot) -> f64 {
        let Some(r) = self.rec(slot) else { return 0.0 };
        if r.state != VmState::Running {
            return 0.0;
        }
        if let Some(rate) = self.machinery.vm_rate_aa_per_ms(r.seq) {
            return rate;
        }
        let mut rate = self.own_rate(r);
        if let Some(c) = self.current {
            if c.slot == slot && c.running {
                rate += self.shared_rate();
            }
        }
        rate
    }

    pub(super) fn task_info(&self, slot: Slot) -> TaskInfo {
        let Some(r) = self.rec(slot) else {
            return TaskInfo {
                weight: 1,
                priority: 1,
                cap_percent: 0,
                remaining_ms: u64::MAX,
                seq: u64::MAX,
                arrival_ms: self.now,
            };
        };
        let done = r.done_aa + r.rate * (self.now - r.mark) as f64;
        // The job is the whole finite workload (every remaining cycle); an endless
        // workload never finishes.
        let remaining = match r.cycles {
            Some(c) => {
                let left = (c as u64).saturating_sub(r.run_cycles + 1);
                left as f64 * r.workload_aa as f64 + (r.workload_aa as f64 - done).max(0.0)
            }
            None => f64::INFINITY,
        };
        let rate = self.own_rate(r) + self.shared_rate();
        let remaining_ms = if remaining <= 0.0 {
            0
        } else if rate > 0.0 && remaining.is_finite() {
            let t = (remaining / rate).ceil();
            if t >= MAX_TIME_MS as f64 {
                u64::MAX
            } else {
                t as u64
            }
        } else {
            u64::MAX
        };
        TaskInfo {
            weight: r.weight,
            priority: r.priority,
            cap_percent: r.cap,
            remaining_ms,
            seq: r.seq,
            arrival_ms: r.runnable_since.unwrap_or(self.now),
        }
    }

    /// Fold production up to now and set a new rate; reschedule the completion event.
    pub(super) fn set_rate(&mut self, slot: Slot, rate: f64) {
        let now = self.now;
        let epoch = self.next_epoch;
        self.next_epoch += 1;
        let Some(r) = self.rec_mut(slot) else { return };
        let made = r.rate * (now - r.mark) as f64;
        r.done_aa += made;
        r.produced_aa += made;
        r.mark = now;
        r.rate = rate;
        r.epoch = epoch;
        if rate > 0.0 {
            let remaining = (r.workload_aa as f64 - r.done_aa).max(0.0);
            let dt = (remaining / rate).ceil();
            if dt < (MAX_TIME_MS - now) as f64 {
                self.completions
                    .push(Reverse((now + dt as u64, slot, epoch)));
            }
        }
        // Rates that change often (the kinetic machinery's, every grid tick) leave many
        // superseded entries; drop them before they pile up.
        if self.completions.len() > 64 + 4 * self.slots.len() {
            let slots = &self.slots;
            self.completions.retain(|Reverse((_, s, e))| {
                slots
                    .get(*s as usize)
                    .and_then(Option::as_ref)
                    .is_some_and(|r| r.epoch == *e)
            });
        }
    }

    pub(super) fn refresh_rate(&mut self, slot: Slot) {
        let rate = self.target_rate(slot);
        self.set_rate(slot, rate);
    }

    pub(super) fn next_completion(&mut self) -> Option<Ms> {
        while let Some(Reverse((t, slot, epoch))) = self.completions.peek().copied() {
            if self.rec(slot).is_some_and(|r| r.epoch == epoch) {
                return Some(t);
            }
            self.completions.pop();
        }
        None
    }

    /// The fair clock at `now`: its value at the last change of total weight, plus the time
    /// since then shared over the weight. Reading it changes nothing.
    pub(super) fn fair_now(&self) -> f64 {
        let epoch = self.fair_epoch.unwrap_or(self.now);
        if self.total_weight > 0 && self.now > epoch {
            self.fair_clock + (self.now - epoch) as f64 / self.total_weight as f64
        } else {
            self.fair_clock
        }
    }

    /// Bring the fair clock up to `now`; called right before `total_weight` changes.
    pub(super) fn fold_fair_clock(&mut self) {
        self.fair_clock = self.fair_now();
        self.fair_epoch = Some(self.now);
    }

    pub(super) fn enter_runnable(&mut self, slot: Slot) {
        let now = self.now;
        self.fold_fair_clock();
        let fc = self.fair_clock;
        let Some(r) = self.rec(slot) else { return };
        let w = self.weight_eff(r);
        if let Some(r) = self.rec_mut(slot) {
            r.runnable_since = Some(now);
            r.fair_mark = fc;
        }
        self.total_weight += w;
        self.runnable += 1;
        self.refresh_rate(slot);
        let info = self.task_info(slot);
        self.scheduler.enqueue(slot, &info, now);
        if let Some(c) = self.current {
            if c.slot != slot && self.scheduler.preempts(slot, c.slot, now) {
                self.end_dispatch(true);
            }
        }
        self.sync_machinery();
    }

    pub(super) fn leave_runnable(&mut self, slot: Slot) {
        let now = self.now;
        self.fold_fair_clock();
        let fc = self.fair_clock;
        if self.current.is_some_and(|c| c.slot == slot) {
            self.end_dispatch(false);
        } else {
            self.scheduler.remove(slot, now);
        }
        let Some(r) = self.rec(slot) else { return };
        let w = self.weight_eff(r);
        if let Some(r) = self.rec_mut(slot) {
            if let Some(since) = r.runnable_since.take() {
                r.runnable_ms += now - since;
                r.fair_base += w as f64 * (fc - r.fair_mark);
            }
        }
        self.total_weight = self.total_weight.saturating_sub(w);
        self.runnable = self.runnable.saturating_sub(1);
        self.set_rate(slot, 0.0);
        self.sync_machinery();
    }

    pub(super) fn fair_ms(&self, r: &VmRecord) -> f64 {
        let live = if r.runnable_since.is_some() {
            self.weight_eff(r) as f64 * (self.fair_now() - r.fair_mark)
        } else {
            0.0
        };
        r.fair_base + live
    }
}
