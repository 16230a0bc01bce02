// parseGenome and genome-driven VMs, against the BUILT package (pkg/). Real files are read from
// ../shared/data (never copied into the repo); when that folder is missing the real-file tests
// say so and are skipped. Expected numbers come from tests/fixtures/genome/biopython.json (counts
// made by Biopython, scripts/genome_reference.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import * as bx from "../../pkg/index.mjs";
import { assertBioxenError, expectCode } from "./helpers.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const DATA = join(ROOT, "..", "shared", "data");
const HAVE_DATA = existsSync(join(DATA, "syn3A.gb"));
const FIXTURE = JSON.parse(readFileSync(join(ROOT, "tests/fixtures/genome/biopython.json"), "utf8"));
if (!HAVE_DATA) console.warn(`REAL GENOME FILES MISSING: ${DATA} not found; the real-file genome tests are skipped`);
const real = { skip: HAVE_DATA ? false : `${DATA} missing` };
const file = (name) => new Uint8Array(readFileSync(join(DATA, name)));

const countsOf = (s) => {
  const c = s.geneCounts;
  const m = { protein_coding: c.proteinCoding, tRNA: c.tRNA, rRNA: c.rRNA, ncRNA: c.ncRNA, pseudogene: c.pseudogene, other: c.other };
  return Object.fromEntries(Object.entries(m).filter(([, v]) => v > 0));
};

test("syn3A.gb: 458 CDS, 496 genes, as Biopython counts them", real, () => {
  const r = FIXTURE["syn3A.gb"];
  const s = bx.parseGenome(file("syn3A.gb"));
  assert.equal(s.format, "genbank");
  assert.equal(s.accession, "CP016816.2");
  assert.equal(s.length, r.length);
  assert.equal(s.topology, "circular");
  assert.ok(Math.abs(s.gcContent - r.gc) < 1e-12);
  assert.deepEqual(s.featureCounts, r.features);
  assert.equal(s.featureCounts.CDS, 458);
  assert.equal(s.genes.length, 496);
  assert.deepEqual(countsOf(s), r.gene_counts);
  assert.equal(s.totalCodingAa, r.coding_aa);
  for (const [i, g] of r.gene_list.entries()) {
    const mine = s.genes[i];
    assert.deepEqual([mine.id, mine.start, mine.end, mine.strand, mine.type, mine.length], [g.id, g.start, g.end, g.strand, g.type, g.length]);
  }
  assert.equal(s.essential.source, "heuristic");
  assert.ok(s.warnings.some((w) => w.code === "ESSENTIAL_HEURISTIC"));
  assert.equal(s.workload.workload.totalAa, r.coding_aa);
  assert.equal(s.workload.workload.genomeKb, Math.ceil(r.length / 1000));
  assert.equal(s.workload.minimalGeneSet.length, s.essential.count);
});

test("the same file as a string, as gzip, and with onProgress", real, () => {
  const bytes = file("pUC19.gb");
  const a = bx.parseGenome(bytes);
  const b = bx.parseGenome(new TextDecoder().decode(bytes));
  const seen = [];
  const c = bx.parseGenome(new Uint8Array(gzipSync(bytes)), { onProgress: (f) => seen.push(f) });
  assert.deepEqual({ ...b }, { ...a });
  assert.equal(c.compressed, true);
  assert.deepEqual({ ...c, compressed: false }, { ...a });
  assert.ok(seen.length >= 1 && seen.at(-1) === 1, `progress ${seen}`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1]);
});

test("E. coli GFF3 (gzip) has the genes of the GenBank file", real, () => {
  const gff = bx.parseGenome(file("ecoli_K12_MG1655_GCF_000005845.2_ASM584v2_genomic.gff.gz"));
  const r = FIXTURE["ecoli_K12_MG1655_GCF_000005845.2_ASM584v2_genomic.gff.gz"];
  assert.equal(gff.format, "gff3");
  assert.equal(gff.compressed, true);
  assert.equal(gff.genes.length, r.genes);
  assert.deepEqual(countsOf(gff), r.gene_counts);
  assert.equal(gff.totalCodingAa, r.coding_aa);
});

