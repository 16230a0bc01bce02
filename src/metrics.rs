//! Measurements: per-VM status and metrics, system metrics, resource summaries, and Jain's
//! fairness index. Everything here is computed from what the hypervisor measured; nothing
//! is a constant.

use serde::{Deserialize, Serialize};

use crate::machinery::KineticMetrics;
use crate::resources::PoolSummary;
use crate::scheduler::Ms;
use crate::vm::{BiologicalType, VmState, VmType};

/// Jain's fairness index (Jain, Chiu & Hawe 1984): (Σx)² / (n·Σx²), from 1/n (one VM gets
/// everything) to 1 (all equal). An empty set, or all zeros, counts as perfectly fair.
pub fn jain_index(xs: &[f64]) -> f64 {
    let n = xs.len() as f64;
    let sum: f64 = xs.iter().sum();
    let sq: f64 = xs.iter().map(|x| x * x).sum();
    if xs.is_empty() || sq == 0.0 {
        1.0
    } else {
        (sum * sum / (n * sq)).clamp(0.0, 1.0)
    }
}

/// Everything about one VM: identity, reservation, and what it received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VmStatus {
    pub vm_id: String,
    pub state: VmState,
    pub biological_type: BiologicalType,
    pub vm_type: VmType,
    /// Reserved ribosomes (0 while in `error`: a faulted VM holds nothing).
    pub ribosomes: u64,
    pub rna_polymerase: u64,
    pub atp_percent: f64,
    pub memory_kb: u64,
    pub priority: u8,
    pub weight: u32,
    pub cap: u32,
    /// Time this VM held the shared machinery.
    pub machinery_time_ms: Ms,
    /// Time this VM was runnable but did not hold the shared machinery.
    pub wait_time_ms: Ms,
    /// Time this VM was runnable (state `running`).
    pub runnable_time_ms: Ms,
    /// First time it held the machinery minus first start.
    pub response_time_ms: Option<Ms>,
    /// First completion of its workload (first cycle, or all cycles of a finite workload)
    /// minus first start.
    pub turnaround_time_ms: Option<Ms>,
    /// Times the shared machinery passed to this VM from another.
    pub context_switches: u64,
    /// Amino acids polymerised for this VM so far.
    pub aa_produced: f64,
    pub cycles_completed: u64,
    /// Amino acids per work cycle.
    pub workload_aa: u64,
    /// Progress through the current cycle, 0..1.
    pub progress: f64,
    /// Its fair share of the machinery while runnable (weights under proportional-share
    /// policies, equal shares otherwise), as a fraction of its runnable time.
    pub fair_share: f64,
    /// What it received, as a fraction of its runnable time.
    pub share_received: f64,
}

/// Utilisation of each pool: guest allocations over guest capacity (capacity − reserve).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PoolUtilisation {
    pub ribosomes: f64,
    pub rna_polymerase: f64,
    pub atp: f64,
    pub memory: f64,
}

/// System-wide measurements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemMetrics {
    pub now_ms: Ms,
    /// Jain's index over received ÷ fair share of VMs that have been runnable.
    pub fairness_index: f64,
    /// Context-switch time ÷ elapsed time, percent.
    pub overhead_percent: f64,
    pub context_switches: u64,
    /// Scheduling decisions taken (picks).
    pub decisions: u64,
    /// Amino acids polymerised for guests per simulated second.
    pub throughput_aa_per_s: f64,
    /// Work cycles completed by all VMs.
    pub completed_cycles: u64,
    /// Fraction of elapsed time the shared machinery was held by a VM.
    pub machinery_busy: f64,
    /// Ribosomes in the shared (unreserved guest) pool now.
    pub shared_ribosomes: u64,
    pub pool_utilisation: PoolUtilisation,
    /// Spare guest ATP supply at the current production rate, percent (100 = untouched).
    pub atp_level_percent: f64,
    pub per_vm: Vec<VmStatus>,
    /// The kinetic host (growth, ribosomes, energy, capacity monitor, per-VM genes); None
    /// under the simple machinery.
    pub kinetic: Option<KineticMetrics>,
}

/// One VM's line in a resource summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VmHolding {
    pub vm_id: String,
    pub ribosomes: u64,
    pub rna_polymerase: u64,
    pub atp_percent: f64,
    pub memory_kb: u64,
}

/// The ledger as users read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceSummary {
    pub chassis: String,
    pub ribosomes: PoolSummary,
    pub rna_polymerase: PoolSummary,
    /// Percent of the chassis's ATP supply.
    pub atp: PoolSummary,
    pub memory_kb: PoolSummary,
    pub vm_count: usize,
    pub active_vms: usize,
    pub max_vms: u32,
    pub per_vm: Vec<VmHolding>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jain_known_values() {
        assert_eq!(jain_index(&[1.0, 1.0, 1.0, 1.0]), 1.0);
        assert!((jain_index(&[1.0, 0.0, 0.0, 0.0]) - 0.25).abs() < 1e-12);
        // k of n equal → k/n
        assert!((jain_index(&[2.0, 2.0, 0.0, 0.0, 0.0]) - 0.4).abs() < 1e-12);
        assert_eq!(jain_index(&[]), 1.0);
        assert!((jain_index(&[1.0, 2.0]) - 0.9).abs() < 1e-12);
    }
}
