//! Parse genome files natively and print a one-line summary and the parse time of each.
//!
//!   cargo run --release --example genome_parse -- FILE [FILE...] [--table GENE_TABLE] [--repeat N] [--json]
//!
//! `--repeat N` parses each file N times and reports the fastest (bench/genome.mjs uses it). The
//! time covers what `parseGenome` computes in Rust: the summary and its workload. With `--json`
//! the output also gives `jsonMs`, the fastest of N serialisations of both to JSON text (the
//! form `parseGenome` hands to JS), measured separately.

use std::time::Instant;

use bioxen::genome::{parse, ParseOptions};

fn main() {
    let mut files = Vec::new();
    let mut table = None;
    let mut repeat = 1usize;
    let mut json = false;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--table" => table = args.next(),
            "--repeat" => repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(1).max(1),
            "--json" => json = true,
            _ => files.push(a),
        }
    }
    if files.is_empty() {
        eprintln!("usage: genome_parse FILE [FILE...] [--table GENE_TABLE] [--repeat N] [--json]");
        std::process::exit(2);
    }
    let table = table.map(|t| std::fs::read(&t).unwrap_or_else(|e| panic!("{t}: {e}")));
    for f in files {
        let data = match std::fs::read(&f) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("{f}: {e}");
                std::process::exit(1);
            }
        };
        let options = ParseOptions {
            gene_table: table.as_deref(),
            ..Default::default()
        };
        let mut best = f64::INFINITY;
        let mut result = None;
        for _ in 0..repeat {
            let t0 = Instant::now();
            let r = parse(&data, &options);
            let w = r.as_ref().ok().map(|s| s.workload());
            best = best.min(t0.elapsed().as_secs_f64() * 1e3);
            drop(w);
            result = Some(r);
        }
        match result.expect("repeat >= 1") {
            Ok(s) if json => {
                let w = s.workload().ok();
                let mut json_ms = f64::INFINITY;
                for _ in 0..repeat {
                    let t0 = Instant::now();
                    let text = serde_json::to_string(&s).expect("summary serialises")
                        + &serde_json::to_string(&w).expect("workload serialises");
                    json_ms = json_ms.min(t0.elapsed().as_secs_f64() * 1e3);
                    drop(text);
                }
                let mut v = serde_json::to_value(&s).expect("summary serialises");
                v["genes"] = serde_json::Value::from(s.genes.len());
                println!(
                    "{}",
                    serde_json::json!({ "file": f, "ms": best, "jsonMs": json_ms, "summary": v })
                );
            }
            Ok(s) => println!(
                "{f}: {} {} {:?} {} bp {:?} gc={:?} genes={:?} aa={} essential={} ({:?}) warnings={:?} [{best:.2} ms]",
                s.format.as_str(),
                s.accession.as_deref().unwrap_or("-"),
                s.organism.as_deref().unwrap_or("-"),
                s.length,
                s.topology,
                s.gc_content,
                s.gene_counts,
                s.total_coding_aa,
                s.essential.count,
                s.essential.source,
                s.warnings.iter().map(|w| w.code.as_str()).collect::<Vec<_>>()
            ),
            Err(e) => println!("{f}: error {}: {e} [{best:.2} ms]", e.code()),
        }
    }
}
