//! Genome parsing: real files against independent Biopython counts
//! (tests/fixtures/genome/biopython.json, written by scripts/genome_reference.py), every error
//! path on small synthetic files, fuzzing over random and mutated inputs, and VMs built on
//! genomes.
//!
//! The real files are read from ../shared/data (never copied here). When that folder is missing
//! the real-file tests print so and pass without checking; set BIOXEN_REQUIRE_DATA=1 to make
//! them fail instead.
#![cfg(feature = "genome")]

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

use bioxen::genome::{
    parse, EssentialSource, GeneType, GenomeFormat, GenomeSummary, ParseOptions, Strand, Topology,
    MAX_INPUT_BYTES,
};
use bioxen::workload::Workload;
use bioxen::{BiologicalType, BioxenError, Hypervisor, HypervisorOptions, VmConfig, VmType};
use proptest::prelude::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

// ------------------------------------------------------------------ helpers

fn data_dir() -> Option<PathBuf> {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data");
    if d.join("syn3A.gb").is_file() {
        return Some(d);
    }
    let msg = format!(
        "REAL GENOME FILES MISSING: {} not found; the real-file genome tests did not check anything",
        d.display()
    );
    if std::env::var("BIOXEN_REQUIRE_DATA").is_ok_and(|v| v == "1") {
        panic!("{msg}");
    }
    eprintln!("{msg}");
    None
}

