// Determinism: two same-seed hypervisors fed the same operations give identical snapshot()
// strings (for every scheduler); snapshot -> Hypervisor.restore -> continue equals the
// uninterrupted run; malformed snapshots are refused with INVALID_SNAPSHOT.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { expectCode, segments } from "./helpers.mjs";

const OPTS = (scheduler, seed = 99) => ({ scheduler, seed, quantumMs: 300_000 });
const cfg = (weight, priority, cycles) => ({
  ribosomes: 500, rnaPolymerase: 10, atpPercent: 2, memoryKb: 100, weight, priority, workloadAa: 40_000_000,
  ...(cycles === undefined ? {} : { cycles }),
});

/** Every kind of operation (as tests/scheduling.rs scenario()), in two parts. */
function scenario(scheduler, h, part) {
  if (part === 0) {
    h.createVm("a", "syn3a", "basic", cfg(256, 5)).free();
    h.createVm("b", "ecoli", "basic", cfg(512, 7, 3)).free();
    h.createVm("c", "yeast", "basic", cfg(128, 2)).free();
    h.startVm("a");
    h.step(1_000_000);
    h.startVm("b");
    h.startVm("c");
    h.step(7_777_777);
    h.pauseVm("a");
    h.step(2_000_000);
    h.resumeVm("a");
  } else {
    h.step(3_333_333);
    h.restartVm("c");
    h.createVm("d", "minimal_cell", "basic", cfg(1024, 9, 1)).free();
    h.startVm("d");
    h.step(20_000_000);
    h.setScheduler(scheduler === "eevdf" ? "credit" : "eevdf");
    h.step(5_000_000);
    h.setScheduler(scheduler);
    h.setScheduling("a", { weight: 300, priority: 6 });
    new bx.BioResourceManager(h).allocate("c", { ribosomes: 700 });
    h.destroyVm("b");
    h.step(40_000_000);
  }
}

for (const scheduler of bx.getSupportedSchedulers()) {
  test(`${scheduler}: same seed, same operations -> same snapshot; restore continues identically`, () => {
    const a = new bx.Hypervisor(OPTS(scheduler));
    const b = new bx.Hypervisor(OPTS(scheduler));
    scenario(scheduler, a, 0);
    scenario(scheduler, b, 0);
    assert.equal(a.snapshot(), b.snapshot(), "same seed diverged");
    const c = bx.Hypervisor.restore(b.snapshot());
    assert.equal(c.snapshot(), b.snapshot(), "restore is not exact");
    assert.deepEqual(c.listVms(), b.listVms());
    assert.deepEqual(c.metrics(), b.metrics());
    assert.equal(c.nowMs, b.nowMs);
    assert.equal(c.scheduler, scheduler);
    scenario(scheduler, a, 1);
    scenario(scheduler, c, 1);
    assert.deepEqual(segments(c.traceSince(0)), segments(a.traceSince(0)), "restored run's trace diverged");
    assert.deepEqual(c.events(), a.events());
    assert.equal(c.snapshot(), a.snapshot(), "restored state diverged");
    // the restored copy is independent of the original
    b.step(1_000_000);
    assert.equal(b.nowMs, 10_777_777 + 1_000_000);
    assert.equal(c.nowMs, 10_777_777 + 3_333_333 + 20_000_000 + 5_000_000 + 40_000_000);
    const m = a.metrics();
    assert.ok(m.decisions > 0 && m.completedCycles > 0, JSON.stringify(m).slice(0, 300));
    for (const h of [a, b, c]) h.free();
  });
}

test("different seeds give different lottery schedules (the seed is really used)", () => {
  const run = (seed) => {
    const h = new bx.Hypervisor(OPTS("lottery", seed));
    scenario("lottery", h, 0);
    return h.snapshot();
  };
  assert.equal(run(1), run(1));
  assert.notEqual(run(1), run(2));
});

test("a snapshot is JSON without handles; restore of a restore is exact", () => {
  const h = new bx.Hypervisor(OPTS("credit"));
  scenario("credit", h, 0);
  const s = h.snapshot();
  assert.equal(typeof s, "string");
  const doc = JSON.parse(s);
  assert.equal(typeof doc, "object");
  assert.ok(!s.includes("\n"), "snapshot() is one line");
  const r = bx.Hypervisor.restore(bx.Hypervisor.restore(s).snapshot());
  assert.equal(r.snapshot(), s);
  assert.notEqual(r.handleId, h.handleId);
});

test("malformed snapshots: INVALID_SNAPSHOT, never a trap, and nothing else is disturbed", () => {
  const h = new bx.Hypervisor(OPTS("round_robin"));
  scenario("round_robin", h, 0);
  const good = h.snapshot();
  const bad = [
    "", "{", "null", "[]", "42", '"x"', "{}", '{"now":1}', good.slice(0, good.length >> 1), good + "x",
    good.replace(/"ribosomes":\d+/, '"ribosomes":"many"'), "[".repeat(100_000), "\u0000", "\ud800",
  ];
  for (const s of bad) expectCode(() => bx.Hypervisor.restore(s), "INVALID_SNAPSHOT");
  for (const v of [undefined, null, 42, {}, [], true, Symbol("s"), 10n, new String(good)]) {
    expectCode(() => bx.Hypervisor.restore(v), "INVALID_SNAPSHOT", "expected a JSON string");
  }
  // Well-formed JSON that breaks an invariant: a ledger that allocates more than it holds.
  const doc = JSON.parse(good);
  const ledger = findKey(doc, (k) => /^ledger$/i.test(k));
  assert.ok(ledger, "snapshot has a ledger");
  // The ledger is written positionally (capacity, reserve, allocated, per-VM map) to keep the
  // snapshot reader small; accept the named form too.
  const allocated = Array.isArray(ledger) ? ledger[2] : findKey(ledger, (k) => /^allocated$/i.test(k));
  assert.ok(allocated && typeof allocated === "object", "ledger has allocated amounts");
  const key = Object.keys(allocated).find((k) => /ribosome/i.test(k));
  allocated[key] += 1_000_000;
  expectCode(() => bx.Hypervisor.restore(JSON.stringify(doc)), "INVALID_SNAPSHOT", "ledger");
  // the hypervisor that made the snapshot is untouched and still runs
  assert.equal(h.snapshot(), good);
  h.step(1000);
  assert.equal(h.nowMs, 10_777_777 + 1000);
});

function findKey(obj, pred) {
  if (obj === null || typeof obj !== "object") return undefined;
  for (const [k, v] of Object.entries(obj)) if (pred(k)) return v;
  for (const v of Object.values(obj)) {
    const r = findKey(v, pred);
    if (r !== undefined) return r;
  }
  return undefined;
}
