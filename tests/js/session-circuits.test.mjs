// Circuit VMs in sessions through the page's own session code (www/js/session.js), rewind
// (www/js/rewind.js) and share links (www/js/share.js), over the built package: createVm's
// config.circuit (a library id or a circuit in full) and the setInducer op are read, written
// back byte for byte in the Rust writer's key order, replayed as the hypervisor's own calls,
// rewound to the exact state and carried by a link; bad ones are refused naming their path.
// The Rust reader's twin tests are in src/session/tests_circuits.rs (the same session).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { parseSession, serializeSession, replay, applyOp, SessionError } from "../../www/js/session.js";
import { Rewind } from "../../www/js/rewind.js";
import { envelope, encodeLink, linkBody, openLinkBody } from "../../www/js/share.js";
import { needsFull } from "../../www/js/engine.js";
import { PRESETS } from "../../www/js/presets.js";

const MIN = 60_000, H = 3_600_000;
const MINE = { name: "mine", genes: [{ name: "rfp", w: 5, length: 225 }] };

/** The session of src/session/tests_circuits.rs, as the page writes one. */
function session({ circuitB = MINE, extra = [] } = {}) {
  return {
    format: "bioxen-session",
    version: 1,
    chassis: "ecoli",
    scheduler: "credit",
    options: { seed: 7, machinery: "kinetic" },
    ops: [
      { atMs: 0, op: "createVm", vmId: "t", biologicalType: "ecoli", vmType: "basic", config: { circuit: "toggle" } },
      { atMs: 0, op: "createVm", vmId: "b", biologicalType: "ecoli", vmType: "basic", config: { circuit: circuitB, weight: 512 } },
      { atMs: 0, op: "startVm", vmId: "t" },
      { atMs: 0, op: "startVm", vmId: "b" },
      { atMs: 2 * H, op: "setInducer", name: "IPTG", value: 1000 },
      ...extra,
    ],
    endMs: 10 * H,
    meta: { title: "circuits" },
  };
}
const text = (s) => JSON.stringify(s, null, 2) + "\n";
const PULSE_OFF = { atMs: 5 * H, op: "setInducer", name: "IPTG", value: 0 };

function refused(t, path, re) {
  assert.throws(() => parseSession(t, bx), (e) => {
    assert.ok(e instanceof SessionError, `not a SessionError: ${e && e.stack}`);
    assert.equal(e.path, path);
    assert.match(e.message, re);
    return true;
  });
}

test("a circuit session is written back byte for byte, config keys in the Rust writer's order", () => {
  const t = text(session({ extra: [PULSE_OFF] }));
  const s = parseSession(t, bx);
  assert.equal(serializeSession(s), t);
  assert.deepEqual(s.ops[1].config.circuit, MINE);
  assert.notEqual(s.ops[1].config.circuit, MINE, "a fresh copy");
  assert.deepEqual(s.ops[4], { atMs: 2 * H, op: "setInducer", name: "IPTG", value: 1000 });
  // genome, circuit, the numbers, the strings: whatever order the file had
  const shuffled = session();
  shuffled.ops[1].config = { weight: 512, circuit: MINE };
  const out = JSON.parse(serializeSession(parseSession(text(shuffled), bx)));
  assert.deepEqual(Object.keys(out.ops[1].config), ["circuit", "weight"]);
  // both need the full build (the kinetic machinery, a circuit VM, an inducer)
  assert.equal(needsFull({ ops: [{ op: "createVm", config: { circuit: "lac" } }] }), true);
  assert.equal(needsFull({ ops: [{ op: "setInducer", name: "IPTG", value: 1 }] }), true);
  assert.equal(needsFull({ ops: [{ op: "createVm", config: { weight: 3 } }] }), false);
});