fn read(name: &str) -> Option<Vec<u8>> {
    let d = data_dir()?;
    Some(std::fs::read(d.join(name)).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn fixture() -> Value {
    serde_json::from_str(include_str!("fixtures/genome/biopython.json")).expect("fixture is JSON")
}

fn summary(bytes: &[u8]) -> GenomeSummary {
    parse(bytes, &ParseOptions::default()).unwrap_or_else(|e| panic!("parse failed: {e}"))
}

fn digest(s: &GenomeSummary) -> String {
    let mut h = Sha256::new();
    for g in &s.genes {
        h.update(
            format!(
                "{}\t{}\t{}\t{}\t{}\t{}\n",
                g.id,
                g.start,
                g.end,
                g.strand.as_str(),
                g.gene_type.as_str(),
                g.length
            )
            .as_bytes(),
        );
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

fn counts_map(s: &GenomeSummary) -> Value {
    let c = s.gene_counts;
    let mut m = serde_json::Map::new();
    for (k, v) in [
        ("protein_coding", c.protein_coding),
        ("tRNA", c.trna),
        ("rRNA", c.rrna),
        ("ncRNA", c.ncrna),
        ("pseudogene", c.pseudogene),
        ("other", c.other),
    ] {
        if v > 0 {
            m.insert(k.into(), v.into());
        }
    }
    Value::Object(m)
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// The error of a parse that must fail: (code, line, column, message).
fn failure(bytes: &[u8], options: &ParseOptions) -> (String, u64, u64, String) {
    match parse(bytes, options) {
        Ok(s) => panic!(
            "expected an error, got a summary of {} genes",
            s.genes.len()
        ),
        Err(e) => {
            let msg = e.to_string();
            match e {
                BioxenError::InvalidGenome { line, column, .. } => {
                    ("INVALID_GENOME".into(), line, column, msg)
                }
                other => (other.code().into(), 0, 0, msg),
            }
        }
    }
}

fn fails(text: &str) -> (String, u64, u64, String) {
    failure(text.as_bytes(), &ParseOptions::default())
}

fn assert_err(got: (String, u64, u64, String), code: &str, line: u64, column: u64, words: &[&str]) {
    assert_eq!(got.0, code, "{}", got.3);
    assert_eq!((got.1, got.2), (line, column), "place of: {}", got.3);
    for w in words {
        assert!(got.3.contains(w), "{:?} missing from: {}", w, got.3);
    }
}

// ------------------------------------------------------------------ real files vs Biopython

fn check_genbank(name: &str) {
    let Some(bytes) = read(name) else { return };
    let fx = fixture();
    let r = &fx[name];
    let s = summary(&bytes);
    assert_eq!(s.format, GenomeFormat::Genbank);
    assert_eq!(
        s.records as u64,
        r["records"].as_u64().unwrap(),
        "{name} records"
    );
    assert_eq!(s.length, r["length"].as_u64().unwrap(), "{name} length");
    assert_eq!(
        s.accession.as_deref(),
        r["accession"].as_str(),
        "{name} accession"
    );
    if let Some(o) = r["organism"].as_str().filter(|o| !o.is_empty()) {
        assert_eq!(s.organism.as_deref(), Some(o), "{name} organism");
    }
    let topo = match s.topology {
        Topology::Circular => "circular",
        Topology::Linear => "linear",
        other => panic!("{name}: topology {other:?}"),
    };
    assert_eq!(r["topology"], serde_json::json!([topo]), "{name} topology");
    let gc = r["gc"].as_f64().unwrap();
    assert!((s.gc_content.unwrap() - gc).abs() < 1e-12, "{name} gc");
    assert_eq!(
        serde_json::to_value(&s.feature_counts).unwrap(),
        r["features"],
        "{name} feature counts"
    );
    assert_eq!(counts_map(&s), r["gene_counts"], "{name} gene counts");
    assert_eq!(
        s.genes.len() as u64,
        r["genes"].as_u64().unwrap(),
        "{name} genes"
    );
    assert_eq!(
        s.total_coding_aa,
        r["coding_aa"].as_u64().unwrap(),
        "{name} coding aa"
    );
    if let Some(list) = r["gene_list"].as_array() {
        for (g, b) in s.genes.iter().zip(list) {
            let line = format!("{name} gene {}", g.id);
            assert_eq!(g.id, b["id"].as_str().unwrap(), "{line}");
            assert_eq!(g.start, b["start"].as_u64().unwrap(), "{line} start");
            assert_eq!(g.end, b["end"].as_u64().unwrap(), "{line} end");
            assert_eq!(
                g.strand.as_str(),
                b["strand"].as_str().unwrap(),
                "{line} strand"
            );
            assert_eq!(
                g.gene_type.as_str(),
                b["type"].as_str().unwrap(),
                "{line} type"
            );
            assert_eq!(g.length, b["length"].as_u64().unwrap(), "{line} length");
        }
    }
    assert_eq!(
        digest(&s),
        r["genes_sha256"].as_str().unwrap(),
        "{name} gene list"
    );
}

#[test]
fn syn3a_genbank_458_cds_496_genes_as_biopython() {
    check_genbank("syn3A.gb");
    let Some(bytes) = read("syn3A.gb") else {
        return;
    };
    let s = summary(&bytes);
    assert_eq!(s.accession.as_deref(), Some("CP016816.2"));
    assert_eq!(s.length, 543_379);
    assert_eq!(s.feature_counts["CDS"], 458);
    assert_eq!(s.feature_counts["gene"], 496);
    assert_eq!(s.gene_counts.total, 496);
    assert_eq!(s.essential.source, EssentialSource::Heuristic);
    assert!(s.has_warning("ESSENTIAL_HEURISTIC"));
    let dnan = s.genes.iter().find(|g| g.id == "JCVISYN3A_0002").unwrap();
    assert_eq!(
        (dnan.start, dnan.end, dnan.strand, dnan.gene_type),
        (1511, 2638, Strand::Forward, GeneType::ProteinCoding)
    );
    assert_eq!(dnan.name.as_deref(), Some("dnaN"));
    assert_eq!(
        dnan.product.as_deref(),
        Some("DNA polymerase III subunit beta")
    );
    assert!(dnan.essential, "DNA polymerase matches the heuristic");
}

#[test]
fn plasmids_and_chloroplast_as_biopython() {
    for f in [
        "pUC19.gb",
        "pBAD30.gb",
        "NC_005816_pPCP1.gb",
        "NC_000932_Athaliana_chloroplast.gb",
    ] {
        check_genbank(f);
    }
}

#[test]
fn chloroplast_join_cds_count_exons_only() {
    let Some(bytes) = read("NC_000932_Athaliana_chloroplast.gb") else {
        return;
    };
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("join("), "the file has join() locations");
    let s = summary(&bytes);
    // A spliced gene: its length (exons) is shorter than its span.
    let spliced: Vec<_> = s
        .genes
        .iter()
        .filter(|g| g.length < g.end - g.start + 1)
        .collect();
    assert!(!spliced.is_empty(), "no gene shorter than its span");
    for g in &spliced {
        assert!(g.length > 0);
    }
}

#[test]
fn ecoli_genbank_and_gff3_as_biopython_and_each_other() {
    let gb = "ecoli_K12_MG1655_GCF_000005845.2_ASM584v2_genomic.gbff.gz";
    let gff = "ecoli_K12_MG1655_GCF_000005845.2_ASM584v2_genomic.gff.gz";
    check_genbank(gb);
    let (Some(a), Some(b)) = (read(gb), read(gff)) else {
        return;
    };
    let fx = fixture();
    let g = summary(&a);
    assert!(g.compressed);
    let f = summary(&b);
    assert!(f.compressed);
    assert_eq!(f.format, GenomeFormat::Gff3);
    let r = &fx[gff];
    assert_eq!(f.length, r["length"].as_u64().unwrap());
    assert_eq!(f.accession.as_deref(), r["accession"].as_str());
    assert_eq!(
        serde_json::to_value(&f.feature_counts).unwrap(),
        r["features"]
    );
    assert_eq!(counts_map(&f), r["gene_counts"]);
    assert_eq!(f.total_coding_aa, r["coding_aa"].as_u64().unwrap());
    assert_eq!(digest(&f), r["genes_sha256"].as_str().unwrap());
    assert_eq!(f.topology, Topology::Circular, "region Is_circular=true");
    // The two views of one assembly give the same genes.
    assert_eq!(digest(&f), digest(&g));
}

#[test]
fn syn3a_gff3_and_genbank_agree_gene_by_gene() {
    let (Some(a), Some(b)) = (read("syn3A.gb"), read("syn3A_CP016816.2.gff3")) else {
        return;
    };
    let g = summary(&a);
    let f = summary(&b);
    assert_eq!(f.format, GenomeFormat::Gff3);
    assert_eq!(f.length, g.length);
    assert_eq!(f.accession, g.accession);
    assert_eq!(f.genes.len(), 496);
    // The GFF3 was converted from the GenBank file with ';' and ',' (reserved in GFF3) in
    // names and products replaced by spaces ("rnsD; uptD" → "rnsD  uptD"); they are compared
    // without them.
    let norm = |n: &Option<String>| {
        n.as_deref().map(|n| {
            n.replace([';', ','], " ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
    };
    for (x, y) in g.genes.iter().zip(&f.genes) {
        assert_eq!(
            norm(&x.name),
            norm(&y.name),
            "GenBank vs GFF3 name of {}",
            x.id
        );
        assert_eq!(
            norm(&x.product),
            norm(&y.product),
            "GenBank vs GFF3 product of {}",
            x.id
        );
        let y = bioxen::genome::Gene {
            name: x.name.clone(),
            product: x.product.clone(),
            ..y.clone()
        };
        assert_eq!(x, &y, "GenBank vs GFF3");
    }
    assert_eq!(f.gene_counts, g.gene_counts);
    assert_eq!(f.total_coding_aa, g.total_coding_aa);
    let fx = fixture();
    assert_eq!(
        digest(&f),
        fx["syn3A_CP016816.2.gff3"]["genes_sha256"]
            .as_str()
            .unwrap()
    );
}

#[test]
fn gff3_with_embedded_fasta_gets_gc_and_length() {
    let (Some(gff), Some(fa)) = (
        read("syn3A_CP016816.2.gff3"),
        read("syn3A_CP016816.2.fasta"),
    ) else {
        return;
    };
    // Drop the ##sequence-region line so the length must come from the FASTA section.
    let text = String::from_utf8(gff).unwrap();
    let body: String = text
        .lines()
        .filter(|l| !l.starts_with("##sequence-region"))
        .map(|l| format!("{l}\n"))
        .collect();
    let combined = format!("{body}##FASTA\n{}", String::from_utf8(fa).unwrap());
    let s = summary(combined.as_bytes());
    let fx = fixture();
    let r = &fx["syn3A_CP016816.2.fasta"];
    assert_eq!(s.length, r["length"].as_u64().unwrap());
    assert!((s.gc_content.unwrap() - r["gc"].as_f64().unwrap()).abs() < 1e-12);
    assert_eq!(s.gene_counts.total, 496);
}

#[test]
fn fasta_files_as_biopython() {
    let fx = fixture();
    for name in [
        "syn3A_CP016816.2.fasta",
        "ecoli_K12_MG1655_GCF_000005845.2_ASM584v2_genomic.fna.gz",
        "mgenitalium_G37_genome_wholecellkb.fna",
        "bioxen_syn3A.fasta",
    ] {
        let Some(bytes) = read(name) else { return };
        let r = &fx[name];
        let s = summary(&bytes);
        assert_eq!(s.format, GenomeFormat::Fasta, "{name}");
        assert_eq!(s.records as u64, r["records"].as_u64().unwrap(), "{name}");
        assert_eq!(s.length, r["length"].as_u64().unwrap(), "{name}");
        assert_eq!(s.accession.as_deref(), r["accession"].as_str(), "{name}");
        assert!(
            (s.gc_content.unwrap() - r["gc"].as_f64().unwrap()).abs() < 1e-12,
            "{name}"
        );
        assert!(
            !s.genes_known && s.genes.is_empty(),
            "{name}: sequence only"
        );
        assert!(s.has_warning("NO_GENES"), "{name}");
        assert_eq!(s.essential.source, EssentialSource::None);
        // No genes, no workload: the refusal says why.
        let e = s.workload().unwrap_err();
        assert_eq!(e.code(), "INVALID_ARGUMENT");
        assert!(e.to_string().contains("no protein-coding genes"), "{e}");
    }
}

#[test]
fn mgenitalium_fasta_with_gene_table_421_of_525_essential() {
    let (Some(fa), Some(tab)) = (
        read("mgenitalium_G37_genome_wholecellkb.fna"),
        read("mgenitalium_G37_genes_wholecellkb.csv"),
    ) else {
        return;
    };
    let fx = fixture();
    let t = &fx["mgenitalium_G37_genes_wholecellkb.csv"];
    let s = parse(
        &fa,
        &ParseOptions {
            gene_table: Some(&tab),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(s.genes_known);
    assert_eq!(
        s.length,
        fx["mgenitalium_G37_genome_wholecellkb.fna"]["length"]
            .as_u64()
            .unwrap()
    );
    assert_eq!(s.gene_counts.total as u64, t["rows"].as_u64().unwrap());
    let types = &t["types"];
    assert_eq!(
        s.gene_counts.protein_coding as u64,
        types["mRNA"].as_u64().unwrap()
    );
    assert_eq!(
        s.gene_counts.trna as u64,
        types["tRNA"].as_u64().unwrap() + types["initiator_tRNA, tRNA"].as_u64().unwrap()
    );
    assert_eq!(s.gene_counts.rrna as u64, types["rRNA"].as_u64().unwrap());
    assert_eq!(s.gene_counts.ncrna as u64, types["sRNA"].as_u64().unwrap());
    assert_eq!(s.essential.source, EssentialSource::Table);
    assert_eq!(s.essential.count as u64, t["essential"].as_u64().unwrap());
    assert_eq!(s.essential.count, 421);
    assert_eq!(s.essential.table_rows, 525);
    assert_eq!(s.essential.table_matched, 525);
    assert_eq!(s.total_coding_aa, t["coding_aa"].as_u64().unwrap());
    assert!(!s.has_warning("ESSENTIAL_HEURISTIC"));
    let dnan = s
        .genes
        .iter()
        .find(|g| g.name.as_deref() == Some("dnaN"))
        .unwrap();
    assert_eq!(
        (dnan.id.as_str(), dnan.start, dnan.strand),
        ("MG_001", 686, Strand::Forward)
    );
}

#[test]
fn gene_table_gives_essentiality_to_an_annotation_by_normalised_id() {
    let gb = concat!(
        "LOCUS       T1                        30 bp    DNA     circular BCT 01-JAN-2020\n",
        "FEATURES             Location/Qualifiers\n",
        "     gene            1..9\n",
        "                     /locus_tag=\"MG_001\"\n",
        "     CDS             1..9\n",
        "                     /locus_tag=\"MG_001\"\n",
        "                     /product=\"hypothetical\"\n",
        "     gene            complement(10..18)\n",
        "                     /locus_tag=\"MG_002\"\n",
        "     CDS             complement(10..18)\n",
        "                     /locus_tag=\"MG_002\"\n",
        "                     /product=\"ribosomal protein\"\n",
        "ORIGIN\n",
        "        1 atgaaataaa tgaaataacc ccccgggggg\n",
        "//\n"
    );
    let table = "id,essential\nmg001,yes\nMG002,no\nMG999,yes\n";
    let s = parse(
        gb.as_bytes(),
        &ParseOptions {
            gene_table: Some(table.as_bytes()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(s.essential.source, EssentialSource::Table);
    // The table overrides the heuristic (which would call the ribosomal protein essential).
    let e: Vec<(&str, bool)> = s
        .genes
        .iter()
        .map(|g| (g.id.as_str(), g.essential))
        .collect();
    assert_eq!(e, vec![("MG_001", true), ("MG_002", false)]);
    assert_eq!((s.essential.table_rows, s.essential.table_matched), (3, 2));
    assert_eq!(s.total_coding_aa, 4, "two 9-nt CDS: 2 aa each");
    assert_eq!(s.genes[1].strand, Strand::Reverse);
}

#[test]
fn bioxen_genome_file_parses_and_is_flagged() {
    let Some(bytes) = read("bioxen_syn3A.genome") else {
        return;
    };
    let fx = fixture();
    let r = &fx["bioxen_syn3A.genome"];
    let s = summary(&bytes);
    assert_eq!(s.format, GenomeFormat::Bioxen);
    assert_eq!(s.genes.len() as u64, r["rows"].as_u64().unwrap());
    assert_eq!(
        s.gene_counts.protein_coding as u64,
        r["types"]["1"].as_u64().unwrap()
    );
    assert_eq!(
        s.gene_counts.other as u64,
        r["types"]["0"].as_u64().unwrap()
    );
    assert!(s.has_warning("COORDINATES_DO_NOT_FIT"));
    let w = s
        .warnings
        .iter()
        .find(|w| w.code == "COORDINATES_DO_NOT_FIT")
        .unwrap();
    let mism = r["end_mismatches"].as_u64().unwrap();
    assert!(
        w.message
            .contains(&format!("in {mism} of {} rows", r["rows"])),
        "{}",
        w.message
    );
    assert!(w.message.contains(&format!(
        "in {} rows it equals the distance from the previous row's start",
        r["end_is_offset_from_previous_start"]
    )));
    // Upstream's keyword heuristic marked 68 of these genes essential; so does ours.
    assert_eq!(s.essential.count, 68);
    let g = &s.genes[0];
    assert_eq!(
        (g.id.as_str(), g.start, g.end, g.length),
        ("JCVISYN3A_0002", 2074, 2636, 563)
    );
}

#[test]
fn bioxen_fasta_is_flagged_as_gene_sequences() {
    let Some(bytes) = read("bioxen_syn3A.fasta") else {
        return;
    };
    let s = summary(&bytes);
    assert_eq!(s.records, 187);
    assert!(s.has_warning("GENE_SEQUENCES_NOT_GENOME"));
}

#[test]
fn a_consistent_genome_file_is_not_flagged() {
    let text = "# Organism: Test organism\n# Genome size: 1000 bp\n# Total genes: 2\n\
                # Format: BioXen genome v1.0\n\
                1 300 300 1 1 g1 DNA gyrase subunit A\n\
                401 90 490 -1 2 g2 tRNA-Ala\n";
    let s = summary(text.as_bytes());
    assert_eq!(s.format, GenomeFormat::Bioxen);
    assert_eq!(s.organism.as_deref(), Some("Test organism"));
    assert_eq!(s.length, 1000);
    assert!(!s.has_warning("COORDINATES_DO_NOT_FIT"), "{:?}", s.warnings);
    assert_eq!(s.genes[0].product.as_deref(), Some("DNA gyrase subunit A"));
    assert_eq!(s.genes[1].strand, Strand::Reverse);
    assert_eq!(s.total_coding_aa, 99);
    assert_eq!(s.essential.count, 2, "gyrase and a tRNA");
}

#[test]
fn gzip_is_detected_from_content() {
    let text = ">chr1 test\nACGTACGTNN\nGGCC\n";
    let plain = summary(text.as_bytes());
    let packed = summary(&gz(text.as_bytes()));
    assert!(packed.compressed && !plain.compressed);
    assert_eq!(
        (packed.length, packed.gc_content),
        (plain.length, plain.gc_content)
    );
    assert_eq!(plain.length, 14);
    assert_eq!(plain.gc_content, Some(8.0 / 12.0));
}

// ------------------------------------------------------------------ default workloads

#[test]
fn default_workloads_are_the_real_genomes_facts() {
    let Some(syn) = read("syn3A.gb") else { return };
    let w = summary(&syn).workload().unwrap().workload;
    let d = Workload::for_type(BiologicalType::Syn3a);
    assert_eq!(
        (d.gene_count, d.protein_coding, d.total_aa, d.genome_kb),
        (w.gene_count, w.protein_coding, w.total_aa, w.genome_kb)
    );
    assert_eq!(
        d.essential_genes, w.protein_coding,
        "syn3A: every protein-coding gene"
    );

    let Some(ec) = read("ecoli_K12_MG1655_GCF_000005845.2_ASM584v2_genomic.gbff.gz") else {
        return;
    };
    let w = summary(&ec).workload().unwrap().workload;
    let d = Workload::for_type(BiologicalType::Ecoli);
    assert_eq!(
        (d.gene_count, d.protein_coding, d.total_aa, d.genome_kb),
        (w.gene_count, w.protein_coding, w.total_aa, w.genome_kb)
    );

    let (Some(fa), Some(tab)) = (
        read("mgenitalium_G37_genome_wholecellkb.fna"),
        read("mgenitalium_G37_genes_wholecellkb.csv"),
    ) else {
        return;
    };
    let s = parse(
        &fa,
        &ParseOptions {
            gene_table: Some(&tab),
            ..Default::default()
        },
    )
    .unwrap();
    let w = s.workload().unwrap().workload;
    let d = Workload::for_type(BiologicalType::MinimalCell);
    assert_eq!(
        (
            d.gene_count,
            d.protein_coding,
            d.essential_genes,
            d.total_aa,
            d.genome_kb
        ),
        (
            w.gene_count,
            w.protein_coding,
            w.essential_genes,
            w.total_aa,
            w.genome_kb
        )
    );
}

// ------------------------------------------------------------------ VMs built on genomes

fn tiny_genome() -> GenomeSummary {
    let text = "##gff-version 3\n##sequence-region c1 1 250000\n\
c1\tt\tgene\t1\t3000\t.\t+\t.\tID=g1;locus_tag=T1\n\
c1\tt\tCDS\t1\t3000\t.\t+\t0\tID=c1;Parent=g1;product=DNA-directed RNA polymerase subunit beta\n\
c1\tt\tgene\t4001\t4900\t.\t-\t.\tID=g2;locus_tag=T2\n\
c1\tt\tCDS\t4001\t4900\t.\t-\t0\tID=c2;Parent=g2;product=hypothetical protein\n\
c1\tt\tgene\t5001\t5076\t.\t+\t.\tID=g3;locus_tag=T3\n\
c1\tt\ttRNA\t5001\t5076\t.\t+\t.\tID=r3;Parent=g3;product=tRNA-Ala\n";
    summary(text.as_bytes())
}

#[test]
fn a_vm_created_with_a_genome_takes_its_workload_from_it() {
    let s = tiny_genome();
    assert_eq!(s.total_coding_aa, 999 + 299);
    let gw = s.workload().unwrap();
    assert_eq!(
        gw.minimal_gene_set,
        vec!["T1".to_string(), "T3".to_string()]
    );
    assert_eq!(gw.essential_source, EssentialSource::Heuristic);
    assert_eq!(gw.workload.genome_kb, 250);
    assert_eq!(gw.groups.iter().map(|g| g.genes).sum::<u32>(), 2);
    assert!(gw
        .groups
        .iter()
        .any(|g| g.name == "transcription" && g.aa == 999));
    let mut h = Hypervisor::new(HypervisorOptions::default()).unwrap();
    let cfg = VmConfig {
        genome: Some(Arc::new(gw.clone())),
        ..Default::default()
    };
    h.create_vm("g", BiologicalType::Syn3a, VmType::Basic, &cfg)
        .unwrap();
    let st = h.vm_status("g").unwrap();
    assert_eq!(st.memory_kb, 250, "memory = genome length");
    assert_eq!(st.workload_aa, 1298, "one copy of every coded protein");
    assert_eq!(
        st.ribosomes, 1,
        "one ribosome per ten essential genes, rounded up"
    );
    let w = h.vm_workload("g").unwrap();
    assert_eq!(w.essential_genes, 2);
    assert_eq!(w.total_aa, 1298);
    // Explicit settings still win over the genome's defaults.
    let cfg2 = VmConfig {
        memory_kb: Some(7),
        genome: Some(Arc::new(gw)),
        ..Default::default()
    };
    h.create_vm("h", BiologicalType::Syn3a, VmType::Basic, &cfg2)
        .unwrap();
    assert_eq!(h.vm_status("h").unwrap().memory_kb, 7);
    // A genome VM survives a snapshot round trip with its workload.
    let back = Hypervisor::restore(&h.snapshot()).unwrap();
    assert_eq!(back.vm_workload("g").unwrap(), h.vm_workload("g").unwrap());
    assert_eq!(back.vm_workload("g").unwrap().organism, "c1");
}

#[cfg(feature = "kinetics")]
#[test]
fn a_genome_vm_expresses_one_gene_class_per_gene_group_under_the_kinetic_machinery() {
    let gw = tiny_genome().workload().unwrap();
    let mut h = Hypervisor::new(HypervisorOptions {
        machinery: bioxen::machinery::MachineryKind::Kinetic,
        ..Default::default()
    })
    .unwrap();
    let cfg = |genome| VmConfig {
        ribosomes: Some(0),
        rna_polymerase: Some(5),
        atp_percent: Some(0.0),
        memory_kb: Some(10),
        genome,
        ..Default::default()
    };
    h.create_vm(
        "g",
        BiologicalType::Ecoli,
        VmType::Basic,
        &cfg(Some(Arc::new(gw))),
    )
    .unwrap();
    h.create_vm("e", BiologicalType::Ecoli, VmType::Basic, &cfg(None))
        .unwrap();
    h.start_vm("g").unwrap();
    h.start_vm("e").unwrap();
    h.step(10 * 60_000).unwrap();
    let km = h.kinetic_metrics().unwrap();
    let len = |i: usize| km.per_vm[i].expression.protein_length;
    // The tiny genome codes two proteins, 999 + 299 aa: its gene is their mean, 649 aa; the
    // plain E. coli VM keeps the mean E. coli protein.
    let e = Workload::for_type(BiologicalType::Ecoli);
    let ecoli_mean = e.total_aa as f64 / f64::from(e.protein_coding);
    let mut lens = [len(0), len(1)];
    lens.sort_by(f64::total_cmp);
    assert_eq!(lens, [ecoli_mean.min(649.0), ecoli_mean.max(649.0)]);

    // One gene class per gene group of the genome, each group's mean protein; the plain VM
    // has one. Both spend the same RNA polymerase output (5 each): Σ w·3·length is equal.
    let vm = |id: &str| km.per_vm.iter().find(|v| v.vm_id == id).unwrap();
    let (g, e) = (vm("g"), vm("e"));
    let classes: Vec<(&str, f64)> = g
        .gene_classes
        .iter()
        .map(|c| (c.group.as_str(), c.expression.protein_length))
        .collect();
    assert_eq!(classes, [("transcription", 999.0), ("other", 299.0)]);
    assert_eq!(e.gene_classes.len(), 1);
    assert_eq!(e.gene_classes[0].group, "mean_protein");
    let nt = |v: &bioxen::kinetics::host::KineticVm| {
        v.gene_classes
            .iter()
            .map(|c| c.expression.max_transcription_per_min * 3.0 * c.expression.protein_length)
            .sum::<f64>()
    };
    assert!(nt(g) > 0.0);
    assert!(
        (nt(g) - nt(e)).abs() < 1e-9 * nt(e),
        "{} vs {}",
        nt(g),
        nt(e)
    );
    // Equal genes per group: equal transcription, and the VM's figures are the classes' sums.
    let w: Vec<f64> = g
        .gene_classes
        .iter()
        .map(|c| c.expression.max_transcription_per_min)
        .collect();
    assert_eq!(w[0], w[1]);
    let sum = |f: fn(&bioxen::kinetics::host::KineticGeneClass) -> f64| {
        g.gene_classes.iter().map(f).sum::<f64>()
    };
    assert!(g
        .gene_classes
        .iter()
        .all(|c| c.expression.translation_aa_per_min > 0.0));
    assert_eq!(
        g.expression.translation_aa_per_min,
        sum(|c| c.expression.translation_aa_per_min)
    );
    assert_eq!(g.expression.mrna, sum(|c| c.expression.mrna));
    assert_eq!(g.expression.protein, sum(|c| c.expression.protein));
    // The classes survive a snapshot (they are the VM's, not recomputed from its type).
    let restored = Hypervisor::restore(&h.snapshot()).unwrap();
    assert_eq!(restored.kinetic_metrics(), h.kinetic_metrics());
}

#[test]
fn a_real_genome_drives_a_vm() {
    let Some(bytes) = read("syn3A.gb") else {
        return;
    };
    let s = summary(&bytes);
    let gw = s.workload().unwrap();
    let mut h = Hypervisor::new(HypervisorOptions::for_chassis("syn3a").unwrap()).unwrap();
    let cfg = VmConfig {
        genome: Some(Arc::new(gw)),
        ..Default::default()
    };
    h.create_vm("syn", BiologicalType::Syn3a, VmType::Basic, &cfg)
        .unwrap();
    let st = h.vm_status("syn").unwrap();
    assert_eq!(st.memory_kb, 544);
    assert_eq!(st.workload_aa, 158_828);
    assert_eq!(st.ribosomes as u32, s.essential.count.div_ceil(10));
    assert_eq!(
        h.vm_workload("syn").unwrap().organism,
        "synthetic bacterium JCVI-Syn3A"
    );
}

// ------------------------------------------------------------------ error paths

const GB_HEAD: &str = concat!(
    "LOCUS       T1                        12 bp    DNA     linear   BCT 01-JAN-2020\n",
    "FEATURES             Location/Qualifiers\n",
    "     CDS             1..9\n",
    "                     /product=\"x\"\n"
);

#[test]
fn detection_errors() {
    assert_err(
        fails(""),
        "INVALID_GENOME",
        1,
        1,
        &["empty", "expected GenBank, GFF3, FASTA"],
    );
    assert_err(fails("\n  \n"), "INVALID_GENOME", 1, 1, &["empty"]);
    assert_err(
        fails("PK\x03\x04rest"),
        "INVALID_GENOME",
        1,
        1,
        &["ZIP archive"],
    );
    assert_err(fails("BZh91AY"), "INVALID_GENOME", 1, 1, &["bzip2"]);
    assert_err(
        fails("\n\nhello world\n"),
        "INVALID_GENOME",
        3,
        1,
        &[
            "unrecognised genome format",
            "\"hello world\"",
            "LOCUS",
            "##gff-version 3",
            ">header",
        ],
    );
}

#[test]
fn genbank_errors_name_the_line() {
    let ok = format!("{GB_HEAD}ORIGIN\n        1 atgaaataac cc\n//\n");
    assert_eq!(summary(ok.as_bytes()).total_coding_aa, 2);
    // A second record that does not start with LOCUS.
    let two = format!("{ok}FOO bar\n//\n");
    assert_err(
        fails(&two),
        "INVALID_GENOME",
        8,
        1,
        &["expected a LOCUS line", "\"FOO bar\""],
    );
    // A LOCUS length the record cannot hold.
    let big = ok.replace("12 bp", "999999999 bp");
    assert_err(
        fails(&big),
        "INVALID_GENOME",
        1,
        1,
        &["999999999 bp", "only"],
    );
    // A bad feature location.
    let bad_loc = ok.replace("1..9", "1..x9");
    assert_err(
        fails(&bad_loc),
        "INVALID_GENOME",
        3,
        22,
        &["location \"1..x9\"", "expected a valid location"],
    );
    let unbalanced = ok.replace("1..9", "join(1..3");
    assert_err(
        fails(&unbalanced),
        "INVALID_GENOME",
        3,
        22,
        &["\"join(1..3\"", "expected a valid location"],
    );
    let outside = ok.replace("1..9", "complement(5..99)");
    assert_err(
        fails(&outside),
        "INVALID_GENOME",
        3,
        22,
        &["past the 12 bp record", "expected positions 1..12"],
    );
    // A qualifier line that is not one.
    let junk = ok.replace("/product", "?product");
    let e = fails(&junk);
    assert!(e.0 == "INVALID_GENOME" && (3..=4).contains(&e.1), "{e:?}");
    assert!(
        e.3.contains("?product") && e.3.contains("expected"),
        "{e:?}"
    );
    // A stray character in the sequence.
    let bad_seq = ok.replace("atgaaataac", "atgaa!taac");
    let e = fails(&bad_seq);
    assert_eq!(e.0, "INVALID_GENOME");
    assert!(e.3.contains('!') && e.1 == 5, "{e:?}");
    // Fewer bases than LOCUS promised.
    let short = ok.replace("12 bp", "13 bp");
    let e = fails(&short);
    assert!(
        e.3.contains("12 bases but LOCUS gives 13") && e.1 == 5,
        "{e:?}"
    );
}

#[test]
fn gff3_errors_name_line_and_column() {
    let h = "##gff-version 3\n";
    let row = |cols: &str| format!("{h}{}\n", cols.replace('|', "\t"));
    assert_err(
        fails(&row("c|s|gene|1|10|.|+|.")),
        "INVALID_GENOME",
        2,
        1,
        &["8 tab-separated columns", "expected 9"],
    );
    assert_err(
        fails(&row("c|s|gene|x|10|.|+|.|ID=a")),
        "INVALID_GENOME",
        2,
        10,
        &["column 4 (start)", "\"x\""],
    );
    assert_err(
        fails(&row("c|s|gene|0|10|.|+|.|ID=a")),
        "INVALID_GENOME",
        2,
        10,
        &["≥ 1"],
    );
    assert_err(
        fails(&row("c|s|gene|10|5|.|+|.|ID=a")),
        "INVALID_GENOME",
        2,
        13,
        &["column 5 (end)", "≥ the start 10"],
    );
    assert_err(
        fails(&row("c|s|gene|1|10|.|*|.|ID=a")),
        "INVALID_GENOME",
        2,
        17,
        &["column 7 (strand)", "+, -, . or ?"],
    );
    assert_err(
        fails(&row("c|s|gene|1|10|.|+|.|ID")),
        "INVALID_GENOME",
        2,
        21,
        &["column 9 (attributes)", "tag=value"],
    );
    assert_err(
        fails(&row("|s|gene|1|10|.|+|.|ID=a")),
        "INVALID_GENOME",
        2,
        1,
        &["seqid"],
    );
    assert_err(
        fails("##gff-version 2\n"),
        "INVALID_GENOME",
        1,
        15,
        &["expected version 3"],
    );
    assert_err(
        fails("##gff-version 3\n##sequence-region c 1\n"),
        "INVALID_GENOME",
        2,
        1,
        &["seqid, start and end"],
    );
    assert_err(
        fails("##gff-version 3\n##sequence-region c 9 2\n"),
        "INVALID_GENOME",
        2,
        1,
        &["before start"],
    );
    assert_err(
        failure(
            b"##gff-version 3\nc\ts\tgene\t1\t2\t.\t+\t.\tID=\xff\n",
            &ParseOptions::default(),
        ),
        "INVALID_GENOME",
        2,
        23,
        &["invalid UTF-8"],
    );
    assert_err(
        fails("##gff-version 3\n##FASTA\nACGT\n"),
        "INVALID_GENOME",
        3,
        1,
        &["'>'"],
    );
}

#[test]
fn fasta_errors() {
    assert_err(
        fails(">\nACGT\n"),
        "INVALID_GENOME",
        1,
        2,
        &["empty FASTA header"],
    );
    assert_err(
        fails(">a\nAC GT\n"),
        "INVALID_GENOME",
        2,
        3,
        &["\" \"", "IUPAC"],
    );
    assert_err(
        fails(">a\nACGT\n>b\nAC9\n"),
        "INVALID_GENOME",
        4,
        3,
        &["\"9\""],
    );
}

#[test]
fn bioxen_genome_errors() {
    assert_err(
        fails("# Format: BioXen\n1 2 2 1 1\n"),
        "INVALID_GENOME",
        2,
        1,
        &["5 columns", "start length end strand type gene_id"],
    );
    assert_err(
        fails("# Format: BioXen\n1 x 2 1 1 g d\n"),
        "INVALID_GENOME",
        2,
        3,
        &["length is \"x\""],
    );
    assert_err(
        fails("# Format: BioXen\n1 2 2 0 1 g d\n"),
        "INVALID_GENOME",
        2,
        7,
        &["strand is \"0\"", "1 or -1"],
    );
    assert_err(
        fails("# Format: BioXen\n1 2 2 1 9 g d\n"),
        "INVALID_GENOME",
        2,
        9,
        &["type is \"9\"", "5 (pseudogene)"],
    );
    assert_err(
        fails("# Format: BioXen\n0 2 2 1 1 g d\n"),
        "INVALID_GENOME",
        2,
        1,
        &["start is 0"],
    );
    assert_err(
        fails("# Format: BioXen\n1 0 2 1 1 g d\n"),
        "INVALID_GENOME",
        2,
        3,
        &["length is 0"],
    );
    assert_err(
        fails("# BioXen genome\n# Organism: x\n"),
        "INVALID_GENOME",
        1,
        1,
        &["empty"],
    );
}

#[test]
fn gene_table_errors() {
    let fa = b">c\nACGT\n";
    let with = |t: &str| {
        failure(
            fa,
            &ParseOptions {
                gene_table: Some(t.as_bytes()),
                ..Default::default()
            },
        )
    };
    assert_err(with(""), "INVALID_GENOME", 1, 1, &["gene table", "empty"]);
    assert_err(
        with("name,essential\nx,yes\n"),
        "INVALID_GENOME",
        1,
        1,
        &["no id column", "wid, id, locus_tag"],
    );
    assert_err(
        with("id,name\nx,y\n"),
        "INVALID_GENOME",
        1,
        1,
        &["no essentiality column"],
    );
    assert_err(
        with("id,essential\nx,maybe\n"),
        "INVALID_GENOME",
        2,
        3,
        &["\"maybe\"", "True or False"],
    );
    assert_err(
        with("id,essential\nx\n"),
        "INVALID_GENOME",
        2,
        1,
        &["1 fields", "expected 2"],
    );
    assert_err(
        with("id,essential\n\"x,yes\n"),
        "INVALID_GENOME",
        2,
        1,
        &["unterminated"],
    );
    assert_err(
        with("id,essential\n,yes\n"),
        "INVALID_GENOME",
        2,
        1,
        &["empty gene id"],
    );
    assert_err(
        with("id,essential,start,length\nx,yes,5,abc\n"),
        "INVALID_GENOME",
        2,
        9,
        &["length is \"abc\""],
    );
}

#[test]
fn size_limits_are_refused_up_front() {
    let big = vec![b'A'; MAX_INPUT_BYTES + 1];
    let e = failure(&big, &ParseOptions::default());
    assert_eq!(e.0, "INPUT_TOO_LARGE");
    assert!(
        e.3.contains(&format!("{} bytes", MAX_INPUT_BYTES + 1)),
        "{}",
        e.3
    );
    assert!(
        e.3.contains(&format!("at most {MAX_INPUT_BYTES} bytes")),
        "{}",
        e.3
    );
    // A small gzip bomb: decompression stops at the limit.
    let mut text = b">x\n".to_vec();
    text.resize(MAX_INPUT_BYTES + 10, b'A');
    let bomb = gz(&text);
    assert!(bomb.len() < 1_000_000);
    let e = failure(&bomb, &ParseOptions::default());
    assert_eq!(e.0, "INPUT_TOO_LARGE");
    assert!(e.3.contains("(decompressed)"), "{}", e.3);
    // A truncated gzip stream.
    let packed = gz(b">x\nACGTACGTACGTACGTACGTACGTACGTACGTACGTACGT\n");
    let e = failure(&packed[..packed.len() / 2], &ParseOptions::default());
    assert_eq!(e.0, "INVALID_GENOME");
    assert!(
        e.3.contains("gzip") && e.3.contains("expected a complete gzip stream"),
        "{}",
        e.3
    );
}

// ------------------------------------------------------------------ fuzzing

/// Small seeds: synthetic files of every format, plus the small real ones when present.
fn corpus() -> Vec<Vec<u8>> {
    let mut c: Vec<Vec<u8>> = vec![
        format!("{GB_HEAD}ORIGIN\n        1 atgaaataac cc\n//\n").into_bytes(),
        b"##gff-version 3\n##sequence-region c 1 100\nc\ts\tgene\t1\t30\t.\t+\t.\tID=g;locus_tag=t\nc\ts\tCDS\t1\t30\t.\t+\t0\tID=c;Parent=g;product=p%3Bq\n##FASTA\n>c\nACGTACGT\n".to_vec(),
        b">a desc\nACGTNNacgt\n>b\nGGCC\n".to_vec(),
        b"# Organism: o\n# Genome size: 100 bp\n1 30 30 1 1 g1 gyrase\n40 20 59 -1 2 g2 tRNA\n".to_vec(),
    ];
    for name in ["pUC19.gb", "pBAD30.gb", "bioxen_syn3A.genome"] {
        if let Some(dir) = data_dir() {
            if let Ok(b) = std::fs::read(dir.join(name)) {
                c.push(b);
            }
        }
    }
    if let Some(dir) = data_dir() {
        if let Ok(b) = std::fs::read(dir.join("syn3A_CP016816.2.gff3")) {
            c.push(b[..b.len().min(4000)].to_vec());
        }
    }
    c
}

fn check_outcome(input: &[u8], table: Option<&[u8]>) -> Result<(), TestCaseError> {
    check_outcome_of(input, input, table)
}

/// `plain` is `input` before any gzip compression (for counting its lines).
fn check_outcome_of(input: &[u8], plain: &[u8], table: Option<&[u8]>) -> Result<(), TestCaseError> {
    let options = ParseOptions {
        gene_table: table,
        ..Default::default()
    };
    match parse(input, &options) {
        Ok(s) => {
            prop_assert!(s.genes.len() as u32 == s.gene_counts.total);
            prop_assert!(s.gc_content.is_none_or(|g| (0.0..=1.0).contains(&g)));
            for g in &s.genes {
                prop_assert!(g.start <= g.end || g.length == 0, "{:?}", g);
            }
            let _ = s.workload();
        }
        Err(BioxenError::InvalidGenome { line, message, .. }) => {
            let lines = plain.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            let table_lines =
                table.map_or(0, |t| t.iter().filter(|&&b| b == b'\n').count() as u64 + 1);
            prop_assert!(
                line <= lines.max(table_lines) + 1,
                "line {line} of {lines}: {message}"
            );
            prop_assert!(!message.is_empty());
            prop_assert!(message.contains("expected"), "no expectation in: {message}");
        }
        Err(e) => prop_assert_eq!(e.code(), "INPUT_TOO_LARGE"),
    }
    Ok(())
}

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Truncate(usize),
    DuplicateLine(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Mutation::Flip(i, b)),
        (
            any::<usize>(),
            prop::collection::vec(
                prop_oneof![
                    Just(b'\n'),
                    Just(b'\t'),
                    Just(b' '),
                    Just(b'/'),
                    Just(b'>'),
                    Just(b'('),
                    Just(b'.'),
                    Just(b'"'),
                    any::<u8>()
                ],
                1..8
            )
        )
            .prop_map(|(i, v)| Mutation::Insert(i, v)),
        (any::<usize>(), 1usize..64).prop_map(|(i, n)| Mutation::Delete(i, n)),
        any::<usize>().prop_map(Mutation::Truncate),
        any::<usize>().prop_map(Mutation::DuplicateLine),
    ]
}

fn apply(mut v: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        let n = v.len().max(1);
        match m {
            Mutation::Flip(i, b) if !v.is_empty() => v[i % n] = *b,
            Mutation::Insert(i, bytes) => {
                let at = i % (v.len() + 1);
                v.splice(at..at, bytes.iter().copied());
            }
            Mutation::Delete(i, k) if !v.is_empty() => {
                let at = i % n;
                let end = (at + k).min(v.len());
                v.drain(at..end);
            }
            Mutation::Truncate(i) => v.truncate(i % (v.len() + 1)),
            Mutation::DuplicateLine(i) if !v.is_empty() => {
                let at = i % n;
                let s = v[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1);
                let e = v[at..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .map_or(v.len(), |p| at + p + 1);
                let line = v[s..e].to_vec();
                v.splice(s..s, line);
            }
            _ => {}
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_give_a_summary_or_a_placed_error(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check_outcome(&bytes, None)?;
        check_outcome_of(&gz(&bytes), &bytes, None)?;
    }

    #[test]
    fn random_lines_in_each_format_never_panic(
        head in prop_oneof![Just("LOCUS       X 10 bp DNA linear\n"), Just("##gff-version 3\n"), Just(">x\n"), Just("# Format: BioXen\n")],
        body in prop::collection::vec(prop_oneof![
            Just("FEATURES             Location/Qualifiers\n".to_string()),
            Just("     CDS             join(1..3,complement(5..>9))\n".to_string()),
            Just("                     /locus_tag=\"a\"\n".to_string()),
            Just("ORIGIN\n        1 acgtacgtac\n".to_string()),
            Just("//\n".to_string()),
            Just("c\ts\tgene\t1\t9\t.\t+\t.\tID=g\n".to_string()),
            Just("c\ts\tCDS\t1\t9\t.\t+\t0\tParent=g\n".to_string()),
            Just("1 9 9 1 1 g x\n".to_string()),
            "[ -~\t]{0,40}\n",
        ], 0..12),
    ) {
        let text = format!("{head}{}", body.concat());
        check_outcome(text.as_bytes(), None)?;
    }

    #[test]
    fn mutated_real_files_give_a_summary_or_a_placed_error(
        seed in any::<prop::sample::Index>(),
        muts in prop::collection::vec(mutation(), 1..6),
        zip in any::<bool>(),
    ) {
        let c = corpus();
        let base = c[seed.index(c.len())].clone();
        let m = apply(base, &muts);
        check_outcome_of(&if zip { gz(&m) } else { m.clone() }, &m, None)?;
    }

    #[test]
    fn mutated_gene_tables_never_panic(muts in prop::collection::vec(mutation(), 1..6)) {
        let table = apply(b"wid,name,symbol,type,coordinate_nt,length_nt,direction,is_essential\nMG1,\"a, b\",x,mRNA,1,30,f,True\nMG2,b,,tRNA,40,20,r,False\n".to_vec(), &muts);
        check_outcome(b">c\nACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGTACGT\n", Some(&table))?;
    }
}
