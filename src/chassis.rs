//! The chassis: the host cell whose finite expression machinery the hypervisor shares.
//!
//! A [`ChassisSpec`] holds the numbers of one host (ribosomes, RNA polymerases, rates, ATP,
//! DNA capacity, doubling time, VM limit) and the share of each pool the host keeps for
//! itself (the hypervisor reserve). Every preset number carries its source next to it;
//! tags follow the project's reference notes: `[V]` checked in a primary or near-primary
//! source, `[R]` recalled, `[D]` derived here from other numbers (the derivation is shown),
//! `[C]` a design choice of this simulator, not a measurement.

use serde::{Deserialize, Serialize};

use crate::error::{BioxenError, ConfigIssue, Result};

/// Hard upper limit on VMs per hypervisor, whatever the chassis or options say (here, below
/// the hypervisor, because a chassis's own `max_vms` is validated against it).
pub const MAX_VMS_LIMIT: u32 = 4096;

/// The preset host cells, plus user-defined ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChassisKind {
    Ecoli,
    Yeast,
    Syn3a,
    Orthogonal,
    /// Not a cell: the process-table convention of textbooks (1 aa per ms, free switches).
    Textbook,
    Custom,
}

impl ChassisKind {
    /// The presets, in the order the API lists them.
    pub const PRESETS: [ChassisKind; 5] = [
        ChassisKind::Ecoli,
        ChassisKind::Yeast,
        ChassisKind::Syn3a,
        ChassisKind::Orthogonal,
        ChassisKind::Textbook,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChassisKind::Ecoli => "ecoli",
            ChassisKind::Yeast => "yeast",
            ChassisKind::Syn3a => "syn3a",
            ChassisKind::Orthogonal => "orthogonal",
            ChassisKind::Textbook => "textbook",
            ChassisKind::Custom => "custom",
        }
    }

    /// Parse a preset name (case-sensitive, as the API lists them).
    pub fn parse(name: &str) -> Result<Self> {
        Self::PRESETS
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| BioxenError::UnsupportedChassis(name.chars().take(80).collect()))
    }
}

impl std::fmt::Display for ChassisKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Fractions (0 ≤ f < 1) of each pool that the host keeps for its own housekeeping.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HostReserve {
    pub ribosomes: f64,
    pub rna_polymerase: f64,
    pub atp: f64,
    pub memory: f64,
}

/// One host cell's machinery. Construct presets with [`ChassisSpec::preset`] or a custom
/// host with [`ChassisSpec::custom`], which validates every field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChassisSpec {
    pub kind: ChassisKind,
    /// Human-readable name, e.g. "Escherichia coli K-12 MG1655".
    pub name: String,
    /// Ribosomes per cell (for the orthogonal chassis: host + orthogonal, one pool of r-protein).
    pub ribosomes: u64,
    /// RNA polymerases per cell.
    pub rna_polymerases: u64,
    /// Translation elongation rate, amino acids per second per ribosome.
    pub elongation_aa_per_s: f64,
    /// Transcription elongation rate, nucleotides per second per RNA polymerase.
    pub transcription_nt_per_s: f64,
    /// ATP molecules in the cell's pool.
    pub atp_pool: f64,
    /// ATP molecules turned over per second in exponential growth.
    pub atp_turnover_per_s: f64,
    /// ATP (equivalents) spent per amino acid polymerised.
    pub atp_per_aa: f64,
    /// DNA capacity in kb: the VM "memory" (host chromosome + room for guest DNA).
    pub memory_kb: u64,
    /// Doubling time in minutes.
    pub doubling_time_min: f64,
    /// How many VMs the chassis hosts by default (a hypervisor option can override it).
    pub max_vms: u32,
    /// Mean protein length in aa: with the elongation rate it sets the ribosome run-off time,
    /// which is the cost of a context switch.
    pub mean_protein_aa: f64,
    /// Share of each pool the host keeps (hypervisor reserve).
    pub host_reserve: HostReserve,
    /// For an orthogonal-ribosome chassis: the fraction of the one ribosomal-protein pool
    /// that is made into orthogonal ribosomes. VMs draw on that pool only.
    pub orthogonal_fraction: Option<f64>,
    /// Where the numbers come from, for display.
    pub sources: Vec<String>,
}

// ---------------------------------------------------------------------------------------
// Shared constants (sources in ../shared/reference/biology-and-scheduling.md, section A1).

