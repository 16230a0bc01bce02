// gen-scenarios.mjs: session files written by the playground's own code (www/js/session.js,
// www/js/presets.js) over the built package (pkg/), for the CLI's examples and tests.
//
//   examples/scenarios/<preset>.json        each preset, played as the playground plays it
//                                           (its scripted operations applied when the clock
//                                           reaches them) and exported at a fixed time
//   tests/fixtures/sessions/browser-export.json
//                                           a session recorded the way the page records one
//                                           (every kind of operation, performed frame by frame,
//                                           a refused one left out, an xcpng password dropped)
//   tests/fixtures/sessions/kinetic.json    a session on the kinetic machinery (options.machinery),
//                                           with a genome VM among its guests
//   tests/fixtures/sessions/genome.json     genome VMs (config.genome = { workload }) made as the
//                                           genome panel makes them, from real files parsed by the
//                                           package's parseGenome (../shared/data; the session
//                                           holds only the workloads)
//   tests/fixtures/sessions/circuits.json   circuit VMs on the kinetic machinery, as the Circuits
//                                           panel makes them (a toggle by its library id, a lac
//                                           circuit in full) and an IPTG pulse (setInducer ops)
//   tests/fixtures/sessions/custom-chassis.json
//                                           a session on a custom chassis (a chassis object)
//   tests/fixtures/sessions/invalid-chassis.json
//                                           a chassis object with several bad fields
//   tests/fixtures/sessions/refused.json    a session whose replay the package refuses
//   tests/fixtures/sessions/invalid.json    a file with several problems (the reader's first)
//   tests/fixtures/sessions/expected.json   what the package's replay() gives for each file:
//                                           metrics, profiler report, trace and event counts,
//                                           the comparison runs, the refusal's message, and
//                                           the text the page exports after importing it
//   tests/fixtures/frozen/v<N>/expected.json
//                                           the same for the frozen sessions beside it: files
//                                           saved by an earlier playground (session format
//                                           version N), never regenerated, which must keep
//                                           importing and replaying (their README says more)
//
// Usage: node scripts/gen-scenarios.mjs            write the files
//        node scripts/gen-scenarios.mjs --check    exit 1 if any file differs from what the
//                                                  current playground code and package give
//        node scripts/gen-scenarios.mjs --freeze   copy today's sessions (each preset's export
//                                                  and its autosave half-way, and the session
//                                                  fixtures) into tests/fixtures/frozen/v<VERSION>/
//                                                  (refused when that folder exists)
// Needs pkg/ (scripts/build-pkg.sh) and the genome files in ../shared/data (next to the repo);
// without them --check replays the committed genome sessions instead of remaking them
// (BIOXEN_REQUIRE_DATA=1 makes that an error).
import { readFileSync, writeFileSync, mkdirSync, existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as bioxen from "../pkg/index.mjs";
import { PRESETS } from "../www/js/presets.js";
import {
  FORMAT, VERSION, LIMITS, newSession, replay, applyOp, stripSecrets, serializeSession, parseSession,
} from "../www/js/session.js";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");
const H = 3_600_000, MIN = 60_000;
/** Where each preset's exported session ends. */
const PRESET_END_MS = {
  "rr-vs-credit": 6 * H,
  "greedy-cap": 4 * H,
  "fcfs-starving": 6 * H,
  "priority-aging": 12 * H,
  orthogonal: 2 * H,
  overcommit: 1 * H,
  "atp-shift": 1 * H,
  "kinetic-burden": 6 * H,
  "kinetic-orthogonal": 4 * H,
  "circuit-hidden-coupling": 6 * H,
  "circuit-winner-takes-all": 24 * H,
  "circuit-toggle-memory": 8 * H,
};
/** The genome files of the genome sessions (read, never copied into the repository). */
const DATA = join(ROOT, "..", "shared", "data");
/** Schedulers of the comparison runs recorded in expected.json (as the compare view). */
const COMPARE = ["round_robin", "credit", "eevdf"];

/**
 * The page's state: a hypervisor, its session, and the preset script (www/js/store.js: adopt, perform,
 * advance, currentSession). Refused operations are not recorded.
 */
class Page {
  constructor(session) {
    const built = replay(bioxen, session);
    this.h = built.h;
    this.session = session;
    this.script = [];
  }
  perform(op, extra) {
    const rec = { atMs: this.h.nowMs, ...op };
    try {
      applyOp(this.h, rec, extra);
    } catch (e) {
      return e;
    }
    this.session.ops.push(stripSecrets(rec));
    return null;
  }
  advance(dt) {
    const target = Math.min(this.h.nowMs + dt, LIMITS.endMs);
    while (this.script.length && this.script[0].atMs <= target) {
      const op = this.script.shift();
      if (op.atMs > this.h.nowMs) this.h.step(op.atMs - this.h.nowMs);
      const { atMs, ...rest } = op; // eslint-disable-line no-unused-vars
      const refused = this.perform(rest);
      if (refused) throw new Error(`scripted ${op.op} refused: ${refused.code}: ${refused.message}`);
    }
    if (target > this.h.nowMs) this.h.step(target - this.h.nowMs);
  }
  /** Play frame by frame (the page steps once per animation frame). */
  playTo(t, frameMs) {
    while (this.h.nowMs < t) this.advance(Math.min(frameMs, t - this.h.nowMs));
  }
  current() {
    const s = this.session;
    return {
      format: FORMAT, version: VERSION, chassis: s.chassis, scheduler: s.scheduler, options: { ...s.options },
      ops: s.ops.map(stripSecrets), endMs: this.h.nowMs,
      meta: { ...s.meta, createdBy: "bioxen playground", bioxenVersion: bioxen.version() },
    };
  }
}

/** store.js loadPreset() and the create panel: the preset's session, its script, and its form submission if any. */
function presetSession(p, endMs = PRESET_END_MS[p.id]) {
  const s = { ...newSession({ chassis: p.session.chassis, scheduler: p.session.scheduler, options: p.session.options, meta: { title: p.title, preset: p.id } }), ops: p.session.ops.map((o) => structuredClone(o)) };
  const page = new Page(s);
  page.script = p.script.map((o) => structuredClone(o));
  if (p.form?.submit) {
    const refused = page.perform({ op: "createVm", vmId: p.form.vmId, biologicalType: p.form.biologicalType, vmType: "basic", config: { ribosomes: p.form.ribosomes } });
    if (!refused) throw new Error(`preset ${p.id}: the form submission was expected to be refused`);
  }
  page.playTo(endMs, 10 * MIN);
  const text = serializeSession(page.current());
  page.h.free();
  return text;
}

/** A session recorded as a user would make it in the page: every kind of operation. */
function browserExport() {
  const page = new Page(newSession({ chassis: "ecoli", scheduler: "round_robin", options: { seed: 7, quantumMs: 300_000 }, meta: { title: "every operation" } }));
  const must = (op, extra) => {
    const e = page.perform(op, extra);
    if (e) throw new Error(`${op.op} refused: ${e.code}: ${e.message}`);
  };
  const frame = 16 * 60_000 + 7; // ~16 simulated minutes per frame, not a round number
  must({ op: "createVm", vmId: "alpha", biologicalType: "syn3a", vmType: "basic", config: { weight: 256, priority: 6 } });
  must({ op: "createVm", vmId: "beta", biologicalType: "ecoli", vmType: "basic", config: { weight: 512, ribosomes: 3000, cycles: 2, workloadAa: 30_000_000 } });
  must({ op: "createVm", vmId: "remote", biologicalType: "minimal_cell", vmType: "xcpng", config: { xapiUrl: "https://xcp.example:443", username: "root", sshUser: "bioxen" } }, { password: "not-in-the-file" });
  must({ op: "startVm", vmId: "alpha" });
  must({ op: "startVm", vmId: "beta" });
  // Refused on the page (an xcpng VM has no backend): not recorded.
  if (!page.perform({ op: "startVm", vmId: "remote" })) throw new Error("starting an xcpng VM should be refused");
  page.playTo(40 * MIN + 123, frame);
  must({ op: "createVm", vmId: "gamma", biologicalType: "yeast", vmType: "basic", config: {} });
  must({ op: "startVm", vmId: "gamma" });
  page.playTo(75 * MIN, frame);
  must({ op: "pauseVm", vmId: "alpha" });
  page.playTo(95 * MIN, frame);
  must({ op: "resumeVm", vmId: "alpha" });
  must({ op: "setScheduler", name: "credit", options: { quantumMs: 600_000 } });
  page.playTo(2 * H + 5 * MIN, frame);
  must({ op: "setScheduling", vmId: "gamma", request: { cap: 40, weight: 2048 } });
  must({ op: "allocateResources", vmId: "alpha", request: { ribosomes: 800, atpPercent: 7.5 } });
  page.playTo(3 * H, frame);
  must({ op: "setScheduler", name: "eevdf" });
  must({ op: "stopVm", vmId: "alpha" });
  page.playTo(3 * H + 20 * MIN, frame);
  must({ op: "restartVm", vmId: "alpha" });
  must({ op: "destroyVm", vmId: "remote" });
  must({ op: "setAtpSupply", percent: 80 });
  page.playTo(4 * H + 30 * MIN + 17, frame);
  const text = serializeSession(page.current());
  page.h.free();
  return text;
}

/** Whether the genome files are here (without them, --check reuses the committed genome sessions). */
const HAVE_DATA = existsSync(DATA);
const REQUIRE_DATA = process.env.BIOXEN_REQUIRE_DATA === "1";

/** A genome file's summary from the package's parser (its workload is what a session holds). */
function genome(file) {
  const path = join(DATA, file);
  if (!existsSync(path)) {
    console.error(`gen-scenarios: ${path} not found: the genome sessions are made from the files in ../shared/data`);
    process.exit(2);
  }
  const s = bioxen.parseGenome(readFileSync(path));
  if (!s.workload) throw new Error(`${file}: no workload`);
  return s;
}

/**
 * A session made from genome files, or, when ../shared/data is missing and only checking, the
 * committed one (it holds the workloads, not the files), so every other file and all of
 * expected.json are still checked against the current code.
 */
function genomeDependent(path, make, check) {
  if (HAVE_DATA) return make();
  if (!check || REQUIRE_DATA) {
    console.error(`gen-scenarios: ${DATA} is missing: ${path} is made from the genome files there`);
    process.exit(2);
  }
  console.error(`gen-scenarios: ${DATA} is missing: ${path} not regenerated; the committed file is replayed as is`);
  return readFileSync(join(ROOT, path), "utf8");
}

/** panels/genome.js's "Create VM" button: only the workload travels in the session. */
const genomeVm = (vmId, biologicalType, summary) =>
  ({ op: "createVm", vmId, biologicalType, vmType: "basic", config: { genome: { workload: summary.workload } } });

/** A session on the kinetic machinery: guests join, are tuned, paused and switched. */
function kineticSession() {
  const page = new Page(newSession({ chassis: "ecoli", scheduler: "credit", options: { seed: 5, machinery: "kinetic", maxVms: 6 }, meta: { title: "kinetic host with a genome guest" } }));
  const must = (op) => {
    const e = page.perform(op);
    if (e) throw new Error(`${op.op} refused: ${e.code}: ${e.message}`);
  };
  const frame = 10 * MIN + 3;
  must({ op: "createVm", vmId: "k1", biologicalType: "ecoli", vmType: "basic", config: { ribosomes: 0, rnaPolymerase: 5, atpPercent: 1, memoryKb: 100 } });
  must({ op: "createVm", vmId: "k2", biologicalType: "syn3a", vmType: "basic", config: { ribosomes: 0, rnaPolymerase: 10, atpPercent: 1, memoryKb: 100, weight: 512 } });
  must({ op: "startVm", vmId: "k1" });
  must({ op: "startVm", vmId: "k2" });
  page.playTo(70 * MIN, frame);
  must(genomeVm("plasmid", "ecoli", genome("NC_005816_pPCP1.gb")));
  must({ op: "allocateResources", vmId: "plasmid", request: { ribosomes: 0, rnaPolymerase: 8 } });
  must({ op: "startVm", vmId: "plasmid" });
  page.playTo(2 * H, frame);
  must({ op: "allocateResources", vmId: "k1", request: { rnaPolymerase: 30 } });
  page.playTo(2 * H + 40 * MIN, frame);
  must({ op: "pauseVm", vmId: "k2" });
  must({ op: "setScheduler", name: "round_robin", options: { quantumMs: 900_000 } });
  page.playTo(3 * H + 30 * MIN, frame);
  must({ op: "resumeVm", vmId: "k2" });
  page.playTo(5 * H + 7, frame);
  const text = serializeSession(page.current());
  page.h.free();
  return text;
}

/**
 * Circuit VMs, as the Circuits panel creates them (its "Create a VM that runs it": a library
 * circuit by its id, an edited one in full) and as its inducer controls set the medium: the
 * toggle remembers an IPTG pulse that the lac sensor follows.
 */
function circuitSession() {
  const page = new Page(newSession({ chassis: "ecoli", scheduler: "credit", options: { seed: 9, machinery: "kinetic" }, meta: { title: "a toggle and a lac sensor" } }));
  const must = (op) => {
    const e = page.perform(op);
    if (e) throw new Error(`${op.op} refused: ${e.code}: ${e.message}`);
  };
  const lac = bioxen.getSupportedCircuits().find((c) => c.id === "lac").circuit;
  const frame = 10 * MIN + 3;
  must({ op: "createVm", vmId: "memory", biologicalType: "ecoli", vmType: "basic", config: { circuit: "toggle" } });
  must({ op: "createVm", vmId: "sensor", biologicalType: "ecoli", vmType: "basic", config: { circuit: structuredClone(lac), weight: 512 } });
  must({ op: "startVm", vmId: "memory" });
  must({ op: "startVm", vmId: "sensor" });
  page.playTo(2 * H, frame);
  must({ op: "setInducer", name: "IPTG", value: 1000 });
  page.playTo(4 * H + 11, frame);
  must({ op: "setInducer", name: "IPTG", value: 0 });
  page.playTo(8 * H, frame);
  const text = serializeSession(page.current());
  page.h.free();
  return text;
}

/** Genome VMs next to a built-in one (simple machinery). */
function genomeSession() {
  const page = new Page(newSession({ chassis: "ecoli", scheduler: "eevdf", options: { seed: 11 }, meta: { title: "genome guests" } }));
  const must = (op) => {
    const e = page.perform(op);
    if (e) throw new Error(`${op.op} refused: ${e.code}: ${e.message}`);
  };
  must(genomeVm("syn3a_gb", "syn3a", genome("syn3A.gb")));
  must(genomeVm("puc19", "ecoli", genome("pUC19.gb")));
  must({ op: "createVm", vmId: "builtin", biologicalType: "syn3a", vmType: "basic", config: {} });
  for (const id of ["syn3a_gb", "puc19", "builtin"]) must({ op: "startVm", vmId: id });
  page.playTo(90 * MIN, 16 * MIN);
  must({ op: "setScheduling", vmId: "syn3a_gb", request: { weight: 2048 } });
  page.playTo(3 * H, 16 * MIN);
  const text = serializeSession(page.current());
  page.h.free();
  return text;
}

/**
 * A session on a custom chassis (a chassis object: the textbook preset with fewer ribosomes, a
 * larger host ATP reserve and room for four VMs), recorded as the page records one.
 */
function customChassisSession() {
  const chassis = { base: "textbook", name: "Lean textbook cell", ribosomes: 6000, maxVms: 4, hostReserve: { atp: 0.3, ribosomes: 0.15 } };
  const page = new Page(newSession({ chassis, scheduler: "credit", options: { seed: 3 }, meta: { title: "a custom chassis" } }));
  const must = (op) => {
    const e = page.perform(op);
    if (e) throw new Error(`${op.op} refused: ${e.code}: ${e.message}`);
  };
  must({ op: "createVm", vmId: "small", biologicalType: "syn3a", vmType: "basic", config: { ribosomes: 400, weight: 256 } });
  must({ op: "createVm", vmId: "big", biologicalType: "ecoli", vmType: "basic", config: { ribosomes: 1500, weight: 1024 } });
  must({ op: "startVm", vmId: "small" });
  must({ op: "startVm", vmId: "big" });
  page.playTo(90 * MIN, 10 * MIN);
  must({ op: "setScheduling", vmId: "big", request: { cap: 40 } });
  must({ op: "createVm", vmId: "late", biologicalType: "yeast", vmType: "basic", config: {} });
  must({ op: "startVm", vmId: "late" });
  page.playTo(3 * H, 10 * MIN);
  const text = serializeSession(page.current());
  page.h.free();
  return text;
}

/** A hand-edited custom chassis with several bad fields (the reader's first is the page's). */
function invalidChassisSession() {
  return JSON.stringify({
    format: FORMAT, version: VERSION,
    chassis: { base: "textbook", ribosomes: 0, colour: "red", hostReserve: { atp: 1 } },
    scheduler: "fcfs", ops: [], endMs: 0,
  }, null, 2) + "\n";
}

/** A session the package refuses on replay (a VM started twice). */
function refusedSession() {
  const page = new Page(newSession({ chassis: "syn3a", scheduler: "fcfs", options: { seed: 1 } }));
  page.perform({ op: "createVm", vmId: "solo", biologicalType: "syn3a", vmType: "basic", config: {} });
  page.perform({ op: "startVm", vmId: "solo" });
  page.playTo(30 * MIN, 10 * MIN);
  const s = page.current();
  page.h.free();
  // As a hand-edited file would: a second start, which the package refuses.
  s.ops.push({ atMs: 20 * 60_000, op: "startVm", vmId: "solo" });
  return serializeSession(s);
}

/** A hand-edited file with several problems (validateSession reports the first). */
function invalidSession() {
  return JSON.stringify({
    format: FORMAT, version: VERSION, chassis: "ecoli", scheduler: "lottery", options: { seed: 1.5 },
    ops: [
      { atMs: 0, op: "createVm", vmId: "a", biologicalType: "syn3a", config: { weight: "heavy" } },
      { atMs: 60_000, op: "startVm", vmId: "a", extra: true },
      { atMs: 30_000, op: "setAtpSupply", percent: 50 },
    ],
    endMs: 10,
  }, null, 2) + "\n";
}

/** What the package's replay gives for a session text. */
function outcome(text) {
  let s;
  try {
    s = parseSession(text, bioxen);
  } catch (e) {
    return { invalid: { code: e.code, path: e.path, message: e.message } };
  }
  // The page's import then export (importFile, then exportSession: currentSession()).
  const reexport = serializeSession({ ...s, meta: { ...s.meta, createdBy: "bioxen playground", bioxenVersion: bioxen.version() } });
  try {
    const { h } = replay(bioxen, s);
    const chunk = h.traceSince(0);
    const out = {
      nowMs: h.nowMs,
      scheduler: h.scheduler,
      metrics: h.metrics(),
      profiler: h.profilerReport(),
      traceSegments: chunk.start.length,
      events: h.events(0).length,
      compare: {},
      reexport,
    };
    h.free();
    for (const name of COMPARE) {
      const r = replay(bioxen, s, { scheduler: name });
      out.compare[name] = r.h.metrics();
      r.h.free();
    }
    return out;
  } catch (e) {
    return { refused: { code: e.code, path: e.path, message: e.message, causeCode: e.cause?.code } };
  }
}

/** Where frozen sessions live: one folder per session format version that was frozen. */
const FROZEN = "tests/fixtures/frozen";

/** The frozen session files of each version folder (relative paths), expected.json aside. */
function frozenSessions() {
  const dir = join(ROOT, FROZEN);
  if (!existsSync(dir)) return [];
  const out = [];
  for (const v of readdirSync(dir).sort()) {
    if (!/^v\d+$/.test(v)) continue;
    const files = readdirSync(join(dir, v)).filter((f) => f.endsWith(".json") && f !== "expected.json").sort();
    out.push({ dir: `${FROZEN}/${v}`, files: files.map((f) => `${FROZEN}/${v}/${f}`) });
  }
  return out;
}

/**
 * --freeze: today's sessions as files saved by this playground: each preset's export, its
 * autosave half-way through (the page autosaves the same text, store.js), and the session
 * fixtures. Written once; from then on only their expected outcomes may change.
 */
function freeze(files) {
  const dir = join(ROOT, FROZEN, `v${VERSION}`);
  if (existsSync(dir)) {
    console.error(`gen-scenarios: ${dir} exists: frozen sessions are never rewritten`);
    process.exit(1);
  }
  mkdirSync(dir, { recursive: true });
  const base = (path) => path.split("/").pop().replace(/\.json$/, "");
  for (const [path, text] of files) {
    if (path.endsWith("expected.json")) continue;
    const kind = path.startsWith("examples/") ? "preset-export" : "fixture";
    writeFileSync(join(dir, `${kind}-${base(path)}.json`), text);
  }
  for (const p of PRESETS) {
    writeFileSync(join(dir, `preset-autosave-${p.id}.json`), presetSession(p, Math.round(PRESET_END_MS[p.id] / 2)));
  }
  console.log(`gen-scenarios: froze ${readdirSync(dir).length} sessions in ${dir}`);
}

function main() {
  const check = process.argv.includes("--check");
  const files = new Map();
  for (const p of PRESETS) files.set(`examples/scenarios/${p.id}.json`, presetSession(p));
  files.set("tests/fixtures/sessions/browser-export.json", browserExport());
  for (const [path, make] of [
    ["tests/fixtures/sessions/kinetic.json", kineticSession],
    ["tests/fixtures/sessions/genome.json", genomeSession],
  ]) files.set(path, genomeDependent(path, make, check));
  files.set("tests/fixtures/sessions/refused.json", refusedSession());
  files.set("tests/fixtures/sessions/invalid.json", invalidSession());
  files.set("tests/fixtures/sessions/custom-chassis.json", customChassisSession());
  files.set("tests/fixtures/sessions/circuits.json", circuitSession());
  files.set("tests/fixtures/sessions/invalid-chassis.json", invalidChassisSession());
  if (process.argv.includes("--freeze")) return freeze(files);
  const expected = {};
  for (const [path, text] of files) expected[path] = outcome(text);
  files.set("tests/fixtures/sessions/expected.json", JSON.stringify(expected, null, 2) + "\n");
  // Frozen sessions are read, never written; only what they replay to is (re)computed.
  for (const { dir, files: frozen } of frozenSessions()) {
    const want = {};
    for (const path of frozen) want[path] = outcome(readFileSync(join(ROOT, path), "utf8"));
    files.set(`${dir}/expected.json`, JSON.stringify(want, null, 2) + "\n");
  }

  let stale = 0;
  for (const [path, text] of files) {
    const full = join(ROOT, path);
    if (check) {
      const have = existsSync(full) ? readFileSync(full, "utf8") : null;
      if (have !== text) {
        console.error(`gen-scenarios: ${path} differs from what the playground code gives now`);
        stale++;
      }
    } else {
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, text);
      console.log(`gen-scenarios: wrote ${path}`);
    }
  }
  if (check) {
    if (stale) {
      console.error(`gen-scenarios: ${stale} file(s) stale: run node scripts/gen-scenarios.mjs and commit them`);
      process.exit(1);
    }
    console.log(`gen-scenarios: ${files.size} files up to date`);
  }
}

main();
