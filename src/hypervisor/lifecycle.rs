//! Lifecycle transitions: creating a VM, start, pause, resume, stop, restart, destroy, and
//! faulting a VM whose demand can no longer be met.

use crate::chassis::ChassisKind;
use crate::config::VmConfig;
use crate::error::{BioxenError, Result};
use crate::scheduler::Slot;
use crate::trace::EventKind;
use crate::vm::{Action, BiologicalType, VmId, VmState, VmType};

use super::state::{Hypervisor, VmRecord};

impl Hypervisor {
    /// Create a VM. Checks, in order: id, config, duplicate, VM limit, resources.
    pub fn create_vm(
        &mut self,
        id: &str,
        bio: BiologicalType,
        vm_type: VmType,
        config: &VmConfig,
    ) -> Result<()> {
        let vm_id = VmId::new(id)?;
        let mut resolved = config.resolve(bio, vm_type)?;
        #[cfg(feature = "kinetics")]
        if let Some(c) = &config.circuit {
            self.check_circuit(c, config)?;
            if config.rna_polymerase.is_none() {
                let r = &mut resolved.reservation;
                r.rna_polymerase = r.rna_polymerase.max(self.circuit_rna_polymerase(c));
            }
        }
        if self.chassis.kind == ChassisKind::Textbook {
            // A process-table job holds nothing of its own unless its config says so.
            let r = &mut resolved.reservation;
            r.ribosomes = config.ribosomes.unwrap_or(0);
            r.rna_polymerase = config.rna_polymerase.unwrap_or(0);
            if config.atp_percent.is_none() {
                r.atp_centi = 0;
            }
            r.memory_kb = config.memory_kb.unwrap_or(0);
        }
        if self.index.contains_key(&vm_id) {
            return Err(BioxenError::DuplicateVm(id.to_string()));
        }
        if self.index.len() as u32 >= self.max_vms {
            return Err(BioxenError::CapacityReached {
                id: id.to_string(),
                limit: self.max_vms,
            });
        }
        self.ledger.set(id, resolved.reservation)?;
        let seq = self.next_seq;
        self.next_seq += 1;
        let rec = VmRecord {
            id: vm_id.clone(),
            seq,
            bio,
            vm_type,
            state: VmState::Created,
            reservation: resolved.reservation,
            held: true,
            priority: resolved.priority,
            weight: resolved.weight,
            cap: resolved.cap,
            workload_aa: resolved.workload_aa,
            cycles: resolved.cycles,
            xcpng: config.xcpng.clone(),
            done_aa: 0.0,
            produced_aa: 0.0,
            mark: self.now,
            rate: 0.0,
            epoch: 0,
            cycles_completed: 0,
            run_cycles: 0,
            created_at: self.now,
            first_start: None,
            first_run: None,
            first_completion: None,
            machinery_ms: 0,
            switches_in: 0,
            runnable_since: None,
            runnable_ms: 0,
            fair_base: 0.0,
            fair_mark: 0.0,
            genome: config.genome.as_ref().map(|g| g.workload.clone()),
            gene_groups: config
                .genome
                .as_ref()
                .map(|g| {
                    g.groups
                        .iter()
                        .filter(|x| x.genes > 0 && x.aa > 0)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default(),
        };
        #[cfg(feature = "kinetics")]
        if let Some(c) = &config.circuit {
            self.machinery.set_circuit(seq, c.clone());
        }
        let slot = match self.free_slots.pop() {
            Some(s) => {
                self.slots[s as usize] = Some(rec);
                s
            }
            None => {
                self.slots.push(Some(rec));
                (self.slots.len() - 1) as Slot
            }
        };
        self.index.insert(vm_id.clone(), slot);
        self.events
            .push(self.now, Some(vm_id.shared()), EventKind::Created);
        self.after_ledger_change();
        self.sync_machinery();
        Ok(())
    }

    pub(super) fn check_action(
        &self,
        id: &str,
        action: Action,
    ) -> Result<(Slot, VmState, VmState)> {
        let slot = self.slot_of(id)?;
        let r = self
            .rec(slot)
            .ok_or_else(|| BioxenError::NotFound(id.to_string()))?;
        let to = action.apply(&r.id, r.state)?;
        if matches!(action, Action::Start | Action::Restart | Action::Resume)
            && r.vm_type == VmType::Xcpng
        {
            return Err(BioxenError::BackendUnavailable(id.to_string()));
        }
        Ok((slot, r.state, to))
    }

    pub(super) fn log(&mut self, slot: Slot, kind: EventKind) {
        let vm = self.rec(slot).map(|r| r.id.shared());
        self.events.push(self.now, vm, kind);
    }

    /// created | stopped → running.
    pub fn start_vm(&mut self, id: &str) -> Result<()> {
        let (slot, _, _) = self.check_action(id, Action::Start)?;
        self.begin_new_run(slot);
        self.log(slot, EventKind::Started);
        Ok(())
    }

    pub(super) fn begin_new_run(&mut self, slot: Slot) {
        let now = self.now;
        if let Some(r) = self.rec_mut(slot) {
            r.state = VmState::Running;
            r.first_start.get_or_insert(now);
            r.done_aa = 0.0;
            r.mark = now;
            r.run_cycles = 0;
        }
        self.enter_runnable(slot);
    }

    /// running → paused.
    pub fn pause_vm(&mut self, id: &str) -> Result<()> {
        let (slot, _, _) = self.check_action(id, Action::Pause)?;
        self.leave_runnable(slot);
        if let Some(r) = self.rec_mut(slot) {
            r.state = VmState::Paused;
        }
        self.log(slot, EventKind::Paused);
        Ok(())
    }

    /// paused → running (its work cycle continues where it stopped).
    pub fn resume_vm(&mut self, id: &str) -> Result<()> {
        let (slot, _, _) = self.check_action(id, Action::Resume)?;
        if let Some(r) = self.rec_mut(slot) {
            r.state = VmState::Running;
        }
        self.enter_runnable(slot);
        self.log(slot, EventKind::Resumed);
        Ok(())
    }

    /// running | paused → stopped (the current work cycle is abandoned).
    pub fn stop_vm(&mut self, id: &str) -> Result<()> {
        let (slot, from, _) = self.check_action(id, Action::Stop)?;
        if from == VmState::Running {
            self.leave_runnable(slot);
        }
        if let Some(r) = self.rec_mut(slot) {
            r.state = VmState::Stopped;
            r.done_aa = 0.0;
        }
        self.log(slot, EventKind::Stopped);
        Ok(())
    }

    /// running | paused | stopped | error → running, from the start of a new run. From
    /// `error` the VM's reservation must fit again (all or nothing).
    pub fn restart_vm(&mut self, id: &str) -> Result<()> {
        let (slot, from, _) = self.check_action(id, Action::Restart)?;
        if from == VmState::Error {
            let want = self.rec(slot).map(|r| r.reservation).unwrap_or_default();
            self.ledger.set(id, want)?;
            if let Some(r) = self.rec_mut(slot) {
                r.held = true;
            }
            self.after_ledger_change();
        }
        if from == VmState::Running {
            self.leave_runnable(slot);
        }
        self.begin_new_run(slot);
        self.log(slot, EventKind::Restarted);
        Ok(())
    }

    /// Any state → removed; everything it held is returned.
    pub fn destroy_vm(&mut self, id: &str) -> Result<()> {
        let (slot, from, _) = self.check_action(id, Action::Destroy)?;
        if from == VmState::Running {
            self.leave_runnable(slot);
        }
        self.log(slot, EventKind::Destroyed);
        self.ledger.release(id);
        if let Some(rec) = self.slots.get_mut(slot as usize).and_then(Option::take) {
            self.index.remove(&rec.id);
            if self.last_holder == Some(rec.seq) {
                // Its ribosomes still run off; the next holder pays the switch either way.
                self.last_holder = Some(u64::MAX);
                self.last_holder_slot = None;
            }
        }
        self.free_slots.push(slot);
        self.after_ledger_change();
        self.sync_machinery();
        Ok(())
    }

    /// Apply a lifecycle action by value.
    pub fn apply(&mut self, id: &str, action: Action) -> Result<()> {
        match action {
            Action::Start => self.start_vm(id),
            Action::Pause => self.pause_vm(id),
            Action::Resume => self.resume_vm(id),
            Action::Stop => self.stop_vm(id),
            Action::Restart => self.restart_vm(id),
            Action::Destroy => self.destroy_vm(id),
        }
    }

    /// Move a VM to `error` (its demand can no longer be met): it leaves the schedule and
    /// returns its reservation. Only `restart` or `destroy` are accepted afterwards.
    pub(super) fn fault(&mut self, slot: Slot, reason: String) {
        let Some(r) = self.rec(slot) else { return };
        if r.state == VmState::Error {
            return;
        }
        let (from, id) = (r.state, r.id.clone());
        if from == VmState::Running {
            self.leave_runnable(slot);
        }
        self.ledger.release(id.as_str());
        if let Some(r) = self.rec_mut(slot) {
            r.state = VmState::Error;
            r.held = false;
        }
        self.events
            .push(self.now, Some(id.shared()), EventKind::Faulted { reason });
    }
}
