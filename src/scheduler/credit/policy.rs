//! The credit policy as a [`Scheduler`]: enqueue (with BOOST on wake-up), remove, pick
//! (BOOST > UNDER > OVER, a BOOST dispatch cut to a tick), charge (credit handed out and
//! debited for the machinery time used, the cap charged for the whole dispatch), update,
//! preemption by a BOOSTed arrival, and the next unparking as the wake-up.

use super::state::{clamp_weight, vm_mut_in, Credit, CreditPriority, Place, Vm, CREDIT_PER_MS};
use crate::scheduler::reason::Reason;
use crate::scheduler::wide::mul;
use crate::scheduler::{Dispatch, Ms, Scheduler, SchedulerKind, Slot, TaskInfo};

impl Scheduler for Credit {
    fn kind(&self) -> SchedulerKind {
        SchedulerKind::Credit
    }

    fn enqueue(&mut self, slot: Slot, task: &TaskInfo, now: Ms) {
        self.advance(now);
        let i = slot as usize;
        if i >= self.vms.len() {
            self.vms.resize(i + 1, None);
        }
        let same_vm = self.vm(slot).is_some_and(|vm| vm.seq == task.seq);
        let runnable = self.vm(slot).is_some_and(|vm| vm.place != Place::Off);
        if same_vm && runnable {
            // Already runnable: only the inputs can have changed.
            self.update(slot, task, now);
            return;
        }
        if !same_vm {
            if runnable {
                // Not in the protocol: a new occupant while the old one is runnable.
                self.remove(slot, now);
            }
            // The generation carries on, so no stale entry of the old occupant matches.
            let gen = self.vm(slot).map_or(0, |vm| vm.gen.wrapping_add(1));
            self.vms[i] = Some(Vm {
                seq: task.seq,
                weight: clamp_weight(task.weight),
                cap_percent: 0,
                credit: 0,
                mark: self.acc,
                place: Place::Off,
                saturated: false,
                gen,
                budget: 0,
                budget_at: now,
                picked_at: now,
            });
        }
        let acc = self.acc;
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            vm.mark = acc; // earned nothing while not runnable
            vm.saturated = false;
            vm.weight = clamp_weight(task.weight);
            if !same_vm {
                // A new VM starts with an empty bucket: whatever it holds later, it has earned
                // at its cap since it arrived, so it never holds more than cap × elapsed.
                vm.budget = 0;
                vm.budget_at = now;
            }
            vm.cap_percent = task.cap_percent.min(100);
            vm.place = Place::Queued(CreditPriority::Under); // active from now on
            self.active_weight += u64::from(vm.weight);
        }
        self.place(slot, true, now);
    }

    fn remove(&mut self, slot: Slot, now: Ms) {
        self.advance(now);
        let Some(place) = self.vm(slot).map(|vm| vm.place) else {
            return;
        };
        if place == Place::Off {
            return;
        }
        self.materialise(slot);
        self.unqueue(slot);
        if matches!(place, Place::Running(_)) {
            // Not in the protocol (remove follows charge), but keep the books straight.
            self.running = None;
        }
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            if vm.active() {
                self.active_weight = self.active_weight.saturating_sub(u64::from(vm.weight));
            }
            vm.saturated = false;
        }
        self.set_place(slot, Place::Off);
    }

    fn pick(&mut self, now: Ms) -> Option<Dispatch> {
        self.advance(now);
        let (slot, prio) = loop {
            let (slot, prio) = if let Some(s) = self.boost.pop_front() {
                (s, CreditPriority::Boost)
            } else if let Some(s) = self.under.pop_front() {
                (s, CreditPriority::Under)
            } else {
                (self.over.pop_front()?, CreditPriority::Over)
            };
            // Queued while the switch cost was not yet known (or smaller): a capped VM whose
            // budget does not cover a whole dispatch now goes back to the park.
            let short = self
                .vm(slot)
                .is_some_and(|vm| self.short_of_budget(vm, now));
            if !short {
                break (slot, prio);
            }
            self.place(slot, prio == CreditPriority::Boost, now);
        };
        let in_class = 1 + match prio {
            CreditPriority::Boost => self.boost.len(),
            CreditPriority::Under => self.under.len(),
            CreditPriority::Over => self.over.len(),
        } as u32;
        let waiting = 1 + (self.boost.len() + self.under.len() + self.over.len()) as u32;
        self.materialise(slot);
        let credit_us = self.vm(slot).map_or(0, |vm| {
            i64::try_from(vm.credit * 1000 / CREDIT_PER_MS).unwrap_or(0)
        });
        // Running makes it active again (Xen: accounting restarts at its tick).
        self.reactivate(slot);
        self.settle_budget(slot, now);
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            vm.picked_at = now;
        }
        self.set_place(slot, Place::Running(prio));
        self.running = Some(slot);
        // A capped VM is pickable only when its budget covers a whole dispatch (slice and
        // switch), so it gets a whole slice, as in Xen, and still never overdraws its cap:
        // cutting dispatches to the budget would pay a context switch for every sliver.
        let max_run = match prio {
            CreditPriority::Boost => self.tick_ms,
            _ => self.slice_ms,
        };
        Some(Dispatch {
            slot,
            max_run_ms: max_run.max(1),
            reason: Reason::Credit {
                class: prio,
                credit_us,
                in_class,
                waiting,
            },
        })
    }

    fn charge(&mut self, slot: Slot, ran_ms: Ms, now: Ms, task: &TaskInfo) {
        self.advance(now);
        let dispatched = self
            .vm(slot)
            .is_some_and(|vm| vm.seq == task.seq && matches!(vm.place, Place::Running(_)));
        if !dispatched {
            // Not the dispatched VM: treat as a (re)queue request.
            self.enqueue(slot, task, now);
            return;
        }
        if self.running == Some(slot) {
            self.running = None;
        }
        // The machinery time used is handed out as credit, then debited from the VM that
        // used it; the context switch before it is neither (it produced nothing for anyone).
        self.hand_out(ran_ms);
        self.materialise(slot);
        let clip = self.clip();
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            vm.credit = (vm.credit - mul(i128::from(ran_ms), CREDIT_PER_MS)).max(-clip);
            if vm.cap_percent > 0 {
                // The cap counts the whole dispatch, context switch included: the VM held
                // the machinery from its pick to now, and the bucket filled meanwhile.
                let held =
                    i64::try_from(now.saturating_sub(vm.picked_at).max(ran_ms)).unwrap_or(i64::MAX);
                let net = held.saturating_mul(100 - i64::from(vm.cap_percent));
                vm.budget = vm.budget.saturating_sub(net);
            }
            vm.budget_at = now;
        }
        self.set_inputs(slot, task);
        // BOOST ends here: back to the tail of UNDER or OVER (or parked).
        self.place(slot, false, now);
    }

    fn update(&mut self, slot: Slot, task: &TaskInfo, now: Ms) {
        self.advance(now);
        let Some(vm) = self.vm(slot) else {
            return;
        };
        if vm.seq != task.seq {
            return;
        }
        let changed =
            vm.weight != clamp_weight(task.weight) || vm.cap_percent != task.cap_percent.min(100);
        match vm.place {
            // A dispatched VM takes its new inputs at its charge; an idle one at enqueue.
            Place::Running(_) | Place::Off => {}
            Place::Queued(_) | Place::Parked if !changed => {}
            Place::Queued(_) | Place::Parked => {
                let wake = vm.place == Place::Queued(CreditPriority::Boost);
                self.materialise(slot);
                self.unqueue(slot);
                self.settle_budget(slot, now);
                self.set_inputs(slot, task);
                self.place(slot, wake, now);
            }
        }
    }

    fn preempts(&self, arriving: Slot, running: Slot, _now: Ms) -> bool {
        self.running == Some(running)
            && self.priority_of(arriving) == Some(CreditPriority::Boost)
            && matches!(
                self.priority_of(running),
                Some(CreditPriority::Under | CreditPriority::Over)
            )
    }

    fn next_wakeup(&self, now: Ms) -> Option<Ms> {
        if self.parked_count == 0 {
            return None;
        }
        self.next_unpark().map(|t| t.max(now))
    }

    fn queued(&self) -> usize {
        self.boost.len() + self.under.len() + self.over.len() + self.parked_count
    }
    /// See `switch_ms`: a capped VM is admitted only when its budget covers it.
    fn set_switch_cost(&mut self, switch_ms: Ms) {
        self.switch_ms = switch_ms;
    }
}
