//! Genome files → a genome summary → a VM workload.
//!
//! [`parse`] reads GenBank (gb-io; multi-record, `join()` locations, circular molecules), GFF3
//! (with or without a `##FASTA` section), FASTA, and BioXen's own `.genome` column format, each
//! optionally gzip-compressed. The format is detected from the content ([`detect`]), never from a
//! file name. Any byte sequence gives either a [`GenomeSummary`] or an
//! [`InvalidGenome`](crate::BioxenError::InvalidGenome) error naming the line (and column where it
//! helps) and what was expected; inputs over [`MAX_INPUT_BYTES`] (before or after decompression)
//! are refused up front with [`InputTooLarge`](crate::BioxenError::InputTooLarge).
//!
//! # What counts as a gene
//! Gene-like features are `gene`, `pseudogene` (GFF3) and the products `CDS`, `tRNA`, `rRNA`,
//! `ncRNA`, `tmRNA` and `misc_RNA`. A product belongs to the gene with the same `locus_tag`
//! (GenBank; else the same `/gene` name, else the same span and strand; among several genes with
//! that key, the first whose span overlaps the product's) or to its `Parent` gene (GFF3, following
//! Parent links through e.g. mRNA). A product without a gene is a gene of its own. A gene's type is
//! `pseudogene` if any member is marked pseudo (`/pseudo`, `/pseudogene`, GFF3 type `pseudogene`,
//! `pseudo=true` or a pseudo `gene_biotype`), else `protein_coding` if it has a CDS, else `tRNA`,
//! `rRNA`, `ncRNA` (ncRNA, tmRNA, misc_RNA), else `other`. Its coordinates are those of the gene
//! feature (else of its first product): 1-based inclusive bounds; its length is the sum of the
//! location's parts (a `join()` counts its exons only). The coding length of a protein-coding gene
//! is Σ over its CDS of ⌊nt / 3⌋ − 1 amino acids (the stop codon excluded). Genes are listed by
//! record, then start, then end. `scripts/genome_reference.py` applies the same rule with
//! Biopython; `tests/genome.rs` compares.
//!
//! # Essential genes
//! From a gene table when one is supplied ([`ParseOptions::gene_table`]: CSV or TSV with an id
//! column and an essentiality column, e.g. the WholeCellKB M. genitalium table). Otherwise by the
//! product-keyword heuristic of upstream BioXen ([`HEURISTIC_KEYWORDS`]), always reported as a
//! heuristic ([`EssentialSource::Heuristic`]) and never as fact.

mod bioxen;
mod fasta;
mod genbank;
mod gff3;
mod gzip;
mod keywords;
mod table;
mod workload;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{BioxenError, Result};

pub use workload::{GeneGroup, GenomeWorkload};

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

/// File formats [`parse`] reads.
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

impl GeneCounts {
    fn add(&mut self, t: GeneType) {
        self.total += 1;
        match t {
            GeneType::ProteinCoding => self.protein_coding += 1,
            GeneType::Trna => self.trna += 1,
            GeneType::Rrna => self.rrna += 1,
            GeneType::Ncrna => self.ncrna += 1,
            GeneType::Pseudogene => self.pseudogene += 1,
            GeneType::Other => self.other += 1,
        }
    }
}

/// Where the essential genes come from.
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

/// Options of [`parse`].
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

// ------------------------------------------------------------------ errors

/// A parse error at a place in the input (1-based line and column; 0 = not known).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct At {
    pub line: u64,
    pub column: u64,
    pub message: String,
}

impl At {
    pub(crate) fn new(line: u64, column: u64, message: impl Into<String>) -> Self {
        At {
            line,
            column,
            message: message.into(),
        }
    }
    fn into_error(self, what: &str) -> BioxenError {
        BioxenError::InvalidGenome {
            what: what.to_string(),
            line: self.line,
            column: self.column,
            message: self.message,
        }
    }
}

pub(crate) type ParseResult<T> = std::result::Result<T, At>;

/// A short, printable excerpt of a line for error messages.
pub(crate) fn excerpt(bytes: &[u8]) -> String {
    let s = String::from_utf8_lossy(&bytes[..bytes.len().min(40)]);
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { '·' } else { c })
        .collect();
    if bytes.len() > 40 {
        format!("{s:?}…")
    } else {
        format!("{s:?}")
    }
}

/// Lines of a byte buffer with their 1-based numbers; `\r\n` and `\n` endings are stripped.
pub(crate) fn lines(data: &[u8]) -> impl Iterator<Item = (u64, &[u8])> {
    let mut rest = data;
    let mut n = 0u64;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        n += 1;
        let (line, next) = match memchr(b'\n', rest) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (rest, &rest[rest.len()..]),
        };
        rest = next;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        Some((n, line))
    })
}