test("M. genitalium FASTA + gene table: 421 of 525 essential, from the table", real, () => {
  const fna = file("mgenitalium_G37_genome_wholecellkb.fna");
  const bare = bx.parseGenome(fna);
  assert.equal(bare.genesKnown, false);
  assert.equal(bare.workload, null);
  assert.ok(bare.warnings.some((w) => w.code === "NO_GENES"));
  const s = bx.parseGenome(fna, { geneTable: readFileSync(join(DATA, "mgenitalium_G37_genes_wholecellkb.csv"), "utf8") });
  assert.equal(s.genes.length, 525);
  assert.equal(s.essential.source, "table");
  assert.equal(s.essential.count, 421);
  assert.equal(s.totalCodingAa, FIXTURE["mgenitalium_G37_genes_wholecellkb.csv"].coding_aa);
  assert.ok(!s.warnings.some((w) => w.code === "ESSENTIAL_HEURISTIC"));
});

test("upstream bioxen_syn3A.genome parses and is flagged", real, () => {
  const s = bx.parseGenome(file("bioxen_syn3A.genome"));
  assert.equal(s.format, "bioxen");
  assert.equal(s.genes.length, 187);
  const w = s.warnings.find((w) => w.code === "COORDINATES_DO_NOT_FIT");
  assert.ok(w, JSON.stringify(s.warnings));
  assert.match(w.message, /do not fit a real genome/);
});

test("createVm with { genome }: summary or raw input; memory and workload from the genome", real, () => {
  const bytes = file("syn3A.gb");
  const s = bx.parseGenome(bytes);
  const h = new bx.Hypervisor({ chassis: "syn3a", maxVms: 3 });
  const vm = h.createVm("g1", "syn3a", "basic", { genome: s });
  const st = vm.status();
  assert.equal(st.memoryKb, 544);
  assert.equal(st.workloadAa, s.totalCodingAa);
  assert.equal(st.ribosomes, Math.ceil(s.essential.count / 10));
  const w = vm.workload();
  assert.equal(w.organism, "synthetic bacterium JCVI-Syn3A");
  assert.equal(w.essentialGenes, s.essential.count);
  assert.equal(w.geneCount, 496);
  // Raw bytes work too, and other keys still apply.
  const vm2 = h.createVm("g2", "syn3a", "basic", { genome: bytes, memoryKb: 100, priority: 9 });
  assert.equal(vm2.status().memoryKb, 100);
  assert.equal(vm2.status().priority, 9);
  assert.equal(vm2.status().workloadAa, s.totalCodingAa);
  // Without a genome the type's defaults stay.
  const vm3 = new bx.Hypervisor({ chassis: "syn3a" }).createVm("g3", "syn3a");
  assert.equal(vm3.workload().organism, "JCVI-syn3A");
  // It runs.
  vm.start();
  h.step(60_000);
  assert.ok(vm.status().aaProduced > 0);
});

test("kinetic machinery: a genome VM expresses one gene class per gene group of its genome", real, () => {
  const s = bx.parseGenome(file("syn3A.gb"));
  const groups = s.workload.groups;
  assert.ok(groups.length >= 3, `syn3A has ${groups.length} gene groups`);
  const h = new bx.Hypervisor({ chassis: "syn3a", scheduler: "credit", machinery: "kinetic", seed: 3 });
  const g = h.createVm("g", "syn3a", "basic", { genome: s });
  const plain = h.createVm("p", "syn3a", "basic", { rnaPolymerase: g.status().rnaPolymerase });
  g.start();
  plain.start();
  h.step(30 * 60_000);
  const km = h.metrics().kinetic;
  const vm = km.perVm.find((v) => v.vmId === "g");
  assert.deepEqual(vm.geneClasses.map((c) => c.group), groups.map((x) => x.name));
  vm.geneClasses.forEach((c, i) => {
    assert.ok(Math.abs(c.proteinLength - groups[i].aa / groups[i].genes) < 1e-9, c.group);
    assert.ok(c.translationAaPerMin > 0, c.group);
  });
  // Transcription split by gene count: w ∝ genes of the group.
  const w0 = vm.geneClasses[0].maxTranscriptionPerMin / groups[0].genes;
  for (const [i, c] of vm.geneClasses.entries()) {
    assert.ok(Math.abs(c.maxTranscriptionPerMin / groups[i].genes - w0) < 1e-9 * w0, c.group);
  }
  const sum = vm.geneClasses.reduce((a, c) => a + c.translationAaPerMin, 0);
  assert.ok(Math.abs(sum - vm.translationAaPerMin) < 1e-9 * sum);
  // The same RNA polymerases give the same transcription output (nt/min) with or without groups.
  const nt = (v) => v.geneClasses.reduce((a, c) => a + c.maxTranscriptionPerMin * 3 * c.proteinLength, 0);
  const p = km.perVm.find((v) => v.vmId === "p");
  assert.deepEqual(p.geneClasses.map((c) => c.group), ["mean_protein"]);
  assert.ok(Math.abs(nt(vm) - nt(p)) < 1e-9 * nt(p));
  h.free();
});

