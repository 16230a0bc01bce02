#!/usr/bin/env node
// Benchmarks of the built package (pkg/, from scripts/build-pkg.sh). Run: node bench/
// Reports numbers against the targets of issues 3 (speed) and 14 (size); asserts nothing.
//
//   (a) one scenario natively (cargo run --release --example bench_scenario) and in wasm
//       (this process, through the package's Node entry): times and the ratio (target <= 1.5x)
//   (b) a render loop: 60 frames x (step() + traceSince()) with 256 VMs (target <= 2 ms/frame)
//   (c) size of both builds (bioxen and bioxen/lite): wasm and browser glue, raw, gzip and brotli
//       (bench/size.mjs; targets: lite <= 150 KB gzip, full no larger than 1,046 KB / 418 KB gzip)
//
// Environment: BENCH_REPS (default 5), BENCH_ROUNDS (default 3: wasm and native alternate),
// BENCH_SKIP_NATIVE=1 (wasm side only), BENCH_BUILD=lite (parts a and b against bioxen/lite,
// pkg/lite/; the wasm rounds' child processes inherit it),
// CARGO_TARGET_DIR is passed on to cargo.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { sizeReport } from "./size.mjs";

const BUILD = process.env.BENCH_BUILD ?? "full";
if (BUILD !== "full" && BUILD !== "lite") throw new Error(`BENCH_BUILD=${BUILD}: expected full or lite`);
const bx = await import(BUILD === "lite" ? "../pkg/lite/index.mjs" : "../pkg/index.mjs");

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const REPS = Number(process.env.BENCH_REPS ?? 5);
const HOUR = 3_600_000;

const fmt = (x, d = 2) => x.toFixed(d);
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const pctl = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

// ---------- (a) the same scenario natively and in wasm ----------

const SCHEDULERS = ["round_robin", "credit", "eevdf", "lottery"];

/** One scheduler's part of the scenario. Keep in step with run() in examples/bench_scenario.rs. */
function run(scheduler) {
  const VMS = 64;
  const STEPS = 300;
  const h = new bx.Hypervisor({ scheduler, maxVms: VMS, seed: 42, quantumMs: 30_000, contextSwitchMs: 1_000 });
  for (let i = 0; i < VMS; i++) {
    const id = `vm${i}`;
    h.createVm(id, "syn3a", "basic", {
      ribosomes: 0, rnaPolymerase: 0, atpPercent: 0, memoryKb: 1, workloadAa: 500_000_000, weight: 64 + 16 * i,
    }).free();
    h.startVm(id);
  }
  for (let s = 0; s < STEPS; s++) h.step(HOUR);
  for (let i = 0; i < VMS; i += 2) h.destroyVm(`vm${i}`);
  for (let s = 0; s < STEPS; s++) h.step(HOUR);
  const m = h.metrics();
  h.free();
  return {
    nowMs: m.nowMs,
    decisions: m.decisions,
    contextSwitches: m.contextSwitches,
    completedCycles: m.completedCycles,
    machineryMs: m.perVm.reduce((a, v) => a + v.machineryTimeMs, 0),
  };
}

/** The whole scenario: [summed checksum, ms of each scheduler's part]. */
function scenario() {
  const sum = { nowMs: 0, decisions: 0, contextSwitches: 0, completedCycles: 0, machineryMs: 0 };
  const parts = [];
  for (const scheduler of SCHEDULERS) {
    const t = performance.now();
    const c = run(scheduler);
    parts.push(performance.now() - t);
    for (const k of Object.keys(sum)) sum[k] += c[k];
  }
  return [sum, parts];
}

function runWasm() {
  const [first] = scenario(); // warm-up (JIT, wasm tier-up) and the reference result
  const ms = [];
  const best = SCHEDULERS.map(() => Infinity);
  for (let r = 0; r < REPS; r++) {
    const t = performance.now();
    const [, parts] = scenario();
    ms.push(performance.now() - t);
    parts.forEach((p, i) => (best[i] = Math.min(best[i], p)));
  }
  const bestMsByScheduler = Object.fromEntries(SCHEDULERS.map((s, i) => [s, best[i]]));
  return { ms, bestMs: Math.min(...ms), medianMs: median(ms), bestMsByScheduler, checksum: first };
}

/** One wasm round in a fresh Node process, as each native round is a fresh process: on a shared
 * machine one process can run ~1.4x slow for its whole life (seen on both sides), so a single
 * long-lived wasm process would make the ratio a matter of luck. */
function runWasmProcess() {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, BENCH_WASM_ROUND: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.error || r.status !== 0) {
    throw new Error(`wasm round failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr.slice(-2000)}`);
  }
  return JSON.parse(r.stdout.trim().split("\n").at(-1));
}

