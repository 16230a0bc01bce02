//! `bioxen genome inspect FILE`: what the genome parser finds in a file (organism, length,
//! genes by type, coding length, essential genes and how they were chosen, warnings) and the
//! workload a VM built on that genome would run. `--format json` prints the summary the JS
//! API's `parseGenome` returns.

use bioxen::genome::{self, EssentialSource, GenomeSummary, GenomeWorkload, ParseOptions};
use bioxen::BioxenError;

use crate::args::{GenomeCommand, GenomeInspectArgs, ListFormat};
use crate::error::CliError;
use crate::files::{pretty, print};
use crate::fmt;

pub fn command(c: &GenomeCommand) -> Result<(), CliError> {
    match c {
        GenomeCommand::Inspect(a) => inspect(a),
    }
}

/// A file's bytes; a file over the parser's input limit is refused before it is read.
pub fn read_input(path: &str, what: &str) -> Result<Vec<u8>, CliError> {
    let meta = std::fs::metadata(path).map_err(|e| CliError::io(path, e))?;
    if meta.len() > genome::MAX_INPUT_BYTES as u64 {
        return Err(CliError::Core(BioxenError::InputTooLarge {
            what: format!("{what} {path}"),
            size: meta.len(),
            limit: genome::MAX_INPUT_BYTES as u64,
        }));
    }
    std::fs::read(path).map_err(|e| CliError::io(path, e))
}

/// Parse a genome file (and an optional gene table) as `parseGenome` does.
pub fn parse_file(path: &str, gene_table: Option<&str>) -> Result<GenomeSummary, CliError> {
    let data = read_input(path, "genome")?;
    let table = gene_table
        .map(|t| read_input(t, "gene table"))
        .transpose()?;
    let opts = ParseOptions {
        gene_table: table.as_deref(),
        format: None,
    };
    genome::parse(&data, &opts).map_err(CliError::Core)
}

/// The workload a VM built on a genome file runs (refused when the genome codes for no
/// protein).
pub fn workload_of(path: &str) -> Result<GenomeWorkload, CliError> {
    parse_file(path, None)?.workload().map_err(CliError::Core)
}

fn inspect(a: &GenomeInspectArgs) -> Result<(), CliError> {
    let s = parse_file(&a.file, a.gene_table.as_deref())?;
    match a.format {
        ListFormat::Json => {
            // parseGenome's object: the summary with `workload` (null without one).
            let mut v = serde_json::to_value(&s).map_err(|e| CliError::Internal(e.to_string()))?;
            let w = match s.workload() {
                Ok(w) => serde_json::to_value(&w).map_err(|e| CliError::Internal(e.to_string()))?,
                Err(_) => serde_json::Value::Null,
            };
            if let Some(o) = v.as_object_mut() {
                o.insert("workload".into(), w);
            }
            print(&(pretty(&v) + "\n"))
        }
        ListFormat::Table => print(&summary_text(&a.file, &s)),
    }
}

fn topology(t: genome::Topology) -> &'static str {
    match t {
        genome::Topology::Circular => "circular",
        genome::Topology::Linear => "linear",
        genome::Topology::Mixed => "mixed (circular and linear records)",
        genome::Topology::Unknown => "topology not stated",
    }
}

/// Up to `n` ids, then how many more.
fn some_ids(ids: &[String], n: usize) -> String {
    let mut out = ids.iter().take(n).cloned().collect::<Vec<_>>().join(", ");
    if ids.len() > n {
        out.push_str(&format!(", … ({} more)", fmt::int((ids.len() - n) as u64)));
    }
    out
}

