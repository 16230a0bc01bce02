//! BioXen's `.genome` format (schema v1.0): whitespace-separated columns
//! `start length end strand type gene_id description`, after optional `#` header lines
//! (`# Organism: …`, `# Total genes: …`, `# Genome size: … bp`, `# Coding density: …`,
//! `# Format: …`). Types: 0 RNA (unspecified), 1 protein, 2 tRNA, 3 rRNA, 4 ncRNA, 5 pseudogene.
//! Strand: 1 or -1 (also + or -).
//!
//! A gene's coordinates are `start` and `start + length − 1`; the `end` column is checked against
//! them, not trusted. Upstream's own syn3A file fails that check on every row (its third column is
//! the offset from the previous gene's start), and the summary says so
//! (`COORDINATES_DO_NOT_FIT`).

use super::draft::Draft;
use super::group::{Group, Kind, Member};
use super::summary::{GeneType, GenomeFormat, Strand};
use super::text::{excerpt, lines, utf8, At, ParseResult};

/// Does a line look like a `.genome` data row?
pub(crate) fn looks_like_row(line: &[u8]) -> bool {
    let Ok(s) = std::str::from_utf8(line) else {
        return false;
    };
    let w: Vec<&str> = s.split_whitespace().collect();
    w.len() >= 6
        && w[..3].iter().all(|x| x.parse::<u64>().is_ok())
        && matches!(w[3], "1" | "-1" | "+" | "-")
        && w[4].parse::<u8>().is_ok_and(|t| t <= 5)
}

/// Split on whitespace, keeping each field's 1-based column.
fn fields(s: &str) -> Vec<(u64, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(st)) => {
                out.push((st as u64 + 1, &s[st..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st as u64 + 1, &s[st..]));
    }
    out
}

fn header_number(v: &str) -> Option<u64> {
    let digits: String = v
        .split_whitespace()
        .next()?
        .chars()
        .filter(|c| *c != ',' && *c != '_')
        .collect();
    digits.parse().ok()
}

pub(crate) fn parse(data: &[u8], progress: &mut dyn FnMut(f64)) -> ParseResult<Draft> {
    let mut d = Draft::new(GenomeFormat::Bioxen);
    let mut header_size: Option<u64> = None;
    let mut header_genes: Option<u64> = None;
    let (mut rows, mut end_mismatch, mut offset_pattern) = (0u64, 0u64, 0u64);
    let mut prev_start = 0u64;
    let mut max_end = 0u64;
    for (n, raw) in lines(data) {
        let line = utf8(raw, n, 1)?;
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        if let Some(h) = t.strip_prefix('#') {
            if let Some((k, v)) = h.split_once(':') {
                let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
                match k.as_str() {
                    "organism" if !v.is_empty() => d.organism = Some(v.to_string()),
                    "genome size" => header_size = header_number(v),
                    "total genes" => header_genes = header_number(v),
                    _ => {}
                }
            }
            continue;
        }
        let f = fields(line);
        if f.len() < 6 {
            return Err(At::new(
                n,
                1,
                format!(
                    "{} columns in {}: expected start length end strand type gene_id [description]",
                    f.len(),
                    excerpt(raw)
                ),
            ));
        }
        let num = |i: usize, what: &str| -> ParseResult<u64> {
            f[i].1.parse::<u64>().map_err(|_| {
                At::new(
                    n,
                    f[i].0,
                    format!(
                        "{what} is {:?}: expected a whole number",
                        f[i].1.chars().take(40).collect::<String>()
                    ),
                )
            })
        };
        let start = num(0, "start")?;
        let length = num(1, "length")?;
        let end = num(2, "end")?;
        if start == 0 {
            return Err(At::new(
                n,
                f[0].0,
                "start is 0: expected a 1-based position ≥ 1",
            ));
        }
        if length == 0 {
            return Err(At::new(n, f[1].0, "length is 0: expected at least 1"));
        }
        let strand = match f[3].1 {
            "1" | "+" | "+1" => Strand::Forward,
            "-1" | "-" => Strand::Reverse,
            other => {
                return Err(At::new(
                    n,
                    f[3].0,
                    format!(
                        "strand is {:?}: expected 1 or -1",
                        other.chars().take(40).collect::<String>()
                    ),
                ))
            }
        };
        let gene_type = match f[4].1 {
            "0" => GeneType::Other,
            "1" => GeneType::ProteinCoding,
            "2" => GeneType::Trna,
            "3" => GeneType::Rrna,
            "4" => GeneType::Ncrna,
            "5" => GeneType::Pseudogene,
            other => {
                return Err(At::new(
                    n,
                    f[4].0,
                    format!(
                        "type is {:?}: expected 0 (RNA), 1 (protein), 2 (tRNA), 3 (rRNA), 4 (ncRNA) or 5 (pseudogene)",
                        other.chars().take(40).collect::<String>()
                    ),
                ))
            }
        };
        let id = f[5].1.to_string();
        let description = f
            .get(6)
            .map(|(c, _)| line[*c as usize - 1..].trim().to_string());
        let gene_end = start.saturating_add(length - 1);
        rows += 1;
        if end != gene_end {
            end_mismatch += 1;
        }
        if end == start.wrapping_sub(prev_start) {
            offset_pattern += 1;
        }
        prev_start = start;
        max_end = max_end.max(gene_end);
        d.count_feature(gene_type.as_str());
        let m = Member {
            kind: Kind::Gene,
            pseudo: gene_type == GeneType::Pseudogene,
            start,
            end: gene_end,
            strand,
            len: length,
            name: None,
            product: description,
        };
        d.groups.push(Group::of(0, id, m, Some(gene_type)));
        if n % 20_000 == 0 {
            progress(0.9 * n as f64 / data.len().max(1) as f64);
        }
    }
    if rows == 0 {
        return Err(At::new(
            1,
            1,
            "no gene rows: expected lines of start length end strand type gene_id description",
        ));
    }
    d.records = 1;
    d.length = match header_size {
        Some(s) => s,
        None => {
            d.warn(
                "LENGTH_ESTIMATED",
                format!("no '# Genome size' header: the length is the last gene end, {max_end} bp"),
            );
            max_end
        }
    };
    let mut problems = Vec::new();
    if end_mismatch > 0 {
        problems.push(format!(
            "the end column differs from start + length − 1 in {end_mismatch} of {rows} rows"
        ));
    }
    if offset_pattern > rows / 2 {
        problems.push(format!(
            "in {offset_pattern} rows it equals the distance from the previous row's start instead"
        ));
    }
    if let Some(size) = header_size {
        if max_end > size {
            problems.push(format!(
                "genes reach {max_end} bp, past the stated genome size {size} bp"
            ));
        }
    }
    if let Some(g) = header_genes {
        if g != rows {
            problems.push(format!(
                "the header says {g} genes but the file lists {rows}"
            ));
        }
    }
    if !problems.is_empty() {
        d.warn(
            "COORDINATES_DO_NOT_FIT",
            format!(
                "these coordinates do not fit a real genome: {}; gene positions use start and length",
                problems.join("; ")
            ),
        );
    }
    Ok(d)
}
