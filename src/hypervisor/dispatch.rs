//! The event loop: dispatches chosen by the scheduler, context switches, work-cycle
//! completions, and advancing the clock from one event to the next (`step`, `run_until`).

use std::cmp::Reverse;

use crate::error::{BioxenError, Result};
use crate::machinery::Machinery;
use crate::scheduler::reason::Reason;
use crate::scheduler::{Ms, Scheduler, Slot};
use crate::trace::{EventKind, Segment, SegmentKind};
use crate::vm::VmState;

use super::options::MAX_TIME_MS;
use super::state::{Current, Hypervisor, VmRecord};

impl Hypervisor {
    pub(super) fn end_dispatch(&mut self, still_runnable: bool) {
        let Some(c) = self.current.take() else { return };
        let now = self.now;
        if c.running {
            self.refresh_rate(c.slot);
            self.trace_push(c.slot, c.run_start, now, SegmentKind::Run, c.reason);
        } else {
            self.trace_push(c.slot, c.switch_start, now, SegmentKind::Switch, None);
        }
        self.last_holder = Some(c.seq);
        self.last_holder_slot = Some(c.slot);
        self.last_release = now;
        let ran = if c.running { now - c.run_start } else { 0 };
        let info = self.task_info(c.slot);
        self.scheduler.charge(c.slot, ran, now, &info);
        if !still_runnable {
            self.scheduler.remove(c.slot, now);
        }
        self.switch_from = None;
        self.sync_machinery();
    }

    /// Record a finished segment; a run segment carries the scheduler's reason.
    pub(super) fn trace_push(
        &mut self,
        slot: Slot,
        start: Ms,
        end: Ms,
        kind: SegmentKind,
        reason: Option<Reason>,
    ) {
        if let Some(vm) = self.rec(slot).map(|r| r.id.shared()) {
            self.trace.push(Segment {
                vm,
                start,
                end,
                kind,
                reason,
            });
        }
    }

    /// The VM that last held the machinery, if it still exists.
    pub(super) fn last_holder_record(&self) -> Option<&VmRecord> {
        let h = self.last_holder?;
        let hinted = self.last_holder_slot.and_then(|s| self.rec(s));
        match hinted {
            Some(r) if r.seq == h => Some(r),
            _ => self.slots.iter().flatten().find(|r| r.seq == h),
        }
    }

    /// Tell the policy what the next switch costs (the machinery's, not in snapshots):
    /// wherever a scheduler appears (construction, policy change, restore) and before every
    /// pick.
    pub(crate) fn tell_switch_cost(&mut self) {
        let ms = self.machinery.switch_cost_ms();
        self.scheduler.set_switch_cost(ms);
    }

    /// Ask the scheduler for the next holder and start its dispatch.
    pub(super) fn dispatch_next(&mut self) {
        let now = self.now;
        self.tell_switch_cost();
        // A policy can only return slots it was given; guard against a corrupted state anyway.
        for _ in 0..=self.slots.len() {
            let Some(d) = self.scheduler.pick(now) else {
                return;
            };
            self.decisions += 1;
            let Some(r) = self.rec(d.slot) else {
                continue;
            };
            if r.state != VmState::Running {
                self.scheduler.remove(d.slot, now);
                continue;
            }
            let seq = r.seq;
            let id = r.id.shared();
            let switching = self.last_holder.is_some_and(|h| h != seq);
            let slice = d.max_run_ms.max(1);
            let measured = switching
                && self.kinetic_slicing()
                && self.machinery.switch_done(self.last_holder, seq) == Some(false);
            let cost = if measured {
                // A cap: the switch ends on the grid once the incoming VM's translation has
                // overtaken the outgoing one's (`after_machinery_tick`), at most one slice.
                slice
            } else if switching && !self.machinery.takes_demand() {
                (self.last_release + self.machinery.switch_cost_ms()).saturating_sub(now)
            } else {
                0
            };
            self.switch_from = if measured { self.last_holder } else { None };
            if switching {
                self.switches += 1;
                let from = self.last_holder_record().map(|r| r.id.shared());
                if let Some(r) = self.rec_mut(d.slot) {
                    r.switches_in += 1;
                }
                self.events.push(
                    now,
                    Some(id),
                    EventKind::ContextSwitch {
                        from,
                        reason: Some(d.reason),
                    },
                );
            }
            let run_start = now.saturating_add(cost).min(MAX_TIME_MS);
            self.current = Some(Current {
                slot: d.slot,
                seq,
                switch_start: now,
                run_start,
                slice_end: run_start.saturating_add(slice).min(MAX_TIME_MS),
                running: false,
                reason: Some(d.reason),
            });
            self.last_holder = Some(seq);
            self.last_holder_slot = Some(d.slot);
            self.sync_machinery();
            if cost == 0 {
                self.begin_run();
            }
            return;
        }
    }

    pub(super) fn begin_run(&mut self) {
        let now = self.now;
        let Some(c) = self.current.as_mut() else {
            return;
        };
        c.running = true;
        let (slot, start) = (c.slot, c.switch_start);
        if now > start {
            self.trace_push(slot, start, now, SegmentKind::Switch, None);
            if self.switch_from.take().is_some() {
                self.machinery.record_switch(now - start);
            }
        }
        if let Some(r) = self.rec_mut(slot) {
            r.first_run.get_or_insert(now);
        }
        self.refresh_rate(slot);
    }

