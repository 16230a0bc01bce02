#!/usr/bin/env node
// circuits.mjs: the gene circuits' benchmarks in one run (issue 15, "Benchmarks"). Run:
//   node bench/circuits.mjs           (needs pkg/ built: scripts/build-pkg.sh)
//
//   (a) the bare circuit model (host + circuits, rtol = atol = 1e-6, 101 output points):
//       simulate_circuits natively (cargo run --release --example circuits_bench, the same
//       options on stdin; median in the "nat med" column), simulateCircuits in wasm in this
//       Node process, against libRoadRunner's CVODE on the SBML
//       that toSbml writes for exactly the same options (the host, the circuits and the inducer
//       schedules as events), run by scripts/circuits_roadrunner_bench.py in a fresh Python
//       process per case. Cases, each over 10^4 min as the issue sets them: the toggle with an
//       IPTG pulse, the repressilator, 8 repressilators in one host (the issue's 24-gene case),
//       and 16 circuits in one host (a mix of toggle, repressilator, lac and reporter, with the
//       IPTG pulse). Medians and bests
//       per run; libRoadRunner's model load (parse + compile) is excluded from its per-run time
//       and reported on its own. The last column is the largest relative disagreement at t_end
//       between the two, over every state and λ (relative to max(|x|, 1)), and that of λ alone, as a
//       sanity check (oscillators drift in phase over many periods, so theirs is larger, and it
//       shrinks with the tolerance: it is the solvers' error, not a difference between the
//       models; tests/sbml.rs checks the agreement at tight tolerances).
//       Target: wasm at least 2x faster than libRoadRunner on each case.
//   (b) the hypervisor with the kinetic machinery, credit scheduler and 16 circuit VMs (E. coli,
//       maxVms 16, each reserving 100 kb of DNA, no ribosomes and 1 % ATP so that 16 fit; circuits
//       cycle through toggle, repressilator, lac, reporter): one playground frame =
//       step(frame) + kineticSeriesSince(cursor) + metrics(), with IPTG set to 1000 µM half-way
//       (a medium change), at 1 and at 10 simulated min per frame. Target: <= 4 ms per frame.
// Reports numbers; asserts nothing. Environment: BENCH_REPS (default 30; the cases with many
// genes use a quarter, at least 5), BENCH_FRAMES (default 300), PYTHON (default .venv/bin/python
// of this repository, else python3).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as bx from "../pkg/index.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const REPS = Number(process.env.BENCH_REPS ?? 30);
const FRAMES = Number(process.env.BENCH_FRAMES ?? 300);
const PYTHON = process.env.PYTHON ?? (existsSync(path.join(REPO, ".venv/bin/python")) ? path.join(REPO, ".venv/bin/python") : "python3");
const TOL = { rtol: 1e-6, atol: 1e-6 };
const fmt = (x, d = 3) => (x == null ? "-" : x.toFixed(d));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const pctl = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;

const library = Object.fromEntries(bx.getSupportedCircuits().map((c) => [c.id, c.circuit]));
const CYCLE = ["toggle", "repressilator", "lac", "reporter"];
const IPTG_PULSE = { IPTG: [[0, 0], [3000, 1000], [3500, 0]] };
const CASES = [
  { label: "toggle, IPTG pulse", opts: { circuits: [library.toggle], inducers: IPTG_PULSE, tEndMin: 10_000, points: 101, ...TOL } },
  { label: "repressilator", opts: { circuits: [library.repressilator], tEndMin: 10_000, points: 101, ...TOL } },
  { label: "8 repressilators", big: true, opts: { circuits: Array.from({ length: 8 }, () => library.repressilator), tEndMin: 10_000, points: 101, ...TOL } },
  {
    label: "16 circuits, IPTG pulse",
    big: true,
    opts: { circuits: Array.from({ length: 16 }, (_, i) => library[CYCLE[i % 4]]), inducers: IPTG_PULSE, tEndMin: 10_000, points: 101, ...TOL },
  },
];

