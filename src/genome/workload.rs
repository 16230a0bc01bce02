//! From a genome summary to what a VM built on it demands.
//!
//! * memory: the genome length, in kb rounded up;
//! * expression demand: one work cycle is one copy of every protein the genome codes for (its
//!   total coding length in amino acids);
//! * minimal gene set: the essential genes (from a table, or the keyword heuristic, as the
//!   summary says); the reservation floor scales with their number as for the built-in types
//!   (see [`crate::config::default_config`]);
//! * gene groups: protein-coding genes by function, from product keywords (upstream BioXen's
//!   categories), with their amino-acid demand: the unit a heterologous-expression model can
//!   give one gene class each.

use serde::{Deserialize, Serialize};

use super::keywords::Keywords;
use super::summary::{EssentialSource, GeneType, GenomeSummary};
use crate::error::{BioxenError, Result};
use crate::workload::Workload;

/// Genes of one functional group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GeneGroup {
    pub name: String,
    pub genes: u32,
    /// Amino acids per copy of every protein of the group.
    pub aa: u64,
}

/// What a VM built on a genome demands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenomeWorkload {
    pub workload: Workload,
    /// Ids of the essential genes.
    pub minimal_gene_set: Vec<String>,
    pub essential_source: EssentialSource,
    pub groups: Vec<GeneGroup>,
}

/// Functional groups and their product keywords, tried in order (first match wins).
const GROUPS: &[(&str, &[&str])] = &[
    (
        "protein_synthesis",
        &[
            "ribosom",
            "translation",
            "elongation factor",
            "trna ligase",
            "trna synthetase",
            "aminoacyl",
            "peptide chain release",
        ],
    ),
    (
        "dna_replication",
        &[
            "dna polymerase",
            "gyrase",
            "helicase",
            "replication",
            "primase",
            "topoisomerase",
            "dna ligase",
        ],
    ),
    (
        "transcription",
        &["rna polymerase", "sigma factor", "transcription"],
    ),
    (
        "energy_metabolism",
        &[
            "atp synthase",
            "glycoly",
            "kinase",
            "dehydrogenase",
            "phosphate",
        ],
    ),
    (
        "transport",
        &["transport", "permease", "abc ", "channel", "porin"],
    ),
    (
        "metabolism",
        &[
            "synthase",
            "reductase",
            "transferase",
            "isomerase",
            "hydrolase",
            "ase",
        ],
    ),
];

/// Every keyword of [`GROUPS`], group after group, and the group of each.
const KEYWORD_COUNT: usize = {
    let mut n = 0;
    let mut g = 0;
    while g < GROUPS.len() {
        n += GROUPS[g].1.len();
        g += 1;
    }
    n
};
static ALL_KEYWORDS: [&str; KEYWORD_COUNT] = {
    let mut out = [""; KEYWORD_COUNT];
    let (mut g, mut n) = (0, 0);
    while g < GROUPS.len() {
        let mut k = 0;
        while k < GROUPS[g].1.len() {
            out[n] = GROUPS[g].1[k];
            n += 1;
            k += 1;
        }
        g += 1;
    }
    out
};
const GROUP_OF_KEYWORD: [usize; KEYWORD_COUNT] = {
    let mut out = [0; KEYWORD_COUNT];
    let (mut g, mut n) = (0, 0);
    while g < GROUPS.len() {
        let mut k = 0;
        while k < GROUPS[g].1.len() {
            out[n] = g;
            n += 1;
            k += 1;
        }
        g += 1;
    }
    out
};
static GROUP_KEYWORDS: Keywords = Keywords::new(&ALL_KEYWORDS);

/// The first group (in [`GROUPS`] order) with a keyword in the product, matched
/// case-insensitively. Keywords are numbered group after group, so the lowest keyword found
/// names the group; the scan stops early once a keyword of the first group is found.
fn group_of(product: Option<&str>) -> &'static str {
    let first_group = (1u64 << GROUPS[0].1.len()) - 1;
    match GROUP_KEYWORDS.found(product.unwrap_or(""), first_group) {
        0 => "other",
        found => GROUPS[GROUP_OF_KEYWORD[found.trailing_zeros() as usize]].0,
    }
}

