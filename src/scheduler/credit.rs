//! Xen's credit scheduler (credit1, `xen/common/sched/credit.c`), scaled to biological time.
//!
//! * **Slice** = `quantum_ms` (Xen's 30 ms), **tick** = slice / 3 (10 ms), **accounting
//!   period** = one slice, aligned on multiples of the slice from time 0.
//! * **Credit** is kept in ms of machinery time. At every period boundary one period's worth
//!   of credit is handed out to the active VMs in proportion to weight. Running debits
//!   credit by the time actually run (timestamp accounting, not tick sampling), and a VM
//!   that is running when a boundary passes earns and spends in time order (its clip is
//!   applied at its charge). Credit is clipped to ±one period's worth. As in Xen, a queued
//!   VM whose credit reaches the upper clip stops earning and leaves the active set, so from
//!   the next period on its share goes to the VMs that can use it; it becomes active again
//!   when it next runs. Active = runnable (queued, parked or running) and not saturated.
//! * **Priorities** BOOST > UNDER > OVER, FIFO within each. Credit ≥ 0 is UNDER, < 0 is OVER.
//!   A VM that becomes runnable with credit ≥ 0 is BOOSTed until its next charge; a BOOST
//!   dispatch lasts at most one tick (Xen drops BOOST at the first tick that finds the VM
//!   running), and a BOOSTed arrival preempts a running VM that is not BOOSTed (Xen's
//!   wake-up tickle).
//! * **Caps** (`cap_percent`): a capped VM may use `cap% × slice` of the machinery per
//!   accounting period; once it has, it is *parked* (not pickable) until the next period.
//!   Dispatches are cut to the remaining budget rounded up to a whole ms, and the sub-ms
//!   overrun is carried as debt into the next period, so the long-run share never exceeds
//!   the cap. Parking makes the policy non-work-conserving on purpose: `pick` returns `None`
//!   when only parked VMs remain, and `next_wakeup` names the next period boundary. Without
//!   caps it is work-conserving (an OVER VM runs if nothing is UNDER).
//!
//! **Cost.** Credit is handed out lazily: a global accumulator `acc` holds the credit earned
//! so far per unit of weight, so a queued VM's credit is
//! `min(clip, credit + weight × (acc − mark))` and a period boundary is O(1). The events a
//! boundary can cause for a queued VM (OVER turning UNDER, credit reaching the clip) happen
//! when `acc` crosses a threshold fixed when the VM was queued, so they sit in two min-heaps
//! by threshold and are handled as boundaries pass. Parked VMs are rechecked once, at the
//! next boundary. Every operation is O(log n) amortised in the number of VMs.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use serde::{Deserialize, Serialize};

use super::queue::FifoQueue;
use super::wide::{decimal, div, div_euclid, mul};
use super::{Dispatch, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot, TaskInfo};

/// Credit units per ms of machinery time (fixed point: handouts divide finely enough).
const CREDIT_PER_MS: i128 = 1 << 40;