function runNative() {
  const r = spawnSync("cargo", ["run", "--release", "--quiet", "--example", "bench_scenario", "--", "--reps", String(REPS)], {
    cwd: REPO,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  if (r.error || r.status !== 0) {
    throw new Error(`cargo run --release --example bench_scenario failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr.slice(-2000)}`);
  }
  const line = r.stdout.trim().split("\n").at(-1);
  return JSON.parse(line);
}

// ---------- (b) 60 frames of step() + traceSince() with 256 VMs ----------

function frames(scheduler, frameMs, { warmup = 10, count = 60 } = {}) {
  const h = new bx.Hypervisor({ scheduler, maxVms: 256, seed: 7 });
  for (let i = 0; i < 256; i++) {
    h.createVm(`v${i}`, "syn3a", "basic", {
      ribosomes: 0, rnaPolymerase: 0, atpPercent: 0, memoryKb: 1, workloadAa: 50_000_000, weight: 128 + (i % 8) * 64,
    }).free();
    h.startVm(`v${i}`);
  }
  let cursor = 0;
  let segments = 0;
  const times = [];
  for (let f = 0; f < warmup + count; f++) {
    const t = performance.now();
    h.step(frameMs);
    const c = h.traceSince(cursor);
    cursor = c.nextCursor;
    const dt = performance.now() - t;
    if (f >= warmup) {
      times.push(dt);
      segments += c.vmIndex.length;
    }
  }
  h.free();
  return { scheduler, frameMs, mean: times.reduce((a, b) => a + b, 0) / times.length, p95: pctl(times, 95), max: Math.max(...times), segmentsPerFrame: segments / count };
}

// ---------- main ----------

if (process.env.BENCH_WASM_ROUND) {
  console.log(JSON.stringify(runWasm()));
  process.exit(0);
}

console.log(`bioxen ${bx.version()} bench, ${BUILD} build (node ${process.version}, ${REPS} reps)`);

/** Pool the rounds of one side: every rep's time, each scheduler's best, the first checksum. */
function pool(results) {
  const ms = results.flatMap((r) => r.ms);
  const bestMsByScheduler = Object.fromEntries(
    SCHEDULERS.map((s) => [s, Math.min(...results.map((r) => r.bestMsByScheduler[s]))]),
  );
  return { ms, bestMs: Math.min(...ms), medianMs: median(ms), bestMsByScheduler, checksum: results[0].checksum };
}

// The shared machine's load drifts: wasm and native take turns (ROUNDS rounds of REPS reps
// each, every round a fresh process on both sides) so both see the same conditions, and the
// ratio compares like with like.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
console.log(`\n(a) scenario: 4 schedulers x 64 VMs, 600 simulated hours in 1-hour step() calls (${ROUNDS} alternating rounds, each a fresh process)`);
const skipNative = Boolean(process.env.BENCH_SKIP_NATIVE);
const wasmRounds = [];
const nativeRounds = [];
let nativeError = null;
for (let r = 0; r < ROUNDS; r++) {
  wasmRounds.push(runWasmProcess());
  if (skipNative || nativeError) continue;
  try {
    nativeRounds.push(runNative());
  } catch (e) {
    nativeError = e;
  }
}
const wasm = pool(wasmRounds);
console.log(`  wasm (node):   best ${fmt(wasm.bestMs)} ms, median ${fmt(wasm.medianMs)} ms  [${wasm.ms.map((x) => fmt(x, 1)).join(", ")}]`);
if (skipNative) {
  console.log("  native:        skipped (BENCH_SKIP_NATIVE)");
} else {
  try {
    if (nativeError) throw nativeError;
    const native = pool(nativeRounds);
    console.log(`  native (Rust): best ${fmt(native.bestMs)} ms, median ${fmt(native.medianMs)} ms  [${native.ms.map((x) => fmt(x, 1)).join(", ")}]`);
    for (const sch of SCHEDULERS) {
      const w = wasm.bestMsByScheduler[sch];
      const n = native.bestMsByScheduler[sch];
      console.log(`    ${sch.padEnd(12)} wasm ${fmt(w).padStart(8)} ms, native ${fmt(n).padStart(8)} ms, ratio ${fmt(w / n)}x`);
    }
    const same = JSON.stringify(native.checksum) === JSON.stringify(wasm.checksum);
    console.log(`  results identical: ${same ? "yes" : `NO\n    native ${JSON.stringify(native.checksum)}\n    wasm   ${JSON.stringify(wasm.checksum)}`}`);
    console.log(`  ratio wasm/native: ${fmt(wasm.bestMs / native.bestMs)}x best, ${fmt(wasm.medianMs / native.medianMs)}x median (target <= 1.5x)`);
  } catch (e) {
    console.log(`  native: not measured: ${e.message}`);
  }
}
console.log(`  checksum: ${JSON.stringify(wasm.checksum)}`);

console.log("\n(b) render loop: 256 VMs (maxVms 256), 60 frames of step(frame) + traceSince(cursor), after 10 warm-up frames");
for (const [scheduler, frameMs] of [["round_robin", HOUR], ["credit", HOUR], ["eevdf", HOUR], ["credit", 24 * HOUR]]) {
  const r = frames(scheduler, frameMs);
  console.log(
    `  ${scheduler.padEnd(12)} ${String(frameMs / HOUR).padStart(2)} h/frame: mean ${fmt(r.mean, 3)} ms, p95 ${fmt(r.p95, 3)} ms, ` +
      `max ${fmt(r.max, 3)} ms, ${fmt(r.segmentsPerFrame, 1)} segments/frame (target <= 2 ms/frame)`,
  );
}

console.log("\n(c) size of both builds' wasm and browser glue (KB = 1000 B; gzip -9, brotli quality 11; bench/size.mjs)");
for (const line of sizeReport()) console.log(line);