/** The end values of a simulateCircuits result under the SBML's ids (toSbml's naming). */
function finalValues(r) {
  const out = { lam: r.growthRate.at(-1) };
  for (const [name, xs] of Object.entries(r.host)) out[name] = xs.at(-1);
  r.circuits.forEach((c, i) =>
    c.genes.forEach((g, j) => {
      out[`p_c${i}g${j}`] = g.protein.at(-1);
      out[`m_c${i}g${j}`] = g.mrna.at(-1);
      out[`cx_c${i}g${j}`] = g.complex.at(-1);
    }),
  );
  return out;
}

function wasmCase(opts, reps) {
  const warm = bx.simulateCircuits(opts);
  // Warm up for half a second (at least 5 runs): V8 compiles the wasm with its baseline
  // compiler first and swaps in optimised code for hot functions in the background, which
  // for the toggle took longer than 5 runs (medians 1.3-1.9 ms after 5, 0.76 ms after 200).
  const until = performance.now() + 500;
  for (let i = 0; i < 5 || performance.now() < until; i++) bx.simulateCircuits(opts);
  const t = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    bx.simulateCircuits(opts);
    t.push(performance.now() - t0);
  }
  return { medianMs: median(t), bestMs: Math.min(...t), steps: warm.stats.accepted, genes: opts.circuits.reduce((n, c) => n + c.genes.length, 0), final: finalValues(warm) };
}

function roadrunnerCase(opts, reps) {
  const args = [path.join(REPO, "scripts/circuits_roadrunner_bench.py"), "-", "--t-end", String(opts.tEndMin), "--points", String(opts.points)];
  args.push("--rtol", String(opts.rtol), "--atol", String(opts.atol), "--reps", String(reps));
  const r = spawnSync(PYTHON, args, { cwd: REPO, encoding: "utf8", input: bx.toSbml(opts), maxBuffer: 1 << 26 });
  if (r.error) return { error: `${PYTHON} not runnable (${r.error.message})` };
  if (r.status === 2) return { error: `Python module missing (${JSON.parse(r.stdout).missing}): pip install -r scripts/oracles-requirements.txt` };
  if (r.status !== 0) return { error: `the script failed: ${r.stderr.trim().split("\n").at(-1) ?? ""}` };
  return JSON.parse(r.stdout);
}

/** The largest |a - b| / max(|a|, |b|, 1) over the ids both have, and where it is. */
function disagreement(wasm, rr) {
  let worst = { rel: 0, id: "-" };
  for (const [id, a] of Object.entries(wasm)) {
    const b = rr[id];
    if (b == null) continue;
    const rel = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1);
    if (rel > worst.rel || Number.isNaN(rel)) worst = { rel, id };
  }
  return worst;
}

