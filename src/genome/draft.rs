//! A parser's draft of a summary ([`Draft`]) and [`finish`], which turns it into a
//! [`GenomeSummary`]: genes in order with their names, products, types and counts, the
//! essential genes, the feature counts and the warnings.

use std::collections::BTreeMap;

use super::essential;
use super::group::Group;
use super::summary::{
    Gene, GeneCounts, GeneType, GenomeFormat, GenomeSummary, GenomeWarning, Topology,
};
use super::table::Table;

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

impl GeneCounts {
    pub(crate) fn add(&mut self, t: GeneType) {
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

pub(crate) fn finish(
    mut d: Draft,
    compressed: bool,
    bytes: u64,
    table: Option<Table>,
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
    let (essential, warning) = essential::mark(&mut genes, table.as_ref());
    d.warnings.extend(warning);
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
