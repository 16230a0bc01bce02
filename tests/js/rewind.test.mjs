// Rewind (www/js/rewind.js) against the built package: rewinding to an earlier time gives the
// exact state a fresh run stepped to that time has (byte-identical snapshot, same trace, events
// and metrics); rewinding then playing forward equals never having rewound; acting after a rewind
// discards the later operations (and only then); the snapshot store stays within its bound on a
// long run; a bad rewind time is refused, naming the value, and changes nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as bx from "../../pkg/index.mjs";
import { Rewind, RewindError } from "../../www/js/rewind.js";
import { parseSession, replay, applyOp } from "../../www/js/session.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const MIN = 60_000, H = 3_600_000;
const scenario = (name) => parseSession(fs.readFileSync(path.join(ROOT, "examples/scenarios", `${name}.json`), "utf8"), bx);

/** Everything observable of a hypervisor, as text. */
function observe(h) {
  const c = h.traceSince(0);
  return {
    snapshot: h.snapshot(),
    trace: JSON.stringify([Array.from(c.vmIndex), Array.from(c.start), Array.from(c.end), Array.from(c.kind), c.names, c.open]),
    events: JSON.stringify(h.events(0)),
    metrics: JSON.stringify(h.metrics()),
  };
}

/** A fresh run of `session`'s first operations up to t (those with atMs ≤ t), stepped to t. */
function freshAt(session, ops, t) {
  const { h } = replay(bx, { ...session, ops: ops.filter((o) => o.atMs <= t), endMs: t });
  try {
    return observe(h);
  } finally {
    h.free();
  }
}

/**
 * Play `session` live as the page does: the start ops replayed, then `later` ops applied when the
 * clock reaches them (recorded as the learner's), advancing in uneven chunks up to T.
 */
function playLive(session, later, T, opts) {
  const start = { ...session, ops: session.ops.filter((o) => o.atMs === 0), endMs: 0 };
  const { h } = replay(bx, start);
  const rw = new Rewind(opts);
  rw.begin(bx, h, start);
  const todo = [...session.ops.filter((o) => o.atMs > 0), ...later].sort((a, b) => a.atMs - b.atMs);
  let chunk = 7_777;
  while (h.nowMs < T) {
    const target = Math.min(T, h.nowMs + chunk);
    while (todo.length && todo[0].atMs <= target) {
      const op = todo.shift();
      rw.stepTo(h, op.atMs);
      applyOp(h, op);
      rw.record(op, h.nowMs);
    }
    rw.stepTo(h, target);
    chunk = (chunk * 7) % 1_900_000 + 1_000;
  }
  return { h, rw };
}

for (const name of ["rr-vs-credit", "greedy-cap", "atp-shift", "priority-aging", "kinetic-burden"]) {
  test(`${name}: rewinding to earlier times gives a fresh run's exact state; playing forward again equals never rewinding`, () => {
    const s = scenario(name);
    const T = Math.max(s.endMs, 5 * H);
    // a learner's action mid-run, besides the scenario's own timed operations
    const firstVm = s.ops.find((o) => o.op === "createVm").vmId;
    const later = [{ atMs: 77 * MIN + 13, op: "setScheduling", vmId: firstVm, request: { weight: 300, priority: 9 } }, { atMs: 2 * H + 1, op: "setScheduling", vmId: firstVm, request: { weight: 700, priority: 2 } }];
    const { h, rw } = playLive(s, later, T);
    const end = observe(h);
    const allOps = [...rw.ops];
    assert.ok(allOps.length > s.ops.filter((o) => o.atMs === 0).length, "operations after t = 0 were recorded");
    assert.equal(rw.horizonMs, T);
    const stats = rw.stats();
    assert.ok(stats.snapshots >= 2 && stats.snapshots <= rw.maxSnapshots + 1, `snapshots held: ${stats.snapshots}`);

    // several earlier times: off the grid, on it, at an operation's instant, at 0
    for (const t of [0, 1, 5 * MIN, 77 * MIN + 13, 77 * MIN + 12, 2 * H + 1, 3 * H, T - 1, T]) {
      const r = rw.build(t);
      try {
        const got = observe(r.h);
        const want = freshAt(s, allOps, t);
        assert.equal(r.h.nowMs, t);
        assert.equal(got.snapshot, want.snapshot, `t = ${t}: snapshot differs from a fresh run's`);
        assert.equal(got.trace, want.trace, `t = ${t}: trace`);
        assert.equal(got.events, want.events, `t = ${t}: events`);
        assert.equal(got.metrics, want.metrics, `t = ${t}: metrics`);
        assert.equal(r.applied, allOps.filter((o) => o.atMs <= t).length, `t = ${t}: operations applied`);
      } finally {
        r.h.free();
      }
    }

    // rewind to 1 h, then play forward to T: the later operations are redone at their times
    const back = rw.rewindTo(1 * H);
    assert.ok(rw.future.length >= 1, "the later operations are kept after a rewind");
    const redone = [];
    let c = 0;
    while (back.nowMs < T) rw.stepTo(back, Math.min(T, back.nowMs + (c++ % 2 ? 123_457 : 1_000_003)), (op) => redone.push(op));
    assert.deepEqual(redone, allOps.filter((o) => o.atMs > H), "the redo applied exactly the later operations");
    assert.deepEqual(observe(back), end, "rewind then play forward = never rewound");
    assert.equal(rw.future.length, 0);
    back.free();
    h.free();
  });
}

