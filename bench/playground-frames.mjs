#!/usr/bin/env node
// playground-frames.mjs: frame times of the browser playground with many VMs at full speed.
//
//   node bench/playground-frames.mjs [--vms 256] [--scheduler credit] [--seconds 10] [--speed max]
//                                    [--no-ui] [--no-gantt]   (switch parts off to see what they cost)
//                                    [--machinery kinetic]     (the Weiße host model; target ≤ 4 ms/frame at 64 VMs)
//
// Serves www/ with scripts/serve.sh on a free 127.0.0.1 port, opens it in headless Debian
// Chromium (playwright-core, 1280×800), imports a session with N running VMs, plays it "as fast as
// possible" and reports, over the measured seconds:
//   - frame interval (requestAnimationFrame to requestAnimationFrame): what the user sees;
//     60 Hz means 16.7 ms, so p95 ≤ 16.7 ms is the target
//   - script work per frame (step + batched traceSince + canvas draw + UI refresh)
//   - simulated time covered per real second
// A benchmark that reports, not a test that asserts: the exit code is 0 unless it cannot run.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
};
const N = Number(arg("vms", 256));
const SCHED = arg("scheduler", "credit");
const SECONDS = Number(arg("seconds", 10));
const SPEED = arg("speed", "max");
const MACHINERY = arg("machinery", "simple");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

if (!fs.existsSync(path.join(ROOT, "pkg/web/bioxen.js"))) {
  console.error("bench: pkg/ is not built; run scripts/build-pkg.sh first");
  process.exit(1);
}
execFileSync("bash", [path.join(ROOT, "scripts/build-www.sh")], { stdio: ["ignore", "ignore", "inherit"] });

// N small guests that fit E. coli's guest pools: 20 ribosomes, 4 RNAP, 0.1 % ATP, 100 kb each.
const bios = ["syn3a", "ecoli", "minimal_cell", "yeast"];
const ops = [];
for (let i = 0; i < N; i++) {
  ops.push({ atMs: 0, op: "createVm", vmId: `vm-${String(i).padStart(3, "0")}`, biologicalType: bios[i % 4], vmType: "basic",
    config: { ribosomes: 20, rnaPolymerase: 4, atpPercent: 0.1, memoryKb: 100, weight: 128 + (i % 8) * 64 } });
}
for (let i = 0; i < N; i++) ops.push({ atMs: 0, op: "startVm", vmId: `vm-${String(i).padStart(3, "0")}` });
const session = { format: "bioxen-session", version: 1, chassis: "ecoli", scheduler: SCHED, options: { seed: 1, maxVms: N, ...(MACHINERY === "kinetic" ? { machinery: "kinetic" } : {}) }, ops, endMs: 0 };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const f = (x) => x.toFixed(2);

const port = await freePort();
const server = spawn("bash", [path.join(ROOT, "scripts/serve.sh"), String(port)], { stdio: ["ignore", "pipe", "pipe"] });
process.on("exit", () => server.kill("SIGTERM"));
for (const sig of ["SIGINT", "SIGTERM", "SIGPIPE"]) process.on(sig, () => process.exit(1));
process.stdout.on("error", () => process.exit(1));
await new Promise((resolve, reject) => {
  let out = "";
  const t = setTimeout(() => reject(new Error(`serve.sh did not start: ${out}`)), 10_000);
  const on = (d) => { out += d; if (out.includes("Serving")) { clearTimeout(t); resolve(); } };
  server.stdout.on("data", on);
  server.stderr.on("data", on);
});
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  // --no-ui / --no-gantt switch parts off, to see what each costs
  const debug = { noUi: process.argv.includes("--no-ui"), noGantt: process.argv.includes("--no-gantt") };
  await page.addInitScript((d) => { window.__bioxenDebug = d; }, debug);
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`http://127.0.0.1:${port}/`);
  await page.waitForFunction(() => window.__playground && window.__playground.ready, null, { timeout: 15_000 });
  await page.setInputFiles("#import", { name: "bench.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(session)) });
  await page.waitForFunction((n) => window.__playground.metrics().perVm.length === n, N, { timeout: 30_000 });
  const speeds = ["1s", "5s", "20s", "1m", "5m", "10m", "30m", "1h", "3h", "12h", "1d", "max"];
  await page.locator("#speed").evaluate((el, v) => { el.value = String(v); el.dispatchEvent(new Event("input", { bubbles: true })); }, speeds.indexOf(SPEED));
  await page.evaluate(() => window.__playground.play(true));
  await page.waitForTimeout(2000); // warm-up (JIT, adaptive chunk size)
  const t0 = await page.evaluate(() => { window.__playground.resetPerf(); return window.__playground.nowMs(); });
  await page.waitForTimeout(SECONDS * 1000);
  const r = await page.evaluate(() => ({ ...window.__playground.perf(), now: window.__playground.nowMs(), segs: window.__playground.traceSegments() }));
  await page.evaluate(() => window.__playground.play(false));
  const intervals = r.frames.slice(1).map((t, i) => t - r.frames[i]);
  const simPerSec = (r.now - t0) / SECONDS;
  const wasmBytes = fs.statSync(path.join(ROOT, "pkg/bioxen_bg.wasm")).size;
  console.log(`playground frames: ${N} VMs, ${MACHINERY} machinery, ${SCHED}, speed ${SPEED}, ${SECONDS} s measured in headless Chromium at 1280×800 (wasm ${wasmBytes} B; ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(1)).join(" ")})`);
  console.log(`  frames: ${intervals.length + 1} (${f((intervals.length + 1) / SECONDS)} fps)`);
  console.log(`  frame interval ms: p50 ${f(pct(intervals, 50))}  p95 ${f(pct(intervals, 95))}  p99 ${f(pct(intervals, 99))}  max ${f(Math.max(...intervals))}`);
  console.log(`  script work per frame ms: p50 ${f(pct(r.work, 50))}  p95 ${f(pct(r.work, 95))}  p99 ${f(pct(r.work, 99))}  max ${f(Math.max(...r.work))}`);
  const parts = Object.entries(r.parts).sort().map(([k, v]) => `${k} p50 ${f(pct(v, 50))} p95 ${f(pct(v, 95))} (n ${v.length})`);
  console.log(`  parts ms: ${parts.join("; ")}`);
  console.log(`  simulated time: ${f(simPerSec / 3_600_000)} h per real second (chunk ${f(r.maxChunk / 60_000)} min per frame); ${r.segs} timeline segments kept, ${r.ganttRects} rectangles in the last frame's ${f(r.ganttWindowMs / 3_600_000)} h window`);
  // rAF intervals at 60 Hz read 16.6-16.8 ms; allow 0.5 ms of timer jitter over one vsync
  const missed = intervals.filter((x) => x > 25).length;
  console.log(`  frames that missed a vsync: ${missed} of ${intervals.length} (${f((100 * missed) / Math.max(1, intervals.length))} %)`);
  console.log(`  p95 frame time ${f(pct(intervals, 95))} ms (target ≤ 16.7 ms, one 60 Hz vsync): ${pct(intervals, 95) <= 17.2 ? "met" : "NOT met"}; p95 script work ${f(pct(r.work, 95))} ms`);
  if (errors.length) console.log(`  page errors: ${errors.join(" | ")}`);
} finally {
  await browser.close();
  server.kill("SIGTERM");
}
