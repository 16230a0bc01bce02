// Gene circuits from JS (the BUILT package): the library, simulateCircuits's typed series and
// behaviour (an IPTG step, coupling through shared ribosomes), determinism, toSbml, and
// refusals naming the path. The SBML itself is checked by libSBML and libRoadRunner (tests/sbml.rs).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { expectCode } from "./helpers.mjs";

const library = () => Object.fromEntries(bx.getSupportedCircuits().map((c) => [c.id, c]));

test("getSupportedCircuits lists the library, each with sources and what it teaches", () => {
  const lib = library();
  for (const id of ["reporter", "lac", "ara", "autorepressor", "toggle", "repressilator", "self-activator"]) {
    const c = lib[id];
    assert.ok(c, `${id} missing from ${Object.keys(lib)}`);
    assert.ok(c.title && c.teaches.endsWith("."), `${id}: title and one sentence`);
    assert.ok(Array.isArray(c.sources) && c.sources.length > 0, `${id}: sources`);
    assert.ok(c.circuit.genes.length >= 1 && c.circuit.genes.length <= 32, `${id}: genes`);
  }
  assert.deepEqual(lib.toggle.inducers.slice().sort(), ["IPTG", "aTc"]);
});

test("simulateCircuits: typed series on the grid, an IPTG step raising lac output, deterministic", () => {
  const lib = library();
  const opts = { circuits: [lib.reporter.circuit, lib.lac.circuit], inducers: { IPTG: [[300, 1000]] }, tEndMin: 900, points: 31 };
  const r = bx.simulateCircuits(opts);
  assert.ok(r.t instanceof Float64Array && r.t.length === 31 && r.t[30] === 900);
  assert.ok(r.growthRate instanceof Float64Array && r.growthRate.length === 31);
  for (const k of ["si", "a", "r", "et", "em", "q", "mr", "mt", "mm", "mq", "cr", "ct", "cm", "cq"]) {
    assert.ok(r.host[k] instanceof Float64Array && r.host[k].length === 31, k);
  }
  assert.equal(r.circuits.length, 2);
  const lac = r.circuits[1];
  const out = lac.genes[lac.genes.length - 1];
  for (const s of ["protein", "mrna", "complex", "activity"]) assert.ok(out[s] instanceof Float64Array && out[s].length === 31, s);
  // Before IPTG (t = 270) the lac output is repressed; well after it (t = 900) far higher.
  assert.ok(out.activity[9] < 0.2 && out.activity[30] > 0.5, `activity ${out.activity[9]} -> ${out.activity[30]}`);
  assert.ok(out.protein[30] > 5 * out.protein[9], `protein ${out.protein[9]} -> ${out.protein[30]}`);
  // The reporter has no lac promoter, yet makes less once lac is induced: the two share the
  // host's ribosomes (hidden coupling). Compared with the same run without IPTG.
  const none = bx.simulateCircuits({ ...opts, inducers: {} });
  const rep = r.circuits[0].genes[0].protein[30], alone = none.circuits[0].genes[0].protein[30];
  assert.ok(rep < 0.99 * alone, `reporter ${rep} with IPTG, ${alone} without`);
  const again = bx.simulateCircuits(opts);
  assert.deepEqual([...again.circuits[1].genes[0].protein], [...lac.genes[0].protein]);
});

test("simulateCircuits: both integrators, BDF by default, agree on the toggle", () => {
  const lib = library();
  const opts = { circuits: [lib.toggle.circuit], inducers: { IPTG: [[200, 1000], [400, 0]] }, tEndMin: 1400, points: 15, rtol: 1e-9, atol: 1e-9 };
  const byDefault = bx.simulateCircuits(opts);
  const bdf = bx.simulateCircuits({ ...opts, method: "bdf" });
  const rodas4 = bx.simulateCircuits({ ...opts, method: "rodas4" });
  assert.deepEqual(byDefault.stats, bdf.stats);
  assert.notDeepEqual(bdf.stats, rodas4.stats);
  for (const [i, gene] of ["lacI", "tetR"].entries()) {
    const a = bdf.circuits[0].genes[i], b = rodas4.circuits[0].genes[i];
    assert.equal(a.name, gene);
    const scale = Math.max(...b.protein);
    for (let k = 0; k < 15; k++) {
      const rel = Math.abs(a.protein[k] - b.protein[k]) / Math.max(Math.abs(b.protein[k]), 1e-6 * scale);
      assert.ok(rel <= 1e-6, `${gene} at point ${k}: bdf ${a.protein[k]}, rodas4 ${b.protein[k]}`);
    }
  }
});

test("toSbml writes SBML Level 3 Version 2 with the inducer step as an event", () => {
  const lib = library();
  const xml = bx.toSbml({ circuits: [lib.toggle.circuit], inducers: { IPTG: [[100, 1000], [200, 0]] }, tEndMin: 300, points: 2 });
  assert.match(xml, /<sbml xmlns="http:\/\/www.sbml.org\/sbml\/level3\/version2\/core" level="3" version="2">/);
  assert.equal((xml.match(/<event /g) || []).length, 2);
  assert.match(xml, /name="inducer IPTG \(uM\)"/);
});

test("bad circuits are refused with INVALID_ARGUMENT naming the path, and nothing runs", () => {
  const g = (name, extra = {}) => ({ name, w: 10, length: 300, ...extra });
  const bad = [
    [{ circuits: [{ genes: [g("a", { regulation: [{ by: "ghost", mode: "repress", K: 1, n: 2 }] })] }], tEndMin: 10, points: 2 }, "circuits[0].genes[0].regulation[0].by"],
    [{ circuits: [{ genes: [g("a"), g("a")] }], tEndMin: 10, points: 2 }, "circuits[0].genes[1].name"],
    [{ circuits: [{ genes: [g("a", { w: -1 })] }], tEndMin: 10, points: 2 }, "circuits[0].genes[0].w"],
    [{ circuits: [{ genes: [g("a", { regulation: [{ by: "a", mode: "squash", K: 1, n: 2 }] })] }], tEndMin: 10, points: 2 }, "circuits[0].genes[0].regulation[0].mode"],
    [{ circuits: [{ genes: Array.from({ length: 33 }, (_, i) => g(`g${i}`)) }], tEndMin: 10, points: 2 }, "circuits[0].genes"],
    [{ circuits: [{ genes: [g("a")] }], inducers: { IPTG: [[5, 1], [2, 0]] }, tEndMin: 10, points: 2 }, "inducers.IPTG"],
    [{ circuits: [{ genes: [g("a")] }], tEndMin: 10, points: 2, method: "lsoda" }, "method"],
  ];
  for (const [opts, path] of bad) {
    expectCode(() => bx.simulateCircuits(opts), "INVALID_ARGUMENT", [path]);
    expectCode(() => bx.toSbml(opts), "INVALID_ARGUMENT", [path]);
  }
});
