// Gene circuits inside VMs of a kinetic hypervisor, from JS (the BUILT package): createVm with
// a library id or a circuit in full, the shared medium (setInducer, medium()), per-gene
// metrics and chart series, snapshots, and refusals that name the path and change nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { expectCode } from "./helpers.mjs";

const MIN = 60_000;
const kinetic = (scheduler = "fcfs", chassis = "ecoli") => new bx.Hypervisor({ machinery: "kinetic", scheduler, chassis });
const circuit = (id) => bx.getSupportedCircuits().find((c) => c.id === id).circuit;
const genes = (hv, id) =>
  Object.fromEntries(hv.metrics().kinetic.perVm.find((v) => v.vmId === id).geneClasses.map((g) => [g.group, g]));

test("a toggle VM starts LacI-high, an IPTG pulse flips it, and it remembers", () => {
  const hv = kinetic();
  hv.createVm("t", "ecoli", "basic", { circuit: "toggle" });
  hv.startVm("t");
  hv.step(600 * MIN);
  const g0 = genes(hv, "t");
  assert.deepEqual(Object.keys(g0), ["lacI", "tetR", "gfp"]);
  assert.ok(g0.lacI.protein > 10 * Math.max(1, g0.gfp.protein), `LacI-high: ${g0.lacI.protein} vs ${g0.gfp.protein}`);
  assert.ok(g0.gfp.activity >= 0 && g0.gfp.activity < 0.1, `gfp promoter off: ${g0.gfp.activity}`);
  assert.ok(g0.lacI.productionPerMin > 0);
  hv.setInducer("IPTG", 1000);
  assert.deepEqual(hv.medium(), { IPTG: 1000 });
  hv.step(600 * MIN);
  hv.setInducer("IPTG", 0);
  const flipped = genes(hv, "t").gfp.protein;
  hv.step(900 * MIN);
  const after = genes(hv, "t");
  assert.ok(flipped > 20 * Math.max(1, g0.gfp.protein), `flipped: ${g0.gfp.protein} -> ${flipped}`);
  assert.ok(after.gfp.protein > 0.5 * flipped && after.tetR.protein > after.lacI.protein, "kept its state");
});

test("a circuit in full runs too, and its series come with kineticSeriesSince", () => {
  const hv = kinetic("credit");
  const mine = { name: "mine", genes: [{ name: "rfp", w: 5, length: 225, degradation: 0.01 }] };
  hv.createVm("a", "ecoli", "basic", { circuit: mine });
  hv.createVm("b", "ecoli", "basic", { circuit: "repressilator" });
  hv.startVm("a");
  hv.startVm("b");
  hv.step(120 * MIN);
  const s = hv.kineticSeriesSince(0);
  assert.ok(Array.isArray(s.genes));
  assert.deepEqual(s.genes.map((g) => `${g.vmId}.${g.gene}`), ["a.rfp", "b.lacI", "b.tetR", "b.cI"]);
  for (const g of s.genes) {
    assert.ok(g.protein instanceof Float64Array && g.protein.length === s.t.length, g.gene);
    assert.ok(Number.isNaN(g.protein[0]), "no value before the VM's genes joined");
  }
  const last = s.t.length - 1;
  assert.equal(s.t[last], 120 * MIN);
  assert.equal(s.genes[0].protein[last], Math.fround(genes(hv, "a").rfp.protein));
  // The cursor moves on: nothing new, then only new samples.
  assert.equal(hv.kineticSeriesSince(s.nextCursor).genes.every((g) => g.protein.length === 0), true);
});

test("the medium is shared: IPTG for one lac VM induces the other", () => {
  const hv = kinetic("credit");
  for (const id of ["x", "y"]) {
    hv.createVm(id, "ecoli", "basic", { circuit: "lac" });
    hv.startVm(id);
  }
  hv.step(300 * MIN);
  const before = genes(hv, "y").gfp.protein;
  hv.setInducer("IPTG", 1000);
  hv.step(300 * MIN);
  const x = genes(hv, "x").gfp.protein;
  const y = genes(hv, "y").gfp.protein;
  assert.ok(y > 5 * Math.max(1, before), `${before} -> ${y}`);
  assert.equal(x, y);
});

