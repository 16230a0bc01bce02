//! Gene tables (CSV or TSV with a header row): essentiality by gene id, and for sequence-only
//! genomes the genes themselves. The WholeCellKB M. genitalium table is one
//! (`wid,name,symbol,type,chromosome,coordinate_nt,length_nt,direction,is_essential`).
//!
//! Ids match a gene's id (or name) ignoring case and any character that is not a letter or digit,
//! so `MG_001`, `mg001` and `MG001` are one gene.

use std::collections::BTreeMap;

use super::group::{Group, Kind, Member};
use super::summary::{GeneType, Strand};
use super::text::{excerpt, lines, utf8, At, ParseResult};

struct Row {
    id: String,
    name: Option<String>,
    product: Option<String>,
    gene_type: GeneType,
    start: Option<u64>,
    length: Option<u64>,
    strand: Strand,
    essential: bool,
}

pub(crate) struct Table {
    rows: Vec<Row>,
    index: BTreeMap<String, bool>,
    coordinates: bool,
}

pub(crate) fn normalise(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Split one CSV/TSV line into (1-based column, field), honouring double quotes.
fn split(line: &str, delim: char, n: u64) -> ParseResult<Vec<(u64, String)>> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut col = 1u64;
    let mut in_quotes = false;
    let mut chars = line.char_indices().peekable();
    let mut field_start = 1u64;
    while let Some((i, c)) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek().is_some_and(|(_, c)| *c == '"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        if c == '"' && field.is_empty() {
            in_quotes = true;
        } else if c == delim {
            out.push((field_start, std::mem::take(&mut field)));
            field_start = i as u64 + 2;
        } else {
            field.push(c);
        }
        col = i as u64 + 1;
    }
    let _ = col;
    if in_quotes {
        return Err(At::new(
            n,
            field_start,
            "unterminated quoted field: expected a closing '\"'",
        ));
    }
    out.push((field_start, field));
    Ok(out)
}

fn truth(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "e" | "essential" => Some(true),
        "false" | "no" | "n" | "0" | "ne" | "non-essential" | "nonessential" => Some(false),
        _ => None,
    }
}

fn gene_type(v: &str) -> GeneType {
    let l = v.to_ascii_lowercase();
    if l.contains("pseudo") {
        GeneType::Pseudogene
    } else if l.contains("trna") && !l.contains("tmrna") {
        GeneType::Trna
    } else if l.contains("rrna") {
        GeneType::Rrna
    } else if ["mrna", "protein", "cds"].iter().any(|k| l.contains(k)) {
        GeneType::ProteinCoding
    } else if ["srna", "ncrna", "tmrna", "misc_rna"]
        .iter()
        .any(|k| l.contains(k))
    {
        GeneType::Ncrna
    } else {
        GeneType::Other
    }
}

