//! GenBank flat files through gb-io, record by record.
//!
//! The input is split into records at `//` lines so that each error can be placed: gb-io reports
//! a syntax error with the text where it stopped, which is found again in the record to name the
//! line and column. Before gb-io sees a record, its LOCUS line is checked (a record with an ORIGIN
//! section cannot hold more bases than bytes, so an absurd LOCUS length is refused here instead
//! of being preallocated by the reader).

use std::borrow::Cow;

use gb_io::seq::{Location, Seq, Topology as GbTopology};

use super::draft::Draft;
use super::group::{attach, GeneKey, Group, Kind, Member};
use super::summary::{GenomeFormat, Strand, Topology};
use super::text::{excerpt, gc_counts, lines, memchr, At, ParseResult};

/// One record's bytes and where they start in the input.
struct Chunk<'a> {
    /// The whole input: line numbers are counted from it only when an error needs one.
    data: &'a [u8],
    start: usize,
    bytes: &'a [u8],
}

impl Chunk<'_> {
    /// Line number (1-based) of the record's first line.
    fn first_line(&self) -> u64 {
        1 + self.data[..self.start]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
    }
    /// Line number of the record's `i`-th line (1-based).
    fn line(&self, i: u64) -> u64 {
        self.first_line() + i - 1
    }
}

/// Records end with a line starting with `//`. Only the '/' bytes are visited (far fewer than
/// line ends: none in the sequence).
fn split(data: &[u8]) -> Vec<Chunk<'_>> {
    let mut out = Vec::new();
    let (mut start, mut from) = (0usize, 0usize);
    while let Some(i) = memchr(b'/', &data[from..]) {
        let p = from + i;
        from = p + 1;
        if (p == 0 || data[p - 1] == b'\n') && data.get(p + 1) == Some(&b'/') {
            let end = match memchr(b'\n', &data[p..]) {
                Some(j) => p + j + 1,
                None => data.len(),
            };
            out.push(Chunk {
                data,
                start,
                bytes: &data[start..end],
            });
            start = end;
            from = end;
        }
    }
    if data[start..].iter().any(|b| !b.is_ascii_whitespace()) {
        out.push(Chunk {
            data,
            start,
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

/// Check the LOCUS line of a record (its first non-blank line).
fn check_locus(c: &Chunk) -> ParseResult<()> {
    for (i, line) in lines(c.bytes) {
        if line.trim_ascii().is_empty() {
            continue;
        }
        if !line.starts_with(b"LOCUS") {
            return Err(At::new(
                c.line(i),
                1,
                format!(
                    "expected a LOCUS line starting a GenBank record, found {}",
                    excerpt(line)
                ),
            ));
        }
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
                    c.line(i),
                    1,
                    format!(
                        "the LOCUS line gives {len} bp but the record holds only {} bytes: expected a length that fits its ORIGIN sequence",
                        c.bytes.len()
                    ),
                ));
            }
        }
        return Ok(());
    }
    Ok(())
}

/// Line number of the record's (last) ORIGIN line after its LOCUS line, if any: for messages
/// about the sequence.
fn origin_line(c: &Chunk) -> Option<u64> {
    let mut locus_seen = false;
    let mut origin = None;
    for (i, line) in lines(c.bytes) {
        if !locus_seen {
            locus_seen = !line.trim_ascii().is_empty();
        } else if line.starts_with(b"ORIGIN") {
            origin = Some(i);
        }
    }
    origin.map(|i| c.line(i))
}

/// A feature as written in the file: its line in the record (1-based), key and location text
/// (whitespace removed). Borrowed from the input unless that needed changes.
struct Written<'a> {
    line: u64,
    key: Cow<'a, str>,
    location: Cow<'a, str>,
}

/// `s` without whitespace (as `char::is_whitespace` defines it).
fn without_whitespace(s: &str) -> Cow<'_, str> {
    let t = s.trim();
    if t.contains(char::is_whitespace) {
        Cow::Owned(t.chars().filter(|c| !c.is_whitespace()).collect())
    } else {
        Cow::Borrowed(t)
    }
}

