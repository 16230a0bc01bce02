//! Scheduling inputs while VMs run: a VM's priority, weight and cap, and switching the policy
//! or its quantum.

use crate::error::{BioxenError, Result};
use crate::scheduler::{AnyScheduler, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot};
use crate::trace::EventKind;

use super::options::SchedulingRequest;
use super::state::Hypervisor;

impl Hypervisor {
    /// Change a VM's priority, weight or cap (validated; all or nothing).
    pub fn set_scheduling(&mut self, id: &str, req: &SchedulingRequest) -> Result<()> {
        let slot = self.slot_of(id)?;
        if let Some(p) = req.priority {
            if !(1..=10).contains(&p) {
                return Err(BioxenError::arg(
                    "priority",
                    format!("{p} is out of range; expected 1..=10"),
                ));
            }
        }
        if let Some(w) = req.weight {
            if !(1..=65_535).contains(&w) {
                return Err(BioxenError::arg(
                    "weight",
                    format!("{w} is out of range; expected 1..=65535"),
                ));
            }
        }
        if let Some(c) = req.cap {
            if c > 100 {
                return Err(BioxenError::arg(
                    "cap",
                    format!("{c} is out of range; expected 0..=100"),
                ));
            }
        }
        self.fold_fair_clock();
        let fc = self.fair_clock;
        let proportional = self.scheduler.kind().is_proportional();
        let Some(r) = self.rec_mut(slot) else {
            return Err(BioxenError::NotFound(id.to_string()));
        };
        let old_w = r.weight as u64;
        if let Some(p) = req.priority {
            r.priority = p;
        }
        if let Some(w) = req.weight {
            r.weight = w;
        }
        if let Some(c) = req.cap {
            r.cap = c;
        }
        let new_w = r.weight as u64;
        let runnable = r.runnable_since.is_some();
        if runnable && proportional {
            r.fair_base += old_w as f64 * (fc - r.fair_mark);
            r.fair_mark = fc;
            self.total_weight = self.total_weight - old_w + new_w;
        }
        if runnable {
            let info = self.task_info(slot);
            self.scheduler.update(slot, &info, self.now);
        }
        self.sync_machinery();
        self.log(slot, EventKind::SchedulingChanged);
        Ok(())
    }

    /// Switch policy (and parameters) while VMs run. The dispatch in progress ends; the
    /// runnable VMs join the new policy in creation order.
    pub fn set_scheduler(
        &mut self,
        kind: SchedulerKind,
        params: Option<SchedulerParams>,
    ) -> Result<()> {
        let params = params.unwrap_or(SchedulerParams {
            seed: self.seed,
            ..self.params
        });
        params.validate()?;
        let now = self.now;
        self.end_dispatch(true);
        self.fold_fair_clock();
        // Fold fair shares under the old weighting, then re-weight.
        let mut order: Vec<(u64, Slot)> = Vec::new();
        for (i, r) in self.slots.iter_mut().enumerate() {
            if let Some(r) = r {
                if r.runnable_since.is_some() {
                    let w = if self.scheduler.kind().is_proportional() {
                        r.weight as u64
                    } else {
                        1
                    };
                    r.fair_base += w as f64 * (self.fair_clock - r.fair_mark);
                    r.fair_mark = self.fair_clock;
                    order.push((r.seq, i as Slot));
                }
            }
        }
        order.sort_unstable();
        self.scheduler = AnyScheduler::new(kind, &params);
        self.tell_switch_cost();
        self.params = params;
        self.total_weight = 0;
        for &(_, slot) in &order {
            let w = self.rec(slot).map_or(0, |r| self.weight_eff(r));
            self.total_weight += w;
            let info = self.task_info(slot);
            self.scheduler.enqueue(slot, &info, now);
        }
        self.events.push(
            now,
            None,
            EventKind::SchedulerChanged {
                scheduler: kind.as_str().to_string(),
            },
        );
        self.sync_machinery();
        Ok(())
    }

    /// Change the base quantum of the current policy (keeps the policy).
    pub fn set_quantum(&mut self, quantum_ms: Ms) -> Result<()> {
        let p = SchedulerParams {
            quantum_ms,
            ..SchedulerParams::with_quantum(quantum_ms, self.seed)
        };
        if quantum_ms == 0 {
            return Err(BioxenError::arg(
                "quantum_ms",
                "0 is out of range; expected 1..=1e12",
            ));
        }
        self.set_scheduler(self.scheduler.kind(), Some(p))
    }
}
