//! Reservations and the resource ledger: a VM's reservation, the ATP supply (nutrient
//! shifts that fault VMs), and what a change of the shared pool does to the rates.

use std::cmp::Reverse;

use crate::error::{BioxenError, Result};
use crate::resources::atp_percent_to_centi;
use crate::scheduler::{Scheduler, Slot};
use crate::trace::EventKind;
use crate::vm::VmState;

use super::options::ResourceRequest;
use super::state::Hypervisor;

impl Hypervisor {
    /// A nutrient shift: the chassis's ATP supply becomes `percent` % of normal. The host
    /// keeps its own ATP need; if guests' ATP reservations no longer fit, VMs fault (lowest
    /// priority first, newest first among equals) until the rest fit. Returns the ids of
    /// the VMs that faulted.
    pub fn set_atp_supply(&mut self, percent: f64) -> Result<Vec<String>> {
        // Capacity in hundredths of a percent of the normal supply.
        let capacity = atp_percent_to_centi(percent)?;
        // Host reserve is absolute: it is what the host needs, whatever the supply.
        let reserve = self.host_atp_reserve.min(capacity);
        self.ledger.set_atp(capacity, reserve);
        self.atp_supply_percent = percent;
        self.events
            .push(self.now, None, EventKind::AtpSupplyChanged { percent });
        let mut faulted = Vec::new();
        loop {
            let allocated = self.ledger.allocated().atp_centi;
            if allocated + reserve <= capacity {
                break;
            }
            let victim = self
                .slots
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.as_ref().map(|r| (i as Slot, r)))
                .filter(|(_, r)| r.held && r.reservation.atp_centi > 0)
                .min_by_key(|(_, r)| (r.priority, Reverse(r.seq)))
                .map(|(i, r)| (i, r.id.to_string()));
            let Some((slot, id)) = victim else { break };
            self.fault(
                slot,
                format!(
                    "ATP supply fell to {percent}% of normal; its {}% ATP reservation can no longer be met",
                    self.rec(slot).map_or(0.0, |r| r.reservation.atp_percent())
                ),
            );
            faulted.push(id);
        }
        self.after_ledger_change();
        Ok(faulted)
    }

    pub fn atp_supply_percent(&self) -> f64 {
        self.atp_supply_percent
    }

    /// Change a VM's reservation (partial), all or nothing; allowed in every state but
    /// `error` (restart first).
    pub fn set_reservation(&mut self, id: &str, req: &ResourceRequest) -> Result<()> {
        let slot = self.slot_of(id)?;
        let r = self
            .rec(slot)
            .ok_or_else(|| BioxenError::NotFound(id.to_string()))?;
        if r.state == VmState::Error {
            return Err(BioxenError::InvalidTransition {
                vm: id.to_string(),
                state: VmState::Error.as_str(),
                action: "allocate resources to",
                allowed: "any state but error (restart or destroy it first)",
            });
        }
        let mut want = r.reservation;
        if let Some(v) = req.ribosomes {
            want.ribosomes = v;
        }
        if let Some(v) = req.rna_polymerase {
            want.rna_polymerase = v;
        }
        if let Some(v) = req.atp_percent {
            want.atp_centi = atp_percent_to_centi(v)?;
        }
        if let Some(v) = req.memory_kb {
            want.memory_kb = v;
        }
        self.ledger.set(id, want)?;
        if let Some(r) = self.rec_mut(slot) {
            r.reservation = want;
        }
        self.log(slot, EventKind::ReservationChanged);
        self.after_ledger_change();
        Ok(())
    }

    /// Return everything a VM holds (its reservation becomes zero; it keeps running on the
    /// shared machinery only).
    pub fn release_resources(&mut self, id: &str) -> Result<()> {
        self.set_reservation(
            id,
            &ResourceRequest {
                ribosomes: Some(0),
                rna_polymerase: Some(0),
                atp_percent: Some(0.0),
                memory_kb: Some(0),
            },
        )
    }

    /// The shared pool changed: the holder's rate and every runnable VM's own rate may too.
    pub(super) fn after_ledger_change(&mut self) {
        let slots: Vec<Slot> = self
            .slots
            .iter()
            .enumerate()
            .filter(|(_, r)| r.as_ref().is_some_and(|r| r.state == VmState::Running))
            .map(|(i, _)| i as Slot)
            .collect();
        for s in slots {
            if (self.target_rate(s) - self.rec(s).map_or(0.0, |r| r.rate)).abs() > 0.0 {
                self.refresh_rate(s);
                let info = self.task_info(s);
                if self.current.is_none_or(|c| c.slot != s) {
                    self.scheduler.update(s, &info, self.now);
                }
            }
        }
        self.sync_machinery();
    }
}
