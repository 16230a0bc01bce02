//! The profiler: bottlenecks found in real measurements, each with a recommendation.
//!
//! Thresholds follow the upstream profiler's list (ribosomes above 80 %, ATP below 30 %,
//! memory above 85 %, fairness below 0.7, too many context switches); here every one is
//! checked against what the hypervisor measured, never against constants.

use serde::{Deserialize, Serialize};

use crate::metrics::SystemMetrics;

/// What is short or wasteful.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BottleneckKind {
    Ribosomes,
    Atp,
    Memory,
    Fairness,
    ContextSwitches,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Bottleneck {
    pub kind: BottleneckKind,
    /// The measured value, in the unit of `threshold`.
    pub measured: f64,
    pub threshold: f64,
    pub message: String,
    pub recommendation: String,
}

/// The profiler's report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfilerReport {
    pub now_ms: u64,
    pub bottlenecks: Vec<Bottleneck>,
    pub recommendations: Vec<String>,
}

/// Thresholds (upstream's values; the switch threshold is stated as overhead).
pub const RIBOSOME_UTILISATION_MAX: f64 = 80.0;
pub const ATP_LEVEL_MIN: f64 = 30.0;
pub const MEMORY_UTILISATION_MAX: f64 = 85.0;
pub const FAIRNESS_MIN: f64 = 0.7;
/// Context switches are a bottleneck when run-off time eats more than this share of time.
pub const OVERHEAD_MAX_PERCENT: f64 = 10.0;

/// Analyse measurements.
pub fn analyse(m: &SystemMetrics, quantum_ms: u64, switch_cost_ms: u64) -> ProfilerReport {
    let mut b = Vec::new();
    let rib = 100.0 * m.pool_utilisation.ribosomes;
    if rib > RIBOSOME_UTILISATION_MAX {
        b.push(Bottleneck {
            kind: BottleneckKind::Ribosomes,
            measured: rib,
            threshold: RIBOSOME_UTILISATION_MAX,
            message: format!(
                "{rib:.1}% of guest ribosomes are reserved; only {} remain shared",
                m.shared_ribosomes
            ),
            recommendation: "Lower ribosome reservations so the scheduler has machinery to share, or move guests to a chassis with more ribosomes.".into(),
        });
    }
    if m.atp_level_percent < ATP_LEVEL_MIN {
        b.push(Bottleneck {
            kind: BottleneckKind::Atp,
            measured: m.atp_level_percent,
            threshold: ATP_LEVEL_MIN,
            message: format!(
                "guest translation uses all but {:.1}% of the guests' ATP supply",
                m.atp_level_percent
            ),
            recommendation: "Reduce expression demand (fewer running VMs or lower weights) or restore the nutrient supply.".into(),
        });
    }
    let mem = 100.0 * m.pool_utilisation.memory;
    if mem > MEMORY_UTILISATION_MAX {
        b.push(Bottleneck {
            kind: BottleneckKind::Memory,
            measured: mem,
            threshold: MEMORY_UTILISATION_MAX,
            message: format!("{mem:.1}% of guest DNA capacity is allocated"),
            recommendation:
                "Destroy idle VMs or use smaller guest genomes; new VMs may be refused.".into(),
        });
    }
    let runnable = m.per_vm.iter().filter(|v| v.runnable_time_ms > 0).count();
    if runnable >= 2 && m.fairness_index < FAIRNESS_MIN {
        b.push(Bottleneck {
            kind: BottleneckKind::Fairness,
            measured: m.fairness_index,
            threshold: FAIRNESS_MIN,
            message: format!(
                "Jain's index over received ÷ fair share is {:.3}",
                m.fairness_index
            ),
            recommendation: "Use a proportional-share scheduler (credit or eevdf), or round robin, instead of a run-to-completion policy.".into(),
        });
    }
    if m.overhead_percent > OVERHEAD_MAX_PERCENT {
        b.push(Bottleneck {
            kind: BottleneckKind::ContextSwitches,
            measured: m.overhead_percent,
            threshold: OVERHEAD_MAX_PERCENT,
            message: format!(
                "context switches take {:.1}% of the time ({} switches; each costs {switch_cost_ms} ms of ribosome run-off)",
                m.overhead_percent, m.context_switches
            ),
            recommendation: format!(
                "Lengthen the quantum (now {quantum_ms} ms) to at least {} ms, ten run-off times.",
                10 * switch_cost_ms
            ),
        });
    }
    let recommendations = b.iter().map(|x| x.recommendation.clone()).collect();
    ProfilerReport {
        now_ms: m.now_ms,
        bottlenecks: b,
        recommendations,
    }
}

impl crate::hypervisor::Hypervisor {
    /// Bottlenecks and recommendations from the current measurements.
    pub fn profiler_report(&self) -> ProfilerReport {
        analyse(
            &self.metrics(),
            self.scheduler_params().quantum_ms,
            self.switch_cost_ms(),
        )
    }
}