/// Index of the first `b` in `s`. Eight bytes at a time: wasm32 has no SIMD here, and a
/// byte-by-byte loop over a 12 MB file was a visible share of the parse.
pub(crate) fn memchr(b: u8, s: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let pattern = LO * b as u64;
    let mut words = s.chunks_exact(8);
    let mut at = 0usize;
    for w in &mut words {
        let x = u64::from_le_bytes(w.try_into().expect("8 bytes")) ^ pattern;
        // Bytes equal to `b` are zero in x; the lowest set bit of this marks the first of them
        // (higher bits can be false positives, the lowest never is).
        let zero = x.wrapping_sub(LO) & !x & HI;
        if zero != 0 {
            return Some(at + (zero.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&x| x == b)
        .map(|i| at + i)
}

/// A field as UTF-8, or an error naming line and column.
pub(crate) fn utf8(bytes: &[u8], line: u64, column: u64) -> ParseResult<&str> {
    std::str::from_utf8(bytes).map_err(|e| {
        At::new(
            line,
            column + e.valid_up_to() as u64,
            "invalid UTF-8: expected text",
        )
    })
}

// ------------------------------------------------------------------ building summaries

/// Kind of a gene-like feature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Gene,
    Pseudogene,
    Cds,
    Trna,
    Rrna,
    Ncrna,
}

impl Kind {
    pub(crate) fn of(feature_type: &str) -> Option<Kind> {
        Some(match feature_type {
            "gene" => Kind::Gene,
            "pseudogene" => Kind::Pseudogene,
            "CDS" => Kind::Cds,
            "tRNA" => Kind::Trna,
            "rRNA" => Kind::Rrna,
            "ncRNA" | "tmRNA" | "misc_RNA" => Kind::Ncrna,
            _ => return None,
        })
    }
    pub(crate) fn is_product(self) -> bool {
        !matches!(self, Kind::Gene | Kind::Pseudogene)
    }
}

/// One gene-like feature.
#[derive(Debug, Clone)]
pub(crate) struct Member {
    pub kind: Kind,
    pub pseudo: bool,
    pub start: u64,
    pub end: u64,
    pub strand: Strand,
    pub len: u64,
    pub name: Option<String>,
    pub product: Option<String>,
}

/// A gene being assembled: its head feature and members.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub record: u32,
    pub id: String,
    pub head: Member,
    pub members: Vec<Member>,
    /// Formats that state the type directly (`.genome`, gene tables).
    pub explicit: Option<GeneType>,
}

impl Group {
    /// A group of one feature, which is also its head.
    pub(crate) fn of(record: u32, id: String, m: Member, explicit: Option<GeneType>) -> Self {
        Group {
            record,
            id,
            head: m.clone(),
            members: vec![m],
            explicit,
        }
    }

    fn gene_type(&self) -> GeneType {
        if let Some(t) = self.explicit {
            return t;
        }
        if self.members.iter().any(|m| m.pseudo) {
            return GeneType::Pseudogene;
        }
        let has = |k: Kind| self.members.iter().any(|m| m.kind == k);
        if has(Kind::Cds) {
            GeneType::ProteinCoding
        } else if has(Kind::Trna) {
            GeneType::Trna
        } else if has(Kind::Rrna) {
            GeneType::Rrna
        } else if has(Kind::Ncrna) {
            GeneType::Ncrna
        } else {
            GeneType::Other
        }
    }

    fn coding_aa(&self, t: GeneType) -> u64 {
        if t != GeneType::ProteinCoding {
            return 0;
        }
        if self.explicit.is_some() {
            return (self.head.len / 3).saturating_sub(1);
        }
        self.members
            .iter()
            .filter(|m| m.kind == Kind::Cds)
            .map(|m| (m.len / 3).saturating_sub(1))
            .sum()
    }
}

/// What a format parser hands to [`finish`].
#[derive(Debug, Clone)]
pub(crate) struct Draft {
    pub format: GenomeFormat,
    pub organism: Option<String>,
    pub accession: Option<String>,
    pub records: u32,
    pub length: u64,
    pub topology: Topology,
    /// (G+C, A+C+G+T) counts, when there is a sequence.
    pub gc: Option<(u64, u64)>,
    pub genes_known: bool,
    pub feature_counts: BTreeMap<String, u32>,
    /// Feature counts not yet in `feature_counts` (see [`Draft::count_feature`]).
    pub recent_types: Vec<(String, u32)>,
    pub groups: Vec<Group>,
    pub warnings: Vec<GenomeWarning>,
}

impl Draft {
    pub(crate) fn new(format: GenomeFormat) -> Self {
        Draft {
            format,
            organism: None,
            accession: None,
            records: 0,
            length: 0,
            topology: Topology::Unknown,
            gc: None,
            genes_known: true,
            feature_counts: BTreeMap::new(),
            recent_types: Vec::new(),
            groups: Vec::new(),
            warnings: Vec::new(),
        }
    }
    pub(crate) fn warn(&mut self, code: &str, message: impl Into<String>) {
        self.warnings.push(GenomeWarning {
            code: code.into(),
            message: message.into(),
        });
    }
    /// Count a feature of type `t`. The first few types are counted in a short list searched
    /// linearly (files use a handful of types, and the map lookup per feature showed in
    /// profiles); later types go to the map. A type is in one of the two, never both.
    pub(crate) fn count_feature(&mut self, t: &str) {
        const RECENT: usize = 8;
        if let Some((_, n)) = self.recent_types.iter_mut().find(|(k, _)| k == t) {
            *n += 1;
        } else if self.recent_types.len() < RECENT {
            self.recent_types.push((t.to_string(), 1));
        } else {
            match self.feature_counts.get_mut(t) {
                Some(n) => *n += 1,
                None => {
                    self.feature_counts.insert(t.to_string(), 1);
                }
            }
        }
    }
}

/// (G+C, A+C+G+T) of a sequence.
pub(crate) fn gc_counts(seq: &[u8]) -> (u64, u64) {
    // One table lookup and one add per base: G/C count in the high 32 bits, A/C/G/T in the low
    // 32. Chunks of under 2^32 bases keep the low half from carrying into the high half.
    const WEIGHT: [u64; 256] = {
        let mut t = [0u64; 256];
        let (gc, at) = (1u64 << 32 | 1, 1u64);
        t[b'G' as usize] = gc;
        t[b'g' as usize] = gc;
        t[b'C' as usize] = gc;
        t[b'c' as usize] = gc;
        t[b'A' as usize] = at;
        t[b'a' as usize] = at;
        t[b'T' as usize] = at;
        t[b't' as usize] = at;
        t
    };
    let (mut gc, mut acgt) = (0u64, 0u64);
    for chunk in seq.chunks(u32::MAX as usize) {
        let sum = chunk.iter().fold(0u64, |s, &b| s + WEIGHT[b as usize]);
        gc += sum >> 32;
        acgt += sum & u64::from(u32::MAX);
    }
    (gc, acgt)
}

/// What a GenBank product and its gene share: the locus tag, else the gene name, else the span
/// and strand.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum GeneKey {
    Tag(String),
    Gene(String),
    Span(u64, u64, &'static str),
}

/// Products join the first gene with their key whose span overlaps theirs, else the first gene
/// with their key, else become genes of their own. `keyed` pairs each product with its key and
/// is processed after every gene of the record is known (so order in the file does not matter).
pub(crate) fn attach(
    genes: &mut Vec<(GeneKey, Group)>,
    products: Vec<(GeneKey, String, Member)>,
    record: u32,
) {
    // Gene indices sorted by key; the sort is stable, so file order within a key.
    let mut by_key: Vec<usize> = (0..genes.len()).collect();
    by_key.sort_by(|&a, &b| genes[a].0.cmp(&genes[b].0));
    // Products that become genes of their own are not targets for later products.
    let mut own: Vec<(GeneKey, Group)> = Vec::new();
    for (key, id, m) in products {
        let from = by_key.partition_point(|&i| genes[i].0 < key);
        let same = by_key[from..]
            .iter()
            .copied()
            .take_while(|&i| genes[i].0 == key);
        let target = same
            .clone()
            .find(|&i| {
                let h = &genes[i].1.head;
                h.start <= m.end && m.start <= h.end
            })
            .or_else(|| same.clone().next());
        match target {
            Some(i) => genes[i].1.members.push(m),
            None => own.push((key, Group::of(record, id, m, None))),
        }
    }
    genes.extend(own);
}

static HEURISTIC: keywords::Keywords = keywords::Keywords::new(HEURISTIC_KEYWORDS);

/// `buf` is scratch space, reused across genes.
fn heuristic_essential(g: &Gene, buf: &mut String) -> bool {
    match g.gene_type {
        GeneType::Pseudogene => false,
        GeneType::Trna | GeneType::Rrna => true,
        _ => {
            // Product and name are searched as one text, "product name", as upstream does.
            buf.clear();
            buf.push_str(g.product.as_deref().unwrap_or(""));
            buf.push(' ');
            buf.push_str(g.name.as_deref().unwrap_or(""));
            HEURISTIC.any(buf)
        }
    }
}

fn finish(
    mut d: Draft,
    compressed: bool,
    bytes: u64,
    table: Option<table::Table>,
) -> GenomeSummary {
    // Sequence-only input with a table that carries coordinates: the table gives the genes.
    if !d.genes_known {
        if let Some(t) = &table {
            if t.has_coordinates() {
                d.groups = t.groups();
                d.genes_known = true;
            }
        }
    }
    d.groups.sort_by(|a, b| {
        (a.record, a.head.start, a.head.end).cmp(&(b.record, b.head.start, b.head.end))
    });
    let mut counts = GeneCounts::default();
    let mut total_aa = 0u64;
    let mut genes = Vec::with_capacity(d.groups.len());
    for g in &d.groups {
        let t = g.gene_type();
        counts.add(t);
        total_aa += g.coding_aa(t);
        let name = g
            .head
            .name
            .clone()
            .or_else(|| g.members.iter().find_map(|m| m.name.clone()));
        let product = g
            .members
            .iter()
            .filter(|m| m.kind.is_product())
            .find_map(|m| m.product.clone())
            .or_else(|| g.head.product.clone());
        genes.push(Gene {
            id: g.id.clone(),
            name,
            product,
            start: g.head.start,
            end: g.head.end,
            strand: g.head.strand,
            gene_type: t,
            length: g.head.len,
            essential: false,
        });
    }
    let essential = match &table {
        Some(t) => {
            let mut matched = 0u32;
            for g in &mut genes {
                if let Some(e) = t
                    .lookup(&g.id)
                    .or_else(|| g.name.as_deref().and_then(|n| t.lookup(n)))
                {
                    matched += 1;
                    g.essential = e;
                }
            }
            if matched < genes.len() as u32 {
                d.warn(
                    "TABLE_IDS_UNMATCHED",
                    format!(
                        "the gene table names {matched} of the {} genes; the other {} count as not essential",
                        genes.len(),
                        genes.len() as u32 - matched
                    ),
                );
            }
            Essentiality {
                source: EssentialSource::Table,
                count: genes.iter().filter(|g| g.essential).count() as u32,
                method: "essentiality table supplied with the genome".into(),
                table_rows: t.rows(),
                table_matched: matched,
            }
        }
        None if genes.is_empty() => Essentiality {
            source: EssentialSource::None,
            count: 0,
            method: "no genes known".into(),
            table_rows: 0,
            table_matched: 0,
        },
        None => {
            let mut buf = String::new();
            for g in &mut genes {
                g.essential = heuristic_essential(g, &mut buf);
            }
            let method = format!(
                "heuristic, not measured: tRNA and rRNA genes, and genes whose product or name contains one of: {}",
                HEURISTIC_KEYWORDS.join(", ")
            );
            d.warn(
                "ESSENTIAL_HEURISTIC",
                format!("essential genes are a guess: {method}"),
            );
            Essentiality {
                source: EssentialSource::Heuristic,
                count: genes.iter().filter(|g| g.essential).count() as u32,
                method,
                table_rows: 0,
                table_matched: 0,
            }
        }
    };
    if !d.genes_known {
        d.warn(
            "NO_GENES",
            "the input is sequence only: gene content is unknown (supply an annotation or a gene table)",
        );
    }
    GenomeSummary {
        format: d.format,
        compressed,
        bytes,
        organism: d.organism,
        accession: d.accession,
        records: d.records,
        length: d.length,
        topology: d.topology,
        gc_content: d
            .gc
            .and_then(|(gc, n)| (n > 0).then(|| gc as f64 / n as f64)),
        genes_known: d.genes_known,
        gene_counts: counts,
        feature_counts: {
            let mut counts = d.feature_counts;
            counts.extend(d.recent_types);
            counts
        },
        total_coding_aa: total_aa,
        essential,
        genes,
        warnings: d.warnings,
    }
}

// ------------------------------------------------------------------ entry points

/// Detect the format of (decompressed) text from its first meaningful line.
pub fn detect(data: &[u8]) -> Result<GenomeFormat> {
    detect_at(data).map_err(|e| e.into_error("genome"))
}

fn detect_at(data: &[u8]) -> ParseResult<GenomeFormat> {
    let binary = |what: &str| {
        At::new(
            1,
            1,
            format!("this is {what}, not a genome file: expected GenBank, GFF3, FASTA or BioXen .genome text"),
        )
    };
    if data.starts_with(b"PK\x03\x04") {
        return Err(binary("a ZIP archive (e.g. .xlsx or .zip)"));
    }
    if data.starts_with(b"BZh") {
        return Err(binary("bzip2-compressed data (only gzip is read)"));
    }
    if data.starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0]) {
        return Err(binary("xz-compressed data (only gzip is read)"));
    }
    if data.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
        return Err(binary("zstd-compressed data (only gzip is read)"));
    }
    let data = data.strip_prefix(b"\xef\xbb\xbf").unwrap_or(data);
    let mut bioxen_header = false;
    for (n, line) in lines(data) {
        let t = line.trim_ascii();
        if t.is_empty() {
            continue;
        }
        if t.starts_with(b"##gff-version") {
            return Ok(GenomeFormat::Gff3);
        }
        if t.starts_with(b"#") {
            let lower = t.to_ascii_lowercase();
            if lower.windows(6).any(|w| w == b"bioxen") || lower.starts_with(b"# format") {
                bioxen_header = true;
            }
            continue;
        }
        if t.starts_with(b"LOCUS") {
            return Ok(GenomeFormat::Genbank);
        }
        if t.starts_with(b">") {
            return Ok(GenomeFormat::Fasta);
        }
        if line.split(|&b| b == b'\t').count() >= 9 {
            return Ok(GenomeFormat::Gff3);
        }
        if bioxen_header || bioxen::looks_like_row(t) {
            return Ok(GenomeFormat::Bioxen);
        }
        return Err(At::new(
            n,
            1,
            format!(
                "unrecognised genome format at {}: expected GenBank (a LOCUS line), GFF3 (##gff-version 3 or 9 tab-separated columns), FASTA (a >header line) or BioXen .genome (start length end strand type id description)",
                excerpt(t)
            ),
        ));
    }
    Err(At::new(
        1,
        1,
        "the input is empty: expected GenBank, GFF3, FASTA or BioXen .genome text",
    ))
}