/// E. coli ATP turnover in exponential phase: 6.4×10⁶ ATP/s. [V] BMC Biol 2021,
/// doi 10.1186/s12915-021-01023-2.
const ECOLI_ATP_TURNOVER: f64 = 6.4e6;
/// E. coli ATP: 9.6 mM (Bennett 2009, via PMC6330087) [V]; 1 nM ≈ 1 molecule per E. coli
/// cell (Milo, "useful numbers") [V] → 9.6×10⁶ molecules.
const ECOLI_ATP_POOL: f64 = 9.6e6;
/// ATP cost of protein synthesis: 4.5–5.9 ATP per aa (BNID 106158) [V]; the low end is used.
const ATP_PER_AA: f64 = 4.5;
/// E. coli ribosomes at 2.0 doublings/h: 45,100. [V] Bremer & Dennis, EcoSal Plus 2008,
/// Table 3 (vector as coded in hhindley/phd unit_conversion.jl).
const ECOLI_RIBOSOMES: u64 = 45_100;
/// E. coli translation elongation ~15 aa/s. [V] BNID 109043 (Yu 2006); range 13–22 aa/s.
const ECOLI_ELONGATION: f64 = 15.0;
/// [D] Share of E. coli ATP turnover spent on translation at 2 dbl/h:
/// 45,100 ribosomes × 15 aa/s × 4.5 ATP/aa ÷ 6.4×10⁶ ATP/s ≈ 0.476. Used to estimate the
/// ATP turnover of hosts for which no direct measurement is collected.
fn translation_atp_share() -> f64 {
    ECOLI_RIBOSOMES as f64 * ECOLI_ELONGATION * ATP_PER_AA / ECOLI_ATP_TURNOVER
}
/// [D] E. coli pool / turnover = 9.6×10⁶ / 6.4×10⁶ = 1.5 s of ATP in stock; used the same way.
fn atp_stock_seconds() -> f64 {
    ECOLI_ATP_POOL / ECOLI_ATP_TURNOVER
}

/// Genome sizes, kb (rounded up).
/// E. coli K-12 MG1655 NC_000913.3: 4,641,652 bp \[V\] (../shared/data, LOCUS line).
pub const ECOLI_GENOME_KB: u64 = 4_642;
/// JCVI-syn3A CP016816.2: 543,379 bp \[V\] (Breuer 2019; ../shared/data/syn3A.gb).
pub const SYN3A_GENOME_KB: u64 = 544;
/// S. cerevisiae: 12.1 Mb \[R\] (reference notes A1).
pub const YEAST_GENOME_KB: u64 = 12_100;
/// M. genitalium G37: 580,076 bp \[V\] (../shared/data WholeCellKB FASTA, = NC_000908.2).
pub const MGENITALIUM_GENOME_KB: u64 = 581;

impl ChassisSpec {
    /// The preset for `kind`. `Custom` has no preset and returns an error.
    pub fn preset(kind: ChassisKind) -> Result<Self> {
        Ok(match kind {
            ChassisKind::Ecoli => Self::ecoli(),
            ChassisKind::Yeast => Self::yeast(),
            ChassisKind::Syn3a => Self::syn3a(),
            ChassisKind::Orthogonal => Self::orthogonal(),
            ChassisKind::Textbook => Self::textbook(),
            ChassisKind::Custom => {
                return Err(BioxenError::arg(
                    "chassis",
                    "\"custom\" has no preset; build it with ChassisSpec::custom",
                ))
            }
        })
    }