/// The feature table as written, to check that gb-io read every feature and location (it skips
/// what it cannot read instead of failing).
fn written_features<'a>(c: &Chunk<'a>) -> Vec<Written<'a>> {
    let mut out: Vec<Written> = Vec::new();
    let mut in_table = false;
    let mut in_location = false;
    for (i, line) in lines(c.bytes) {
        if !in_table {
            in_table = line.starts_with(b"FEATURES");
            continue;
        }
        if line.first().is_some_and(|b| !b.is_ascii_whitespace()) {
            break;
        }
        if line.len() > 5 && line[..5].iter().all(|&b| b == b' ') && line[5] != b' ' {
            // The key is the first word; the location the rest, whitespace removed.
            let (key, location) = match String::from_utf8_lossy(&line[5..]) {
                Cow::Borrowed(text) => {
                    let mut words = text.splitn(2, char::is_whitespace);
                    let key = words.next().unwrap_or("");
                    let rest = words.next().unwrap_or("");
                    (Cow::Borrowed(key), without_whitespace(rest))
                }
                Cow::Owned(text) => {
                    let mut words = text.splitn(2, char::is_whitespace);
                    let key = words.next().unwrap_or("").to_string();
                    let rest = without_whitespace(words.next().unwrap_or("")).into_owned();
                    (Cow::Owned(key), Cow::Owned(rest))
                }
            };
            out.push(Written {
                line: i,
                key,
                location,
            });
            in_location = true;
        } else if in_location {
            let t = line.trim_ascii();
            if t.starts_with(b"/") || t.is_empty() {
                in_location = false;
            } else if let Some(w) = out.last_mut() {
                w.location.to_mut().extend(
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
                c.line(w.line),
                6,
                format!("cannot read the {} feature at {:?}: expected a valid location (e.g. 1..100, complement(join(1..50,60..100)))", w.key, w.location),
            ));
        };
        let same_location = f
            .location
            .to_gb_format()
            .chars()
            .filter(|c| !c.is_whitespace())
            .eq(w.location.chars());
        if f.kind != w.key || !same_location {
            return Err(At::new(
                c.line(w.line),
                22,
                format!("cannot read the location {:?} of this {} feature: expected a valid location (e.g. 1..100, complement(join(1..50,60..100)))", w.location, w.key),
            ));
        }
        let local = span(&f.location);
        if local.is_none() && Kind::of(&f.kind).is_some() {
            return Err(At::new(
                c.line(w.line),
                22,
                format!("the location {:?} of this {} feature names no position in this record: expected a valid location (e.g. 1..100, complement(join(1..50,60..100)))", w.location, w.key),
            ));
        }
        if let Some((start, end, _, _)) = local {
            if len > 0 && (end > len as u64 || start == 0) && Kind::of(&f.kind).is_some() {
                return Err(At::new(
                    c.line(w.line),
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
    check_locus(c)?;
    let mut reader = gb_io::reader::SeqReader::new(c.bytes);
    match reader.next() {
        Some(Ok(seq)) => Ok(seq),
        None => Err(At::new(
            c.first_line(),
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
                    Some(pos) => place(c.bytes, pos, c.first_line()),
                    None => (c.first_line(), 0),
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
                origin_line(c).unwrap_or_else(|| c.first_line())
            } else {
                c.first_line()
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
                format!("{msg} (in the record starting at line {})", c.first_line()),
            ))
        }
    }
}

/// Visit the parts of a location: (start, end) 0-based half-open, and whether reversed.
fn parts(loc: &Location, reverse: bool, visit: &mut impl FnMut(i64, i64, bool)) {
    match loc {
        Location::Range((a, _), (b, _)) => visit(*a, *b, reverse),
        Location::Between(a, _) => visit(*a, *a, reverse),
        Location::Complement(inner) => parts(inner, !reverse, visit),
        Location::Join(v) | Location::Order(v) | Location::Bond(v) => {
            for l in v {
                parts(l, reverse, visit);
            }
        }
        Location::OneOf(v) => {
            if let Some(l) = v.first() {
                parts(l, reverse, visit);
            }
        }
        Location::External(..) | Location::Gap(..) => {}
    }
}

/// (start, end) 1-based inclusive, strand and summed length of a location's parts; None when it
/// has no part in this record.
pub(crate) fn span(loc: &Location) -> Option<(u64, u64, Strand, u64)> {
    let (mut start, mut end, mut len) = (i64::MAX, i64::MIN, 0i64);
    let (mut any, mut forward, mut reverse) = (false, false, false);
    parts(loc, false, &mut |a, b, rev| {
        any = true;
        start = start.min(a);
        end = end.max(b);
        // Every term is >= 0, so the saturating sum does not depend on the order.
        len = len.saturating_add(b.saturating_sub(a).max(0));
        if rev {
            reverse = true;
        } else {
            forward = true;
        }
    });
    if !any {
        return None;
    }
    let strand = match (forward, reverse) {
        (true, false) => Strand::Forward,
        (false, true) => Strand::Reverse,
        _ => Strand::Unknown,
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
        let mut genes: Vec<(GeneKey, Group)> = Vec::new();
        let mut products: Vec<(GeneKey, String, Member)> = Vec::new();
        for f in &seq.features {
            d.count_feature(&f.kind);
            let Some(kind) = Kind::of(&f.kind) else {
                continue;
            };
            let Some((start, end, strand, len)) = span(&f.location) else {
                continue;
            };
            // One pass over the qualifiers: the first value of each one used, and the flags.
            let (mut locus_tag, mut name, mut product, mut pseudo) = (None, None, None, false);
            for (k, v) in &f.qualifiers {
                match (k.as_ref(), v) {
                    ("locus_tag", Some(v)) if locus_tag.is_none() => locus_tag = Some(v),
                    ("gene", Some(v)) if name.is_none() => name = Some(v),
                    ("product", Some(v)) if product.is_none() => product = Some(v),
                    ("pseudo" | "pseudogene", _) => pseudo = true,
                    _ => {}
                }
            }
            // Multi-line values come with their line breaks; join them with spaces as
            // Biopython does.
            let joined = |v: &String| v.replace('\n', " ");
            let locus_tag = locus_tag.map(joined);
            let name = name.map(joined);
            let id = locus_tag
                .clone()
                .or_else(|| name.clone())
                .unwrap_or_else(|| format!("{}_{start}", f.kind));
            let key = match (locus_tag, &name) {
                (Some(t), _) => GeneKey::Tag(t),
                (None, Some(g)) => GeneKey::Gene(g.clone()),
                (None, None) => GeneKey::Span(start, end, strand.as_str()),
            };
            let m = Member {
                kind,
                pseudo,
                start,
                end,
                strand,
                len,
                name,
                product: product.map(joined),
            };
            if kind.is_product() {
                products.push((key, id, m));
            } else {
                genes.push((key, Group::of(record, id, m, None)));
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