/// Parse a genome file (any supported format, optionally gzip-compressed) into a summary.
pub fn parse(input: &[u8], options: &ParseOptions) -> Result<GenomeSummary> {
    parse_with_progress(input, options, &mut |_| {})
}

/// [`parse`], reporting progress (0..=1, by bytes read) to `progress` now and then.
pub fn parse_with_progress(
    input: &[u8],
    options: &ParseOptions,
    progress: &mut dyn FnMut(f64),
) -> Result<GenomeSummary> {
    let (data, compressed) = gzip::maybe_decompress(input, "genome")?;
    let table = match options.gene_table {
        None => None,
        Some(t) => {
            let (t, _) = gzip::maybe_decompress(t, "gene table")?;
            Some(table::Table::parse(&t).map_err(|e| e.into_error("gene table"))?)
        }
    };
    let format = match options.format {
        Some(f) => f,
        None => detect(&data)?,
    };
    let draft = match format {
        GenomeFormat::Genbank => genbank::parse(&data, progress),
        GenomeFormat::Gff3 => gff3::parse(&data, progress),
        GenomeFormat::Fasta => fasta::parse(&data, progress),
        GenomeFormat::Bioxen => bioxen::parse(&data, progress),
    }
    .map_err(|e| e.into_error(format.as_str()))?;
    progress(1.0);
    Ok(finish(draft, compressed, data.len() as u64, table))
}