/// Xen's priority classes, highest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CreditPriority {
    Boost,
    Under,
    Over,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Place {
    /// Not runnable (never enqueued, or removed): earns nothing.
    Off,
    Queued(CreditPriority),
    /// Runnable but out of cap budget until the next period.
    Parked,
    /// Dispatched with this priority, not yet charged.
    Running(CreditPriority),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Vm {
    /// Creation order of the occupant: a different `seq` in the same slot is a new VM.
    seq: u64,
    weight: u32,
    cap_percent: u32,
    /// Credit (units of `CREDIT_PER_MS`) as of accumulator value `mark`.
    #[serde(with = "decimal")]
    credit: i128,
    #[serde(with = "decimal")]
    mark: i128,
    place: Place,
    /// Credit reached the clip while queued: not earning, weight not in the active sum.
    saturated: bool,
    /// Bumped on every change of `place`; heap and parked-list entries carry it.
    gen: u32,
    /// Cap accounting: the period `cap_used` belongs to, machinery time used in it
    /// (hundredths of a ms) and the debt carried into it (hundredths, ≤ 0).
    cap_epoch: u64,
    cap_used: u64,
    cap_carry: i64,
}

impl Vm {
    fn active(&self) -> bool {
        self.place != Place::Off && !self.saturated
    }
}

/// A queued VM waiting for the accumulator to reach `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct Threshold {
    #[serde(with = "decimal")]
    at: i128,
    seq: u64,
    slot: Slot,
    gen: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Credit {
    slice_ms: Ms,
    tick_ms: Ms,
    /// Credit handed out so far per unit of weight (units of `CREDIT_PER_MS`).
    #[serde(with = "decimal")]
    acc: i128,
    /// Index of the current accounting period (`now / slice_ms` at the last call).
    epoch: u64,
    /// Sum of the weights of active VMs.
    active_weight: u64,
    vms: Vec<Option<Vm>>,
    boost: FifoQueue,
    under: FifoQueue,
    over: FifoQueue,
    /// OVER VMs by the accumulator value at which their credit turns non-negative.
    promotions: BinaryHeap<Reverse<Threshold>>,
    /// Queued, unsaturated VMs by the accumulator value at which they reach the clip.
    saturations: BinaryHeap<Reverse<Threshold>>,
    /// (slot, gen) of parked VMs, rechecked at the next period boundary.
    parked: Vec<(Slot, u32)>,
    parked_count: usize,
    running: Option<Slot>,
}

fn clamp_weight(w: u32) -> u32 {
    w.clamp(1, 65_535)
}

fn vm_in(vms: &[Option<Vm>], slot: Slot) -> Option<&Vm> {
    vms.get(slot as usize)?.as_ref()
}

fn vm_mut_in(vms: &mut [Option<Vm>], slot: Slot) -> Option<&mut Vm> {
    vms.get_mut(slot as usize)?.as_mut()
}

fn live_promotion(vms: &[Option<Vm>], t: &Threshold) -> bool {
    vm_in(vms, t.slot).is_some_and(|vm| {
        vm.seq == t.seq && vm.gen == t.gen && vm.place == Place::Queued(CreditPriority::Over)
    })
}

fn live_saturation(vms: &[Option<Vm>], t: &Threshold) -> bool {
    vm_in(vms, t.slot).is_some_and(|vm| {
        vm.seq == t.seq
            && vm.gen == t.gen
            && !vm.saturated
            && matches!(vm.place, Place::Queued(_) | Place::Parked)
    })
}

impl Credit {
    pub fn new(params: &SchedulerParams) -> Self {
        let slice_ms = params.quantum_ms.max(1);
        Credit {
            slice_ms,
            tick_ms: (slice_ms / 3).max(1),
            acc: 0,
            epoch: 0,
            active_weight: 0,
            vms: Vec::new(),
            boost: FifoQueue::default(),
            under: FifoQueue::default(),
            over: FifoQueue::default(),
            promotions: BinaryHeap::new(),
            saturations: BinaryHeap::new(),
            parked: Vec::new(),
            parked_count: 0,
            running: None,
        }
    }

    /// A VM's credit in ms as of the last call (`None` if the slot holds no VM).
    pub fn credit_ms(&self, slot: Slot) -> Option<f64> {
        let vm = self.vm(slot)?;
        Some(self.current_credit(vm) as f64 / CREDIT_PER_MS as f64)
    }

    /// The priority a runnable VM is queued or running with (`None` if parked or not
    /// runnable).
    pub fn priority_of(&self, slot: Slot) -> Option<CreditPriority> {
        match self.vm(slot)?.place {
            Place::Queued(p) | Place::Running(p) => Some(p),
            Place::Off | Place::Parked => None,
        }
    }

    /// Whether a runnable VM is parked by its cap.
    pub fn is_parked(&self, slot: Slot) -> bool {
        self.vm(slot).is_some_and(|vm| vm.place == Place::Parked)
    }

    fn clip(&self) -> i128 {
        mul(i128::from(self.slice_ms), CREDIT_PER_MS)
    }

    fn vm(&self, slot: Slot) -> Option<&Vm> {
        vm_in(&self.vms, slot)
    }

    /// Credit as of `acc`. A queued VM's earnings stop at the clip. A running VM's are not
    /// clipped until its charge: it spends while it earns, so clipping before the debit
    /// would drop credit it is entitled to and skew the shares.
    fn current_credit(&self, vm: &Vm) -> i128 {
        if !vm.active() {
            return vm.credit;
        }
        let earned = mul(i128::from(vm.weight), self.acc - vm.mark);
        match vm.place {
            Place::Running(_) => vm.credit + earned,
            _ => (vm.credit + earned).min(self.clip().max(vm.credit)),
        }
    }

    /// Fold earned credit into `credit` and move `mark` to `acc`.
    fn materialise(&mut self, slot: Slot) {
        let acc = self.acc;
        let Some(c) = self.vm(slot).map(|vm| self.current_credit(vm)) else {
            return;
        };
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            vm.credit = c;
            vm.mark = acc;
        }
    }

    fn set_place(&mut self, slot: Slot, place: Place) {
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            vm.place = place;
            vm.gen = vm.gen.wrapping_add(1);
        }
    }

    fn cap_per_period(&self, cap_percent: u32) -> i64 {
        let h = u128::from(cap_percent.min(100)) * u128::from(self.slice_ms);
        i64::try_from(h).unwrap_or(i64::MAX)
    }

    /// Bring a VM's cap accounting forward to period `epoch`: unused budget is dropped, an
    /// overrun is carried as debt and paid off by the periods in between.
    fn roll_cap(&mut self, slot: Slot, epoch: u64) {
        let Some(per) = self.vm(slot).map(|vm| self.cap_per_period(vm.cap_percent)) else {
            return;
        };
        let Some(vm) = vm_mut_in(&mut self.vms, slot) else {
            return;
        };
        if vm.cap_epoch >= epoch {
            return;
        }
        if vm.cap_percent == 0 {
            vm.cap_carry = 0;
        } else {
            let used = i64::try_from(vm.cap_used).unwrap_or(i64::MAX);
            let carry = (per + vm.cap_carry).saturating_sub(used).min(0);
            let between = i64::try_from(epoch - vm.cap_epoch - 1).unwrap_or(i64::MAX);
            vm.cap_carry = carry.saturating_add(per.saturating_mul(between)).min(0);
        }
        vm.cap_epoch = epoch;
        vm.cap_used = 0;
    }

    /// Budget left in the current period, in hundredths of a ms (`None` = uncapped).
    fn cap_left(&self, vm: &Vm) -> Option<i64> {
        (vm.cap_percent > 0).then(|| {
            let used = i64::try_from(vm.cap_used).unwrap_or(i64::MAX);
            (self.cap_per_period(vm.cap_percent) + vm.cap_carry).saturating_sub(used)
        })
    }

    /// Put a runnable VM that is in no queue where its credit and cap say: parked, or the
    /// tail of BOOST (if `wake` and credit ≥ 0), UNDER or OVER.
    fn place(&mut self, slot: Slot, wake: bool) {
        let epoch = self.epoch;
        self.roll_cap(slot, epoch);
        self.materialise(slot);
        let Some(vm) = self.vm(slot) else {
            return;
        };
        let parked = self.cap_left(vm).is_some_and(|left| left <= 0);
        let place = match (parked, vm.credit >= 0, wake) {
            (true, _, _) => Place::Parked,
            (false, true, true) => Place::Queued(CreditPriority::Boost),
            (false, true, false) => Place::Queued(CreditPriority::Under),
            (false, false, _) => Place::Queued(CreditPriority::Over),
        };
        self.set_place(slot, place);
        match place {
            Place::Parked => {
                if let Some(vm) = self.vm(slot) {
                    self.parked.push((slot, vm.gen));
                }
                self.parked_count += 1;
            }
            Place::Queued(CreditPriority::Boost) => self.boost.push_back(slot),
            Place::Queued(CreditPriority::Under) => self.under.push_back(slot),
            Place::Queued(CreditPriority::Over) => {
                self.over.push_back(slot);
                self.push_threshold(slot, true);
            }
            Place::Off | Place::Running(_) => {}
        }
        self.push_threshold(slot, false);
    }

    /// Record when a queued VM turns UNDER (`promotion`) or reaches the clip.
    fn push_threshold(&mut self, slot: Slot, promotion: bool) {
        let clip = self.clip();
        let Some(vm) = self.vm(slot) else {
            return;
        };
        if vm.saturated {
            return;
        }
        let w = i128::from(vm.weight);
        let target = if promotion { 0 } else { clip };
        // Smallest acc with credit + w × (acc − mark) ≥ target.
        let need = (target - vm.credit).max(0);
        let t = Threshold {
            at: vm.mark + div_euclid(need + w - 1, w),
            seq: vm.seq,
            slot,
            gen: vm.gen,
        };
        let live = self.over.len() + self.boost.len() + self.under.len() + self.parked_count;
        let vms = &self.vms;
        if promotion {
            self.promotions.push(Reverse(t));
            if self.promotions.len() > 2 * self.over.len() + 64 {
                self.promotions.retain(|Reverse(t)| live_promotion(vms, t));
            }
        } else {
            self.saturations.push(Reverse(t));
            if self.saturations.len() > 2 * live + 64 {
                self.saturations
                    .retain(|Reverse(t)| live_saturation(vms, t));
            }
        }
    }

    /// Take a queued or parked VM out of its queue (it keeps its place field).
    fn unqueue(&mut self, slot: Slot) {
        match self.vm(slot).map(|vm| vm.place) {
            Some(Place::Queued(CreditPriority::Boost)) => {
                self.boost.remove(slot);
            }
            Some(Place::Queued(CreditPriority::Under)) => {
                self.under.remove(slot);
            }
            Some(Place::Queued(CreditPriority::Over)) => {
                self.over.remove(slot);
            }
            Some(Place::Parked) => self.parked_count = self.parked_count.saturating_sub(1),
            _ => {}
        }
    }

    /// The lowest live saturation threshold.
    fn next_saturation(&mut self) -> Option<i128> {
        while let Some(&Reverse(t)) = self.saturations.peek() {
            if live_saturation(&self.vms, &t) {
                return Some(t.at);
            }
            self.saturations.pop();
        }
        None
    }

    /// Process the period boundaries up to `now`: hand out credit, retire VMs that reached
    /// the clip from the active set, promote OVER VMs whose credit turned non-negative,
    /// recheck parked VMs.
    fn advance(&mut self, now: Ms) {
        let epoch = now / self.slice_ms;
        if epoch <= self.epoch {
            return;
        }
        let mut periods = epoch - self.epoch;
        self.epoch = epoch;
        while periods > 0 && self.active_weight > 0 {
            let per_weight = div(self.clip(), i128::from(self.active_weight)).max(1);
            // Periods until the next VM saturates (the active weight changes then).
            let steps = match self.next_saturation() {
                Some(at) => {
                    let need = div_euclid(at - self.acc + per_weight - 1, per_weight);
                    u64::try_from(need.max(1)).unwrap_or(u64::MAX).min(periods)
                }
                None => periods,
            };
            self.acc += mul(i128::from(steps), per_weight);
            periods -= steps;
            while let Some(at) = self.next_saturation() {
                if at > self.acc {
                    break;
                }
                if let Some(Reverse(t)) = self.saturations.pop() {
                    let clip = self.clip();
                    let acc = self.acc;
                    if let Some(vm) = vm_mut_in(&mut self.vms, t.slot) {
                        vm.saturated = true;
                        vm.credit = clip;
                        vm.mark = acc;
                        let w = u64::from(vm.weight);
                        self.active_weight = self.active_weight.saturating_sub(w);
                    }
                }
            }
        }
        while let Some(&Reverse(t)) = self.promotions.peek() {
            if !live_promotion(&self.vms, &t) {
                self.promotions.pop();
                continue;
            }
            if t.at > self.acc {
                break;
            }
            self.promotions.pop();
            self.over.remove(t.slot);
            // Same saturation threshold: keep the VM's gen for it.
            if let Some(vm) = vm_mut_in(&mut self.vms, t.slot) {
                vm.place = Place::Queued(CreditPriority::Under);
            }
            self.under.push_back(t.slot);
        }
        for (slot, gen) in std::mem::take(&mut self.parked) {
            let parked = self
                .vm(slot)
                .is_some_and(|vm| vm.place == Place::Parked && vm.gen == gen);
            if parked {
                self.parked_count = self.parked_count.saturating_sub(1);
                self.place(slot, false);
            }
        }
    }

    /// Apply a new weight and cap, keeping the active weight in step.
    fn set_inputs(&mut self, slot: Slot, task: &TaskInfo) {
        let Some(vm) = vm_mut_in(&mut self.vms, slot) else {
            return;
        };
        let (old, new) = (vm.weight, clamp_weight(task.weight));
        vm.weight = new;
        vm.cap_percent = task.cap_percent.min(100);
        if vm.active() {
            self.active_weight = self.active_weight.saturating_sub(u64::from(old)) + u64::from(new);
        }
    }
}

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
                cap_epoch: self.epoch,
                cap_used: 0,
                cap_carry: 0,
            });
        }
        let acc = self.acc;
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            vm.mark = acc; // earned nothing while not runnable
            vm.saturated = false;
            vm.weight = clamp_weight(task.weight);
            vm.cap_percent = task.cap_percent.min(100);
            vm.place = Place::Queued(CreditPriority::Under); // active from now on
            self.active_weight += u64::from(vm.weight);
        }
        self.place(slot, true);
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
        let (slot, prio) = if let Some(s) = self.boost.pop_front() {
            (s, CreditPriority::Boost)
        } else if let Some(s) = self.under.pop_front() {
            (s, CreditPriority::Under)
        } else {
            (self.over.pop_front()?, CreditPriority::Over)
        };
        self.materialise(slot);
        let acc = self.acc;
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            if vm.saturated {
                // Running makes it active again (Xen: accounting restarts at its tick).
                vm.saturated = false;
                vm.mark = acc;
                self.active_weight += u64::from(vm.weight);
            }
        }
        self.set_place(slot, Place::Running(prio));
        self.running = Some(slot);
        let mut max_run = match prio {
            CreditPriority::Boost => self.tick_ms,
            _ => self.slice_ms,
        };
        if let Some(left) = self.vm(slot).and_then(|vm| self.cap_left(vm)) {
            // Round up: the sub-ms overrun is carried as debt.
            let left_ms = u64::try_from(div_euclid(i128::from(left) + 99, 100)).unwrap_or(0);
            max_run = max_run.min(left_ms);
        }
        Some(Dispatch {
            slot,
            max_run_ms: max_run.max(1),
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
        self.materialise(slot);
        // Cap accounting: split the run at the last period boundary.
        let boundary = self.epoch.saturating_mul(self.slice_ms);
        let in_this = ran_ms.min(now.saturating_sub(boundary));
        let in_prev = ran_ms - in_this;
        if in_prev > 0 && self.epoch > 0 {
            self.roll_cap(slot, self.epoch - 1);
            if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
                vm.cap_used = vm.cap_used.saturating_add(in_prev.saturating_mul(100));
            }
        }
        let epoch = self.epoch;
        self.roll_cap(slot, epoch);
        let clip = self.clip();
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            vm.credit = (vm.credit - mul(i128::from(ran_ms), CREDIT_PER_MS)).clamp(-clip, clip);
            vm.cap_used = vm.cap_used.saturating_add(in_this.saturating_mul(100));
        }
        self.set_inputs(slot, task);
        // BOOST ends here: back to the tail of UNDER or OVER (or parked).
        self.place(slot, false);
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
                self.set_inputs(slot, task);
                self.place(slot, wake);
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
        let next = (now / self.slice_ms).max(self.epoch).saturating_add(1);
        Some(next.saturating_mul(self.slice_ms))
    }

    fn queued(&self) -> usize {
        self.boost.len() + self.under.len() + self.over.len() + self.parked_count
    }
}

