//! The resource ledger: one account of ribosomes, RNA polymerases, ATP share and DNA memory.
//!
//! Allocation is all-or-nothing and never over-commits: for every pool, at every moment,
//! `allocated ≤ capacity − host reserve`. A refused request changes nothing.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{BioxenError, Result};

/// The ATP pool is accounted as a share of the chassis's ATP supply, in hundredths of a
/// percent, so that the arithmetic is exact: 10 000 = 100 %.
pub const ATP_TOTAL_CENTI: u64 = 10_000;

/// An amount in each pool. ATP is in hundredths of a percent of the chassis's ATP supply.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amounts {
    pub ribosomes: u64,
    pub rna_polymerase: u64,
    pub atp_centi: u64,
    pub memory_kb: u64,
}

/// The pools, for error messages and summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pool {
    Ribosomes,
    RnaPolymerase,
    Atp,
    Memory,
}

impl Pool {
    pub const ALL: [Pool; 4] = [
        Pool::Ribosomes,
        Pool::RnaPolymerase,
        Pool::Atp,
        Pool::Memory,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Pool::Ribosomes => "ribosomes",
            Pool::RnaPolymerase => "RNA polymerase",
            Pool::Atp => "ATP share",
            Pool::Memory => "memory",
        }
    }

    fn get(self, a: &Amounts) -> u64 {
        match self {
            Pool::Ribosomes => a.ribosomes,
            Pool::RnaPolymerase => a.rna_polymerase,
            Pool::Atp => a.atp_centi,
            Pool::Memory => a.memory_kb,
        }
    }

    /// A pool amount with its unit, as users read it.
    pub fn show(self, v: u64) -> String {
        match self {
            Pool::Atp => format!("{}%", v as f64 / 100.0),
            Pool::Memory => format!("{v} kb"),
            _ => v.to_string(),
        }
    }
}

impl Amounts {
    fn zip(self, o: Amounts, f: impl Fn(u64, u64) -> u64) -> Amounts {
        Amounts {
            ribosomes: f(self.ribosomes, o.ribosomes),
            rna_polymerase: f(self.rna_polymerase, o.rna_polymerase),
            atp_centi: f(self.atp_centi, o.atp_centi),
            memory_kb: f(self.memory_kb, o.memory_kb),
        }
    }
    pub fn saturating_sub(self, o: Amounts) -> Amounts {
        self.zip(o, u64::saturating_sub)
    }
    pub fn saturating_add(self, o: Amounts) -> Amounts {
        self.zip(o, u64::saturating_add)
    }
    /// ATP share as a percentage.
    pub fn atp_percent(&self) -> f64 {
        self.atp_centi as f64 / 100.0
    }
}

/// Convert a user-facing ATP percentage (0–100, finite) to exact hundredths.
pub fn atp_percent_to_centi(p: f64) -> Result<u64> {
    if !p.is_finite() || !(0.0..=100.0).contains(&p) {
        return Err(BioxenError::arg(
            "atp_percent",
            format!("{p} is out of range; expected a number from 0 to 100"),
        ));
    }
    Ok((p * 100.0).round() as u64)
}

/// The ledger of one chassis. Keys are VM ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ledger {
    capacity: Amounts,
    reserve: Amounts,
    allocated: Amounts,
    per_vm: BTreeMap<String, Amounts>,
}

/// One pool's totals in a summary.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolSummary {
    pub total: f64,
    pub reserved: f64,
    pub allocated: f64,
    pub free: f64,
}

impl Ledger {
    pub fn new(capacity: Amounts, reserve: Amounts) -> Self {
        debug_assert!(Pool::ALL
            .iter()
            .all(|p| p.get(&reserve) <= p.get(&capacity)));
        Ledger {
            capacity,
            reserve,
            allocated: Amounts::default(),
            per_vm: BTreeMap::new(),
        }
    }

    pub fn capacity(&self) -> Amounts {
        self.capacity
    }
    pub fn reserve(&self) -> Amounts {
        self.reserve
    }
    pub fn allocated(&self) -> Amounts {
        self.allocated
    }
    /// What guests may still reserve: capacity − reserve − allocated.
    pub fn free(&self) -> Amounts {
        self.capacity
            .saturating_sub(self.reserve)
            .saturating_sub(self.allocated)
    }
    /// What one VM holds (zero if it holds nothing).
    pub fn held_by(&self, vm: &str) -> Amounts {
        self.per_vm.get(vm).copied().unwrap_or_default()
    }
    pub fn per_vm(&self) -> &BTreeMap<String, Amounts> {
        &self.per_vm
    }

