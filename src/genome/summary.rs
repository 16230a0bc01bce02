//! The genome summary: what a genome file holds (format, records, length, topology, GC
//! content, genes with their types and coordinates, counts, essentiality, warnings) and the
//! options and limits of parsing. These types compile in every build; the parsers that fill
//! them need the `genome` feature.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Largest input accepted, in bytes, both as given and after gzip decompression (64 MiB: the
/// E. coli K-12 GenBank flat file is about 12 MB). Larger inputs are refused before parsing.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Product keywords of the essentiality heuristic (upstream BioXen's list), matched
/// case-insensitively against a gene's product and name. tRNA and rRNA genes count as essential
/// too; pseudogenes never do.
pub const HEURISTIC_KEYWORDS: &[&str] = &[
    "ribosomal",
    "ribosome",
    "rrna",
    "trna",
    "dna polymerase",
    "rna polymerase",
    "atp synthase",
    "translation",
    "transcription",
    "replication",
    "gyrase",
    "helicase",
    "aminoacyl",
    "ligase",
    "synthetase",
];

/// File formats [`parse`](super::parse()) reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum GenomeFormat {
    Genbank,
    Gff3,
    Fasta,
    /// BioXen's whitespace-separated `.genome` columns.
    Bioxen,
}

impl GenomeFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Genbank => "genbank",
            Self::Gff3 => "gff3",
            Self::Fasta => "fasta",
            Self::Bioxen => "bioxen",
        }
    }
}

/// Shape of the molecule(s).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Topology {
    Circular,
    Linear,
    /// Several records, some circular and some linear.
    Mixed,
    /// The format does not say (FASTA, most GFF3, `.genome`).
    Unknown,
}

/// Strand of a gene.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strand {
    #[serde(rename = "+")]
    Forward,
    #[serde(rename = "-")]
    Reverse,
    #[serde(rename = ".")]
    Unknown,
}

impl Strand {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Forward => "+",
            Self::Reverse => "-",
            Self::Unknown => ".",
        }
    }
}

/// Kind of gene (see the module docs for the rule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum GeneType {
    #[serde(rename = "protein_coding")]
    ProteinCoding,
    #[serde(rename = "tRNA")]
    Trna,
    #[serde(rename = "rRNA")]
    Rrna,
    #[serde(rename = "ncRNA")]
    Ncrna,
    #[serde(rename = "pseudogene")]
    Pseudogene,
    #[serde(rename = "other")]
    Other,
}

impl GeneType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ProteinCoding => "protein_coding",
            Self::Trna => "tRNA",
            Self::Rrna => "rRNA",
            Self::Ncrna => "ncRNA",
            Self::Pseudogene => "pseudogene",
            Self::Other => "other",
        }
    }
}

/// One gene of the summary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Gene {
    /// Locus tag, else gene name, else `<feature>_<start>`.
    pub id: String,
    pub name: Option<String>,
    pub product: Option<String>,
    /// 1-based, inclusive.
    pub start: u64,
    pub end: u64,
    pub strand: Strand,
    #[serde(rename = "type")]
    pub gene_type: GeneType,
    /// Nucleotides (a `join()` counts its parts only).
    pub length: u64,
    pub essential: bool,
}

/// Genes by type.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct GeneCounts {
    pub total: u32,
    #[serde(rename = "proteinCoding")]
    pub protein_coding: u32,
    #[serde(rename = "tRNA")]
    pub trna: u32,
    #[serde(rename = "rRNA")]
    pub rrna: u32,
    #[serde(rename = "ncRNA")]
    pub ncrna: u32,
    pub pseudogene: u32,
    pub other: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EssentialSource {
    /// A supplied essentiality table (e.g. transposon-mutagenesis data).
    Table,
    /// The product-keyword heuristic ([`HEURISTIC_KEYWORDS`]): a guess, not a measurement.
    Heuristic,
    /// No genes known.
    None,
}

/// Essential genes and how they were found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Essentiality {
    pub source: EssentialSource,
    /// Genes marked essential.
    pub count: u32,
    /// How they were chosen, in words.
    pub method: String,
    /// Rows of the supplied table (0 without one).
    pub table_rows: u32,
    /// Genes of the summary that the table names (0 without one).
    pub table_matched: u32,
}

/// Something the summary wants the reader to know.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenomeWarning {
    /// Stable code: `COORDINATES_DO_NOT_FIT`, `GENE_SEQUENCES_NOT_GENOME`, `LENGTH_ESTIMATED`,
    /// `NO_GENES`, `ESSENTIAL_HEURISTIC`, `TABLE_IDS_UNMATCHED`.
    pub code: String,
    pub message: String,
}

/// What a genome file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GenomeSummary {
    pub format: GenomeFormat,
    /// The input was gzip-compressed.
    pub compressed: bool,
    /// Bytes parsed (after decompression).
    pub bytes: u64,
    pub organism: Option<String>,
    /// Accession.version of the first record (GenBank VERSION, GFF3 seqid, FASTA id).
    pub accession: Option<String>,
    /// Sequence records (GenBank records, GFF3 sequence regions, FASTA records, `.genome`: 1).
    pub records: u32,
    /// Total length, bp.
    pub length: u64,
    pub topology: Topology,
    /// (G+C) / (A+C+G+T) over the sequence, when the input has one.
    pub gc_content: Option<f64>,
    /// False when the input has a sequence but no annotation (and no gene table was given).
    pub genes_known: bool,
    pub gene_counts: GeneCounts,
    /// Raw feature counts by feature type, as in the file.
    pub feature_counts: BTreeMap<String, u32>,
    /// Σ over protein-coding genes of their CDS lengths in amino acids (stop codons excluded).
    pub total_coding_aa: u64,
    pub essential: Essentiality,
    pub genes: Vec<Gene>,
    pub warnings: Vec<GenomeWarning>,
}

impl GenomeSummary {
    /// Ids of the essential genes (the minimal gene set), in gene order.
    pub fn essential_ids(&self) -> Vec<String> {
        self.genes
            .iter()
            .filter(|g| g.essential)
            .map(|g| g.id.clone())
            .collect()
    }

    /// True when a warning with this code was raised.
    pub fn has_warning(&self, code: &str) -> bool {
        self.warnings.iter().any(|w| w.code == code)
    }
}

/// Options of [`parse`](super::parse()).
#[derive(Debug, Clone, Copy, Default)]
pub struct ParseOptions<'a> {
    /// A gene table (CSV/TSV, optionally gzip-compressed): essentiality for the genes of the
    /// input and, when the input is sequence only (FASTA), the genes themselves. Columns, by
    /// header (case-insensitive): id (`wid`, `id`, `locus_tag`, `gene_id`), essentiality
    /// (`is_essential`, `essential`); optional `name`, `symbol`, `product`, `type`, start
    /// (`coordinate_nt`, `start`), `length_nt`/`length`, `end`, `direction`/`strand`.
    pub gene_table: Option<&'a [u8]>,
    /// Skip format detection.
    pub format: Option<GenomeFormat>,
}
