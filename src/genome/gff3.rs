//! GFF3 (tab-separated, nine columns), with or without a `##FASTA` section.
//!
//! Hand-written: the format is nine columns per line, and reading it here keeps every error
//! tied to its line and column. Features that share an ID and a type over several lines (a
//! spliced CDS) are one feature whose parts are joined. Products find their gene by following
//! `Parent` links (through e.g. an mRNA).

use std::borrow::Cow;
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use super::draft::Draft;
use super::fasta;
use super::group::{Group, Kind, Member};
use super::summary::{GenomeFormat, Strand, Topology};
use super::text::{excerpt, lines, memchr, utf8, At, ParseResult};

/// A feature line; text fields borrow from the input unless percent-escapes were undone.
struct Feature<'a> {
    kind: Option<Kind>,
    ftype: &'a str,
    seq: u32,
    start: u64,
    end: u64,
    strand: Strand,
    len: u64,
    id: Option<Cow<'a, str>>,
    parent: Option<Cow<'a, str>>,
    locus_tag: Option<Cow<'a, str>>,
    name: Option<Cow<'a, str>>,
    gene: Option<Cow<'a, str>>,
    product: Option<Cow<'a, str>>,
    pseudo: bool,
}

/// The attributes read from column 9: the first value of each tag, still percent-encoded.
#[derive(Default)]
struct Attrs<'a> {
    id: Option<&'a str>,
    parent: Option<&'a str>,
    locus_tag: Option<&'a str>,
    name: Option<&'a str>,
    gene: Option<&'a str>,
    product: Option<&'a str>,
    pseudo: Option<&'a str>,
    gene_biotype: Option<&'a str>,
    is_circular: Option<&'a str>,
    organism: Option<&'a str>,
    species: Option<&'a str>,
}

impl<'a> Attrs<'a> {
    /// Where the value of `tag` goes, if it is one that is read.
    fn slot(&mut self, tag: &str) -> Option<&mut Option<&'a str>> {
        Some(match tag {
            "ID" => &mut self.id,
            "Parent" => &mut self.parent,
            "locus_tag" => &mut self.locus_tag,
            "Name" => &mut self.name,
            "gene" => &mut self.gene,
            "product" => &mut self.product,
            "pseudo" => &mut self.pseudo,
            "gene_biotype" => &mut self.gene_biotype,
            "Is_circular" => &mut self.is_circular,
            "organism" => &mut self.organism,
            "species" => &mut self.species,
            _ => return None,
        })
    }
}

/// Undo GFF3 percent-encoding (%3B → ';' etc.); malformed escapes are kept as they are.
fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('%') {
        return Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    Cow::Owned(String::from_utf8_lossy(&out).into_owned())
}

/// `s.split(sep)` for an ASCII separator, finding it eight bytes at a time.
fn split(s: &str, sep: u8) -> impl Iterator<Item = &str> {
    debug_assert!(sep.is_ascii());
    let mut rest = Some(s);
    std::iter::from_fn(move || {
        let r = rest?;
        // An ASCII byte is always a char boundary.
        Some(match memchr(sep, r.as_bytes()) {
            Some(i) => {
                rest = Some(&r[i + 1..]);
                &r[..i]
            }
            None => {
                rest = None;
                r
            }
        })
    })
}

fn number(field: &str, n: u64, what: &str) -> ParseResult<u64> {
    match field.parse::<u64>() {
        Ok(v) if v >= 1 => Ok(v),
        _ => Err(At::new(
            n,
            1,
            format!(
                "{what} is {:?}: expected a whole number ≥ 1",
                field.chars().take(40).collect::<String>()
            ),
        )),
    }
}