    /// E. coli K-12 MG1655 growing at 2.0 doublings per hour (37 °C, rich medium).
    pub fn ecoli() -> Self {
        ChassisSpec {
            kind: ChassisKind::Ecoli,
            name: "Escherichia coli K-12 MG1655".into(),
            ribosomes: ECOLI_RIBOSOMES,
            // [R] Bremer & Dennis Table 3: ~1,500 → ~11,400 RNAP across 0.6–2.5 dbl/h; the
            // 2.0 dbl/h column (~8,000) is recalled, not re-checked.
            rna_polymerases: 8_000,
            elongation_aa_per_s: ECOLI_ELONGATION,
            // [V] 39–56 nt/s, ~45 nt/s for mRNA (PMC6330087; BNID 109043).
            transcription_nt_per_s: 45.0,
            atp_pool: ECOLI_ATP_POOL,
            atp_turnover_per_s: ECOLI_ATP_TURNOVER,
            atp_per_aa: ATP_PER_AA,
            // [V] 1 (slow growth) to 8 (fast growth) genome copies per cell (PMC6330087);
            // capacity = 8 genome equivalents, of which the host keeps one chromosome.
            memory_kb: 8 * ECOLI_GENOME_KB,
            // [V] minimum ~20 min, 20–40 min in rich media (PMC6330087); 2.0 dbl/h = 30 min.
            doubling_time_min: 30.0,
            // [C] four compatible plasmid replicon/marker pairs are the usual practical limit
            // (e.g. ColE1, p15A, pSC101, RSF1030 origins in co-expression systems) [R].
            max_vms: 4,
            // [V] average protein ≈ 300 aa (Weiße n_x; BNID list 287 aa).
            mean_protein_aa: 300.0,
            host_reserve: HostReserve {
                // [V] the housekeeping proteome share φ_q is fixed at 0.59 in Sechkar et al.
                // 2024 Nat Commun (0.45–0.59 across Scott 2010 and Sechkar): the host keeps
                // that share of its translation machinery and ATP for itself.
                ribosomes: 0.59,
                // [V] ~50 % of RNAP is actively transcribing host genes (BNID 110044).
                rna_polymerase: 0.50,
                atp: 0.59,
                // [D] one of the eight genome equivalents is the host chromosome.
                memory: 1.0 / 8.0,
            },
            orthogonal_fraction: None,
            sources: vec![
                "ribosomes: Bremer & Dennis 2008, Table 3 (2.0 dbl/h)".into(),
                "elongation 15 aa/s, transcription 45 nt/s: BNID 109043".into(),
                "ATP 9.6 mM (Bennett 2009), turnover 6.4e6/s (BMC Biol 2021)".into(),
                "host reserve 0.59 = housekeeping proteome share (Sechkar 2024)".into(),
            ],
        }
    }

    /// S. cerevisiae, haploid, glucose.
    pub fn yeast() -> Self {
        let ribosomes = 200_000; // [V] ~2×10⁵ per cell (BNID 100267; PMC9098079 Table 1)
        let elongation = 10.5; // [V] 10.5 aa/s (PMC9098079)
        let turnover = ribosomes as f64 * elongation * ATP_PER_AA / translation_atp_share();
        ChassisSpec {
            kind: ChassisKind::Yeast,
            name: "Saccharomyces cerevisiae (haploid)".into(),
            ribosomes,
            // [R] ~30,000 Pol II per cell (Borggrefe 2001).
            rna_polymerases: 30_000,
            elongation_aa_per_s: elongation,
            // [V] 25 nt/s is the usual Pol II assumption (BNID 103012, 103016, 106766).
            transcription_nt_per_s: 25.0,
            // [D] no direct measurement collected: turnover = ribosomes × elongation ×
            // ATP/aa ÷ E. coli's translation share of ATP; pool = 1.5 s of turnover.
            atp_pool: turnover * atp_stock_seconds(),
            atp_turnover_per_s: turnover,
            atp_per_aa: ATP_PER_AA,
            // [D] after S phase a haploid cell holds two genome copies; the host keeps one.
            memory_kb: 2 * YEAST_GENOME_KB,
            // [V] 70–140 min, about 90 min in YPD (Milo; PMC9098079).
            doubling_time_min: 90.0,
            // [C] 2µ and CEN/ARS plasmids plus one integration site per guest is the usual
            // practical limit; kept at the upstream value of 2.
            max_vms: 2,
            // [V] typical yeast protein ≈ 370 aa (PMC9098079).
            mean_protein_aa: 370.0,
            host_reserve: HostReserve {
                // [V] ≥ 60 % of Pol II transcripts code for ribosomal proteins or ribosome
                // assembly factors (BNID 107349, 110021): the host keeps 60 % for itself.
                ribosomes: 0.60,
                rna_polymerase: 0.60,
                atp: 0.60,
                memory: 0.5,
            },
            orthogonal_fraction: None,
            sources: vec![
                "ribosomes 2e5: BNID 100267; elongation 10.5 aa/s: PMC9098079".into(),
                "host reserve 0.60: ≥60% of Pol II output is ribosome biogenesis (BNID 110021)"
                    .into(),
                "ATP turnover derived from translation demand (no direct measurement)".into(),
            ],
        }
    }

