// Resource arithmetic: systemResources() totals / reserved / allocated / free add up exactly
// after creates, allocateResources, BioResourceManager.allocate/release and destroys, and
// never over-commit; refused changes leave everything as it was.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { assertLedger, expectCode, expectRefusedUnchanged } from "./helpers.mjs";

// E. coli preset (src/chassis.rs): capacity and host reserve (ceil of capacity x reserve share).
const ECOLI = {
  ribosomes: { total: 45100, reserved: 26609 }, // ceil(45100 x 0.59)
  rnaPolymerase: { total: 8000, reserved: 4000 }, // 8000 x 0.50
  atp: { total: 100, reserved: 59 }, // percent of supply, 0.59
  memoryKb: { total: 37136, reserved: 4642 }, // 8 genomes of 4642 kb, host keeps one
};
const POOLS = ["ribosomes", "rnaPolymerase", "atp", "memoryKb"];
const KEY = { ribosomes: "ribosomes", rnaPolymerase: "rnaPolymerase", atp: "atpPercent", memoryKb: "memoryKb" };

function expectAllocated(h, want) {
  const s = h.systemResources();
  assertLedger(s, h.listVms());
  for (const p of POOLS) {
    const { total, reserved } = ECOLI[p];
    assert.deepEqual(s[p], { total, reserved, allocated: want[p], free: total - reserved - want[p] }, p);
  }
  return s;
}

test("an empty E. coli hypervisor: totals and host reserve from the chassis", () => {
  const h = new bx.Hypervisor({ chassis: "ecoli" });
  const s = expectAllocated(h, { ribosomes: 0, rnaPolymerase: 0, atp: 0, memoryKb: 0 });
  assert.deepEqual([s.chassis, s.vmCount, s.activeVms, s.maxVms, s.perVm], ["ecoli", 0, 0, 4, []]);
  const rm = new bx.BioResourceManager(h);
  assert.deepEqual(rm.getResourceSummary(), s);
});

test("other chassis: syn3a and yeast reserves", () => {
  const s = new bx.Hypervisor({ chassis: "syn3a" }).systemResources();
  assert.deepEqual(s.ribosomes, { total: 503, reserved: 368, allocated: 0, free: 135 }); // ceil(503 x 0.73)
  assert.deepEqual(s.memoryKb, { total: 1632, reserved: 544, allocated: 0, free: 1088 });
  assert.equal(s.maxVms, 2);
  const y = new bx.Hypervisor({ chassis: "yeast" }).systemResources();
  assert.deepEqual(y.ribosomes, { total: 200000, reserved: 120000, allocated: 0, free: 80000 });
  const o = new bx.Hypervisor({ chassis: "orthogonal" }).systemResources();
  assert.equal(o.ribosomes.total, 45100);
  assert.equal(o.ribosomes.free, 45100 - Math.ceil(45100 * (1 - 50 / 980)));
  assert.equal(o.chassis, "orthogonal");
});

test("defaults per biological type come from ConfigManager.defaults", () => {
  assert.deepEqual(bx.ConfigManager.defaults("syn3a"), {
    ribosomes: 46, rnaPolymerase: 10, atpPercent: 5, memoryKb: 544, priority: 5, weight: 256, cap: 0,
    workloadAa: 158828, cycles: null,
  });
  const e = bx.ConfigManager.defaults("ecoli");
  assert.deepEqual([e.memoryKb, e.workloadAa], [4642, 1329980]);
  const h = new bx.Hypervisor({ maxVms: 8 });
  for (const t of bx.getSupportedBiologicalTypes()) {
    const d = bx.ConfigManager.defaults(t);
    h.createVm(`d-${t}`, t).free();
    const st = h.vmStatus(`d-${t}`);
    assert.deepEqual(
      [st.ribosomes, st.rnaPolymerase, st.atpPercent, st.memoryKb, st.priority, st.weight, st.cap, st.workloadAa],
      [d.ribosomes, d.rnaPolymerase, d.atpPercent, d.memoryKb, d.priority, d.weight, d.cap, d.workloadAa],
      t,
    );
  }
  assertLedger(h.systemResources(), h.listVms());
  expectCode(() => bx.ConfigManager.defaults("human"), "UNSUPPORTED_BIOLOGICAL_TYPE", "human");
});

