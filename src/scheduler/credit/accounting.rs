//! Credit accounting: lazy credit (the accumulator and each VM's mark), the clip, caps and
//! their per-period budget and debt, placing VMs in the BOOST/UNDER/OVER queues or parking
//! them, and the period boundaries that promote, saturate and unpark queued VMs.

use std::cmp::Reverse;

use super::state::{
    clamp_weight, live_promotion, live_saturation, vm_mut_in, Credit, CreditPriority, Place,
    Threshold, Vm,
};
use crate::scheduler::wide::{div, div_euclid, mul};
use crate::scheduler::{Ms, Slot, TaskInfo};

impl Credit {
    /// Credit as of `acc`. A queued VM's earnings stop at the clip. A running VM's are not
    /// clipped until its charge: it spends while it earns, so clipping before the debit
    /// would drop credit it is entitled to and skew the shares.
    pub(super) fn current_credit(&self, vm: &Vm) -> i128 {
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

    pub(super) fn cap_per_period(&self, cap_percent: u32) -> i64 {
        let h = u128::from(cap_percent.min(100)) * u128::from(self.slice_ms);
        i64::try_from(h).unwrap_or(i64::MAX)
    }

    /// Bring a VM's cap accounting forward to period `epoch`: unused budget is dropped, an
    /// overrun is carried as debt and paid off by the periods in between.
    pub(super) fn roll_cap(&mut self, slot: Slot, epoch: u64) {
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
    pub(super) fn cap_left(&self, vm: &Vm) -> Option<i64> {
        (vm.cap_percent > 0).then(|| {
            let used = i64::try_from(vm.cap_used).unwrap_or(i64::MAX);
            (self.cap_per_period(vm.cap_percent) + vm.cap_carry).saturating_sub(used)
        })
    }

    /// Put a runnable VM that is in no queue where its credit and cap say: parked, or the
    /// tail of BOOST (if `wake` and credit ≥ 0), UNDER or OVER.
    pub(super) fn place(&mut self, slot: Slot, wake: bool) {
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

    /// Process the period boundaries up to `now`: hand out credit, retire VMs that reached
    /// the clip from the active set, promote OVER VMs whose credit turned non-negative,
    /// recheck parked VMs.
    pub(super) fn advance(&mut self, now: Ms) {
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
