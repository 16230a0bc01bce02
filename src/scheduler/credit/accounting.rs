//! Credit accounting: lazy credit (the accumulator and each VM's mark), handing out the
//! machinery time used, the clip, caps and their budget (a token bucket that covers whole dispatches), placing
//! VMs in the BOOST/UNDER/OVER queues or parking them, and the thresholds at which queued VMs
//! are promoted, saturated and unparked.

use std::cmp::Reverse;

use super::state::{
    clamp_weight, live_promotion, live_saturation, live_unpark, vm_mut_in, Credit, CreditPriority,
    Place, Threshold, Vm, CREDIT_PER_MS,
};
use crate::scheduler::wide::{div, div_euclid, mul};
use crate::scheduler::{Ms, Slot, TaskInfo};

impl Credit {
    /// Credit as of `acc`. A parked VM's earnings stop at the clip (it cannot spend them).
    /// A queued or running VM's are not clipped: it will spend them, and what it holds is
    /// what the others owe it (credit is conserved, and none goes below −one slice), at most
    /// (n − 1) slices among n VMs. Clipping it at one slice handed its share to the others:
    /// random weights among 2–8 VMs ended up to 20 points of share off their weights.
    pub(super) fn current_credit(&self, vm: &Vm) -> i128 {
        if !vm.active() {
            return vm.credit;
        }
        let earned = mul(i128::from(vm.weight), self.acc - vm.mark);
        match vm.place {
            Place::Parked => (vm.credit + earned).min(self.clip().max(vm.credit)),
            _ => vm.credit + earned,
        }
    }

