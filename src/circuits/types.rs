//! The circuit description: [`Circuit`], [`Gene`], [`Regulation`], [`Inducer`] (issue 15's
//! JSON shape, the same in Rust, JS, sessions and the CLI).
//!
//! ```text
//! Circuit    = { name?, genes: Gene[] }                        // 1..=32 genes
//! Gene       = { name, w, length, leak?, degradation?, initialProtein?, regulation? }
//! Regulation = { by, mode: "repress" | "activate", K, n, inducer? }   // 0..=4 per gene
//! Inducer    = { name, K /* µM */, n, effect: "inactivates" | "activates" }
//! ```
//!
//! Deserialising goes through [`parse`](super::parse), which names the path of every
//! problem (`genes[1].regulation[0].mode: ...`), so serde users and the JSON readers get the
//! same checks; building the types in Rust and calling [`Circuit::issues`] checks the rest.

use serde::{Deserialize, Serialize};

pub use crate::kinetics::regulation::{Effect, Mode};

/// Most genes in one circuit.
pub const MAX_CIRCUIT_GENES: usize = 32;
/// Most regulations of one gene.
pub const MAX_REGULATIONS: usize = 4;
/// Longest gene or inducer name (characters of `[A-Za-z0-9_.-]`).
pub const MAX_NAME_CHARS: usize = 32;
/// Longest circuit name.
pub const MAX_CIRCUIT_NAME_CHARS: usize = 64;
/// Longest protein (aa).
pub const MAX_LENGTH_AA: u32 = 10_000;
/// Largest Hill coefficient accepted (regulations and inducers). Real promoters fit with
/// n ≲ 4–5; beyond 16 the terms are steps the integrator can only resolve with tiny steps.
pub const MAX_HILL: f64 = 16.0;

/// A gene circuit: the program a biological VM runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub struct Circuit {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub genes: Vec<Gene>,
}

/// A gene of a circuit: a heterologous gene of the Weiße model (transcription
/// w·f·a/(θ_nr + a), translated by the shared ribosomes) with a regulated promoter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", try_from = "serde_json::Value")]
pub struct Gene {
    /// Unique in its circuit; 1–32 characters of `[A-Za-z0-9_.-]`.
    pub name: String,
    /// Maximal transcription rate w (molecules/min, as Weiße's w_x), finite, ≥ 0.
    pub w: f64,
    /// Protein length (aa), 1..=10 000.
    pub length: u32,
    /// Promoter activity when fully off, 0..=1.
    #[serde(skip_serializing_if = "is_zero")]
    pub leak: f64,
    /// Active protein degradation (min⁻¹) on top of dilution by growth, ≥ 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub degradation: f64,
    /// Protein molecules at t = 0, ≥ 0.
    #[serde(skip_serializing_if = "is_zero")]
    pub initial_protein: f64,
    /// 0..=4 regulations; none: constitutive.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub regulation: Vec<Regulation>,
}

/// One regulator acting on a gene's promoter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub struct Regulation {
    /// A gene of the same circuit.
    pub by: String,
    pub mode: Mode,
    /// Half-effect level of the (effective) regulator (molecules), > 0.
    #[serde(rename = "K")]
    pub k: f64,
    /// Hill coefficient, > 0.
    pub n: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inducer: Option<Inducer>,
}

/// A small molecule of the medium that binds the regulator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "serde_json::Value")]
pub struct Inducer {
    /// 1–32 characters of `[A-Za-z0-9_.-]` (`IPTG`, `aTc`, `arabinose`).
    pub name: String,
    /// Half-effect concentration (µM), > 0.
    #[serde(rename = "K")]
    pub k: f64,
    /// Hill coefficient, > 0.
    pub n: f64,
    pub effect: Effect,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

impl Gene {
    /// A constitutive gene with every optional field at its default.
    pub fn constitutive(name: &str, w: f64, length: u32) -> Self {
        Gene {
            name: name.to_string(),
            w,
            length,
            leak: 0.0,
            degradation: 0.0,
            initial_protein: 0.0,
            regulation: Vec::new(),
        }
    }
}

impl Regulation {
    /// Regulation by gene `by` without inducer.
    pub fn new(by: &str, mode: Mode, k: f64, n: f64) -> Self {
        Regulation {
            by: by.to_string(),
            mode,
            k,
            n,
            inducer: None,
        }
    }

    /// The same regulation with an inducer acting on the regulator.
    pub fn with_inducer(mut self, name: &str, k: f64, n: f64, effect: Effect) -> Self {
        self.inducer = Some(Inducer {
            name: name.to_string(),
            k,
            n,
            effect,
        });
        self
    }
}

impl Circuit {
    /// Index of a gene by name.
    pub fn gene_index(&self, name: &str) -> Option<usize> {
        self.genes.iter().position(|g| g.name == name)
    }

    /// The inducers this circuit responds to, sorted, each once.
    pub fn inducer_names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .genes
            .iter()
            .flat_map(|g| g.regulation.iter())
            .filter_map(|r| r.inducer.as_ref().map(|i| i.name.as_str()))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}