test("replay is the hypervisor's own calls: the same bits, the medium, the flipped toggle", () => {
  const s = parseSession(text(session({ extra: [PULSE_OFF] })), bx);
  const { h } = replay(bx, s);
  const d = new bx.Hypervisor({ scheduler: "credit", machinery: "kinetic", seed: 7 });
  d.createVm("t", "ecoli", "basic", { circuit: "toggle" }).free();
  d.createVm("b", "ecoli", "basic", { circuit: MINE, weight: 512 }).free();
  d.startVm("t");
  d.startVm("b");
  d.step(2 * H);
  d.setInducer("IPTG", 1000);
  d.step(3 * H);
  d.setInducer("IPTG", 0);
  d.step(5 * H);
  assert.equal(h.snapshot(), d.snapshot());
  assert.deepEqual(h.medium(), { IPTG: 0 });
  const g = Object.fromEntries(h.metrics().kinetic.perVm.find((v) => v.vmId === "t").geneClasses.map((c) => [c.group, c.protein]));
  assert.ok(g.tetR > 10 * g.lacI, `the pulse flipped the toggle and it stayed: tetR ${g.tetR}, lacI ${g.lacI}`);
  h.free();
  d.free();
});

test("bad circuits and inducers are refused with their paths", () => {
  refused(text(session({ circuitB: 5 })), "ops[1].config.circuit", /built-in circuit's id or a circuit/);
  refused(text(session({ circuitB: ["lac"] })), "ops[1].config.circuit", /an array/);
  refused(text(session({ extra: [{ atMs: 3 * H, op: "setInducer", name: 3, value: 1 }] })), "ops[5].name", /expected a string/);
  refused(text(session({ extra: [{ atMs: 3 * H, op: "setInducer", name: "IPTG", value: "x" }] })), "ops[5].value", /expected a number/);
  refused(text(session({ extra: [{ atMs: 3 * H, op: "setInducer", name: "IPTG", value: 1, level: 2 }] })), "ops[5]", /unknown key "level"/);
  // what the package refuses on replay: the circuit's own path, or the machinery
  const bad = parseSession(text(session({ circuitB: { genes: [{ name: "rfp", w: -5, length: 225 }] } })), bx);
  assert.throws(() => replay(bx, bad), (e) => e.path === "ops[1]" && /circuit\.genes\[0\]\.w/.test(e.message) && e.cause.code === "INVALID_CONFIG");
  assert.throws(() => replay(bx, parseSession(text(session({ circuitB: "toggel" })), bx)), (e) => e.path === "ops[1]" && /toggle/.test(e.message));
  const simple = session();
  delete simple.options.machinery;
  const r = replay(bx, parseSession(text(simple), bx), { lenient: true });
  assert.deepEqual(r.refused.map((x) => x.op.op), ["createVm", "createVm", "startVm", "startVm", "setInducer"]);
  assert.equal(r.refused[4].error.code, "INVALID_CONFIG");
  r.h.free();
});

test("a rewind past an inducer step gives the exact state, and playing on redoes it", () => {
  const s = parseSession(text(session()), bx);
  const start = { ...s, ops: s.ops.slice(0, 4), endMs: 0 };
  const { h } = replay(bx, start);
  const rw = new Rewind();
  rw.begin(bx, h, start);
  // the page: play, the learner sets IPTG at 2 h (perform records it), play on to 6 h
  rw.stepTo(h, 2 * H + 17);
  const op = { atMs: h.nowMs, op: "setInducer", name: "IPTG", value: 1000 };
  applyOp(h, op);
  rw.record(op, h.nowMs);
  rw.stepTo(h, 6 * H);
  const live = h.snapshot();
  const back = rw.build(3 * H);
  const fresh = replay(bx, { ...s, ops: [...s.ops.slice(0, 4), op], endMs: 3 * H }).h;
  assert.equal(back.h.snapshot(), fresh.snapshot(), "rewound to 3 h = a fresh run to 3 h");
  const before = rw.build(H);
  assert.deepEqual(before.h.medium(), {}, "before the step, no IPTG");
  rw.moved(before.applied);
  rw.stepTo(before.h, 6 * H);
  assert.equal(before.h.snapshot(), live, "playing forward redoes the inducer step");
  for (const x of [h, back.h, fresh, before.h]) x.free();
});

test("a share link carries circuit VMs and inducer steps, and replays the same", async () => {
  const s = parseSession(text(session({ extra: [PULSE_OFF] })), bx);
  const link = await encodeLink(envelope(s, { script: [{ atMs: 11 * H, op: "setInducer", name: "aTc", value: 0.5 }] }));
  const got = await openLinkBody(linkBody(link), bx);
  assert.deepEqual(got.session.ops, s.ops);
  assert.deepEqual(got.script, [{ atMs: 11 * H, op: "setInducer", name: "aTc", value: 0.5 }]);
  const a = replay(bx, s).h, b = replay(bx, got.session).h;
  assert.equal(a.snapshot(), b.snapshot());
  a.free();
  b.free();
});

/** A preset played to `untilMs` as the page plays it (its script applied on the way). */
function playPreset(id, untilMs) {
  const p = PRESETS.find((x) => x.id === id);
  const s = parseSession(text({ format: "bioxen-session", version: 1, ...p.session, endMs: 0 }), bx);
  const { h } = replay(bx, s);
  for (const op of p.script) {
    if (op.atMs > untilMs) break;
    h.step(op.atMs - h.nowMs);
    applyOp(h, op);
  }
  h.step(untilMs - h.nowMs);
  return h;
}
const protein = (h, vm, gene) => h.metrics().kinetic.perVm.find((v) => v.vmId === vm).geneClasses.find((g) => g.group === gene).protein;
const growth = (h) => h.metrics().kinetic.growthRatePerMin;

test("the circuit presets replay and say what to look for", () => {
  const ids = PRESETS.filter((p) => p.session.ops.some((o) => o.config && "circuit" in o.config)).map((p) => p.id);
  assert.deepEqual(ids, ["circuit-hidden-coupling", "circuit-winner-takes-all", "circuit-toggle-memory"]);
  for (const id of ids) {
    const p = PRESETS.find((x) => x.id === id);
    assert.equal(p.session.options.machinery, "kinetic", p.id);
    assert.ok(p.lesson.length >= 2 && p.lesson.every((l) => typeof l === "string" && l.length > 40), p.id);
    assert.ok(p.script.every((o) => o.op === "setInducer"), p.id);
  }
});

test("hidden coupling: IPTG at 2 h induces the sensor and the reporter loses about 7 %", () => {
  const before = playPreset("circuit-hidden-coupling", 2 * H);
  const after = playPreset("circuit-hidden-coupling", 8 * H);
  assert.deepEqual(after.medium(), { IPTG: 1000 });
  const [r0, r1] = [protein(before, "reporter", "gfp"), protein(after, "reporter", "gfp")];
  const [s0, s1] = [protein(before, "sensor", "gfp"), protein(after, "sensor", "gfp")];
  assert.ok(s1 > 40 * s0, `the sensor is induced: ${s0} → ${s1}`);
  assert.ok(r1 < 0.95 * r0 && r1 > 0.9 * r0, `the reporter falls by about 7 %: ${r0} → ${r1}`);
  assert.ok(growth(after) < 0.85 * growth(before), "and the host grows slower");
  before.free();
  after.free();
});

test("winner takes all: the VM with the head start switches on, the other stays off", () => {
  const h = playPreset("circuit-winner-takes-all", 30 * H);
  const alone = new bx.Hypervisor({ scheduler: "credit", machinery: "kinetic", seed: 1 });
  alone.createVm("a", "ecoli", "basic", { circuit: "self-activator", ribosomes: 0, atpPercent: 0, memoryKb: 10 }).free();
  alone.startVm("a");
  alone.setInducer("inducer", 1500);
  alone.step(30 * H);
  const on = protein(alone, "a", "switch");
  assert.ok(protein(h, "ahead", "switch") > 0.9 * on, `ahead wins: ${protein(h, "ahead", "switch")} vs alone ${on}`);
  assert.ok(protein(h, "plain", "switch") < 0.1 * on, `plain stays off: ${protein(h, "plain", "switch")}`);
  h.free();
  alone.free();
});

test("toggle memory: the 2 h–4 h pulse flips the toggle and it stays flipped at 24 h", () => {
  const h = playPreset("circuit-toggle-memory", 2 * H);
  const lac0 = protein(h, "memory", "lacI"), gfp0 = protein(h, "memory", "gfp");
  h.free();
  const late = playPreset("circuit-toggle-memory", 24 * H);
  assert.deepEqual(late.medium(), { IPTG: 0 });
  assert.ok(lac0 > 100 * Math.max(1, gfp0), `LacI-high before: ${lac0} vs ${gfp0}`);
  assert.ok(protein(late, "memory", "gfp") > 10_000 && protein(late, "memory", "lacI") < 100, "TetR/GFP-high long after the pulse");
  late.free();
});
