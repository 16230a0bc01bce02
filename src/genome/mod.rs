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

//!
//! Files: `summary.rs` (the summary types, in every build), `workload.rs` (summary → VM
//! workload, in every build) and, with the `genome` feature, `parse.rs` (entry points),
//! `text.rs`, `group.rs`, `draft.rs`, `essential.rs`, `table.rs`, `gzip.rs` and one parser
//! per format. Without the feature, `unavailable.rs` gives the same entry points, failing
//! with FEATURE_UNAVAILABLE.

#[cfg(feature = "genome")]
mod bioxen;
#[cfg(feature = "genome")]
mod draft;
#[cfg(feature = "genome")]
mod essential;
#[cfg(feature = "genome")]
mod fasta;
#[cfg(feature = "genome")]
mod genbank;
#[cfg(feature = "genome")]
mod gff3;
#[cfg(feature = "genome")]
mod group;
#[cfg(feature = "genome")]
mod gzip;
mod keywords;
#[cfg(feature = "genome")]
mod parse;
mod summary;
#[cfg(feature = "genome")]
mod table;
#[cfg(feature = "genome")]
mod text;
#[cfg(not(feature = "genome"))]
mod unavailable;
mod workload;

#[cfg(feature = "genome")]
pub use parse::{detect, parse, parse_with_progress};
pub use summary::{
    EssentialSource, Essentiality, Gene, GeneCounts, GeneType, GenomeFormat, GenomeSummary,
    GenomeWarning, ParseOptions, Strand, Topology, HEURISTIC_KEYWORDS, MAX_INPUT_BYTES,
};
#[cfg(not(feature = "genome"))]
pub use unavailable::{detect, parse, parse_with_progress};
pub use workload::{GeneGroup, GenomeWorkload};
