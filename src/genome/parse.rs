//! The entry points: format detection from the content, and [`parse`], which decompresses,
//! reads the gene table, runs the format's parser and finishes the summary.

use super::draft::finish;
use super::summary::{GenomeFormat, GenomeSummary, ParseOptions};
use super::text::{excerpt, lines, At, ParseResult};
use super::{bioxen, fasta, genbank, gff3, gzip, table};
use crate::error::Result;

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
