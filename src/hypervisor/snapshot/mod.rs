//! Snapshot and restore: the whole hypervisor as JSON (through the small codec in [`json`]),
//! the format version, and the invariants a restored hypervisor must satisfy.

mod json;

use crate::chassis::MAX_VMS_LIMIT;
use crate::error::{BioxenError, Result};
use crate::machinery::Machinery;
use crate::resources::Amounts;
use crate::scheduler::Scheduler;
use crate::vm::VmState;

use super::options::MAX_TIME_MS;
use super::state::{Hypervisor, SNAPSHOT_VERSION};

impl Hypervisor {
    /// The whole hypervisor as JSON. Secrets (xcpng passwords) are not included.
    pub fn snapshot(&self) -> String {
        json::to_string(self).unwrap_or_default()
    }

    /// Rebuild a hypervisor from [`snapshot`](Self::snapshot) output; the result continues
    /// exactly as the original would. Inconsistent snapshots are refused.
    pub fn restore(json: &str) -> Result<Self> {
        if json.len() > 256 * 1024 * 1024 {
            return Err(BioxenError::InvalidSnapshot("larger than 256 MiB".into()));
        }
        // `json` rather than serde_json directly: far less wasm (see there).
        let v = json::parse(json).map_err(|e| BioxenError::InvalidSnapshot(e.to_string()))?;
        // The version first: a snapshot from another format version would otherwise fail on
        // whichever field changed, with a message that does not say why.
        let version = match v.get("snapshot_version").map(|x| x.as_u64()) {
            None => 1,
            Some(Some(n)) if n == u64::from(SNAPSHOT_VERSION) || n == 1 || n == 2 => n,
            Some(n) => {
                return Err(BioxenError::InvalidSnapshot(format!(
                    "snapshot format version {}: this bioxen ({}) reads version {SNAPSHOT_VERSION}",
                    n.map_or_else(|| v["snapshot_version"].to_string(), |n| n.to_string()),
                    env!("CARGO_PKG_VERSION")
                )))
            }
        };
        // Version 1 differs only in the state of the policies that now break ties by arrival
        // (it lacks the arrivals), and versions 1 and 2 in MLFQ's state (before it followed
        // mlfq.py); the others read exactly.
        let changed: &[&str] = if version == 1 {
            &["sjf", "srtf", "priority", "mlfq"]
        } else if version == 2 {
            &["mlfq"]
        } else {
            &[]
        };
        let sched = v.get("scheduler");
        if let Some(kind) = changed
            .iter()
            .find(|k| sched.and_then(|s| s.get(k)).is_some())
        {
            let why = if *kind == "mlfq" {
                "whose state changed when MLFQ came to follow OSTEP's mlfq.py"
            } else {
                "whose state lacks the arrivals its ties are now broken by"
            };
            return Err(BioxenError::InvalidSnapshot(format!(
                "snapshot format version {version} with the {kind} policy, {why}: this bioxen \
                 ({}) reads version {SNAPSHOT_VERSION}, and older versions only for the other \
                 policies",
                env!("CARGO_PKG_VERSION")
            )));
        }
        // A build without the kinetic model cannot continue a kinetic run: say so, not that
        // the snapshot is invalid.
        #[cfg(not(feature = "kinetics"))]
        if v.get("machinery").and_then(|m| m.get("kinetic")).is_some() {
            return Err(BioxenError::feature_unavailable(
                "kinetics",
                "restore of a snapshot with machinery \"kinetic\"",
            ));
        }
        let mut h: Hypervisor =
            json::from_value(&v).map_err(|e| BioxenError::InvalidSnapshot(e.to_string()))?;
        h.snapshot_version = SNAPSHOT_VERSION;
        h.check_consistency()
            .map_err(BioxenError::InvalidSnapshot)?;
        h.tell_switch_cost();
        Ok(h)
    }

    /// Internal invariants; `Err` names the first one broken. Used by `restore` and tests.
    pub fn check_consistency(&self) -> std::result::Result<(), String> {
        if !self.chassis.validate().is_empty() {
            return Err("chassis is invalid".into());
        }
        if !self.ledger.invariant_holds() {
            return Err("resource ledger over-commits or does not add up".into());
        }
        if self.now > MAX_TIME_MS {
            return Err("clock out of range".into());
        }
        let live = self.slots.iter().flatten().count();
        if self.max_vms == 0 || self.max_vms > MAX_VMS_LIMIT {
            return Err("VM limit out of range".into());
        }
        if live != self.index.len() || live > self.max_vms as usize {
            return Err("VM index does not match VM records".into());
        }
        let mut runnable = 0u32;
        let mut weight = 0u64;
        for (id, &slot) in &self.index {
            let r = self.rec(slot).ok_or("index points at an empty slot")?;
            if &r.id != id {
                return Err(format!("index entry {id} points at VM {}", r.id));
            }
            let held = self.ledger.held_by(id.as_str());
            if r.held && held != r.reservation {
                return Err(format!("ledger and VM {id} disagree about its reservation"));
            }
            if !r.held && held != Amounts::default() {
                return Err(format!("VM {id} is in error but holds resources"));
            }
            if (r.state == VmState::Running) != r.runnable_since.is_some() {
                return Err(format!("VM {id}: running state and runnable set disagree"));
            }
            if r.state == VmState::Running {
                runnable += 1;
                weight += self.weight_eff(r);
            }
            if !(r.done_aa.is_finite() && r.produced_aa.is_finite() && r.rate.is_finite())
                || r.mark > self.now
                || !(1..=10).contains(&r.priority)
                || r.weight == 0
                || r.cap > 100
                || r.workload_aa == 0
            {
                return Err(format!("VM {id} has out-of-range fields"));
            }
        }
        if self.ledger.per_vm().keys().any(|k| !self.contains(k)) {
            return Err("ledger holds resources for a VM that does not exist".into());
        }
        if runnable != self.runnable || weight != self.total_weight {
            return Err("runnable count or total weight does not match the VMs".into());
        }
        if self.scheduler.kind().as_str().is_empty() || self.params.validate().is_err() {
            return Err("scheduler parameters out of range".into());
        }
        if let Some(c) = self.current {
            match self.rec(c.slot) {
                Some(r) if r.seq == c.seq && r.state == VmState::Running => {}
                _ => return Err("dispatch points at a VM that is not running".into()),
            }
        }
        if self.free_slots.iter().any(|&s| self.rec(s).is_some()) {
            return Err("free slot list holds a live VM".into());
        }
        let mut keys: Vec<u64> = self.slots.iter().flatten().map(|r| r.seq).collect();
        keys.sort_unstable();
        if let Some(checked) = self.machinery.check_state(&keys, self.now) {
            checked?;
        } else if self.switch_from.is_some() {
            return Err("a measured switch without the kinetic machinery".into());
        }
        Ok(())
    }
}