    /// Advance the clock to `t` with nothing happening in between.
    pub(super) fn advance_to(&mut self, t: Ms) {
        let dt = t - self.now;
        if dt == 0 {
            return;
        }
        if let Some(c) = self.current {
            if c.running {
                self.busy_ms += dt;
                if let Some(r) = self.rec_mut(c.slot) {
                    r.machinery_ms += dt;
                }
            } else {
                self.overhead_ms += dt;
            }
        }
        self.now = t;
        if self.machinery.advance(t) {
            self.after_machinery_tick();
        }
    }

    /// The kinetic model crossed a grid point: every runnable VM's production rate changed,
    /// and a transcriptional switch in progress may be over.
    pub(super) fn after_machinery_tick(&mut self) {
        for i in 0..self.slots.len() {
            if self.slots[i]
                .as_ref()
                .is_some_and(|r| r.state == VmState::Running)
            {
                self.refresh_rate(i as Slot);
            }
        }
        let Some(c) = self.current else { return };
        if !c.running
            && self.switch_from.is_some()
            && self.machinery.switch_done(self.switch_from, c.seq) == Some(true)
        {
            let now = self.now;
            if let Some(c) = self.current.as_mut() {
                let slice = c.slice_end - c.run_start;
                c.run_start = now;
                c.slice_end = now.saturating_add(slice).min(MAX_TIME_MS);
            }
            self.begin_run();
        }
    }

    /// Handle every work cycle that completes at or before now.
    pub(super) fn process_completions(&mut self) {
        while let Some(t) = self.next_completion() {
            if t > self.now {
                break;
            }
            let Some(Reverse((_, slot, _))) = self.completions.pop() else {
                break;
            };
            self.complete_cycle(slot);
        }
    }

    pub(super) fn complete_cycle(&mut self, slot: Slot) {
        let now = self.now;
        let Some(r) = self.rec_mut(slot) else { return };
        let made = r.rate * (now - r.mark) as f64;
        // The cycle is complete by construction of the event time; absorb rounding.
        r.produced_aa += made + (r.workload_aa as f64 - (r.done_aa + made));
        r.done_aa = 0.0;
        r.mark = now;
        r.cycles_completed += 1;
        r.run_cycles += 1;
        let cycle = r.cycles_completed;
        let finished = r.cycles.is_some_and(|c| r.run_cycles >= c as u64);
        // Endless workloads log only their first cycle (their turnaround); the rest show in
        // the metrics, so they cannot crowd lifecycle events out of the bounded log.
        let log = r.cycles.is_some() || r.first_completion.is_none();
        if finished || r.first_completion.is_none() {
            r.first_completion.get_or_insert(now);
        }
        let id = r.id.shared();
        self.completed_cycles += 1;
        if log {
            self.events
                .push(now, Some(id.clone()), EventKind::CycleCompleted { cycle });
        }
        if finished {
            self.leave_runnable(slot);
            if let Some(r) = self.rec_mut(slot) {
                r.state = VmState::Stopped;
            }
            self.events.push(now, Some(id), EventKind::WorkloadFinished);
        } else {
            // The next cycle starts at once; the job goes on, so this is not a scheduling
            // point, but the policy learns the new remaining work.
            self.refresh_rate(slot);
            let info = self.task_info(slot);
            self.scheduler.update(slot, &info, now);
        }
    }

    /// Advance simulated time by `dt_ms`.
    pub fn step(&mut self, dt_ms: Ms) -> Result<()> {
        let t = self.now.checked_add(dt_ms).filter(|&t| t <= MAX_TIME_MS);
        match t {
            Some(t) => self.run_until(t),
            None => Err(BioxenError::arg(
                "dt_ms",
                format!("{dt_ms} would move the clock past {MAX_TIME_MS} ms"),
            )),
        }
    }

    /// Advance simulated time to `t_ms` (not before now).
    pub fn run_until(&mut self, t_ms: Ms) -> Result<()> {
        if t_ms < self.now || t_ms > MAX_TIME_MS {
            return Err(BioxenError::arg(
                "t_ms",
                format!(
                    "{t_ms} is out of range; expected {}..={MAX_TIME_MS} (now is {})",
                    self.now, self.now
                ),
            ));
        }
        // Arrivals decided together: what happens at the instant the call ends (a completion
        // there is handled) may be followed by operations at that same instant (a VM started
        // at t). So a slice that ends at t ends, and the next holder is chosen, only when the
        // clock moves on from t: the decision made at t then knows every VM that arrived at
        // t, and a round-robin job whose slice ended at t queues behind them.
        loop {
            self.process_completions();
            if self.now >= t_ms {
                break;
            }
            if let Some(c) = self.current {
                if c.running && self.now >= c.slice_end {
                    self.end_dispatch(true);
                }
            }
            if self.current.is_none() && self.runnable > 0 {
                self.dispatch_next();
            }
            let mut next = t_ms;
            match self.current {
                Some(c) if !c.running => next = next.min(c.run_start),
                Some(c) => next = next.min(c.slice_end),
                None => {
                    if self.runnable > 0 {
                        if let Some(w) = self.scheduler.next_wakeup(self.now) {
                            next = next.min(w.max(self.now + 1));
                        }
                    }
                }
            }
            if let Some(t) = self.next_completion() {
                next = next.min(t.max(self.now));
            }
            if let Some(t) = self.machinery.next_change(self.now) {
                next = next.min(t.max(self.now + 1));
            }
            self.advance_to(next);
            if let Some(c) = self.current {
                if !c.running && self.now >= c.run_start {
                    self.begin_run();
                }
            }
        }
        Ok(())
    }
}