pub(crate) fn parse(data: &[u8], progress: &mut dyn FnMut(f64)) -> ParseResult<Draft> {
    let mut d = Draft::new(GenomeFormat::Gff3);
    let mut regions: Vec<(String, u64)> = Vec::new();
    let mut seq_index: BTreeMap<String, u32> = BTreeMap::new();
    let mut feats: Vec<Feature> = Vec::new();
    // Feature index by ID. FNV hashing: fixed (the result must not depend on a random seed,
    // though only lookups use it) and quick for IDs such as `cds-NP_414542.1`.
    let mut by_id: HashMap<Cow<str>, usize, fnv::FnvBuildHasher> = HashMap::default();
    // The last seqid and its index: consecutive lines nearly always share it.
    let mut last_seq: Option<(&str, u32)> = None;
    let mut circular = false;
    let mut fasta_at: Option<(usize, u64)> = None;
    let mut offset = 0usize;
    let mut version_seen = false;
    for (n, raw) in lines(data) {
        let line_start = offset;
        offset += raw.len() + 1;
        if n % 20_000 == 0 {
            progress(offset as f64 / data.len().max(1) as f64 * 0.95);
        }
        if raw.starts_with(b"##FASTA") {
            fasta_at = Some((offset.min(data.len()), n + 1));
            break;
        }
        if raw.starts_with(b">") && version_seen {
            // Some writers start the FASTA section without the ##FASTA directive.
            fasta_at = Some((line_start, n));
            break;
        }
        let line = utf8(raw, n, 1)?;
        if line.trim().is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("##") {
            let mut w = rest.split_whitespace();
            match w.next() {
                Some("gff-version") => {
                    version_seen = true;
                    let v = w.next().unwrap_or("");
                    if !v.starts_with('3') {
                        return Err(At::new(
                            n,
                            15,
                            format!("##gff-version {v:?}: expected version 3"),
                        ));
                    }
                }
                Some("sequence-region") => {
                    let (id, s, e) = (w.next(), w.next(), w.next());
                    let (Some(id), Some(s), Some(e)) = (id, s, e) else {
                        return Err(At::new(
                            n,
                            1,
                            "##sequence-region: expected seqid, start and end",
                        ));
                    };
                    let s = number(s, n, "region start")?;
                    let e = number(e, n, "region end")?;
                    if e < s {
                        return Err(At::new(
                            n,
                            1,
                            format!("##sequence-region {id}: end {e} is before start {s}"),
                        ));
                    }
                    if !seq_index.contains_key(id) {
                        seq_index.insert(id.to_string(), seq_index.len() as u32);
                    }
                    regions.push((id.to_string(), e - s + 1));
                }
                _ => {}
            }
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let mut cols = [""; 9];
        let mut count = 0usize;
        for c in split(line, b'\t') {
            if let Some(slot) = cols.get_mut(count) {
                *slot = c;
            }
            count += 1;
        }
        if count != 9 {
            return Err(At::new(
                n,
                1,
                format!(
                    "{count} tab-separated columns in {}: expected 9 (seqid, source, type, start, end, score, strand, phase, attributes)",
                    excerpt(raw)
                ),
            ));
        }
        let col_of =
            |i: usize| -> u64 { cols[..i].iter().map(|c| c.len() as u64 + 1).sum::<u64>() + 1 };
        let bad = |i: usize, what: &str, expected: &str| {
            At::new(
                n,
                col_of(i),
                format!(
                    "column {} ({what}) is {:?}: expected {expected}",
                    i + 1,
                    cols[i].chars().take(40).collect::<String>()
                ),
            )
        };
        let start: u64 = cols[3]
            .parse()
            .ok()
            .filter(|&v| v >= 1)
            .ok_or_else(|| bad(3, "start", "a whole number ≥ 1"))?;
        let end: u64 = cols[4]
            .parse()
            .ok()
            .filter(|&v| v >= 1)
            .ok_or_else(|| bad(4, "end", "a whole number ≥ 1"))?;
        if end < start {
            return Err(bad(4, "end", &format!("a number ≥ the start {start}")));
        }
        let strand = match cols[6] {
            "+" => Strand::Forward,
            "-" => Strand::Reverse,
            "." | "?" => Strand::Unknown,
            _ => return Err(bad(6, "strand", "+, -, . or ?")),
        };
        if cols[2].is_empty() {
            return Err(bad(2, "type", "a feature type"));
        }
        let seqid = cols[0];
        if seqid.is_empty() {
            return Err(bad(0, "seqid", "a sequence id"));
        }
        let seq = match last_seq {
            Some((last, i)) if last == seqid => i,
            _ => match seq_index.get(seqid) {
                Some(&i) => i,
                None => {
                    let i = seq_index.len() as u32;
                    seq_index.insert(seqid.to_string(), i);
                    i
                }
            },
        };
        last_seq = Some((seqid, seq));
        d.count_feature(cols[2]);
        let mut attrs = Attrs::default();
        for kv in split(cols[8], b';')
            .map(str::trim)
            .filter(|s| !s.is_empty() && *s != ".")
        {
            match memchr(b'=', kv.as_bytes()).map(|i| (&kv[..i], &kv[i + 1..])) {
                Some((k, v)) => {
                    if let Some(slot) = attrs.slot(k) {
                        slot.get_or_insert(v);
                    }
                }
                None => {
                    return Err(bad(8, "attributes", "tag=value pairs separated by ';'"));
                }
            }
        }
        if cols[2] == "region" && attrs.is_circular.map(unescape).as_deref() == Some("true") {
            circular = true;
        }
        if d.organism.is_none() && cols[2] == "region" {
            d.organism = attrs
                .organism
                .or(attrs.species)
                .map(unescape)
                .map(Cow::into_owned);
        }
        let kind = Kind::of(cols[2]);
        let id = attrs.id.map(unescape);
        // A feature continued over several lines (same ID and type): join its parts. Else
        // the ID names its first feature.
        if let Some(id) = &id {
            match by_id.entry(id.clone()) {
                Entry::Occupied(e) => {
                    let f = &mut feats[*e.get()];
                    if f.ftype == cols[2] && f.seq == seq {
                        f.start = f.start.min(start);
                        f.end = f.end.max(end);
                        f.len += end - start + 1;
                        continue;
                    }
                }
                Entry::Vacant(e) => {
                    e.insert(feats.len());
                }
            }
        }
        let pseudo = cols[2] == "pseudogene"
            || attrs.pseudo.map(unescape).as_deref() == Some("true")
            || attrs
                .gene_biotype
                .map(unescape)
                .is_some_and(|b| b.contains("pseudo"));
        let f = Feature {
            kind,
            ftype: cols[2],
            seq,
            start,
            end,
            strand,
            len: end - start + 1,
            id: id.clone(),
            parent: attrs.parent.map(unescape),
            locus_tag: attrs.locus_tag.map(unescape),
            name: attrs.name.map(unescape),
            gene: attrs.gene.map(unescape),
            product: attrs.product.map(unescape),
            pseudo,
        };
        feats.push(f);
    }
    if !version_seen && feats.is_empty() {
        return Err(At::new(
            1,
            1,
            "expected GFF3 feature lines (9 tab-separated columns) or ##gff-version 3",
        ));
    }
    // The FASTA section, if any: sequence length and GC.
    if let Some((pos, first_line)) = fasta_at {
        let f = fasta::read(&data[pos..], first_line)?;
        d.gc = Some(f.gc);
        if regions.is_empty() {
            for (id, len) in &f.records {
                regions.push((id.clone(), *len));
            }
        }
    }
    d.records = regions.len().max(seq_index.len()) as u32;
    d.accession = regions.first().map(|r| r.0.clone()).or_else(|| {
        seq_index
            .iter()
            .find(|(_, &i)| i == 0)
            .map(|(k, _)| k.clone())
    });
    d.length = regions.iter().map(|r| r.1).sum();
    if d.length == 0 {
        d.length = feats.iter().map(|f| f.end).max().unwrap_or(0);
        if d.length > 0 {
            d.warn(
                "LENGTH_ESTIMATED",
                "no ##sequence-region or FASTA section: the length is the last feature end",
            );
        }
    }
    d.topology = if circular {
        Topology::Circular
    } else {
        Topology::Unknown
    };
    // Genes, then products attached through Parent links.
    let member = |f: &Feature, kind: Kind| Member {
        kind,
        pseudo: f.pseudo,
        start: f.start,
        end: f.end,
        strand: f.strand,
        len: f.len,
        name: f.gene.as_deref().or(f.name.as_deref()).map(str::to_string),
        product: f.product.as_deref().map(str::to_string),
    };
    let gene_id = |f: &Feature| {
        f.locus_tag
            .as_deref()
            .or(f.name.as_deref())
            .or(f.id.as_deref())
            .map_or_else(|| format!("{}_{}", f.ftype, f.start), str::to_string)
    };
    let mut groups: Vec<Group> = Vec::new();
    // The group of each gene feature, by feature index.
    let mut group_of: Vec<Option<usize>> = vec![None; feats.len()];
    for (i, f) in feats.iter().enumerate() {
        if let Some(k @ (Kind::Gene | Kind::Pseudogene)) = f.kind {
            group_of[i] = Some(groups.len());
            let m = member(f, k);
            groups.push(Group::of(f.seq, gene_id(f), m, None));
        }
    }
    for f in &feats {
        let Some(k) = f.kind.filter(|k| k.is_product()) else {
            continue;
        };
        let mut parent = f.parent.as_deref();
        let mut target = None;
        for _ in 0..16 {
            let Some(p) = parent.take() else { break };
            let p = p.split(',').next().unwrap_or("");
            let Some(&pi) = by_id.get(p) else {
                break;
            };
            if let Some(g) = group_of[pi] {
                target = Some(g);
                break;
            }
            parent = feats[pi].parent.as_deref();
        }
        let m = member(f, k);
        match target {
            Some(g) => groups[g].members.push(m),
            None => groups.push(Group::of(f.seq, gene_id(f), m, None)),
        }
    }
    d.groups = groups;
    Ok(d)
}