#[cfg(test)]
mod tests {
    use super::super::testkit::{run_jobs_until, Job};
    use super::super::{
        AnyScheduler, Ms, Scheduler, SchedulerKind, SchedulerParams, Slot, TaskInfo,
    };
    use super::{Credit, CreditPriority};

    fn task(weight: u32, cap_percent: u32, seq: u64) -> TaskInfo {
        TaskInfo {
            weight,
            priority: 5,
            cap_percent,
            remaining_ms: u64::MAX,
            seq,
        }
    }

    fn p30() -> SchedulerParams {
        SchedulerParams::with_quantum(30, 0)
    }

    /// Always-runnable VMs (`tasks[slot]`): pick, run the whole dispatch, charge; idle to
    /// `next_wakeup` when nothing is pickable. Returns the (slot, start, end) log.
    fn drive(
        s: &mut impl Scheduler,
        tasks: &[TaskInfo],
        now: &mut Ms,
        until: Ms,
    ) -> Vec<(Slot, Ms, Ms)> {
        let mut log = Vec::new();
        while *now < until {
            match s.pick(*now) {
                Some(d) => {
                    let end = (*now + d.max_run_ms).min(until);
                    log.push((d.slot, *now, end));
                    s.charge(d.slot, end - *now, end, &tasks[d.slot as usize]);
                    *now = end;
                }
                None => match s.next_wakeup(*now) {
                    Some(w) if w > *now => *now = w.min(until),
                    _ => break,
                },
            }
        }
        log
    }

