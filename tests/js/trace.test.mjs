// traceSince(): Gantt segments as typed arrays (no per-segment objects), ordered and
// non-overlapping, consistent with metrics; a cursor reads incrementally without repeats;
// a bounded ring reports what it dropped. events(sinceId) reads incrementally too.
import { test } from "node:test";
import assert from "node:assert/strict";
import init, * as bx from "../../pkg/index.mjs";
import { expectCode, hog, segments } from "./helpers.mjs";

const HOUR = 3_600_000;

function busy(scheduler = "round_robin", n = 3, opts = {}) {
  const h = new bx.Hypervisor({ scheduler, seed: 5, maxVms: 16, ...opts });
  // cycles of 5e8 aa (about half an hour on the shared machinery), so run-to-completion
  // policies (fcfs, sjf) rotate too
  for (let i = 0; i < n; i++) h.createVm(`t${i}`, "syn3a", "basic", hog(256 * (i + 1), { workloadAa: 5e8 })).start();
  return h;
}

function checkChunk(c) {
  assert.ok(c.vmIndex instanceof Uint32Array, "vmIndex");
  assert.ok(c.start instanceof Float64Array, "start");
  assert.ok(c.end instanceof Float64Array, "end");
  assert.ok(c.kind instanceof Uint8Array, "kind");
  assert.ok(Array.isArray(c.names));
  const n = c.vmIndex.length;
  assert.deepEqual([c.start.length, c.end.length, c.kind.length], [n, n, n]);
  assert.equal(new Set(c.names).size, c.names.length, "names are unique");
  for (let i = 0; i < n; i++) {
    assert.ok(c.vmIndex[i] < c.names.length, `vmIndex[${i}]`);
    assert.ok(c.kind[i] === 0 || c.kind[i] === 1, `kind[${i}] = ${c.kind[i]}`);
    assert.ok(Number.isInteger(c.start[i]) && c.start[i] < c.end[i], `segment ${i}: [${c.start[i]}, ${c.end[i]})`);
    if (i > 0) assert.ok(c.end[i - 1] <= c.start[i], `segments ${i - 1} and ${i} overlap or are out of order`);
  }
  assert.ok(Number.isInteger(c.nextCursor) && c.nextCursor >= n);
  assert.ok(Number.isInteger(c.dropped) && c.dropped >= 0);
  return n;
}

test("typed arrays of ordered, non-overlapping segments that agree with the metrics", () => {
  for (const scheduler of bx.getSupportedSchedulers()) {
    // 3 VMs of 4 cycles each (about 2 h each on the shared machinery), so that the
    // run-to-completion policies hand the machinery on too
    const h = new bx.Hypervisor({ scheduler, seed: 5 });
    for (let i = 0; i < 3; i++) h.createVm(`t${i}`, "syn3a", "basic", hog(256 * (i + 1), { workloadAa: 5e8, cycles: 4 })).start();
    h.step(5 * HOUR);
    assert.ok(h.listVms().some((v) => v.state === "running"), `${scheduler}: all done too early`);
    h.step(5 * HOUR);
    assert.deepEqual(h.listVms().map((v) => [v.state, v.cyclesCompleted]), [["stopped", 4], ["stopped", 4], ["stopped", 4]], scheduler);
    const c = h.traceSince(0);
    const n = checkChunk(c);
    assert.ok(n >= 5, `${scheduler}: only ${n} segments (3 VMs need 3 runs and 2 switches)`);
    assert.deepEqual([...c.names].sort(), ["t0", "t1", "t2"]);
    assert.equal(c.dropped, 0);
    assert.equal(c.nextCursor, n);
    const segs = segments(c);
    if (c.open) {
      assert.deepEqual(Object.keys(c.open).sort(), ["end", "kind", "start", "vm"]);
      assert.ok(["run", "switch"].includes(c.open.kind));
      assert.equal(c.open.end, h.nowMs);
      assert.ok(c.open.start >= segs.at(-1).end, "open segment follows the finished ones");
      segs.push({ ...c.open, kind: c.open.kind === "run" ? 0 : 1 });
    }
    const m = h.metrics();
    const sum = (k) => segs.filter((s) => s.kind === k).reduce((a, s) => a + s.end - s.start, 0);
    assert.equal(sum(1), m.contextSwitches * h.switchCostMs, `${scheduler}: switch time`);
    assert.ok(Math.abs(sum(0) - m.machineryBusy * m.nowMs) < 1e-3, `${scheduler}: run time ${sum(0)} vs ${m.machineryBusy * m.nowMs}`);
    for (const s of segs.filter((s) => s.kind === 1)) assert.equal(s.end - s.start, 20_000, "every switch is one run-off");
    // Per-VM run time in the trace = that VM's machinery time.
    for (const v of m.perVm) {
      const mine = segs.filter((s) => s.vm === v.vmId && s.kind === 0).reduce((a, s) => a + s.end - s.start, 0);
      assert.equal(mine, v.machineryTimeMs, `${scheduler}: ${v.vmId}`);
    }
  }
});

