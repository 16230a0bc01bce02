#!/usr/bin/env node
// kinetic.mjs: the kinetic model's benchmarks in one run (issue 5, "Benchmarks"). Run:
//   node bench/kinetic.mjs            (needs pkg/ built: scripts/build-pkg.sh)
//
//   (a) the bare Weiße model, 10 000 simulated min, 101 output points, rtol = atol = 1e-6,
//       one heterologous gene at w = 100 (300 aa), then 16 such genes: native Rust
//       (cargo run --release --example kinetic_bench), wasm in this Node process
//       (simulateWeisse), and libRoadRunner's CVODE (scripts/weisse_roadrunner_bench.py, if
//       Python has libroadrunner; it runs the SBML that pkg's toSbml writes for the same genes,
//       no Antimony); medians and ratios. Target: wasm no slower than libRoadRunner.
//   (b) the hypervisor with the kinetic machinery and 64 running VMs: cost of one playground
//       frame's stepping (step(frame) + kineticSeriesSince) in wasm; the browser's whole frame
//       is measured by: node bench/playground-frames.mjs --vms 64 --machinery kinetic
// Reports numbers; asserts nothing. Environment: BENCH_REPS (default 200), PYTHON (default
// .venv/bin/python of this repository, else python3).
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as bx from "../pkg/index.mjs";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const REPS = Number(process.env.BENCH_REPS ?? 200);
const PYTHON = process.env.PYTHON ?? (existsSync(path.join(REPO, ".venv/bin/python")) ? path.join(REPO, ".venv/bin/python") : "python3");
const fmt = (x, d = 3) => (x == null ? "-" : x.toFixed(d));
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const pctl = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];

function wasmCase(genes, reps) {
  const opts = { heterologous: Array.from({ length: genes }, () => ({ w: 100, length: 300 })), tEndMin: 10_000, points: 101, rtol: 1e-6, atol: 1e-6 };
  const warm = bx.simulateWeisse(opts);
  for (let i = 0; i < 20; i++) bx.simulateWeisse(opts); // tier-up
  const t = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    bx.simulateWeisse(opts);
    t.push(performance.now() - t0);
  }
  return { genes, medianMs: median(t), bestMs: Math.min(...t), lambdaEnd: warm.lambda[100], steps: warm.stats.accepted };
}

function native() {
  const r = spawnSync("cargo", ["run", "--release", "--quiet", "--example", "kinetic_bench", "--", "--reps", String(REPS)], { cwd: REPO, encoding: "utf8" });
  if (r.error || r.status !== 0) return { error: `cargo run --example kinetic_bench failed: ${r.error?.message ?? r.stderr.slice(-500)}` };
  return { cases: JSON.parse(r.stdout.trim().split("\n").at(-1)) };
}

function roadrunner() {
  const r = spawnSync(PYTHON, [path.join(REPO, "scripts/weisse_roadrunner_bench.py"), "--json", "--reps", String(REPS)], { cwd: REPO, encoding: "utf8" });
  if (r.error) return { error: `${PYTHON} not runnable (${r.error.message})` };
  if (r.status !== 0) {
    const last = r.stderr.trim().split("\n").at(-1) ?? "";
    const missing = /No module named '?(roadrunner)/.exec(last);
    return { error: missing ? `Python module ${missing[1]} is missing: pip install libroadrunner` : `the script failed: ${last}` };
  }
  return JSON.parse(r.stdout);
}

console.log(`bioxen ${bx.version()} kinetic bench (node ${process.version}, ${REPS} reps per case)`);
console.log("\n(a) Weiße 2015 model: 10 000 min, 101 points, rtol = atol = 1e-6, genes at w = 100 (300 aa)");
const nat = native();
const rr = roadrunner();
if (nat.error) console.log(`  native: not measured: ${nat.error}`);
if (rr.error) console.log(`  libRoadRunner: not measured: ${rr.error}`);
else console.log(`  libRoadRunner ${rr.roadrunner} (CVODE), timed in this run`);
console.log(`  ${"case".padEnd(9)} ${"native ms".padStart(10)} ${"wasm ms".padStart(10)} ${"RR ms".padStart(10)} ${"wasm/native".padStart(12)} ${"RR/wasm".padStart(9)} ${"RR/native".padStart(10)}   λ(10000) native | wasm | RR`);
for (const genes of [1, 16]) {
  const w = wasmCase(genes, genes > 1 ? Math.max(20, REPS >> 1) : REPS);
  const n = nat.cases?.find((c) => c.genes === genes);
  const label = genes === 1 ? "1 gene (w=100)" : `${genes} genes (w=100)`;
  const r = rr.error ? null : rr[label];
  const ratio = (a, b) => (a == null || b == null ? "-" : `${(a / b).toFixed(2)}x`);
  console.log(
    `  ${(genes + (genes === 1 ? " gene" : " genes")).padEnd(9)} ${fmt(n?.medianMs).padStart(10)} ${fmt(w.medianMs).padStart(10)} ${fmt(r?.median_ms).padStart(10)} ` +
      `${ratio(w.medianMs, n?.medianMs).padStart(12)} ${ratio(r?.median_ms, w.medianMs).padStart(9)} ${ratio(r?.median_ms, n?.medianMs).padStart(10)}   ` +
      `${n ? n.lambdaEnd.toPrecision(10) : "-"} | ${w.lambdaEnd.toPrecision(10)} | ${r ? r.lambda_end.toPrecision(10) : "-"}`,
  );
}
console.log("  (medians; RR/wasm > 1 means wasm is faster than libRoadRunner)");

console.log("\n(b) hypervisor, kinetic machinery, 64 running VMs (E. coli, maxVms 64): one frame = step(frame) + kineticSeriesSince");
for (const [scheduler, frameMin] of [["credit", 1], ["credit", 10], ["round_robin", 10], ["eevdf", 60]]) {
  const h = new bx.Hypervisor({ scheduler, machinery: "kinetic", maxVms: 64, seed: 7 });
  for (let i = 0; i < 64; i++) {
    h.createVm(`v${i}`, ["syn3a", "ecoli", "minimal_cell", "yeast"][i % 4], "basic", { ribosomes: 0, rnaPolymerase: 4, atpPercent: 0.1, memoryKb: 100, weight: 128 + (i % 8) * 64 }).free();
    h.startVm(`v${i}`);
  }
  let cursor = 0;
  const times = [];
  for (let f = 0; f < 70; f++) {
    const t0 = performance.now();
    h.step(frameMin * 60_000);
    cursor = h.kineticSeriesSince(cursor).nextCursor;
    if (f >= 10) times.push(performance.now() - t0);
  }
  const t0 = performance.now();
  const m = h.metrics();
  const metricsMs = performance.now() - t0;
  console.log(
    `  ${scheduler.padEnd(12)} ${String(frameMin).padStart(3)} simulated min/frame: mean ${fmt(times.reduce((a, b) => a + b, 0) / times.length)} ms, ` +
      `p95 ${fmt(pctl(times, 95))} ms, max ${fmt(Math.max(...times))} ms; metrics() ${fmt(metricsMs)} ms; λ ${m.kinetic.growthRatePerMin.toExponential(3)}/min (target ≤ 4 ms/frame)`,
  );
  h.free();
}
