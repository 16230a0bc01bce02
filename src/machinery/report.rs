//! What a kinetic machinery reports: the chart samples and the host/VM metrics that
//! [`SystemMetrics`](crate::metrics::SystemMetrics) and the hypervisor expose. Here, below
//! both the hypervisor and `kinetics`, so that they exist in builds without the `kinetics`
//! feature (where they are simply never produced).

use serde::{Deserialize, Serialize};

use crate::scheduler::Ms;

/// One point of the chart series (taken on the grid).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KineticSample {
    pub t_ms: Ms,
    /// λ (min⁻¹).
    pub growth_rate: f64,
    /// Free ribosomes (host ribosomes p_R on the orthogonal chassis).
    pub free_ribosomes: f64,
    /// Energy a (molecules).
    pub energy: f64,
    /// Capacity monitor, percent of its reading with no guests.
    pub capacity_percent: f64,
    /// Guest protein mass over all protein mass.
    pub heterologous_fraction: f64,
}

/// What genes express, in reports: one gene class, or a VM's genes together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KineticExpression {
    /// Maximal transcription rate w (molecules/min).
    pub max_transcription_per_min: f64,
    /// Protein length (aa); for a VM, the mean protein of what it transcribes (Σ w·length ÷ Σ w).
    pub protein_length: f64,
    /// Free mRNA, ribosome-bound mRNA (translating ribosomes) and protein (molecules).
    pub mrna: f64,
    pub translating_ribosomes: f64,
    pub protein: f64,
    /// Translation flux c·γ(a) now (aa/min).
    pub translation_aa_per_min: f64,
}

/// One gene class of a VM in reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KineticGeneClass {
    /// The genome's gene group, the circuit gene's name, or "mean_protein" for a VM with one
    /// gene (filled in by the hypervisor).
    pub group: String,
    #[serde(skip)]
    pub class: u32,
    #[serde(flatten)]
    pub expression: KineticExpression,
    /// A circuit gene's promoter activity f = leak + (1 − leak)·Π h (1 when constitutive);
    /// absent for other genes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<f64>,
    /// A circuit gene's protein production ν = c·γ(a)/length (molecules/min); absent for
    /// other genes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub production_per_min: Option<f64>,
}

/// Per-VM kinetic state for reports: sums over its gene classes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KineticVm {
    pub vm_id: String,
    #[serde(skip)]
    pub key: u64,
    /// 0..1: how far the scheduler has switched its promoter(s) on.
    pub induction: f64,
    /// All its genes together (w from its RNA-polymerase reservation; protein length the
    /// mean protein of its workload).
    #[serde(flatten)]
    pub expression: KineticExpression,
    /// Each gene class (one unless the VM was built on a genome with several gene groups).
    pub gene_classes: Vec<KineticGeneClass>,
}

/// The kinetic report of the whole host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KineticMetrics {
    /// "weisse2015" or "darlington2018" (orthogonal ribosomes).
    pub host_model: String,
    /// Time of the model state reported (the last grid point, ms).
    pub model_time_ms: Ms,
    pub tick_ms: Ms,
    /// Host growth rate λ = γ(a)·Σc/M (min⁻¹) and ln 2/λ (null when λ = 0).
    pub growth_rate_per_min: f64,
    pub doubling_time_min: Option<f64>,
    /// λ of the host alone (steady state without guests), for comparison.
    pub baseline_growth_rate_per_min: f64,
    /// Free ribosomes (host ribosomes p_R on the orthogonal chassis) and every ribosome.
    pub free_ribosomes: f64,
    pub total_ribosomes: f64,
    /// Free orthogonal ribosomes p_P (orthogonal chassis only).
    pub free_orthogonal_ribosomes: Option<f64>,
    /// Energy a (molecules) and the elongation rate γ(a) it allows (aa/s per ribosome).
    pub energy: f64,
    pub elongation_aa_per_s: f64,
    /// Ribosomal and guest shares of all protein mass.
    pub ribosomal_fraction: f64,
    pub heterologous_fraction: f64,
    /// Capacity monitor (Ceroni et al. 2015): the production rate of a constitutive host
    /// gene (molecules/min), and that rate as a percent of its value with no guests.
    pub capacity_monitor_per_min: f64,
    pub capacity_percent: f64,
    /// Transcriptional context switches measured so far, the last one's length and the mean.
    pub switches_measured: u64,
    pub last_switch_ms: Option<Ms>,
    pub mean_switch_ms: Option<f64>,
    /// Ticks whose integration failed (the state was held); 0 in every known case.
    pub integration_failures: u64,
    pub per_vm: Vec<KineticVm>,
}

/// One circuit gene's protein (molecules) at consecutive chart samples; NaN at samples
/// taken before its VM's genes joined the model or after they left.
#[derive(Debug, Clone, PartialEq)]
pub struct GeneSeriesColumn {
    pub key: u64,
    pub class: u32,
    pub protein: Vec<f64>,
}
