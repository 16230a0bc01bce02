//! GenBank flat files through gb-io, record by record.
//!
//! The input is split into records at `//` lines so that each error can be placed: gb-io reports
//! a syntax error with the text where it stopped, which is found again in the record to name the
//! line and column. Before gb-io sees a record, its LOCUS line is checked (a record with an ORIGIN
//! section cannot hold more bases than bytes, so an absurd LOCUS length is refused here instead
//! of being preallocated by the reader).

use gb_io::seq::{Location, Seq, Topology as GbTopology};

use super::{
    attach, excerpt, gc_counts, lines, At, Draft, GenomeFormat, Group, Kind, Member, ParseResult,
    Strand, Topology,
};

/// One record's bytes and the line it starts on.
struct Chunk<'a> {
    first_line: u64,
    bytes: &'a [u8],
}

fn split(data: &[u8]) -> Vec<Chunk<'_>> {
    let mut out = Vec::new();
    let (mut start, mut offset) = (0usize, 0usize);
    let (mut first_line, mut n) = (1u64, 0u64);
    while offset < data.len() {
        n += 1;
        let end = match super::memchr(b'\n', &data[offset..]) {
            Some(i) => offset + i + 1,
            None => data.len(),
        };
        if data[offset..end].starts_with(b"//") {
            out.push(Chunk {
                first_line,
                bytes: &data[start..end],
            });
            start = end;
            first_line = n + 1;
        }
        offset = end;
    }
    if data[start..].iter().any(|b| !b.is_ascii_whitespace()) {
        out.push(Chunk {
            first_line,
            bytes: &data[start..],
        });
    }
    out
}

