//! Genes being assembled from gene-like features: the feature kinds, the members of a gene,
//! the rule that gives a gene its type and coding length, and how GenBank products find their
//! gene.

use super::summary::{GeneType, Strand};

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

    pub(crate) fn gene_type(&self) -> GeneType {
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

    pub(crate) fn coding_aa(&self, t: GeneType) -> u64 {
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