impl GenomeSummary {
    /// The workload of a VM built on this genome. Refused when the genome has no protein-coding
    /// genes (a sequence without annotation gives no expression demand).
    pub fn workload(&self) -> Result<GenomeWorkload> {
        let what = self.accession.as_deref().unwrap_or("the genome");
        if self.gene_counts.protein_coding == 0 || self.total_coding_aa == 0 {
            return Err(BioxenError::arg(
                "genome",
                format!(
                    "{what} has no protein-coding genes{}: expected an annotated genome (GenBank, GFF3, .genome) or a FASTA with a gene table",
                    if self.genes_known { "" } else { " (sequence only)" }
                ),
            ));
        }
        let mut groups: Vec<GeneGroup> = Vec::new();
        for g in &self.genes {
            if g.gene_type != GeneType::ProteinCoding {
                continue;
            }
            let name = group_of(g.product.as_deref());
            let aa = (g.length / 3).saturating_sub(1);
            match groups.iter_mut().find(|x| x.name == name) {
                Some(x) => {
                    x.genes += 1;
                    x.aa += aa;
                }
                None => groups.push(GeneGroup {
                    name: name.to_string(),
                    genes: 1,
                    aa,
                }),
            }
        }
        let order = |n: &str| {
            GROUPS
                .iter()
                .position(|(g, _)| *g == n)
                .unwrap_or(GROUPS.len())
        };
        groups.sort_by_key(|g| order(&g.name));
        let minimal = self.essential_ids();
        let organism = self
            .organism
            .clone()
            .or_else(|| self.accession.clone())
            .unwrap_or_else(|| "unnamed genome".into());
        Ok(GenomeWorkload {
            workload: Workload {
                organism,
                gene_count: self.gene_counts.total,
                protein_coding: self.gene_counts.protein_coding,
                essential_genes: minimal.len() as u32,
                total_aa: self.total_coding_aa,
                genome_kb: self.length.div_ceil(1000).max(1),
                source: format!(
                    "{} file {what}; essential genes: {}",
                    self.format.as_str(),
                    match self.essential.source {
                        EssentialSource::Table => "from the supplied table",
                        EssentialSource::Heuristic => "product-keyword heuristic (not measured)",
                        EssentialSource::None => "none known",
                    }
                ),
            },
            minimal_gene_set: minimal,
            essential_source: self.essential.source,
            groups,
        })
    }
}

impl GenomeWorkload {
    /// A workload given back as data (the `workload` of a `parseGenome` summary, as a session
    /// file or a JS caller holds it): decoded and range-checked. The JS bindings and the session
    /// replay both read `config.genome` through this, so both refuse the same values with the
    /// same message. Without the `genome` feature it fails with FEATURE_UNAVAILABLE (see
    /// below), so a genome VM cannot be created from data either.
    #[cfg(feature = "genome")]
    pub fn from_json(json: serde_json::Value) -> Result<GenomeWorkload> {
        let gw: GenomeWorkload = serde_json::from_value(json)
            .map_err(|e| BioxenError::arg("config.genome.workload", e.to_string()))?;
        let wl = &gw.workload;
        if wl.total_aa == 0
            || wl.total_aa > 1_000_000_000_000
            || wl.genome_kb == 0
            || wl.genome_kb > 1_000_000_000
        {
            return Err(BioxenError::arg(
                "config.genome.workload",
                "expected totalAa from 1 to 1e12 and genomeKb from 1 to 1e9 (as parseGenome gives)",
            ));
        }
        Ok(gw)
    }

    /// A workload given back as data: a build without the `genome` feature has no genome VMs,
    /// so this fails with FEATURE_UNAVAILABLE naming "genome" (in `createVm(.., { genome })`
    /// and in the replay of a session holding one).
    #[cfg(not(feature = "genome"))]
    pub fn from_json(_json: serde_json::Value) -> Result<GenomeWorkload> {
        Err(BioxenError::feature_unavailable(
            "genome",
            "config.genome (a VM built on a genome)",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::{group_of, GROUPS};

    /// The rule as first written: lowercase, then the first group with a keyword contained.
    fn reference(product: Option<&str>) -> &'static str {
        let p = product.unwrap_or("").to_lowercase();
        GROUPS
            .iter()
            .find(|(_, keys)| keys.iter().any(|k| p.contains(k)))
            .map_or("other", |(n, _)| *n)
    }

    #[test]
    fn group_of_agrees_with_lowercase_contains() {
        for p in [
            None,
            Some(""),
            Some("30S ribosomal protein S1"),
            Some("DNA gyrase subunit A"),
            Some("ATP synthase subunit beta; kinase"),
            Some("ABC transporter permease"),
            Some("phosphate ABC transporter"),
            Some("glucose-6-phosphate isomerase"),
            Some("RNA polymerase sigma factor, translation"),
            Some("hypothetical protein"),
            Some("\u{212A}inase"),
            Some("ASE"),
            Some("tRNA ligase"),
        ] {
            assert_eq!(group_of(p), reference(p), "{p:?}");
        }
    }
}