    /// Check that `vm` may hold `want` instead of what it holds now, without changing anything.
    pub fn check(&self, vm: &str, want: Amounts) -> Result<()> {
        let held = self.held_by(vm);
        let free_for_vm = self.free().saturating_add(held);
        for p in Pool::ALL {
            if p.get(&want) > p.get(&free_for_vm) {
                return Err(BioxenError::InsufficientResources {
                    vm: vm.to_string(),
                    pool: p.name(),
                    requested: p.show(p.get(&want)),
                    free: p.show(p.get(&free_for_vm)),
                });
            }
        }
        Ok(())
    }

    /// Make `vm` hold exactly `want` (all pools at once), or refuse and change nothing.
    pub fn set(&mut self, vm: &str, want: Amounts) -> Result<()> {
        self.check(vm, want)?;
        let held = self.held_by(vm);
        self.allocated = self.allocated.saturating_sub(held).saturating_add(want);
        if want == Amounts::default() {
            self.per_vm.remove(vm);
        } else {
            self.per_vm.insert(vm.to_string(), want);
        }
        debug_assert!(self.invariant_holds());
        Ok(())
    }

    /// Return everything `vm` holds. Returns what was released.
    pub fn release(&mut self, vm: &str) -> Amounts {
        let held = self.per_vm.remove(vm).unwrap_or_default();
        self.allocated = self.allocated.saturating_sub(held);
        held
    }

    /// Change the ATP supply (a nutrient shift): new capacity and host reserve, in hundredths
    /// of a percent of normal supply. Allocations are untouched: the caller must bring them
    /// back within `capacity − reserve` (by faulting VMs) before the next allocation.
    pub fn set_atp(&mut self, capacity_centi: u64, reserve_centi: u64) {
        self.capacity.atp_centi = capacity_centi;
        self.reserve.atp_centi = reserve_centi.min(capacity_centi);
    }

    /// `allocated ≤ capacity − reserve` for every pool and `allocated = Σ per VM`.
    pub fn invariant_holds(&self) -> bool {
        let sum = self
            .per_vm
            .values()
            .fold(Amounts::default(), |a, b| a.saturating_add(*b));
        sum == self.allocated
            && Pool::ALL
                .iter()
                .all(|p| p.get(&self.allocated) + p.get(&self.reserve) <= p.get(&self.capacity))
    }

    /// Totals for one pool.
    pub fn pool_summary(&self, pool: Pool) -> PoolSummary {
        let scale = if pool == Pool::Atp { 100.0 } else { 1.0 };
        let f = |a: &Amounts| pool.get(a) as f64 / scale;
        PoolSummary {
            total: f(&self.capacity),
            reserved: f(&self.reserve),
            allocated: f(&self.allocated),
            free: f(&self.free()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(r: u64, p: u64, atp: u64, m: u64) -> Amounts {
        Amounts {
            ribosomes: r,
            rna_polymerase: p,
            atp_centi: atp,
            memory_kb: m,
        }
    }

    #[test]
    fn all_or_nothing() {
        let mut l = Ledger::new(a(100, 10, 10_000, 1000), a(20, 2, 2_000, 100));
        l.set("a", a(50, 5, 5_000, 500)).unwrap();
        let before = l.clone();
        let e = l.set("b", a(10, 1, 1_000, 401)).unwrap_err();
        assert_eq!(l, before, "refused request changed nothing");
        let m = e.to_string();
        assert!(
            m.contains("memory") && m.contains("401 kb") && m.contains("400 kb"),
            "{m}"
        );
        l.set("b", a(30, 3, 3_000, 400)).unwrap();
        assert_eq!(l.free(), a(0, 0, 0, 0));
        // growing a VM counts what it already holds
        assert!(l.set("a", a(51, 5, 5_000, 500)).is_err());
        l.set("a", a(40, 5, 5_000, 500)).unwrap();
        assert_eq!(l.free().ribosomes, 10);
        assert_eq!(l.release("a"), a(40, 5, 5_000, 500));
        assert_eq!(l.allocated(), a(30, 3, 3_000, 400));
        assert!(l.invariant_holds());
    }

    #[test]
    fn atp_percent_parsing() {
        assert_eq!(atp_percent_to_centi(12.34).unwrap(), 1234);
        assert!(atp_percent_to_centi(-1.0).is_err());
        assert!(atp_percent_to_centi(f64::NAN).is_err());
        assert!(atp_percent_to_centi(100.5).is_err());
    }
}
