#!/usr/bin/env node
// Genome parsing benchmark (reports, asserts nothing). Run: node bench/genome.mjs
//
// Parses the E. coli K-12 MG1655 GenBank flat file (~12 MB unpacked) and its GFF3 in one run:
//   native  cargo run --release --example genome_parse -- FILE --repeat N --json: the summary and
//           its workload, the Rust work parseGenome does; "+ JSON" adds serialising both to JSON
//           text natively (the form in which the wasm side hands them to JS)
//   wasm    parseGenome() of the built package (pkg/), one Node process per file: copying the input
//           in, the same Rust work, and building the JS result object (the summary through
//           JSON text, the genes from columns), which native code does not need; "Rust work only" times createVm with
//           the raw bytes as its genome: the same parse and workload, no JS result object
//   Python  Biopython's SeqIO.parse(..., "genbank") for the GenBank file; for GFF3 (Biopython has
//           no GFF reader) the plain-Python reader of scripts/genome_reference.py
// Each figure is the fastest of BENCH_REPS runs (default 10; Python 3) of parsing the unpacked
// bytes already in memory (file reading and gunzip excluded on every side). Targets: native
// >= 10x faster than Biopython; wasm <= 2x native.
//
// Needs: pkg/ built (scripts/build-pkg.sh); ../shared/data; python3 with biopython for the Python
// column (skipped, and said so, when missing). CARGO_TARGET_DIR is passed on to cargo.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const DATA = path.join(REPO, "..", "shared", "data");
const REPS = Number(process.env.BENCH_REPS ?? 10);
const FILES = [
  ["GenBank", "ecoli_K12_MG1655_GCF_000005845.2_ASM584v2_genomic.gbff.gz"],
  ["GFF3", "ecoli_K12_MG1655_GCF_000005845.2_ASM584v2_genomic.gff.gz"],
];
if (!fs.existsSync(DATA)) {
  console.error(`bench/genome: ${DATA} not found (the real genome files live there); nothing to measure`);
  process.exit(1);
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bioxen-genome-bench-"));
process.on("exit", () => fs.rmSync(tmp, { recursive: true, force: true }));
const unpacked = FILES.map(([kind, name]) => {
  const bytes = zlib.gunzipSync(fs.readFileSync(path.join(DATA, name)));
  const file = path.join(tmp, name.replace(/\.gz$/, ""));
  fs.writeFileSync(file, bytes);
  return { kind, name, file, bytes: new Uint8Array(bytes) };
});

// native
const build = spawnSync("cargo", ["build", "--release", "--quiet", "--example", "genome_parse"], { cwd: REPO, stdio: "inherit" });
if (build.status !== 0) process.exit(1);
const targetDir = process.env.CARGO_TARGET_DIR || path.join(REPO, "target");
const native = {};
for (const u of unpacked) {
  const r = spawnSync(path.join(targetDir, "release/examples/genome_parse"), [u.file, "--repeat", String(REPS), "--json"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  const out = JSON.parse(r.stdout.trim().split("\n").pop());
  native[u.kind] = { ms: out.ms, json: out.jsonMs, genes: out.summary.genes };
}

// wasm in Node: each file in a fresh Node process, as each native run is its own process (in one
// process, the JS heap left by the GenBank results slowed the GFF3 runs after them by up to 40 %).
const WASM_ONE = `
import fs from "node:fs";
const bx = await import(${JSON.stringify(path.join(REPO, "pkg/index.mjs"))});
const [file, reps] = process.argv.slice(1);
const bytes = new Uint8Array(fs.readFileSync(file));
let best = Infinity, core = Infinity, s;
for (let i = 0; i < Number(reps); i++) {
  let t0 = performance.now();
  s = bx.parseGenome(bytes);
  best = Math.min(best, performance.now() - t0);
  // The same Rust work without the JS result object: a VM created from the raw bytes parses
  // them and derives the workload, and hands nothing back but the VM handle.
  const hv = new bx.Hypervisor({ chassis: "ecoli" });
  t0 = performance.now();
  hv.createVm("g", "ecoli", "basic", { genome: bytes }).free();
  core = Math.min(core, performance.now() - t0);
  hv.free();
}
console.log(JSON.stringify({ ms: best, core, genes: s.genes.length }));
`;
const wasm = {};
for (const u of unpacked) {
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", WASM_ONE, u.file, String(REPS)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  wasm[u.kind] = JSON.parse(r.stdout.trim().split("\n").pop());
}

// Python
const py = `
import sys, time, io, importlib.util
sys.path.insert(0, ${JSON.stringify(path.join(REPO, "scripts"))})
from Bio import SeqIO
import genome_reference as ref
def best(fn, n):
    b = float("inf")
    for _ in range(n):
        t = time.perf_counter(); r = fn(); b = min(b, time.perf_counter() - t)
    return b * 1000, r
gb, gff = sys.argv[1], sys.argv[2]
text = open(gb).read()
ms, recs = best(lambda: list(SeqIO.parse(io.StringIO(text), "genbank")), 3)
print("GenBank", ms, sum(1 for r in recs for f in r.features if f.type == "gene"))
ms, out = best(lambda: ref.gff3(gff), 3)
print("GFF3", ms, out["genes"])
`;
const python = {};
const pr = spawnSync("python3", ["-c", py, unpacked[0].file, unpacked[1].file], { encoding: "utf8" });
if (pr.status === 0) {
  for (const line of pr.stdout.trim().split("\n")) {
    const [kind, ms, genes] = line.split(" ");
    python[kind] = { ms: Number(ms), genes: Number(genes) };
  }
} else {
  console.log(`(Python column skipped: ${pr.stderr.trim().split("\n").pop()})`);
}

const f = (x) => (x === undefined ? "—" : x.toFixed(1));
console.log(`\nGenome parsing, E. coli K-12 MG1655, fastest of ${REPS} (Python: of 3), ms`);
console.log("| file | MB | native | native + JSON | wasm (Node) | wasm, Rust work only | Python | Python / native | wasm / native | wasm / (native + JSON) | wasm Rust work / native |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|");
for (const u of unpacked) {
  const n = native[u.kind].ms, nj = n + native[u.kind].json, w = wasm[u.kind].ms, wc = wasm[u.kind].core, p = python[u.kind]?.ms;
  const pyName = u.kind === "GenBank" ? "Biopython" : "plain Python";
  console.log(`| ${u.kind} | ${(u.bytes.length / 1e6).toFixed(1)} | ${f(n)} | ${f(nj)} | ${f(w)} | ${f(wc)} | ${f(p)} (${pyName}) | ${p ? (p / n).toFixed(1) + "x" : "—"} | ${(w / n).toFixed(2)}x | ${(w / nj).toFixed(2)}x | ${(wc / n).toFixed(2)}x |`);
}
console.log(`genes: native ${FILES.map(([k]) => native[k].genes).join("/")}, wasm ${FILES.map(([k]) => wasm[k].genes).join("/")}, Python ${FILES.map(([k]) => python[k]?.genes ?? "—").join("/")}`);
console.log("targets: native >= 10x faster than Biopython (GenBank); wasm <= 2x native");