    /// JCVI-syn3A, the minimal cell.
    pub fn syn3a() -> Self {
        let ribosomes = 503; // [V] 503 in Minimal_Cell MinCell_CMEODE.py (cryo-ET, ~500)
        let elongation = 12.0; // [V] riboKcat = 12 aa/s in the rate laws used (Minimal_Cell)
        let turnover = ribosomes as f64 * elongation * ATP_PER_AA / translation_atp_share();
        ChassisSpec {
            kind: ChassisKind::Syn3a,
            name: "JCVI-syn3A minimal cell".into(),
            ribosomes,
            // [V] 187 RNAP in the CME-ODE model (the 4DWCM tutorial starts from 97).
            rna_polymerases: 187,
            elongation_aa_per_s: elongation,
            // [V] the CME-ODE model's mRNA rate uses 20 nt/s (0.155·187/493·20); rRNA is
            // capped at 85 nt/s.
            transcription_nt_per_s: 20.0,
            atp_pool: turnover * atp_stock_seconds(),
            atp_turnover_per_s: turnover,
            atp_per_aa: ATP_PER_AA,
            // [C] room for the host chromosome plus two guest genomes of syn3A's own size.
            memory_kb: 3 * SYN3A_GENOME_KB,
            // [V] 105 min measured (Thornburg 2019/2022).
            doubling_time_min: 105.0,
            // [C] a minimal cell has little spare machinery: two guests.
            max_vms: 2,
            // [D] 158,828 aa of coding sequence over 455 translated CDS in syn3A.gb ≈ 349 aa.
            mean_protein_aa: 349.0,
            host_reserve: HostReserve {
                // [V] at steady state 73 % of ribosomes and 65 % of RNAP are busy with the
                // host's own genes (4DWCM tutorial): that is the host's share.
                ribosomes: 0.73,
                rna_polymerase: 0.65,
                atp: 0.73,
                memory: 1.0 / 3.0,
            },
            orthogonal_fraction: None,
            sources: vec![
                "ribosomes 503, RNAP 187, 12 aa/s: Luthey-Schulten Minimal_Cell CME-ODE code"
                    .into(),
                "host reserve: 73% ribosomes / 65% RNAP active at steady state (4DWCM)".into(),
                "doubling 105 min: Thornburg 2022".into(),
            ],
        }
    }

    /// E. coli host whose ribosomal protein is split between host ribosomes and orthogonal
    /// ribosomes (Rackham & Chin 2005; Darlington et al. 2018 Nat Commun 9:695).
    pub fn orthogonal() -> Self {
        let mut spec = Self::ecoli();
        // [D] Darlington 2018 (lib/oriboODE.m): o-rRNA induction w_rP = 50 molecules/min
        // competes with host rRNA transcription w_r = 930 molecules/min (Weiße 2015) for one
        // pool of r-protein, so about 50/(930+50) ≈ 5.1 % of ribosomes become orthogonal.
        // They are not extra capacity: the host's own pool shrinks by the same amount.
        let f = 50.0 / (930.0 + 50.0);
        spec.kind = ChassisKind::Orthogonal;
        spec.name = "E. coli with an orthogonal-ribosome pool".into();
        spec.orthogonal_fraction = Some(f);
        // Host ribosomes barely translate o-mRNAs and o-ribosomes barely translate host
        // mRNAs (Rackham & Chin 2005): guests draw only on the o-pool, the host keeps the rest.
        spec.host_reserve.ribosomes = 1.0 - f;
        spec.sources
            .push("o-ribosome share 50/(930+50): Darlington 2018 w_rP vs Weiße 2015 w_r".into());
        spec
    }

