//! Workloads: what a guest genome asks of the machinery.
//!
//! A VM's work is amino acids polymerised. One *cycle* of its workload is one copy of every
//! protein its genome codes for (its total coding length in aa). The default workloads come
//! from real genome facts, counted from the files in `../shared/data/` by [`crate::genome`]
//! (the gene rule is documented there); `tests/genome.rs` parses the files again, when that
//! folder is present, and checks every constant below that comes from a file.

use serde::{Deserialize, Serialize};

use crate::chassis::{ECOLI_GENOME_KB, MGENITALIUM_GENOME_KB, SYN3A_GENOME_KB, YEAST_GENOME_KB};
use crate::vm::BiologicalType;

/// What one guest genome demands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Workload {
    /// Organism the facts describe.
    pub organism: String,
    /// Genes in the genome.
    pub gene_count: u32,
    /// Protein-coding genes.
    pub protein_coding: u32,
    /// Essential genes (the minimal gene set).
    pub essential_genes: u32,
    /// Amino acids in one cycle: one copy of each coded protein.
    pub total_aa: u64,
    /// Genome length, kb (rounded up): the default memory reservation.
    pub genome_kb: u64,
    /// Where the numbers come from.
    pub source: String,
}

impl Workload {
    /// The default workload of a biological type.
    pub fn for_type(t: BiologicalType) -> Self {
        match t {
            // syn3A.gb (CP016816.2): 496 genes; 458 CDS, 3 of them (with their genes) /pseudo →
            // 455 protein-coding genes, whose CDS code for Σ(⌊nt/3⌋ − 1) = 158,828 aa (equal to
            // the sum of their /translation lengths). syn3A was minimised to essential and
            // quasi-essential genes (Hutchison 2016; Breuer 2019), so every protein-coding gene
            // counts as essential.
            BiologicalType::Syn3a => Workload {
                organism: "JCVI-syn3A".into(),
                gene_count: 496,
                protein_coding: 455,
                essential_genes: 455,
                total_aa: 158_828,
                genome_kb: SYN3A_GENOME_KB,
                source: "syn3A.gb (CP016816.2); Breuer 2019".into(),
            },
            // E. coli K-12 MG1655 RefSeq GCF_000005845.2 .gbff: 4,639 genes, 4,315 CDS; 4,288
            // protein-coding genes (145 pseudogenes) coding for 1,329,980 aa (the .gff of the
            // same assembly gives the same genes).
            // Essential genes: 303 in the Keio knock-out collection (Baba et al. 2006) [R].
            BiologicalType::Ecoli => Workload {
                organism: "Escherichia coli K-12 MG1655".into(),
                gene_count: 4_639,
                protein_coding: 4_288,
                essential_genes: 303,
                total_aa: 1_329_980,
                genome_kb: ECOLI_GENOME_KB,
                source: "GCF_000005845.2 gbff; Keio collection (Baba 2006)".into(),
            },
            // The minimal cell of the upstream project is M. genitalium G37 (WholeCellKB gene
            // table in ../shared/data): 525 genes, 482 mRNA genes, 421 essential (378 of them
            // protein-coding) by Glass et al. 2006 transposon data; Σ(⌊length_nt/3⌋ − 1) over
            // the 482 mRNA genes = 176,897 aa.
            BiologicalType::MinimalCell => Workload {
                organism: "Mycoplasma genitalium G37".into(),
                gene_count: 525,
                protein_coding: 482,
                essential_genes: 421,
                total_aa: 176_897,
                genome_kb: MGENITALIUM_GENOME_KB,
                source: "WholeCellKB M. genitalium gene table; Glass 2006".into(),
            },
            // S. cerevisiae: 5,796 non-dubious ORFs (BNID 106766) [V]; typical protein ≈ 370
            // aa (PMC9098079) [V] → 5,796 × 370 = 2,144,520 aa [D]. Essential genes ≈ 1,105
            // (Giaever et al. 2002, ~18.7 % of ORFs) [R].
            BiologicalType::Yeast => Workload {
                organism: "Saccharomyces cerevisiae".into(),
                gene_count: 5_796,
                protein_coding: 5_796,
                essential_genes: 1_105,
                total_aa: 2_144_520,
                genome_kb: YEAST_GENOME_KB,
                source: "BNID 106766 (ORFs) × 370 aa (PMC9098079); Giaever 2002".into(),
            },
        }
    }
}