test("createVm refuses a genome without protein-coding genes, leaving nothing behind", () => {
  const h = new bx.Hypervisor();
  const before = h.snapshot();
  const e = expectCode(() => h.createVm("f", "ecoli", "basic", { genome: ">chr\nACGT\n" }), "INVALID_ARGUMENT", ["no protein-coding genes"]);
  assert.match(e.message, /genome/);
  expectCode(() => h.createVm("f", "ecoli", "basic", { genome: { workload: null } }), "INVALID_ARGUMENT", ["no workload"]);
  expectCode(() => h.createVm("f", "ecoli", "basic", { genome: { workload: { workload: { totalAa: 0 } } } }), "INVALID_ARGUMENT", ["config.genome.workload"]);
  expectCode(() => h.createVm("f", "ecoli", "basic", { genome: 42 }), "INVALID_ARGUMENT", ["expected a GenomeSummary"]);
  assert.equal(h.snapshot(), before);
});

test("gene objects keep every string exactly: quotes, escapes, emoji, a leading BOM, empty vs absent", () => {
  const T = "\t";
  const gff = [
    "##gff-version 3",
    "##sequence-region chr1 1 10000",
    ["chr1", "t", "gene", "1", "300", ".", "+", ".", "ID=%EF%BB%BFg1;locus_tag=%EF%BB%BFg1;Name=;gene_biotype=protein_coding"].join(T),
    ["chr1", "t", "CDS", "1", "300", ".", "+", "0", "ID=c1;Parent=%EF%BB%BFg1;product=DNA %22gyrase%22 \\ subunit %F0%9F%A7%AC caf%C3%A9%3B%2C%25%09end"].join(T),
    ["chr1", "t", "gene", "400", "480", ".", "-", ".", "ID=g2;locus_tag=g2;gene_biotype=tRNA"].join(T),
    ["chr1", "t", "tRNA", "400", "480", ".", "-", ".", "ID=r2;Parent=g2"].join(T),
    ["chr1", "t", "gene", "500", "900", ".", ".", ".", "ID=g3;locus_tag=g3;Name=x%F0%9F%A7%ACy"].join(T),
    "",
  ].join("\n");
  const s = bx.parseGenome(gff);
  const expected = [
    { id: "\uFEFFg1", name: "", product: 'DNA "gyrase" \\ subunit \u{1F9EC} caf\u00E9;,%\tend', start: 1, end: 300, strand: "+", type: "protein_coding", length: 300, essential: true },
    { id: "g2", name: null, product: null, start: 400, end: 480, strand: "-", type: "tRNA", length: 81, essential: true },
    { id: "g3", name: "x\u{1F9EC}y", product: null, start: 500, end: 900, strand: ".", type: "other", length: 401, essential: false },
  ];
  assert.deepEqual(s.genes, expected);
  // Same keys in the same order as the Rust summary's JSON (the CLI's `genome inspect`).
  assert.equal(JSON.stringify(s.genes), JSON.stringify(expected));
  assert.deepEqual(Object.keys(s), ["format", "compressed", "bytes", "organism", "accession", "records", "length", "topology", "gcContent", "genesKnown", "geneCounts", "featureCounts", "totalCodingAa", "essential", "genes", "warnings", "workload"]);
});

