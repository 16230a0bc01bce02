// The Circuits panel's diagram layout (www/js/circuits/diagram.js), a pure function: every
// circuit of the BUILT package's library, and hand-made ones, lay out with one edge per
// regulation and the right end kinds, no two gene boxes overlapping, edges ending on their
// boxes, the repressilator on a ring in its cycle's order.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { layout, findCycle, regulations, describe, boundary, bezier } from "../../www/js/circuits/diagram.js";

const library = () => Object.fromEntries(bx.getSupportedCircuits().map((c) => [c.id, c]));

function overlaps(a, b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/** Distance from p to the outline of box b (0 on it). */
function toOutline(b, p) {
  const dx = Math.max(b.x - p.x, 0, p.x - (b.x + b.w)), dy = Math.max(b.y - p.y, 0, p.y - (b.y + b.h));
  if (dx > 0 || dy > 0) return Math.hypot(dx, dy);
  return Math.min(p.x - b.x, b.x + b.w - p.x, p.y - b.y, b.y + b.h - p.y);
}

function checkModel(circuit, label) {
  const m = layout(circuit);
  const regs = circuit.genes.flatMap((g) => (g.regulation || []).map((r) => ({ to: g.name, ...r })));
  assert.equal(m.edges.length, regs.length, `${label}: one edge per regulation`);
  assert.equal(m.genes.length, circuit.genes.length, `${label}: one box per gene`);
  regs.forEach((r, i) => {
    const e = m.edges[i];
    assert.equal(m.genes[e.to].name, r.to, `${label}: edge ${i} target`);
    assert.equal(m.genes[e.from].name, r.by, `${label}: edge ${i} source`);
    assert.equal(e.end, r.mode === "repress" ? "bar" : "arrow", `${label}: edge ${i} end kind`);
    assert.equal(e.glyph.length, r.mode === "repress" ? 2 : 3, `${label}: edge ${i} glyph points`);
    assert.equal(e.self, r.by === r.to, `${label}: edge ${i} self-loop`);
    if (r.inducer) {
      assert.ok(e.inducer && e.inducer.name === r.inducer.name && e.inducer.effect === r.inducer.effect, `${label}: edge ${i} inducer`);
      const mid = bezier(e, 0.5);
      assert.ok(Math.hypot(mid.x - e.inducer.x, mid.y - e.inducer.y) < 1e-9, `${label}: inducer label on its edge`);
    } else assert.equal(e.inducer, null, `${label}: edge ${i} has no inducer`);
    // the edge starts on its regulator's box and ends next to (within 3 px of) its target's
    assert.ok(toOutline(m.genes[e.from], e.p0) < 1e-6, `${label}: edge ${i} starts on ${r.by}`);
    assert.ok(toOutline(m.genes[e.to], e.p1) < 3, `${label}: edge ${i} ends at ${r.to}`);
  });
  for (let i = 0; i < m.genes.length; i++) {
    for (let j = i + 1; j < m.genes.length; j++) assert.ok(!overlaps(m.genes[i], m.genes[j]), `${label}: ${m.genes[i].name} overlaps ${m.genes[j].name}`);
  }
  const all = [...m.genes.flatMap((b) => [{ x: b.x, y: b.y }, { x: b.x + b.w, y: b.y + b.h }]), ...m.edges.flatMap((e) => [e.p0, e.c1, e.c2, e.p1, ...e.glyph])];
  for (const p of all) assert.ok(p.x >= 0 && p.y >= 0 && p.x <= m.width && p.y <= m.height, `${label}: ${p.x},${p.y} inside ${m.width}×${m.height}`);
  return m;
}

test("every library circuit lays out with one edge per regulation, right ends, no overlaps", () => {
  const lib = library();
  assert.ok(Object.keys(lib).length >= 7);
  for (const [id, c] of Object.entries(lib)) checkModel(c.circuit, id);
});

test("the repressilator is a ring in its cycle's order; the toggle a row with an edge each way", () => {
  const lib = library();
  const r = checkModel(lib.repressilator.circuit, "repressilator");
  assert.equal(r.shape, "ring");
  assert.equal(r.cycle.length, 3);
  // following the cycle, each gene represses the next
  for (let i = 0; i < 3; i++) {
    const by = r.cycle[i], to = r.cycle[(i + 1) % 3];
    assert.ok(r.edges.some((e) => r.genes[e.from].name === by && r.genes[e.to].name === to && e.end === "bar"), `${by} ⊣ ${to}`);
  }
  assert.ok(r.edges.every((e) => !e.self));
  const t = checkModel(lib.toggle.circuit, "toggle");
  assert.equal(t.shape, "row");
  const lacI = t.genes.findIndex((g) => g.name === "lacI"), tetR = t.genes.findIndex((g) => g.name === "tetR");
  assert.ok(t.edges.some((e) => e.from === lacI && e.to === tetR) && t.edges.some((e) => e.from === tetR && e.to === lacI));
  assert.match(t.description, /lacI represses tetR/);
  assert.match(t.description, /IPTG inactivates lacI/);
  assert.match(t.description, /aTc inactivates tetR/);
  // IPTG acts on two edges (tetR's and gfp's promoters) but is said once
  assert.equal(t.description.match(/IPTG inactivates lacI/g).length, 1);
  const a = checkModel(lib.autorepressor.circuit, "autorepressor");
  assert.equal(a.edges.length, 1);
  assert.ok(a.edges[0].self);
  assert.match(a.description, /represses itself/);
});

test("a hand-made circuit: mixed modes, self-activation, two edges between one pair, a long ring", () => {
  const g = (name, regulation = []) => ({ name, w: 5, length: 200, regulation });
  const hand = {
    name: "hand",
    genes: [
      g("A", [{ by: "C", mode: "activate", K: 10, n: 2 }]),
      g("B", [{ by: "A", mode: "repress", K: 10, n: 2, inducer: { name: "IPTG", K: 30, n: 2, effect: "inactivates" } }, { by: "B", mode: "activate", K: 10, n: 1 }]),
      g("C", [{ by: "B", mode: "activate", K: 10, n: 2 }, { by: "B", mode: "repress", K: 99, n: 4 }]),
      g("reporter_with_a_long_name"),
    ],
  };
  const m = checkModel(hand, "hand");
  assert.equal(m.shape, "ring");
  assert.deepEqual(m.cycle, ["A", "B", "C"]);
  const [cb1, cb2] = m.edges.filter((e) => e.to === 2);
  assert.notDeepEqual(cb1.c1, cb2.c1, "two edges between B and C are drawn apart");
  assert.match(m.description, /B activates itself/);
  assert.match(m.description, /reporter_with_a_long_name is constitutive/);
  // the package accepts it: the layout is of a real circuit
  bx.toSbml({ circuits: [hand], tEndMin: 1, points: 2 });
  // 32 genes in a ring (each repressing the next) do not overlap either
  const ring = { genes: Array.from({ length: 32 }, (_, i) => g(`gene${i}`, [{ by: `gene${(i + 31) % 32}`, mode: i % 2 ? "repress" : "activate", K: 1, n: 1 }])) };
  const big = checkModel(ring, "32-ring");
  assert.equal(big.shape, "ring");
  assert.equal(big.cycle.length, 32);
  // a chain with no cycle is a row, left to right
  const chain = { genes: [g("x"), g("y", [{ by: "x", mode: "repress", K: 1, n: 1 }]), g("z", [{ by: "y", mode: "repress", K: 1, n: 1 }])] };
  const c = checkModel(chain, "chain");
  assert.equal(c.shape, "row");
  assert.ok(c.genes[0].x < c.genes[1].x && c.genes[1].x < c.genes[2].x);
});

test("helpers: findCycle, regulations, boundary", () => {
  assert.equal(findCycle(2, [{ from: 0, to: 1 }, { from: 1, to: 0 }]), null, "a 2-cycle is not a ring");
  assert.deepEqual(findCycle(4, [{ from: 0, to: 1 }, { from: 1, to: 2 }, { from: 2, to: 3 }, { from: 3, to: 0 }, { from: 1, to: 3 }]), [0, 1, 2, 3]);
  assert.deepEqual(regulations({ genes: [{ name: "a", regulation: [{ by: "zz", mode: "repress" }] }] })[0].from, -1);
  assert.deepEqual(boundary({ x: 0, y: 0, w: 100, h: 20 }, { x: 50, y: -100 }), { x: 50, y: 0 });
  assert.deepEqual(boundary({ x: 0, y: 0, w: 100, h: 20 }, { x: 500, y: 10 }), { x: 100, y: 10 });
  assert.match(describe({ genes: [{ name: "g" }] }), /^A circuit of 1 gene: g is constitutive\.$/);
});