test("creates, allocateResources, allocate/release and destroys add up exactly", () => {
  const h = new bx.Hypervisor();
  const rm = new bx.BioResourceManager(h);
  const a = h.createVm("a", "ecoli", "basic", { ribosomes: 1000, rnaPolymerase: 100, atpPercent: 2.5, memoryKb: 1000 });
  expectAllocated(h, { ribosomes: 1000, rnaPolymerase: 100, atp: 2.5, memoryKb: 1000 });
  const b = h.createVm("b", "syn3a"); // 46 / 10 / 5 % / 544
  expectAllocated(h, { ribosomes: 1046, rnaPolymerase: 110, atp: 7.5, memoryKb: 1544 });

  // a partial change keeps the other pools
  a.allocateResources({ ribosomes: 3000 });
  assert.deepEqual(a.resourceUsage(), { vmId: "a", ribosomes: 3000, rnaPolymerase: 100, atpPercent: 2.5, memoryKb: 1000 });
  expectAllocated(h, { ribosomes: 3046, rnaPolymerase: 110, atp: 7.5, memoryKb: 1544 });
  a.allocateResources({ atpPercent: 0.01, memoryKb: 0 });
  expectAllocated(h, { ribosomes: 3046, rnaPolymerase: 110, atp: 5.01, memoryKb: 544 });
  a.allocateResources({}); // nothing asked, nothing changed
  expectAllocated(h, { ribosomes: 3046, rnaPolymerase: 110, atp: 5.01, memoryKb: 544 });

  rm.allocate("b", { ribosomes: 500, rnaPolymerase: 0 });
  expectAllocated(h, { ribosomes: 3500, rnaPolymerase: 100, atp: 5.01, memoryKb: 544 });
  assert.deepEqual(h.vmStatus("b").ribosomes, 500);

  // every ribosome that is free, exactly
  const free = h.systemResources().ribosomes.free;
  rm.allocate("b", { ribosomes: 500 + free });
  expectAllocated(h, { ribosomes: 45100 - 26609, rnaPolymerase: 100, atp: 5.01, memoryKb: 544 });
  expectRefusedUnchanged(h, () => a.allocateResources({ ribosomes: 3001 }), "INSUFFICIENT_RESOURCES", ["ribosomes", "asked for 3001", "only 3000 free"]);
  a.allocateResources({ ribosomes: 3000 }); // asking for what it holds is fine

  rm.release("b");
  assert.deepEqual(b.resourceUsage(), { vmId: "b", ribosomes: 0, rnaPolymerase: 0, atpPercent: 0, memoryKb: 0 });
  expectAllocated(h, { ribosomes: 3000, rnaPolymerase: 100, atp: 0.01, memoryKb: 0 });
  assert.equal(h.vmStatus("b").state, "created", "release keeps the VM");
  rm.release("b"); // releasing twice is harmless
  expectAllocated(h, { ribosomes: 3000, rnaPolymerase: 100, atp: 0.01, memoryKb: 0 });

  a.start();
  h.step(60_000);
  expectAllocated(h, { ribosomes: 3000, rnaPolymerase: 100, atp: 0.01, memoryKb: 0 });
  h.destroyVm("a");
  expectAllocated(h, { ribosomes: 0, rnaPolymerase: 0, atp: 0, memoryKb: 0 });
  b.destroy();
  const s = expectAllocated(h, { ribosomes: 0, rnaPolymerase: 0, atp: 0, memoryKb: 0 });
  assert.deepEqual([s.vmCount, s.perVm], [0, []]);
});

test("ATP shares add up in exact hundredths of a percent", () => {
  const h = new bx.Hypervisor({ maxVms: 64 });
  const shares = [0.01, 0.1, 0.33, 1.07, 2.2, 3.3, 0.07, 1.11];
  shares.forEach((p, i) => h.createVm(`atp${i}`, "syn3a", "basic", { atpPercent: p, ribosomes: 0, memoryKb: 1 }).free());
  const s = h.systemResources();
  assertLedger(s, h.listVms());
  assert.equal(Math.round(s.atp.allocated * 100), 819); // 0.01 + 0.1 + ... + 1.11 = 8.19 %
  assert.equal(Math.round(s.atp.free * 100), 4100 - 819);
  // 41 % is what guests may have: fill it to the hundredth
  h.createVm("atp-rest", "syn3a", "basic", { atpPercent: s.atp.free, ribosomes: 0, memoryKb: 1 }).free();
  assert.equal(h.systemResources().atp.free, 0);
  expectRefusedUnchanged(h, () => h.createVm("atp-more", "syn3a", "basic", { atpPercent: 0.01, ribosomes: 0, memoryKb: 1 }),
    "INSUFFICIENT_RESOURCES", "ATP");
});