test("bad input: a coded Error naming line, column and what was expected", () => {
  const cases = [
    ["", "INVALID_GENOME", ["empty"]],
    ["hello\n", "INVALID_GENOME", ["line 1", "unrecognised genome format"]],
    ["##gff-version 3\nc\ts\tgene\tx\t9\t.\t+\t.\tID=a\n", "INVALID_GENOME", ["line 2, column 10", "start", "expected a whole number"]],
    [">a\nAC!T\n", "INVALID_GENOME", ["line 2, column 3", "IUPAC"]],
    ["# Format: BioXen\n1 9 9 2 1 g d\n", "INVALID_GENOME", ["line 2, column 7", "strand"]],
    [new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0]), "INVALID_GENOME", ["gzip"]],
    [new Uint8Array([0x50, 0x4b, 3, 4, 1, 2]), "INVALID_GENOME", ["ZIP"]],
  ];
  for (const [input, code, mentions] of cases) expectCode(() => bx.parseGenome(input), code, mentions);
  expectCode(() => bx.parseGenome(42), "INVALID_ARGUMENT", ["string or a Uint8Array", "42"]);
  expectCode(() => bx.parseGenome(">a\nA\n", { bogus: 1 }), "INVALID_ARGUMENT", ["bogus"]);
  expectCode(() => bx.parseGenome(">a\nA\n", { format: "embl" }), "INVALID_ARGUMENT", ["embl"]);
  expectCode(() => bx.parseGenome(">a\nA\n", { onProgress: 5 }), "INVALID_ARGUMENT", ["function"]);
  expectCode(() => bx.parseGenome(">a\nA\n", { onProgress: () => { throw new Error("boom"); } }), "INVALID_ARGUMENT", ["boom"]);
  expectCode(() => bx.parseGenome(">a\nA\n", { geneTable: "id\nx\n" }), "INVALID_GENOME", ["essentiality column"]);
  const limit = bx.genomeInputLimit();
  assert.equal(limit, 64 * 1024 * 1024);
  expectCode(() => bx.parseGenome(new Uint8Array(limit + 1)), "INPUT_TOO_LARGE", [`${limit + 1} bytes`, `at most ${limit}`]);
  // Still usable afterwards.
  assert.equal(bx.parseGenome(">a\nACGT\n").length, 4);
});

test("random and mutated inputs never trap", () => {
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const seeds = [
    "LOCUS       T 12 bp DNA linear\nFEATURES             Location/Qualifiers\n     CDS             1..9\n                     /product=\"x\"\nORIGIN\n        1 atgaaataac cc\n//\n",
    "##gff-version 3\nc\ts\tgene\t1\t9\t.\t+\t.\tID=g\nc\ts\tCDS\t1\t9\t.\t+\t0\tParent=g\n##FASTA\n>c\nACGTACGTA\n",
    ">a\nACGT\n",
    "# Format: BioXen\n1 9 9 1 1 g gyrase\n",
  ];
  let ok = 0;
  for (let i = 0; i < 2000; i++) {
    const base = new TextEncoder().encode(seeds[i % seeds.length]);
    const bytes = Array.from(base);
    for (let m = 0; m < 1 + (i % 4); m++) {
      const at = Math.floor(rnd() * (bytes.length + 1));
      const op = Math.floor(rnd() * 3);
      if (op === 0) bytes[at] = Math.floor(rnd() * 256);
      else if (op === 1) bytes.splice(at, 0, Math.floor(rnd() * 256));
      else bytes.splice(at, 1 + Math.floor(rnd() * 8));
    }
    try {
      const s = bx.parseGenome(new Uint8Array(bytes));
      assert.equal(s.genes.length, s.geneCounts.total);
      ok++;
    } catch (e) {
      assertBioxenError(e);
      assert.ok(["INVALID_GENOME", "INPUT_TOO_LARGE"].includes(e.code), e.message);
    }
  }
  assert.ok(ok > 0, "some mutations still parse");
});