    fn received(log: &[(Slot, Ms, Ms)], n: usize) -> Vec<u64> {
        let mut r = vec![0; n];
        for &(s, a, b) in log {
            r[s as usize] += b - a;
        }
        r
    }

    #[test]
    fn weights_512_256_split_2_to_1() {
        let jobs = [
            Job::new(0, 1 << 40).weight(512),
            Job::new(0, 1 << 40).weight(256),
        ];
        let r = run_jobs_until(SchedulerKind::Credit, &p30(), &jobs, 300_000);
        assert_eq!(r.received.iter().sum::<u64>(), 300_000, "work-conserving");
        let ratio = r.received[0] as f64 / r.received[1] as f64;
        assert!(
            (1.9..=2.1).contains(&ratio),
            "512:256 gave {:?}",
            r.received
        );
    }

    #[test]
    fn cap_25_among_uncapped_vms() {
        let jobs = [
            Job::new(0, 1 << 40).cap(25),
            Job::new(0, 1 << 40),
            Job::new(0, 1 << 40),
        ];
        let r = run_jobs_until(SchedulerKind::Credit, &p30(), &jobs, 300_000);
        assert_eq!(
            r.received.iter().sum::<u64>(),
            300_000,
            "others use the rest"
        );
        let capped = r.received[0] as f64 / 300_000.0;
        assert!((0.245..=0.2505).contains(&capped), "capped share {capped}");
        let (b, c) = (r.received[1] as f64, r.received[2] as f64);
        assert!((b / c - 1.0).abs() < 0.02, "uncapped {b} vs {c}");
    }

