// Leak test: 100 000 VMs created and destroyed and 10 000 step() calls on one hypervisor
// (a small set of reused ids; every JS handle is free()d), plus short-lived hypervisors and
// the read APIs. After a warm-up, the wasm memory must not grow between two later checkpoints.
import { test } from "node:test";
import assert from "node:assert/strict";
import init, * as bx from "../../pkg/index.mjs";

const ROUNDS = 10_000; // one step() per round
const CHURN_PER_ROUND = 10; // VMs created and destroyed per round -> 100 000 in all
const WARMUP = 2_000;
const CHECKPOINTS = [5_000, ROUNDS];

test("100 000 VM create/destroy + 10 000 steps: wasm memory stays flat after warm-up", async () => {
  const { memory } = await init();
  const bytes = () => memory.buffer.byteLength;
  const t0 = performance.now();
  // Small rings so that they fill during the warm-up (their steady size is part of the baseline).
  const h = new bx.Hypervisor({ scheduler: "credit", maxVms: 8, seed: 1, traceCapacity: 500, eventCapacity: 500 });
  // Start the clock at 10^12 ms (an idle jump costs nothing), so that times and counters in
  // snapshots and events already have all their digits: a snapshot string that keeps growing
  // by a digit here and there would otherwise need a bigger buffer now and then.
  h.step(1e12);
  const resident = ["P0", "P1", "P2", "P3"];
  for (const [i, id] of resident.entries()) {
    const vm = h.createVm(id, "syn3a", "basic", { ribosomes: 10, memoryKb: 1, atpPercent: 0.5, weight: 128 * (i + 1), workloadAa: 5e6 });
    vm.start();
    vm.free();
  }
  const churn = ["C0", "C1", "C2", "C3"];
  const types = bx.getSupportedBiologicalTypes();
  let created = 0;
  let steps = 0;
  let cursor = 0;
  let since = 0;
  const memAt = {};
  for (let round = 1; round <= ROUNDS; round++) {
    for (let j = 0; j < CHURN_PER_ROUND; j++) {
      const id = churn[j % churn.length];
      const vm = h.createVm(id, types[(round + j) % types.length], "basic", { ribosomes: j, memoryKb: 1 + j, atpPercent: 0.25 });
      created++;
      if (j % 3 === 0) vm.start();
      if (j % 5 === 0) vm.allocateResources({ ribosomes: j + 1 });
      vm.destroy();
      vm.free();
    }
    h.step(250_000 + (round % 7) * 1000);
    steps++;
    if (round % 10 === 0) {
      const c = h.traceSince(cursor);
      cursor = c.nextCursor;
      const ev = h.events(since);
      if (ev.length) since = ev.at(-1).id + 1;
      h.listVms();
      h.systemResources();
      const got = h.getVm("P1");
      got.status();
      got.free();
    }
    if (round % 100 === 0) {
      h.metrics();
      h.profilerReport();
      const snap = h.snapshot();
      const copy = bx.Hypervisor.restore(snap);
      copy.step(1000);
      const rm = new bx.BioResourceManager(copy);
      rm.getResourceSummary();
      rm.free();
      copy.free();
      try {
        h.createVm("P0", "syn3a"); // refused: errors must not leak either
        assert.fail("duplicate accepted");
      } catch (e) {
        assert.equal(e.code, "DUPLICATE_VM");
      }
    }
    if (round === WARMUP) memAt.warmup = bytes();
    if (CHECKPOINTS.includes(round)) memAt[round] = bytes();
  }
  const secs = (performance.now() - t0) / 1000;
  assert.equal(created, 100_000);
  assert.equal(steps, 10_000);
  // The hypervisor is still intact: 4 residents, nothing else held.
  assert.deepEqual(h.listVms().map((v) => v.vmId), resident);
  const s = h.systemResources();
  assert.equal(s.ribosomes.allocated, 40);
  assert.equal(s.vmCount, 4);
  assert.ok(h.metrics().contextSwitches > 1000);
  const [a, b] = CHECKPOINTS;
  console.log(
    `leak: ${created} VMs, ${steps} steps in ${secs.toFixed(1)} s; wasm memory ${memAt.warmup} B after warm-up, ` +
      `${memAt[a]} B at round ${a}, ${memAt[b]} B at round ${b}`,
  );
  assert.equal(memAt[b], memAt[a], `wasm memory grew from ${memAt[a]} to ${memAt[b]} bytes between rounds ${a} and ${b}`);
  assert.ok(memAt[a] - memAt.warmup <= 64 * 1024, `grew ${memAt[a] - memAt.warmup} bytes after the warm-up`);
  h.free();
});