test("snapshots carry circuits and the medium, and restore to the same bits", () => {
  const hv = kinetic("round_robin");
  hv.createVm("t", "ecoli", "basic", { circuit: "toggle" });
  hv.startVm("t");
  hv.step(50 * MIN + 1234);
  hv.setInducer("aTc", 0.5);
  const copy = bx.Hypervisor.restore(hv.snapshot());
  assert.deepEqual(copy.medium(), { aTc: 0.5 });
  hv.step(200 * MIN);
  copy.step(200 * MIN);
  assert.equal(copy.snapshot(), hv.snapshot());
});

test("refusals name the path and change nothing", () => {
  const simple = new bx.Hypervisor();
  expectCode(() => simple.createVm("x", "ecoli", "basic", { circuit: "toggle" }), "INVALID_CONFIG", ["circuit", "kinetic"]);
  expectCode(() => simple.setInducer("IPTG", 1), "INVALID_CONFIG", ["machinery"]);
  assert.deepEqual(simple.medium(), {});
  assert.equal(simple.listVms().length, 0);

  expectCode(() => kinetic("fcfs", "orthogonal").createVm("x", "ecoli", "basic", { circuit: "toggle" }), "INVALID_CONFIG", ["orthogonal"]);

  const hv = kinetic();
  expectCode(() => hv.createVm("x", "ecoli", "basic", { circuit: "toggel" }), "INVALID_CONFIG", ["circuit", "toggle", "repressilator"]);
  expectCode(() => hv.createVm("x", "ecoli", "basic", { circuit: 7 }), "INVALID_CONFIG", ["circuit"]);
  const bad = structuredClone(circuit("toggle"));
  bad.genes[1].w = -1;
  bad.genes[2].regulation[0].by = "nobody";
  expectCode(() => hv.createVm("x", "ecoli", "basic", { circuit: bad }), "INVALID_CONFIG", ["circuit.genes[1].w", "circuit.genes[2].regulation[0].by"]);
  assert.equal(hv.listVms().length, 0);

  hv.createVm("t", "ecoli", "basic", { circuit: "toggle" });
  hv.setInducer("IPTG", 10);
  const snap = hv.snapshot();
  expectCode(() => hv.setInducer("IPTG", -1), "INVALID_ARGUMENT", ["IPTG"]);
  expectCode(() => hv.setInducer("IPTG", "lots"), "INVALID_ARGUMENT", ["value"]);
  expectCode(() => hv.setInducer("no spaces", 1), "INVALID_ARGUMENT", ["name"]);
  expectCode(() => hv.setInducer(5, 1), "INVALID_ARGUMENT", ["name"]);
  assert.equal(hv.snapshot(), snap);
  assert.deepEqual(hv.medium(), { IPTG: 10 });
});

test("Hypervisor.toSbml exports the present model: its VMs as circuits, gates frozen", () => {
  const hv = kinetic("credit");
  hv.createVm("t", "ecoli", "basic", { circuit: "toggle", weight: 128 });
  hv.createVm("l", "ecoli", "basic", { circuit: "lac", weight: 256 });
  hv.startVm("t");
  hv.startVm("l");
  hv.setInducer("IPTG", 30);
  hv.step(60 * MIN);
  const xml = hv.toSbml();
  assert.ok(xml.startsWith("<?xml") && xml.includes('level="3"') && xml.includes('version="2"'), xml.slice(0, 200));
  // The toggle's gene at half its w (weight 128 of the largest 256), lac's at its own.
  const w = (id) => Number(new RegExp(`id="w_${id}"[^>]*value="([^"]+)"`).exec(xml)?.[1] ?? NaN);
  assert.equal(w("c0g0"), circuit("toggle").genes[0].w / 2);
  assert.equal(w("c1g1"), circuit("lac").genes[1].w);
  expectCode(() => new bx.Hypervisor().toSbml(), "INVALID_CONFIG", ["machinery"]);
});