test("the arrays are copies, not views into wasm memory", async () => {
  const { memory } = await init();
  const h = busy();
  h.step(HOUR);
  const c = h.traceSince(0);
  for (const a of [c.vmIndex, c.start, c.end, c.kind]) assert.notEqual(a.buffer, memory.buffer);
  const start = Array.from(c.start);
  h.step(HOUR);
  for (let i = 0; i < 10; i++) h.createVm(`x${i}`, "syn3a", "basic", hog(1)).free(); // allocate in wasm
  assert.deepEqual(Array.from(c.start), start);
});

test("a cursor reads every segment exactly once, incrementally", () => {
  const h = busy("credit", 4);
  const all = [];
  let cursor = 0;
  let lastEnd = -1;
  let reads = 0;
  const opens = [];
  for (let frame = 0; frame < 200; frame++) {
    h.step(97_531);
    for (;;) {
      const c = h.traceSince(cursor, 3);
      const n = checkChunk(c);
      assert.ok(n <= 3);
      assert.equal(c.dropped, 0);
      assert.equal(c.nextCursor, cursor + n, "nextCursor advances by what was returned");
      reads++;
      if (n === 0) break;
      assert.ok(c.start[0] >= lastEnd, `segment at ${c.start[0]} repeats or precedes ${lastEnd}`);
      lastEnd = c.end[n - 1];
      all.push(...segments(c));
      cursor = c.nextCursor;
    }
    // nothing new without a step; the open segment follows the finished ones
    const again = h.traceSince(cursor);
    assert.equal(again.vmIndex.length, 0);
    assert.equal(again.nextCursor, cursor);
    if (again.open) {
      assert.ok(again.open.start >= lastEnd && again.open.end === h.nowMs, JSON.stringify(again.open));
      opens.push(again.open);
    }
  }
  assert.ok(opens.length > 100, `${opens.length} open segments seen`);
  // every open segment seen was later returned finished, with the same vm, kind and start
  const finished = new Set(all.map((s) => `${s.vm}/${s.kind}/${s.start}`));
  const pending = opens.filter((o) => o.start >= lastEnd); // still open at the end
  for (const o of opens) {
    if (pending.includes(o)) continue;
    assert.ok(finished.has(`${o.vm}/${o.kind === "run" ? 0 : 1}/${o.start}`), `open ${JSON.stringify(o)} never finished`);
  }
  assert.ok(reads > 200);
  assert.deepEqual(all, segments(h.traceSince(0)), "incremental reads = one full read");
  assert.equal(all.length, cursor);
  // limit 0 returns nothing and does not move the cursor; undefined/null mean 0 and no limit
  const z = h.traceSince(5, 0);
  assert.deepEqual([z.vmIndex.length, z.nextCursor], [0, 5]);
  assert.equal(h.traceSince().vmIndex.length, all.length);
  assert.equal(h.traceSince(null, null).vmIndex.length, all.length);
  // a cursor past the end returns nothing
  const past = h.traceSince(cursor + 100);
  assert.equal(past.vmIndex.length, 0);
});

test("a bounded trace ring drops the oldest segments and says how many", () => {
  const h = busy("round_robin", 3, { traceCapacity: 10, quantumMs: 60_000 });
  h.step(HOUR);
  const c = h.traceSince(0);
  checkChunk(c);
  assert.equal(c.vmIndex.length, 10);
  assert.ok(c.dropped > 0);
  assert.equal(c.nextCursor, c.dropped + 10);
  const tail = h.traceSince(c.nextCursor - 4);
  assert.deepEqual([tail.vmIndex.length, tail.dropped], [4, 0]);
  assert.deepEqual(segments(tail), segments(c).slice(6));
});

test("events(sinceId) reads incrementally; bad cursors are INVALID_ARGUMENT", () => {
  const h = busy("round_robin", 2);
  let since = 0;
  const seen = [];
  for (let i = 0; i < 20; i++) {
    h.step(HOUR / 4);
    const ev = h.events(since);
    for (const e of ev) assert.ok(Number.isInteger(e.timeMs) && e.timeMs <= h.nowMs);
    if (ev.length) {
      assert.equal(ev[0].id, since, "no event skipped");
      ev.forEach((e, j) => assert.equal(e.id, since + j, "ids are consecutive"));
      since = ev.at(-1).id + 1;
    }
    seen.push(...ev);
  }
  assert.deepEqual(seen, h.events());
  for (const bad of [-1, 1.5, NaN, "3", {}, Infinity]) {
    expectCode(() => h.events(bad), "INVALID_ARGUMENT", "sinceId");
    expectCode(() => h.traceSince(bad), "INVALID_ARGUMENT", "cursor");
    expectCode(() => h.traceSince(0, bad), "INVALID_ARGUMENT", "limit");
  }
});