    #[test]
    fn lone_capped_vm_gets_its_cap_and_the_machinery_idles() {
        let jobs = [Job::new(0, 1 << 40).cap(50)];
        let r = run_jobs_until(SchedulerKind::Credit, &p30(), &jobs, 30_000);
        assert_eq!(r.received[0], 15_000);
        // Never more than 15 ms in any 30 ms accounting period.
        let mut per_period = vec![0u64; 1_000];
        for &(_, a, b) in &r.gantt {
            for t in a..b {
                per_period[(t / 30) as usize] += 1;
            }
        }
        assert!(
            per_period.iter().all(|&u| u == 15),
            "{:?}",
            &per_period[..8]
        );
        // A cap that is not a whole number of ms per period is met on average.
        let jobs = [Job::new(0, 1 << 40).cap(5)]; // 1.5 ms per 30 ms period
        let r = run_jobs_until(SchedulerKind::Credit, &p30(), &jobs, 30_000);
        assert_eq!(r.received[0], 1_500);
    }

    #[test]
    fn parked_vm_waits_for_the_next_period() {
        let mut s = Credit::new(&p30());
        s.enqueue(0, &task(256, 50, 0), 0);
        let d = s.pick(0).expect("runnable");
        assert_eq!(d.max_run_ms, 10); // BOOST: one tick
        s.charge(0, 10, 10, &task(256, 50, 0));
        let d = s.pick(10).expect("5 ms of budget left");
        assert_eq!(d.max_run_ms, 5);
        s.charge(0, 5, 15, &task(256, 50, 0));
        assert!(s.is_parked(0));
        assert_eq!(s.queued(), 1);
        assert_eq!(s.pick(15), None);
        assert_eq!(s.next_wakeup(15), Some(30));
        assert_eq!(s.pick(29), None);
        assert_eq!(s.pick(30).map(|d| d.slot), Some(0));
    }