pub fn summary_text(file: &str, s: &GenomeSummary) -> String {
    let c = &s.gene_counts;
    let none = || "(not stated)".to_string();
    let mut rows: Vec<Vec<String>> = vec![
        vec![
            "format".into(),
            format!(
                "{}{}, {} bytes, {} record{}",
                s.format.as_str(),
                if s.compressed { " (gzip)" } else { "" },
                fmt::int(s.bytes),
                s.records,
                if s.records == 1 { "" } else { "s" }
            ),
        ],
        vec!["organism".into(), s.organism.clone().unwrap_or_else(none)],
        vec!["accession".into(), s.accession.clone().unwrap_or_else(none)],
        vec![
            "length".into(),
            format!("{} bp, {}", fmt::int(s.length), topology(s.topology)),
        ],
        vec![
            "GC content".into(),
            s.gc_content
                .map_or("(no sequence in the file)".into(), |g| {
                    format!("{:.2} %", g * 100.0)
                }),
        ],
    ];
    if s.genes_known {
        rows.push(vec![
            "genes".into(),
            format!(
                "{}: {} protein-coding, {} tRNA, {} rRNA, {} ncRNA, {} pseudogenes, {} other",
                fmt::int(c.total as u64),
                fmt::int(c.protein_coding as u64),
                c.trna,
                c.rrna,
                c.ncrna,
                c.pseudogene,
                c.other
            ),
        ]);
        rows.push(vec![
            "coding".into(),
            format!(
                "{} aa (one copy of every protein-coding gene's protein)",
                fmt::int(s.total_coding_aa),
            ),
        ]);
    } else {
        rows.push(vec![
            "genes".into(),
            "none known (sequence only; --gene-table gives them)".into(),
        ]);
    }
    let source = match s.essential.source {
        EssentialSource::Table => format!(
            "from the table ({} rows, {} of them matched to genes)",
            fmt::int(s.essential.table_rows as u64),
            fmt::int(s.essential.table_matched as u64)
        ),
        EssentialSource::Heuristic => {
            "heuristic: product keywords (a guess, not a measurement)".into()
        }
        EssentialSource::None => "none known".into(),
    };
    rows.push(vec![
        "essential genes".into(),
        format!("{} — {source}", fmt::int(s.essential.count as u64)),
    ]);
    let ids = s.essential_ids();
    if !ids.is_empty() {
        rows.push(vec!["essential ids".into(), some_ids(&ids, 5)]);
    }
    let mut out = format!("Genome {file}\n\n");
    out.push_str(&fmt::table(&["field".into(), "value".into()], &rows));
    out.push_str(&format!(
        "\nEssential genes, method: {}\n",
        s.essential.method
    ));
    if !s.feature_counts.is_empty() {
        let f: Vec<String> = s
            .feature_counts
            .iter()
            .map(|(k, n)| format!("{k} {}", fmt::int(*n as u64)))
            .collect();
        out.push_str(&format!("Features in the file: {}\n", f.join(", ")));
    }
    if !s.warnings.is_empty() {
        out.push_str("\nWarnings:\n");
        for w in &s.warnings {
            out.push_str(&format!("  - {}: {}\n", w.code, w.message));
        }
    }
    out.push_str("\nVM workload (createVm with this genome):\n");
    match s.workload() {
        Ok(gw) => {
            let w = &gw.workload;
            out.push_str(&format!(
                "  {} aa per cycle (one copy of each of {} proteins), {} kb of memory (DNA)\n",
                fmt::int(w.total_aa),
                fmt::int(w.protein_coding as u64),
                fmt::int(w.genome_kb)
            ));
            out.push_str(&format!(
                "  minimal gene set: {} genes ({})\n",
                fmt::int(gw.minimal_gene_set.len() as u64),
                match gw.essential_source {
                    EssentialSource::Table => "table",
                    EssentialSource::Heuristic => "heuristic",
                    EssentialSource::None => "none",
                }
            ));
            let groups: Vec<String> = gw
                .groups
                .iter()
                .map(|g| format!("{} {} genes / {}", g.name, g.genes, fmt::aa(g.aa as f64)))
                .collect();
            out.push_str(&format!("  gene groups: {}\n", groups.join("; ")));
        }
        Err(e) => out.push_str(&format!("  none: {e}\n")),
    }
    out
}