console.log(`bioxen ${bx.version()} circuits bench (node ${process.version}, ${REPS} reps per small case, ${Math.max(5, REPS >> 2)} per big case)`);
console.log("\n(a) circuits on the Weiße host, rtol = atol = 1e-6, 101 points (10 000 min unless said): simulateCircuits (wasm) vs libRoadRunner on toSbml");
console.log(
  `  ${"case".padEnd(24)} ${"genes".padStart(5)} ${"steps".padStart(6)} ${"nat med".padStart(9)} ${"wasm med".padStart(9)} ${"wasm best".padStart(9)} ${"RR med".padStart(9)} ${"RR best".padStart(9)} ${"RR load".padStart(8)} ${"RR/wasm".padStart(8)} ${"target".padStart(7)}   max rel diff at t_end`,
);
/** Every case natively (cargo run --release --example circuits_bench), or { error }. */
function nativeCases() {
  const input = JSON.stringify(CASES.map((c) => ({ reps: c.big ? Math.max(5, REPS >> 2) : REPS, options: c.opts })));
  const r = spawnSync("cargo", ["run", "--release", "--quiet", "--example", "circuits_bench", "--", "--reps", String(REPS)], { cwd: REPO, input, encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.error || r.status !== 0) return { error: `cargo run --example circuits_bench failed: ${r.error?.message ?? r.stderr.slice(-500)}` };
  return { cases: JSON.parse(r.stdout.trim().split("\n").at(-1)) };
}
const native = nativeCases();
if (native.error) console.log(`  native not measured: ${native.error}`);
let rrVersion = null;
for (const [k, c] of CASES.entries()) {
  const reps = c.big ? Math.max(5, REPS >> 2) : REPS;
  const nat = native.cases?.[k];
  let w;
  try {
    w = wasmCase(c.opts, reps);
  } catch (e) {
    console.log(`  ${c.label.padEnd(24)} wasm failed: ${e.message}`);
    continue;
  }
  const rr = roadrunnerCase(c.opts, reps);
  if (!rr.error) rrVersion = rr.roadrunner;
  const ratio = rr.error ? null : rr.median_ms / w.medianMs;
  const diff = rr.error ? null : disagreement(w.final, rr.final);
  console.log(
    `  ${c.label.padEnd(24)} ${String(w.genes).padStart(5)} ${String(w.steps).padStart(6)} ${fmt(nat?.medianMs).padStart(9)} ${fmt(w.medianMs).padStart(9)} ${fmt(w.bestMs).padStart(9)} ` +
      `${fmt(rr.median_ms).padStart(9)} ${fmt(rr.min_ms).padStart(9)} ${fmt(rr.load_ms, 1).padStart(8)} ${(ratio == null ? "-" : `${ratio.toFixed(2)}x`).padStart(8)} ` +
      `${(ratio == null ? "-" : ratio >= 2 ? "met" : "not met").padStart(7)}   ` +
      (rr.error
        ? `libRoadRunner not measured: ${rr.error}`
        : `${diff.rel.toExponential(2)} (${diff.id}); λ ${disagreement({ lam: w.final.lam }, rr.final).rel.toExponential(2)}${rr.repeatable ? "" : "; RR runs not repeatable"}`),
  );
}
console.log(`  (ms per run; nat = native Rust; libRoadRunner ${rrVersion ?? "-"} CVODE, load = parse + compile once, not in its per-run times; RR/wasm >= 2 is the target)`);

console.log(`\n(b) hypervisor, kinetic machinery, credit scheduler, 16 circuit VMs (E. coli, 100 kb, 0 ribosomes, 1 % ATP each; ${CYCLE.join(", ")}):`);
console.log(`    one frame = step(frame) + kineticSeriesSince(cursor) + metrics(); ${FRAMES} frames after 20 warm-up frames; IPTG 1000 µM half-way`);
for (const frameMin of [1, 10]) {
  let hv;
  try {
    hv = new bx.Hypervisor({ machinery: "kinetic", scheduler: "credit", maxVms: 16 });
    for (let i = 0; i < 16; i++) {
      hv.createVm(`c${i}`, "ecoli", "basic", { circuit: CYCLE[i % 4], memoryKb: 100, ribosomes: 0, atpPercent: 1 }).free();
      hv.startVm(`c${i}`);
    }
  } catch (e) {
    console.log(`  ${frameMin} simulated min/frame: not measured: ${e.message}`);
    hv?.free();
    continue;
  }
  let cursor = 0;
  const times = [];
  let inducerFrameMs = null;
  for (let f = 0; f < 20 + FRAMES; f++) {
    const t0 = performance.now();
    if (f === 20 + (FRAMES >> 1)) hv.setInducer("IPTG", 1000);
    hv.step(frameMin * 60_000);
    cursor = hv.kineticSeriesSince(cursor).nextCursor;
    hv.metrics();
    const dt = performance.now() - t0;
    if (f === 20 + (FRAMES >> 1)) inducerFrameMs = dt;
    if (f >= 20) times.push(dt);
  }
  const m = hv.metrics();
  console.log(
    `  ${String(frameMin).padStart(3)} simulated min/frame: mean ${fmt(mean(times))} ms, median ${fmt(median(times))} ms, p95 ${fmt(pctl(times, 95))} ms, ` +
      `max ${fmt(Math.max(...times))} ms; the IPTG frame ${fmt(inducerFrameMs)} ms; λ ${m.kinetic.growthRatePerMin.toExponential(3)}/min; ` +
      `target ≤ 4 ms/frame: ${mean(times) <= 4 ? "met" : "not met"} (mean)`,
  );
  hv.free();
}
