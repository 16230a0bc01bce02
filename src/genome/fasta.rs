//! FASTA: sequence only. Gene content comes from a gene table or is reported as unknown.
//!
//! BioXen's gene FASTA (`>JCVISYN3A_0002_001 <description> len=563 type=1`, one record per gene)
//! is read as what it is, a set of gene sequences, and flagged as not being a genome.

use super::draft::Draft;
use super::summary::GenomeFormat;
use super::text::{excerpt, lines, At, ParseResult};

/// Records and base counts of a FASTA text.
pub(crate) struct Fasta {
    /// (id, length) per record.
    pub records: Vec<(String, u64)>,
    /// (G+C, A+C+G+T).
    pub gc: (u64, u64),
    /// Records whose header carries BioXen's `len=` and `type=` fields.
    pub bioxen_headers: u32,
    /// BioXen records whose `len=` differs from the sequence length.
    pub declared_len_mismatches: u32,
    pub first_description: Option<String>,
}

/// Which bytes may appear in sequence lines: IUPAC letters, gaps and stops.
fn sequence_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'-' || b == b'*' || b == b'.'
}

pub(crate) fn read(data: &[u8], first_line: u64) -> ParseResult<Fasta> {
    let mut out = Fasta {
        records: Vec::new(),
        gc: (0, 0),
        bioxen_headers: 0,
        declared_len_mismatches: 0,
        first_description: None,
    };
    let mut counts = [0u64; 256];
    let mut declared: Option<u64> = None;
    let close = |out: &mut Fasta, declared: Option<u64>| {
        if let (Some(n), Some(last)) = (declared, out.records.last()) {
            if n != last.1 {
                out.declared_len_mismatches += 1;
            }
        }
    };
    for (i, line) in lines(data) {
        let n = first_line + i - 1;
        if let Some(header) = line.strip_prefix(b">") {
            close(&mut out, declared);
            let header = String::from_utf8_lossy(header);
            let mut words = header.split_whitespace();
            let id = words.next().unwrap_or("").to_string();
            if id.is_empty() {
                return Err(At::new(
                    n,
                    2,
                    "empty FASTA header: expected an id after '>'",
                ));
            }
            let len = header
                .split_whitespace()
                .find_map(|w| w.strip_prefix("len="))
                .and_then(|v| v.parse::<u64>().ok());
            let has_type = header.split_whitespace().any(|w| w.starts_with("type="));
            declared = None;
            if let (Some(l), true) = (len, has_type) {
                out.bioxen_headers += 1;
                declared = Some(l);
            }
            if out.first_description.is_none() {
                let rest = header[header.find(&id).map_or(0, |p| p + id.len())..].trim();
                if !rest.is_empty() {
                    out.first_description = Some(rest.to_string());
                }
            }
            out.records.push((id, 0));
            continue;
        }
        let t = line.trim_ascii_end();
        if t.is_empty() || t.starts_with(b";") {
            continue;
        }
        let Some(rec) = out.records.last_mut() else {
            return Err(At::new(
                n,
                1,
                format!(
                    "expected a FASTA header line starting with '>', found {}",
                    excerpt(line)
                ),
            ));
        };
        if let Some(p) = t.iter().position(|&b| !sequence_byte(b)) {
            return Err(At::new(
                n,
                p as u64 + 1,
                format!(
                    "{} in a sequence line: expected IUPAC nucleotide letters",
                    excerpt(&t[p..p + 1])
                ),
            ));
        }
        rec.1 += t.len() as u64;
        for &b in t {
            counts[b as usize] += 1;
        }
    }
    close(&mut out, declared);
    let c = |x: u8| counts[x as usize] + counts[x.to_ascii_lowercase() as usize];
    let gc = c(b'G') + c(b'C');
    out.gc = (gc, gc + c(b'A') + c(b'T'));
    if out.records.is_empty() {
        return Err(At::new(
            first_line,
            1,
            "expected a FASTA header line starting with '>'",
        ));
    }
    Ok(out)
}

pub(crate) fn parse(data: &[u8], progress: &mut dyn FnMut(f64)) -> ParseResult<Draft> {
    let f = read(data, 1)?;
    progress(0.95);
    let mut d = Draft::new(GenomeFormat::Fasta);
    d.records = f.records.len() as u32;
    d.length = f.records.iter().map(|r| r.1).sum();
    d.accession = f.records.first().map(|r| r.0.clone());
    d.gc = Some(f.gc);
    d.genes_known = false;
    if f.bioxen_headers > 0 && f.bioxen_headers == d.records {
        d.warn(
            "GENE_SEQUENCES_NOT_GENOME",
            format!(
                "all {} records are BioXen gene sequences (headers with len= and type=), not a chromosome: they total {} bp and carry no coordinates, so they do not place genes on a real genome{}",
                d.records,
                d.length,
                if f.declared_len_mismatches > 0 {
                    format!("; {} records' len= differs from their sequence length", f.declared_len_mismatches)
                } else {
                    String::new()
                }
            ),
        );
    }
    Ok(d)
}