    #[test]
    fn waking_vm_gets_boost_ahead_of_queued_under_vm() {
        let mut s = Credit::new(&p30());
        let (a, b, c) = (task(256, 0, 0), task(256, 0, 1), task(256, 0, 2));
        s.enqueue(0, &a, 0);
        s.enqueue(1, &b, 0);
        assert_eq!(s.priority_of(0), Some(CreditPriority::Boost));
        let d = s.pick(0).expect("A");
        assert_eq!((d.slot, d.max_run_ms), (0, 10));
        s.charge(0, 10, 10, &a);
        assert_eq!(s.priority_of(0), Some(CreditPriority::Over)); // −10 ms, BOOST gone
        let d = s.pick(10).expect("B");
        assert_eq!((d.slot, d.max_run_ms), (1, 10));
        s.charge(1, 10, 20, &b);
        let d = s.pick(20).expect("A again (OVER, FIFO)");
        assert_eq!((d.slot, d.max_run_ms), (0, 30));
        s.charge(0, 30, 50, &a);
        // The boundary at 30 gave each 15 ms: A = −10 + 15 − 30, B = −10 + 15.
        assert_eq!(s.credit_ms(0), Some(-25.0));
        assert_eq!(s.credit_ms(1), Some(5.0));
        assert_eq!(s.priority_of(1), Some(CreditPriority::Under));
        // C wakes with credit 0: BOOST, ahead of the queued UNDER VM B.
        s.enqueue(2, &c, 50);
        assert_eq!(s.priority_of(2), Some(CreditPriority::Boost));
        let d = s.pick(50).expect("C");
        assert_eq!((d.slot, d.max_run_ms), (2, 10));
        // A leaves and comes back with negative credit: no BOOST for it.
        s.remove(0, 55);
        s.enqueue(0, &a, 56);
        assert_eq!(s.priority_of(0), Some(CreditPriority::Over));
        s.charge(2, 10, 60, &c);
        // The boundary at 60 gave each of the three 10 ms: A −15, B 15, C 0.
        assert_eq!(s.credit_ms(0), Some(-15.0));
        assert_eq!(s.credit_ms(1), Some(15.0));
        assert_eq!(s.credit_ms(2), Some(0.0));
        assert_eq!(s.pick(60).map(|d| d.slot), Some(1)); // UNDER before OVER
                                                         // A BOOSTed arrival preempts a running UNDER/OVER VM; an OVER one does not.
        s.remove(0, 61);
        s.enqueue(0, &a, 61);
        assert_eq!(s.priority_of(0), Some(CreditPriority::Over));
        assert!(!s.preempts(0, 1, 61));
        s.remove(2, 61);
        s.enqueue(2, &c, 61); // credit 0: BOOST again
        assert_eq!(s.priority_of(2), Some(CreditPriority::Boost));
        assert!(s.preempts(2, 1, 61));
        assert!(!s.preempts(1, 2, 61)); // slot 2 is not the running VM
        assert_eq!(s.queued(), 2);
    }

