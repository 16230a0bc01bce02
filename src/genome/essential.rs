//! Which genes are essential: the supplied gene table when there is one, else the
//! product-keyword heuristic of upstream BioXen ([`HEURISTIC_KEYWORDS`]), reported as a guess.

use super::keywords::Keywords;
use super::summary::{
    EssentialSource, Essentiality, Gene, GeneType, GenomeWarning, HEURISTIC_KEYWORDS,
};
use super::table::Table;

static HEURISTIC: Keywords = Keywords::new(HEURISTIC_KEYWORDS);

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

/// Mark the essential genes of `genes` (by `table`, else by the heuristic) and say how; with
/// the warning the summary raises about it, if any.
pub(crate) fn mark(
    genes: &mut [Gene],
    table: Option<&Table>,
) -> (Essentiality, Option<GenomeWarning>) {
    let mut warning = None;
    let essential = match table {
        Some(t) => {
            let mut matched = 0u32;
            for g in genes.iter_mut() {
                if let Some(e) = t
                    .lookup(&g.id)
                    .or_else(|| g.name.as_deref().and_then(|n| t.lookup(n)))
                {
                    matched += 1;
                    g.essential = e;
                }
            }
            if matched < genes.len() as u32 {
                warning = Some(GenomeWarning {
                    code: "TABLE_IDS_UNMATCHED".into(),
                    message: format!(
                        "the gene table names {matched} of the {} genes; the other {} count as not essential",
                        genes.len(),
                        genes.len() as u32 - matched
                    )
                });
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
            for g in genes.iter_mut() {
                g.essential = heuristic_essential(g, &mut buf);
            }
            let method = format!(
                "heuristic, not measured: tRNA and rRNA genes, and genes whose product or name contains one of: {}",
                HEURISTIC_KEYWORDS.join(", ")
            );
            warning = Some(GenomeWarning {
                code: "ESSENTIAL_HEURISTIC".into(),
                message: format!("essential genes are a guess: {method}"),
            });
            Essentiality {
                source: EssentialSource::Heuristic,
                count: genes.iter().filter(|g| g.essential).count() as u32,
                method,
                table_rows: 0,
                table_matched: 0,
            }
        }
    };
    (essential, warning)
}