test("acting after a rewind discards the later operations, and only then", () => {
  const s = scenario("rr-vs-credit");
  const later = [{ atMs: 2 * H, op: "pauseVm", vmId: "light" }, { atMs: 4 * H, op: "resumeVm", vmId: "light" }];
  const { h, rw } = playLive(s, later, 6 * H);
  const full = [...rw.ops];
  h.free();
  const h1 = rw.rewindTo(H);
  // rewinding again (forward, within the furthest time reached) still has the whole timeline
  const r5 = rw.build(5 * H);
  assert.equal(r5.applied, full.length, "before acting, a redo to 5 h has every operation");
  r5.h.free();
  assert.deepEqual(rw.future.map((o) => o.atMs), full.filter((o) => o.atMs > H).map((o) => o.atMs));
  // the learner acts at 1 h: the later operations go, the time after 1 h too
  const op = { atMs: H, op: "setScheduling", vmId: "heavy", request: { cap: 20 } };
  applyOp(h1, op);
  const dropped = rw.record(op, h1.nowMs);
  assert.deepEqual(dropped.map((d) => d.op), full.filter((o) => o.atMs > H), "exactly the later operations are discarded");
  assert.equal(rw.future.length, 0);
  assert.equal(rw.horizonMs, H);
  assert.throws(() => rw.build(5 * H), (e) => e instanceof RewindError && e.code === "REWIND_FAILED" && e.message.includes("18000000") && e.message.includes("0 to 3600000"));
  for (const snap of rw.snaps) assert.ok(snap.t <= H, `a snapshot of the discarded future is left (t = ${snap.t})`);
  // the new timeline goes on, and rewinds within it are exact
  rw.stepTo(h1, 3 * H);
  const want = freshAt(s, [...full.filter((o) => o.atMs <= H), op], 2 * H);
  const r = rw.build(2 * H);
  assert.equal(r.h.snapshot(), want.snapshot, "rewind on the new timeline");
  assert.ok(!rw.ops.some((o) => o.op === "pauseVm"), "the discarded pause is gone");
  r.h.free();
  h1.free();
});

test("a preset's scripted operation discarded by an action is reported as scripted", () => {
  const s = scenario("rr-vs-credit");
  const start = { ...s, ops: s.ops.filter((o) => o.atMs === 0), endMs: 0 };
  const { h } = replay(bx, start);
  const rw = new Rewind();
  rw.begin(bx, h, start);
  const sw = { atMs: 3 * H, op: "setScheduler", name: "credit" };
  rw.stepTo(h, sw.atMs);
  applyOp(h, sw);
  rw.record(sw, h.nowMs, { scripted: true });
  rw.stepTo(h, 4 * H);
  h.free();
  const h2 = rw.rewindTo(2 * H);
  assert.equal(h2.scheduler, "round_robin", "before the scripted switch");
  const op = { atMs: 2 * H, op: "stopVm", vmId: "light" };
  applyOp(h2, op);
  assert.deepEqual(rw.record(op, h2.nowMs), [{ op: sw, scripted: true }]);
  h2.free();
});

test("a long run keeps at most maxSnapshots + 1 snapshots, evenly thinned, and every rewind stays exact", () => {
  const s = scenario("rr-vs-credit");
  const T = 30 * 24 * H;
  const { h, rw } = playLive(s, [], T, { maxSnapshots: 16 });
  const st = rw.stats();
  assert.ok(st.snapshots <= 17, `snapshots: ${st.snapshots}`);
  assert.ok(st.level > 0 && st.strideMs >= T / 16 / 2, `grid step ${st.strideMs} ms (level ${st.level})`);
  for (const snap of rw.snaps.slice(0, -1)) assert.equal(snap.t % st.strideMs, 0, `snapshot at ${snap.t} is on the thinned grid`);
  console.log(`# 30 days, cap 16: ${st.snapshots} snapshots, ${st.chars} characters, grid ${st.strideMs / H} h`);
  for (const t of [3 * H + 7, 11 * 24 * H + 1, T - 5 * MIN]) {
    const r = rw.build(t);
    assert.equal(r.h.snapshot(), freshAt(s, rw.ops, t).snapshot, `t = ${t}`);
    r.h.free();
  }
  h.free();
});

test("a bad rewind time is refused, naming the value and the range; nothing changes", () => {
  const s = scenario("greedy-cap");
  const { h, rw } = playLive(s, [], 2 * H);
  const before = h.snapshot();
  const stats = JSON.stringify(rw.stats());
  for (const bad of [-1, 2 * H + 1, 1.5, NaN, "3600000", null]) {
    assert.throws(() => rw.build(bad), (e) => e instanceof RewindError && e.code === "REWIND_FAILED" && e.message.includes(String(bad)) && e.message.includes("from 0 to 7200000"), `bad time ${bad}`);
  }
  assert.equal(h.snapshot(), before, "the live hypervisor is untouched");
  assert.equal(JSON.stringify(rw.stats()), stats, "the store is untouched");
  assert.throws(() => new Rewind().build(0), RewindError, "before begin()");
  h.free();
});