    /// The textbook's process table as a chassis, every number a teaching convention `[C]`,
    /// none a measurement: 1,000 ribosomes at 1 aa/s make the shared machinery 1 aa per ms,
    /// so a VM's `workload_aa` is its CPU burst in ms; the host keeps nothing; a context
    /// switch costs nothing (proteins of 0.0001 aa run off in 0.1 µs, 0 ms once rounded;
    /// the default quantum is then 1 ms); room for 1,024 VMs, and a VM created on it
    /// reserves nothing unless its config says so (the hypervisor's rule for this kind).
    pub fn textbook() -> Self {
        let ribosomes = 1_000;
        let elongation = 1.0;
        // [D] as for yeast and syn3A: turnover from translation demand and E. coli's share.
        let turnover = ribosomes as f64 * elongation * ATP_PER_AA / translation_atp_share();
        ChassisSpec {
            kind: ChassisKind::Textbook,
            name: "Textbook process table (1 aa per ms)".into(),
            ribosomes,
            rna_polymerases: 1_000,
            elongation_aa_per_s: elongation,
            transcription_nt_per_s: 3.0,
            atp_pool: turnover * atp_stock_seconds(),
            atp_turnover_per_s: turnover,
            atp_per_aa: ATP_PER_AA,
            memory_kb: 1_000_000,
            doubling_time_min: 60.0,
            max_vms: 1_024,
            mean_protein_aa: 0.0001,
            host_reserve: HostReserve {
                ribosomes: 0.0,
                rna_polymerase: 0.0,
                atp: 0.0,
                memory: 0.0,
            },
            orthogonal_fraction: None,
            sources: vec![
                "teaching convention, not a cell: 1,000 ribosomes × 1 aa/s = 1 aa per ms, so workloadAa is the burst in ms".into(),
                "teaching convention: no host reserve, context switches cost 0 ms, room for 1,024 VMs, VMs reserve nothing by default".into(),
                "teaching convention: RNA polymerases, transcription, DNA capacity and doubling time are placeholders the process table does not use".into(),
                "ATP 4.5 per aa (BNID 106158); turnover derived from translation demand, as for yeast and syn3A".into(),
            ],
        }
    }

    /// A user-defined chassis, validated field by field; every bad field is reported, with the
    /// path of its JSON form (`chassis.hostReserve.atp`). From JSON: `custom_chassis`.
    pub fn custom(config: &ChassisSpec) -> Result<Self> {
        let mut spec = config.clone();
        spec.kind = ChassisKind::Custom;
        let issues = spec.validate();
        if issues.is_empty() {
            Ok(spec)
        } else {
            Err(BioxenError::InvalidConfig(issues))
        }
    }

    /// Every problem with this spec (empty when valid).
    pub fn validate(&self) -> Vec<ConfigIssue> {
        let mut v = Vec::new();
        let mut bad = |path: &str, message: String| {
            v.push(ConfigIssue {
                path: format!("chassis.{path}"),
                message,
            })
        };
        if self.name.trim().is_empty() || self.name.len() > 128 {
            bad("name", "expected 1-128 characters".into());
        }
        for (path, value, min, max) in [
            ("ribosomes", self.ribosomes, 1, 10_000_000),
            ("rnaPolymerases", self.rna_polymerases, 1, 10_000_000),
            ("memoryKb", self.memory_kb, 1, 1_000_000_000),
        ] {
            if value < min || value > max {
                bad(
                    path,
                    format!("{value} is out of range; expected {min}..={max}"),
                );
            }
        }
        if self.max_vms == 0 || self.max_vms > MAX_VMS_LIMIT {
            bad(
                "maxVms",
                format!(
                    "{} is out of range; expected 1..={}",
                    self.max_vms, MAX_VMS_LIMIT
                ),
            );
        }
        for (path, value) in [
            ("elongationAaPerS", self.elongation_aa_per_s),
            ("transcriptionNtPerS", self.transcription_nt_per_s),
            ("atpPool", self.atp_pool),
            ("atpTurnoverPerS", self.atp_turnover_per_s),
            ("atpPerAa", self.atp_per_aa),
            ("doublingTimeMin", self.doubling_time_min),
            ("meanProteinAa", self.mean_protein_aa),
        ] {
            if !(value.is_finite() && value > 0.0 && value < 1e15) {
                bad(path, format!("{value} is not a positive finite number"));
            }
        }
        let r = &self.host_reserve;
        for (path, value) in [
            ("hostReserve.ribosomes", r.ribosomes),
            ("hostReserve.rnaPolymerase", r.rna_polymerase),
            ("hostReserve.atp", r.atp),
            ("hostReserve.memory", r.memory),
        ] {
            if !(value.is_finite() && (0.0..1.0).contains(&value)) {
                bad(
                    path,
                    format!("{value} is out of range; expected 0 <= f < 1"),
                );
            }
        }
        if let Some(f) = self.orthogonal_fraction {
            if !(f.is_finite() && f > 0.0 && f < 1.0) {
                bad(
                    "orthogonalFraction",
                    format!("{f} is out of range; expected 0 < f < 1"),
                );
            }
        }
        v
    }

    /// Ribosome run-off time in ms: how long the shared machinery stays busy finishing the
    /// outgoing VM's proteins after its genes are switched off. This is the context-switch cost.
    pub fn switch_cost_ms(&self) -> u64 {
        (self.mean_protein_aa / self.elongation_aa_per_s * 1000.0).round() as u64
    }