/// Line and column (1-based) of byte `pos` of `bytes`, counting from `first_line`.
fn place(bytes: &[u8], pos: usize, first_line: u64) -> (u64, u64) {
    let before = &bytes[..pos.min(bytes.len())];
    let nl = before.iter().filter(|&&b| b == b'\n').count() as u64;
    let col = before.iter().rev().take_while(|&&b| b != b'\n').count() as u64 + 1;
    (first_line + nl, col)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Check the LOCUS line of a record; returns the line number of its ORIGIN line, if any.
fn check_locus(c: &Chunk) -> ParseResult<Option<u64>> {
    let mut locus_seen = false;
    let mut origin = None;
    for (i, line) in lines(c.bytes) {
        let n = c.first_line + i - 1;
        if !locus_seen {
            if line.trim_ascii().is_empty() {
                continue;
            }
            if !line.starts_with(b"LOCUS") {
                return Err(At::new(
                    n,
                    1,
                    format!(
                        "expected a LOCUS line starting a GenBank record, found {}",
                        excerpt(line)
                    ),
                ));
            }
            locus_seen = true;
            let words: Vec<&[u8]> = line
                .split(|b| b.is_ascii_whitespace())
                .filter(|w| !w.is_empty())
                .collect();
            let len = words.windows(2).find_map(|w| {
                (w[1] == b"bp" || w[1] == b"aa")
                    .then(|| std::str::from_utf8(w[0]).ok()?.parse::<u64>().ok())
                    .flatten()
            });
            if let Some(len) = len {
                if len > c.bytes.len() as u64 && find(c.bytes, b"\nORIGIN").is_some() {
                    return Err(At::new(
                        n,
                        1,
                        format!(
                            "the LOCUS line gives {len} bp but the record holds only {} bytes: expected a length that fits its ORIGIN sequence",
                            c.bytes.len()
                        ),
                    ));
                }
            }
        } else if line.starts_with(b"ORIGIN") {
            origin = Some(n);
        }
    }
    Ok(origin)
}

/// A feature as written in the file: its line, key and location text (whitespace removed).
struct Written {
    line: u64,
    key: String,
    location: String,
}

/// The feature table as written, to check that gb-io read every feature and location (it skips
/// what it cannot read instead of failing).
fn written_features(c: &Chunk) -> Vec<Written> {
    let mut out: Vec<Written> = Vec::new();
    let mut in_table = false;
    let mut in_location = false;
    for (i, line) in lines(c.bytes) {
        let n = c.first_line + i - 1;
        if !in_table {
            in_table = line.starts_with(b"FEATURES");
            continue;
        }
        if line.first().is_some_and(|b| !b.is_ascii_whitespace()) {
            break;
        }
        if line.len() > 5 && line[..5].iter().all(|&b| b == b' ') && line[5] != b' ' {
            let text = String::from_utf8_lossy(&line[5..]);
            let mut words = text.splitn(2, char::is_whitespace);
            let key = words.next().unwrap_or("").to_string();
            let location: String = words
                .next()
                .unwrap_or("")
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            out.push(Written {
                line: n,
                key,
                location,
            });
            in_location = true;
        } else if in_location {
            let t = line.trim_ascii();
            if t.starts_with(b"/") || t.is_empty() {
                in_location = false;
            } else if let Some(w) = out.last_mut() {
                w.location.extend(
                    String::from_utf8_lossy(t)
                        .chars()
                        .filter(|c| !c.is_whitespace()),
                );
            }
        }
    }
    out
}

fn check_features(c: &Chunk, seq: &Seq) -> ParseResult<()> {
    let written = written_features(c);
    let len = seq.len().max(0);
    for (i, w) in written.iter().enumerate() {
        let Some(f) = seq.features.get(i) else {
            return Err(At::new(
                w.line,
                6,
                format!("cannot read the {} feature at {:?}: expected a valid location (e.g. 1..100, complement(join(1..50,60..100)))", w.key, w.location),
            ));
        };
        let read: String = f
            .location
            .to_gb_format()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        if f.kind != w.key.as_str() || read != w.location {
            return Err(At::new(
                w.line,
                22,
                format!("cannot read the location {:?} of this {} feature: expected a valid location (e.g. 1..100, complement(join(1..50,60..100)))", w.location, w.key),
            ));
        }
        let local = span(&f.location);
        if local.is_none() && Kind::of(&f.kind).is_some() {
            return Err(At::new(
                w.line,
                22,
                format!("the location {:?} of this {} feature names no position in this record: expected a valid location (e.g. 1..100, complement(join(1..50,60..100)))", w.location, w.key),
            ));
        }
        if let Some((start, end, _, _)) = local {
            if len > 0 && (end > len as u64 || start == 0) && Kind::of(&f.kind).is_some() {
                return Err(At::new(
                    w.line,
                    22,
                    format!("the {} feature at {} reaches past the {len} bp record: expected positions 1..{len}", w.key, w.location),
                ));
            }
        }
    }
    Ok(())
}

fn read_record(c: &Chunk) -> ParseResult<Seq> {
    let seq = read_record_raw(c)?;
    check_features(c, &seq)?;
    Ok(seq)
}

fn read_record_raw(c: &Chunk) -> ParseResult<Seq> {
    let origin = check_locus(c)?;
    let mut reader = gb_io::reader::SeqReader::new(c.bytes);
    match reader.next() {
        Some(Ok(seq)) => Ok(seq),
        None => Err(At::new(
            c.first_line,
            1,
            "expected a GenBank record starting with LOCUS",
        )),
        Some(Err(e)) => {
            let msg = e.to_string();
            let msg = msg
                .strip_prefix("Syntax error: ")
                .unwrap_or(&msg)
                .to_string();
            // "Error MapRes while parsing [context]": find the context to name the place.
            if let Some(ctx) = msg
                .find("while parsing [")
                .map(|i| &msg[i + "while parsing [".len()..])
                .and_then(|s| s.strip_suffix(']'))
            {
                let head: &[u8] = ctx.as_bytes();
                let head = &head[..head.len().min(30)];
                let (line, col) = match find(c.bytes, head) {
                    Some(pos) => place(c.bytes, pos, c.first_line),
                    None => (c.first_line, 0),
                };
                let what = lines(&c.bytes[find(c.bytes, head).unwrap_or(0)..])
                    .next()
                    .map(|(_, l)| excerpt(l))
                    .unwrap_or_default();
                return Err(At::new(
                    line,
                    col,
                    format!("cannot read {what}: expected a feature line (5 spaces, key, location), a /qualifier, ORIGIN with sequence, or the // record end"),
                ));
            }
            let in_sequence = msg.contains("sequence") || msg.contains("LOCUS promised");
            let line = if in_sequence {
                origin.unwrap_or(c.first_line)
            } else {
                c.first_line
            };
            let msg = if let Some(rest) = msg.strip_prefix("Got ") {
                // "Got N bytes of sequence, LOCUS promised M"
                format!(
                    "the sequence has {}: expected as many bases as the LOCUS line gives",
                    rest.replace(
                        " bytes of sequence, LOCUS promised ",
                        " bases but LOCUS gives "
                    )
                )
            } else if msg.starts_with("Unexpected char") {
                format!("{msg}: expected sequence letters, digits and spaces")
            } else if msg.contains("EOF") {
                "the record ends early: expected its sections and a closing // line".to_string()
            } else {
                format!("{msg}: expected a GenBank record")
            };
            Err(At::new(
                line,
                0,
                format!("{msg} (in the record starting at line {})", c.first_line),
            ))
        }
    }
}

/// Flatten a location into (start, end) 0-based half-open parts and a strand.
fn parts(loc: &Location, reverse: bool, out: &mut Vec<(i64, i64, bool)>) {
    match loc {
        Location::Range((a, _), (b, _)) => out.push((*a, *b, reverse)),
        Location::Between(a, _) => out.push((*a, *a, reverse)),
        Location::Complement(inner) => parts(inner, !reverse, out),
        Location::Join(v) | Location::Order(v) | Location::Bond(v) => {
            for l in v {
                parts(l, reverse, out);
            }
        }
        Location::OneOf(v) => {
            if let Some(l) = v.first() {
                parts(l, reverse, out);
            }
        }
        Location::External(..) | Location::Gap(..) => {}
    }
}

pub(crate) fn span(loc: &Location) -> Option<(u64, u64, Strand, u64)> {
    let mut v = Vec::new();
    parts(loc, false, &mut v);
    let start = v.iter().map(|p| p.0).min()?;
    let end = v.iter().map(|p| p.1).max()?;
    let len: i64 = v
        .iter()
        .map(|p| p.1.saturating_sub(p.0).max(0))
        .fold(0i64, |a, b| a.saturating_add(b));
    let strand = if v.iter().all(|p| !p.2) {
        Strand::Forward
    } else if v.iter().all(|p| p.2) {
        Strand::Reverse
    } else {
        Strand::Unknown
    };
    Some((
        start.saturating_add(1).max(0) as u64,
        end.max(0) as u64,
        strand,
        len.max(0) as u64,
    ))
}

pub(crate) fn parse(data: &[u8], progress: &mut dyn FnMut(f64)) -> ParseResult<Draft> {
    let mut d = Draft::new(GenomeFormat::Genbank);
    let chunks = split(data);
    if chunks.is_empty() {
        return Err(At::new(
            1,
            1,
            "expected a GenBank record starting with LOCUS",
        ));
    }
    let (mut circular, mut linear) = (0u32, 0u32);
    let (mut gc, mut acgt) = (0u64, 0u64);
    let mut done = 0usize;
    for (ri, c) in chunks.iter().enumerate() {
        let seq = read_record(c)?;
        let record = ri as u32;
        d.records += 1;
        d.length += seq.len().max(0) as u64;
        match seq.topology {
            GbTopology::Circular => circular += 1,
            GbTopology::Linear => linear += 1,
        }
        let (g, n) = gc_counts(&seq.seq);
        gc += g;
        acgt += n;
        if ri == 0 {
            // VERSION "NC_000932.1  GI:7525012" → "NC_000932.1"; ORGANISM's first line (the
            // lineage follows on the next lines).
            let first_word = |s: &String| s.split_whitespace().next().map(str::to_string);
            d.accession = (seq.version.as_ref().and_then(first_word))
                .or_else(|| seq.accession.as_ref().and_then(first_word))
                .or_else(|| seq.name.clone());
            d.organism = seq
                .source
                .as_ref()
                .and_then(|s| s.organism.as_deref())
                .and_then(|o| o.lines().next())
                .map(|o| o.trim().to_string())
                .filter(|o| !o.is_empty() && o != ".");
        }
        let mut genes: Vec<(String, Group)> = Vec::new();
        let mut products: Vec<(String, String, Member)> = Vec::new();
        for f in &seq.features {
            d.count_feature(&f.kind);
            let Some(kind) = Kind::of(&f.kind) else {
                continue;
            };
            let Some((start, end, strand, len)) = span(&f.location) else {
                continue;
            };
            // Multi-line values come with their line breaks; join them with spaces as
            // Biopython does.
            let q = |k: &str| f.qualifier_values(k).next().map(|v| v.replace('\n', " "));
            let flag = |k: &str| f.qualifiers.iter().any(|(key, _)| key == k);
            let locus_tag = q("locus_tag");
            let name = q("gene");
            let key = match (&locus_tag, &name) {
                (Some(t), _) => format!("tag:{t}"),
                (None, Some(g)) => format!("gene:{g}"),
                _ => format!("span:{start}:{end}:{}", strand.as_str()),
            };
            let id = locus_tag
                .clone()
                .or_else(|| name.clone())
                .unwrap_or_else(|| format!("{}_{start}", f.kind));
            let m = Member {
                kind,
                pseudo: flag("pseudo") || flag("pseudogene"),
                start,
                end,
                strand,
                len,
                name,
                product: q("product"),
            };
            if kind.is_product() {
                products.push((key, id, m));
            } else {
                genes.push((
                    key,
                    Group {
                        record,
                        id,
                        head: m.clone(),
                        members: vec![m],
                        explicit: None,
                    },
                ));
            }
        }
        attach(&mut genes, products, record);
        d.groups.extend(genes.into_iter().map(|(_, g)| g));
        done += c.bytes.len();
        progress(done as f64 / data.len().max(1) as f64);
    }
    d.topology = match (circular, linear) {
        (_, 0) => Topology::Circular,
        (0, _) => Topology::Linear,
        _ => Topology::Mixed,
    };
    if acgt > 0 {
        d.gc = Some((gc, acgt));
    }
    Ok(d)
}