    /// Fold earned credit into `credit` and move `mark` to `acc`.
    pub(super) fn materialise(&mut self, slot: Slot) {
        let acc = self.acc;
        let Some(c) = self.vm(slot).map(|vm| self.current_credit(vm)) else {
            return;
        };
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            vm.credit = c;
            vm.mark = acc;
        }
    }

    pub(super) fn set_place(&mut self, slot: Slot, place: Place) {
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            vm.place = place;
            vm.gen = vm.gen.wrapping_add(1);
        }
    }

    /// One whole dispatch in ms: a slice and the switch into it.
    fn dispatch_ms(&self) -> i64 {
        i64::try_from(self.slice_ms.saturating_add(self.switch_ms)).unwrap_or(i64::MAX)
    }

    /// A full cap budget: one whole dispatch (slice + switch), in hundredths of a ms.
    pub(super) fn bucket_max(&self, cap_percent: u32) -> i64 {
        if cap_percent == 0 {
            return 0;
        }
        self.dispatch_ms().saturating_mul(100)
    }

    /// The budget a capped VM needs to be pickable: what a whole dispatch costs it net of
    /// the filling meanwhile, `(100 − cap) × (slice + switch)` hundredths of a ms. A VM that
    /// starts with this much ends its dispatch with a budget ≥ 0.
    pub(super) fn budget_needed(&self, cap_percent: u32) -> i64 {
        self.dispatch_ms()
            .saturating_mul(100 - i64::from(cap_percent.min(100)))
    }

    /// A capped VM's budget at `now` while it does not hold the machinery (`None` =
    /// uncapped): it has filled at `cap_percent` hundredths of a ms per ms since `budget_at`,
    /// up to a full bucket.
    pub(super) fn budget_now(&self, vm: &Vm, now: Ms) -> Option<i64> {
        (vm.cap_percent > 0).then(|| {
            let filled = i64::try_from(now.saturating_sub(vm.budget_at))
                .unwrap_or(i64::MAX)
                .saturating_mul(i64::from(vm.cap_percent));
            vm.budget
                .saturating_add(filled)
                .min(self.bucket_max(vm.cap_percent).max(vm.budget))
        })
    }

    /// Fold a VM's budget forward to `now`.
    pub(super) fn settle_budget(&mut self, slot: Slot, now: Ms) {
        let Some(b) = self.vm(slot).and_then(|vm| self.budget_now(vm, now)) else {
            return;
        };
        let max = self
            .vm(slot)
            .map_or(0, |vm| self.bucket_max(vm.cap_percent));
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            vm.budget = b.min(max);
            vm.budget_at = now;
        }
    }

    /// Put a runnable VM that is in no queue where its credit and cap say: parked (until its
    /// budget covers a whole dispatch), or the tail of BOOST (if `wake` and credit ≥ 0), UNDER or OVER.
    pub(super) fn place(&mut self, slot: Slot, wake: bool, now: Ms) {
        self.settle_budget(slot, now);
        self.materialise(slot);
        let Some(vm) = self.vm(slot) else {
            return;
        };
        let budget = self.budget_now(vm, now);
        let place = match (self.short_of_budget(vm, now), vm.credit >= 0, wake) {
            (true, _, _) => Place::Parked,
            (false, true, true) => Place::Queued(CreditPriority::Boost),
            (false, true, false) => Place::Queued(CreditPriority::Under),
            (false, false, _) => Place::Queued(CreditPriority::Over),
        };
        self.set_place(slot, place);
        if place != Place::Parked {
            // Out of the park it can spend again, so it earns again.
            self.reactivate(slot);
        }
        match place {
            Place::Parked => {
                self.parked_count += 1;
                self.push_unpark(slot, budget.unwrap_or(0), now);
            }
            Place::Queued(CreditPriority::Boost) => self.boost.push_back(slot),
            Place::Queued(CreditPriority::Under) => self.under.push_back(slot),
            Place::Queued(CreditPriority::Over) => {
                self.over.push_back(slot);
                self.push_threshold(slot, true);
            }
            Place::Off | Place::Running(_) => {}
        }
        if place == Place::Parked {
            self.push_threshold(slot, false);
        }
    }

    /// Whether a capped VM's budget at `now` does not cover a whole dispatch (uncapped: never).
    pub(super) fn short_of_budget(&self, vm: &Vm, now: Ms) -> bool {
        self.budget_now(vm, now)
            .is_some_and(|b| b < self.budget_needed(vm.cap_percent))
    }

    /// A saturated VM that may spend again earns again from the present accounting mark.
    pub(super) fn reactivate(&mut self, slot: Slot) {
        let acc = self.acc;
        if let Some(vm) = vm_mut_in(&mut self.vms, slot) {
            if vm.saturated {
                vm.saturated = false;
                vm.mark = acc;
                self.active_weight += u64::from(vm.weight);
            }
        }
    }

    /// Record when a parked VM's budget (`budget` < the need at `now`) covers a whole
    /// dispatch.
    fn push_unpark(&mut self, slot: Slot, budget: i64, now: Ms) {
        let Some(vm) = self.vm(slot) else {
            return;
        };
        let rate = i64::from(vm.cap_percent.max(1));
        let short = self
            .budget_needed(vm.cap_percent)
            .saturating_sub(budget)
            .max(1);
        let wait = u64::try_from(short.saturating_add(rate - 1) / rate).unwrap_or(u64::MAX);
        let t = Threshold {
            at: i128::from(now.saturating_add(wait)),
            seq: vm.seq,
            slot,
            gen: vm.gen,
        };
        self.unparks.push(Reverse(t));
        if self.unparks.len() > 2 * self.parked_count + 64 {
            let vms = &self.vms;
            self.unparks.retain(|Reverse(t)| live_unpark(vms, t));
        }
    }

    /// Record when a queued VM turns UNDER (`promotion`) or a parked one reaches the clip.
    pub(super) fn push_threshold(&mut self, slot: Slot, promotion: bool) {
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
    pub(super) fn unqueue(&mut self, slot: Slot) {
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
    pub(super) fn next_saturation(&mut self) -> Option<i128> {
        while let Some(&Reverse(t)) = self.saturations.peek() {
            if live_saturation(&self.vms, &t) {
                return Some(t.at);
            }
            self.saturations.pop();
        }
        None
    }

    /// Hand out `ran_ms` of credit (the machinery time just used) to the active VMs in
    /// proportion to weight. A parked VM that reaches the clip on the way stops earning and
    /// leaves the active set, and the rest of the handout goes to the others, so every ms run
    /// is earned by someone (the indivisible remainder waits in `spare`). Then promote the OVER
    /// VMs whose credit turned non-negative.
    pub(super) fn hand_out(&mut self, ran_ms: Ms) {
        let mut amount = mul(i128::from(ran_ms), CREDIT_PER_MS) + self.spare;
        self.spare = 0;
        while amount > 0 && self.active_weight > 0 {
            let w = i128::from(self.active_weight);
            let per_weight = div(amount, w);
            match self.next_saturation() {
                Some(at) if at <= self.acc + per_weight => {
                    // Up to the first saturation, then share the rest anew.
                    let step = (at - self.acc).max(0);
                    self.acc += step;
                    amount -= mul(step, w);
                    self.saturate_due();
                }
                _ => {
                    self.acc += per_weight;
                    self.spare = amount - mul(per_weight, w);
                    amount = 0;
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
    }

    /// Retire every parked VM whose credit has reached the clip from the active set.
    fn saturate_due(&mut self) {
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

    /// Unpark the VMs whose cap budget covers a whole dispatch by `now`.
    pub(super) fn advance(&mut self, now: Ms) {
        while let Some(&Reverse(t)) = self.unparks.peek() {
            if t.at > i128::from(now) {
                break;
            }
            self.unparks.pop();
            if live_unpark(&self.vms, &t) {
                self.parked_count = self.parked_count.saturating_sub(1);
                self.place(t.slot, false, now);
            }
        }
    }

    /// The earliest time a parked VM's budget covers a whole dispatch.
    pub(super) fn next_unpark(&self) -> Option<Ms> {
        self.unparks
            .iter()
            .filter(|Reverse(t)| live_unpark(&self.vms, t))
            .map(|Reverse(t)| u64::try_from(t.at).unwrap_or(u64::MAX))
            .min()
    }

    /// Apply a new weight and cap, keeping the active weight in step.
    pub(super) fn set_inputs(&mut self, slot: Slot, task: &TaskInfo) {
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