    #[test]
    fn remove_requeue_and_slot_reuse_are_safe() {
        let mut s = Credit::new(&p30());
        let tasks: Vec<TaskInfo> = (0..4).map(|i| task(256, 0, i)).collect();
        for (i, t) in tasks.iter().enumerate() {
            s.enqueue(i as Slot, t, 0);
        }
        let mut now = 0;
        drive(&mut s, &tasks, &mut now, 3_000);
        assert_eq!(now, 3_000);
        // Four equal VMs earning 7.5 ms per 30 ms period; the credits still sum to zero.
        let credits: Vec<f64> = (0..4).map(|i| s.credit_ms(i).unwrap_or(f64::NAN)).collect();
        assert_eq!(credits, [-10.0, -10.0, 0.0, 20.0]);
        assert_eq!(s.priority_of(1), Some(CreditPriority::Over));
        assert_eq!(s.priority_of(2), Some(CreditPriority::Under));
        // Remove an OVER and an UNDER VM; the promotion heap must not resurrect them.
        s.remove(1, now);
        s.remove(2, now);
        s.remove(2, now); // idempotent
        assert_eq!(s.queued(), 2);
        assert_eq!(s.active_weight, 512);
        let log = drive(&mut s, &tasks, &mut now, 6_000);
        assert!(log.iter().all(|&(slot, _, _)| slot == 0 || slot == 3));
        // The same VM coming back keeps its debt (no BOOST, no credit earned while away)...
        s.enqueue(1, &tasks[1], now);
        assert_eq!(s.credit_ms(1), Some(-10.0));
        assert_eq!(s.priority_of(1), Some(CreditPriority::Over));
        // ...while a new VM in slot 2 starts at credit 0 with BOOST.
        let fresh = task(512, 0, 10);
        s.enqueue(2, &fresh, now);
        assert_eq!(s.credit_ms(2), Some(0.0));
        assert_eq!(s.priority_of(2), Some(CreditPriority::Boost));
        assert_eq!(s.pick(now).map(|d| d.slot), Some(2));
        assert_eq!(s.active_weight, 256 + 256 + 256 + 512);
        // A paused and resumed capped VM keeps its used budget (no reset by pausing).
        let mut s = Credit::new(&p30());
        s.enqueue(0, &task(256, 50, 0), 0);
        let mut now = 0;
        drive(&mut s, &[task(256, 50, 0)], &mut now, 29);
        assert!(s.is_parked(0));
        s.remove(0, 29);
        assert_eq!(s.queued(), 0);
        s.enqueue(0, &task(256, 50, 0), 29);
        assert!(s.is_parked(0));
        assert_eq!(s.pick(29), None);
    }