#[cfg(test)]
mod tests {
    use super::{gc_counts, memchr};

    #[test]
    fn memchr_finds_the_first_occurrence() {
        let hay: Vec<u8> = (0..200u32).map(|i| (i * 7 % 256) as u8).collect();
        for len in 0..hay.len() {
            let s = &hay[..len];
            for b in [0u8, 1, 7, 10, 0x80, 0xff, 0x81, 200] {
                assert_eq!(memchr(b, s), s.iter().position(|&x| x == b), "{b} in {len}");
            }
        }
        // Bytes next to the searched one that differ only in the high bit or by one.
        let s = b"\x0b\x8a\x09\x8a\x0b\x0b\x8a\x0a";
        assert_eq!(memchr(b'\n', s), Some(7));
        assert_eq!(
            memchr(b'\n', b"\x8a\x8a\x8a\x8a\x8a\x8a\x8a\x8a\x0a"),
            Some(8)
        );
    }

    #[test]
    fn gc_counts_both_cases_and_ignores_other_letters() {
        assert_eq!(gc_counts(b""), (0, 0));
        assert_eq!(gc_counts(b"ACGTacgtNnRy-\x00\xff"), (4, 8));
        assert_eq!(gc_counts(b"GGGGcccc"), (8, 8));
    }
}