test("refused allocations change nothing", () => {
  const h = new bx.Hypervisor();
  const rm = new bx.BioResourceManager(h);
  const v = h.createVm("v", "syn3a");
  h.createVm("w", "ecoli");
  v.start();
  h.step(1000);
  expectRefusedUnchanged(h, () => v.allocateResources({ ribosomes: 18492 }), "INSUFFICIENT_RESOURCES", "ribosomes");
  expectRefusedUnchanged(h, () => rm.allocate("v", { rnaPolymerase: 3994, ribosomes: 1 }), "INSUFFICIENT_RESOURCES",
    ["RNA polymerase", "asked for 3994", "only 3993 free"]); // 4000 - 10 (v) - 7 (w) + v's own 10
  expectRefusedUnchanged(h, () => rm.allocate("v", { atpPercent: 101 }), "INVALID_ARGUMENT", "101");
  expectRefusedUnchanged(h, () => rm.allocate("v", { atpPercent: -0.5 }), "INVALID_ARGUMENT");
  expectRefusedUnchanged(h, () => rm.allocate("v", { ribosomes: -1 }), "INVALID_ARGUMENT", "ribosomes");
  expectRefusedUnchanged(h, () => rm.allocate("v", { ribosomes: 1.5 }), "INVALID_ARGUMENT", "ribosomes");
  expectRefusedUnchanged(h, () => rm.allocate("v", { ribosomes: 2e7 }), "INVALID_ARGUMENT", "ribosomes");
  expectRefusedUnchanged(h, () => rm.allocate("v", { memoryKb: NaN }), "INVALID_ARGUMENT");
  expectRefusedUnchanged(h, () => rm.allocate("v", { ribosomes: "10" }), "INVALID_ARGUMENT");
  expectRefusedUnchanged(h, () => rm.allocate("v", { ribosome: 10 }), "INVALID_ARGUMENT", "ribosome");
  expectRefusedUnchanged(h, () => rm.allocate("v", [10]), "INVALID_ARGUMENT", "request");
  expectRefusedUnchanged(h, () => rm.allocate("v", "ribosomes=10"), "INVALID_ARGUMENT", "request");
  expectRefusedUnchanged(h, () => rm.allocate(7, { ribosomes: 1 }), "INVALID_ARGUMENT", "vmId");
  expectRefusedUnchanged(h, () => v.allocateResources(5), "INVALID_ARGUMENT", "request");
  // all or nothing: a request valid in one pool and too big in another changes neither
  expectRefusedUnchanged(h, () => v.allocateResources({ ribosomes: 10, memoryKb: 1e9 }), "INSUFFICIENT_RESOURCES", "memory");
  assertLedger(h.systemResources(), h.listVms());
});

test("the ledger never over-commits across many random allocations", () => {
  let seed = 12345;
  const rnd = (n) => ((seed = (seed * 1103515245 + 12345) >>> 0) % n);
  const h = new bx.Hypervisor({ maxVms: 16 });
  const rm = new bx.BioResourceManager(h);
  const ids = Array.from({ length: 16 }, (_, i) => `r${i}`);
  let ok = 0;
  let refusedN = 0;
  for (let i = 0; i < 3000; i++) {
    const id = ids[rnd(ids.length)];
    const op = rnd(5);
    try {
      if (op === 0) h.createVm(id, "syn3a", "basic", { ribosomes: rnd(8000), memoryKb: rnd(9000), atpPercent: rnd(1500) / 100 }).free();
      else if (op === 1) rm.allocate(id, { ribosomes: rnd(20000), rnaPolymerase: rnd(1500), atpPercent: rnd(2000) / 100 });
      else if (op === 2) rm.release(id);
      else if (op === 3) h.destroyVm(id);
      else h.startVm(id);
      ok++;
    } catch (e) {
      refusedN++;
      assert.ok(["INSUFFICIENT_RESOURCES", "NOT_FOUND", "DUPLICATE_VM", "INVALID_TRANSITION"].includes(e.code), e.message);
    }
    if (i % 50 === 0) h.step(rnd(100_000));
    assertLedger(h.systemResources(), h.listVms());
  }
  assert.ok(ok > 500 && refusedN > 500, `ok ${ok}, refused ${refusedN}: the mix should exercise both`);
});