    #[test]
    fn weight_update_changes_the_split() {
        let mut s = Credit::new(&p30());
        let mut tasks = vec![task(256, 0, 0), task(256, 0, 1)];
        s.enqueue(0, &tasks[0], 0);
        s.enqueue(1, &tasks[1], 0);
        let mut now = 0;
        let r = received(&drive(&mut s, &tasks, &mut now, 60_000), 2);
        assert!((r[0] as f64 / r[1] as f64 - 1.0).abs() < 0.02, "{r:?}");
        tasks[1].weight = 768;
        s.update(1, &tasks[1], now);
        let r = received(&drive(&mut s, &tasks, &mut now, 180_000), 2);
        let ratio = r[1] as f64 / r[0] as f64;
        assert!((2.85..=3.15).contains(&ratio), "{r:?}");
    }

    #[test]
    fn serde_round_trip_mid_run_gives_identical_picks() {
        let tasks: Vec<TaskInfo> = (0..12)
            .map(|i| task(64 * (i as u32 + 1), if i % 4 == 0 { 20 } else { 0 }, i))
            .collect();
        let mut s = AnyScheduler::new(SchedulerKind::Credit, &p30());
        for (i, t) in tasks.iter().enumerate() {
            s.enqueue(i as Slot, t, 7 * i as Ms);
        }
        let mut now = 100;
        drive(&mut s, &tasks, &mut now, 10_007);
        let json = serde_json::to_string(&s).expect("serialise");
        let mut restored: AnyScheduler = serde_json::from_str(&json).expect("deserialise");
        let mut now2 = now;
        let a = drive(&mut s, &tasks, &mut now, 40_000);
        let b = drive(&mut restored, &tasks, &mut now2, 40_000);
        assert_eq!(a, b);
        assert!(a.len() > 1_000);
        assert_eq!(
            serde_json::to_string(&s).ok(),
            serde_json::to_string(&restored).ok()
        );
    }
}