impl Table {
    pub(crate) fn parse(data: &[u8]) -> ParseResult<Table> {
        let mut it = lines(data).filter(|(_, l)| !l.trim_ascii().is_empty());
        let Some((hn, header)) = it.next() else {
            return Err(At::new(
                1,
                1,
                "the gene table is empty: expected a header row",
            ));
        };
        let header = utf8(header, hn, 1)?;
        let header = header.strip_prefix('\u{feff}').unwrap_or(header);
        let delim = if header.contains('\t') { '\t' } else { ',' };
        let names: Vec<String> = split(header, delim, hn)?
            .into_iter()
            .map(|(_, h)| h.trim().to_ascii_lowercase())
            .collect();
        let col = |cands: &[&str]| cands.iter().find_map(|c| names.iter().position(|h| h == c));
        let id_col = col(&["wid", "id", "locus_tag", "gene_id", "locus"]).ok_or_else(|| {
            At::new(
                hn,
                1,
                format!(
                    "no id column in the header {}: expected one of wid, id, locus_tag, gene_id",
                    excerpt(header.as_bytes())
                ),
            )
        })?;
        let ess_col = col(&["is_essential", "essential", "essentiality"]).ok_or_else(|| {
            At::new(
                hn,
                1,
                format!(
                    "no essentiality column in the header {}: expected is_essential or essential",
                    excerpt(header.as_bytes())
                ),
            )
        })?;
        let name_col = col(&["symbol", "gene", "name"]);
        let product_col = if names.iter().any(|h| h == "product") {
            col(&["product"])
        } else if name_col != col(&["name"]) {
            col(&["name"])
        } else {
            None
        };
        let type_col = col(&["type", "gene_type", "biotype"]);
        let start_col = col(&["coordinate_nt", "start", "coordinate"]);
        let len_col = col(&["length_nt", "length"]);
        let end_col = col(&["end"]);
        let strand_col = col(&["direction", "strand"]);
        let coordinates = start_col.is_some() && (len_col.is_some() || end_col.is_some());
        let mut rows = Vec::new();
        let mut index = BTreeMap::new();
        for (n, raw) in it {
            let line = utf8(raw, n, 1)?;
            let f = split(line, delim, n)?;
            if f.len() != names.len() {
                return Err(At::new(
                    n,
                    1,
                    format!(
                        "{} fields: expected {} as in the header",
                        f.len(),
                        names.len()
                    ),
                ));
            }
            let get = |c: Option<usize>| c.map(|i| f[i].1.trim()).filter(|s| !s.is_empty());
            let id = f[id_col].1.trim().to_string();
            if id.is_empty() {
                return Err(At::new(n, f[id_col].0, "empty gene id: expected an id"));
            }
            let essential = truth(&f[ess_col].1).ok_or_else(|| {
                At::new(
                    n,
                    f[ess_col].0,
                    format!(
                        "essentiality is {:?}: expected True or False (also yes/no, 1/0)",
                        f[ess_col].1.chars().take(40).collect::<String>()
                    ),
                )
            })?;
            let number = |c: Option<usize>, what: &str| -> ParseResult<Option<u64>> {
                match c {
                    None => Ok(None),
                    Some(i) => f[i].1.trim().parse::<u64>().map(Some).map_err(|_| {
                        At::new(
                            n,
                            f[i].0,
                            format!(
                                "{what} is {:?}: expected a whole number",
                                f[i].1.chars().take(40).collect::<String>()
                            ),
                        )
                    }),
                }
            };
            let (start, length) = if coordinates {
                let s = number(start_col, "start")?;
                let l = match len_col {
                    Some(_) => number(len_col, "length")?,
                    None => number(end_col, "end")?
                        .zip(s)
                        .map(|(e, s)| (e + 1).saturating_sub(s)),
                };
                (s, l)
            } else {
                (None, None)
            };
            let strand = match get(strand_col) {
                Some("f" | "+" | "1" | "forward") => Strand::Forward,
                Some("r" | "-" | "-1" | "reverse") => Strand::Reverse,
                _ => Strand::Unknown,
            };
            index.insert(normalise(&id), essential);
            rows.push(Row {
                id,
                name: get(name_col).map(str::to_string),
                product: get(product_col).map(str::to_string),
                gene_type: get(type_col).map_or(GeneType::Other, gene_type),
                start,
                length,
                strand,
                essential,
            });
        }
        Ok(Table {
            rows,
            index,
            coordinates,
        })
    }

    pub(crate) fn rows(&self) -> u32 {
        self.rows.len() as u32
    }

    pub(crate) fn has_coordinates(&self) -> bool {
        self.coordinates
    }

    pub(crate) fn lookup(&self, id: &str) -> Option<bool> {
        self.index.get(&normalise(id)).copied()
    }

    /// The rows as genes (for sequence-only genomes).
    pub(crate) fn groups(&self) -> Vec<Group> {
        self.rows
            .iter()
            .map(|r| {
                let start = r.start.unwrap_or(0).max(1);
                let len = r.length.unwrap_or(0);
                let m = Member {
                    kind: Kind::Gene,
                    pseudo: r.gene_type == GeneType::Pseudogene,
                    start,
                    end: start.saturating_add(len.saturating_sub(1)),
                    strand: r.strand,
                    len,
                    name: r.name.clone(),
                    product: r.product.clone(),
                };
                let _ = r.essential;
                Group::of(0, r.id.clone(), m, Some(r.gene_type))
            })
            .collect()
    }
}