    /// Default scheduling quantum: 30 run-off times, the ratio of Xen credit1's 30 ms slice
    /// to its 1 ms rate limit (CSCHED_DEFAULT_TSLICE_MS = 30, SCHED_DEFAULT_RATELIMIT_US = 1000).
    pub fn default_quantum_ms(&self) -> u64 {
        (30 * self.switch_cost_ms()).max(1)
    }

    /// Host reserve of each pool in that pool's units (rounded up: the host never gets less).
    pub fn reserve_amounts(&self) -> crate::resources::Amounts {
        let r = &self.host_reserve;
        crate::resources::Amounts {
            ribosomes: (self.ribosomes as f64 * r.ribosomes).ceil() as u64,
            rna_polymerase: (self.rna_polymerases as f64 * r.rna_polymerase).ceil() as u64,
            atp_centi: (crate::resources::ATP_TOTAL_CENTI as f64 * r.atp).ceil() as u64,
            memory_kb: (self.memory_kb as f64 * r.memory).ceil() as u64,
        }
    }

    /// Total capacity of each pool.
    pub fn capacity_amounts(&self) -> crate::resources::Amounts {
        crate::resources::Amounts {
            ribosomes: self.ribosomes,
            rna_polymerase: self.rna_polymerases,
            atp_centi: crate::resources::ATP_TOTAL_CENTI,
            memory_kb: self.memory_kb,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presets_are_valid_and_distinct() {
        for k in ChassisKind::PRESETS {
            let s = ChassisSpec::preset(k).unwrap();
            assert!(s.validate().is_empty(), "{k}: {:?}", s.validate());
            assert_eq!(s.kind, k);
            assert_eq!(ChassisKind::parse(k.as_str()).unwrap(), k);
            let res = s.reserve_amounts();
            let cap = s.capacity_amounts();
            assert!(res.ribosomes < cap.ribosomes && res.memory_kb < cap.memory_kb);
        }
        assert!(ChassisKind::parse("mammalian").is_err());
    }

    #[test]
    fn textbook_makes_one_aa_per_ms_with_free_switches() {
        let t = ChassisSpec::textbook();
        assert_eq!(t.ribosomes as f64 * t.elongation_aa_per_s / 1000.0, 1.0);
        assert_eq!(t.switch_cost_ms(), 0);
        assert_eq!(t.default_quantum_ms(), 1);
        assert_eq!(t.max_vms, 1024);
        assert_eq!(t.reserve_amounts(), crate::resources::Amounts::default());
        assert!(t
            .sources
            .iter()
            .all(|s| s.contains("teaching convention") || s.contains("BNID")));
    }

    #[test]
    fn switch_cost_is_ribosome_run_off() {
        // 300 aa / 15 aa/s = 20 s
        assert_eq!(ChassisSpec::ecoli().switch_cost_ms(), 20_000);
        assert_eq!(ChassisSpec::ecoli().default_quantum_ms(), 600_000);
        // 370 / 10.5 = 35.238 s
        assert_eq!(ChassisSpec::yeast().switch_cost_ms(), 35_238);
    }

    #[test]
    fn orthogonal_pool_is_a_partition_not_extra_capacity() {
        let e = ChassisSpec::ecoli();
        let o = ChassisSpec::orthogonal();
        assert_eq!(o.ribosomes, e.ribosomes);
        let guest = o.ribosomes - o.reserve_amounts().ribosomes;
        let f = o.orthogonal_fraction.unwrap();
        assert!((guest as f64 - o.ribosomes as f64 * f).abs() <= 1.0);
        assert!(guest < e.ribosomes - e.reserve_amounts().ribosomes);
    }

    #[test]
    fn custom_reports_every_bad_field() {
        let mut c = ChassisSpec::ecoli();
        c.ribosomes = 0;
        c.elongation_aa_per_s = f64::NAN;
        c.host_reserve.atp = 1.0;
        c.max_vms = 0;
        let err = ChassisSpec::custom(&c).unwrap_err();
        let paths: Vec<_> = err.config_issues().iter().map(|i| i.path.clone()).collect();
        assert_eq!(
            paths,
            [
                "chassis.ribosomes",
                "chassis.maxVms",
                "chassis.elongationAaPerS",
                "chassis.hostReserve.atp"
            ]
        );
        let ok = ChassisSpec::custom(&ChassisSpec::syn3a()).unwrap();
        assert_eq!(ok.kind, ChassisKind::Custom);
    }
}
