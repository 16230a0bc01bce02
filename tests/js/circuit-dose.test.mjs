// The Circuits panel's dose-response sweep (www/js/circuits/dose.js): log-spaced levels, the
// options of each level, result assembly, and the sweep itself run against the BUILT package
// as the worker runs it: for IPTG-inducible expression output rises with IPTG at low doses and
// growth falls monotonically; sweeping a reporter's w shows the tipping point.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { logLevels, levelOptions, steadyPoint, assemble, runSweep, inducersOf, defaultOutput } from "../../www/js/circuits/dose.js";

const library = () => Object.fromEntries(bx.getSupportedCircuits().map((c) => [c.id, c]));
const close = (a, b, rel = 1e-12) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));

test("logLevels: ends exact, constant ratio, bad ranges refused", () => {
  const l = logLevels(1, 1000, 4);
  assert.deepEqual(l.length, 4);
  assert.equal(l[0], 1);
  assert.equal(l[3], 1000);
  assert.ok(close(l[1], 10) && close(l[2], 100), `${l}`);
  const m = logLevels(0.5, 4000, 9);
  for (let i = 1; i < 9; i++) assert.ok(close(m[i] / m[i - 1], m[1] / m[0], 1e-9), `ratio at ${i}`);
  assert.deepEqual(logLevels(3, 3, 1), [3]);
  for (const bad of [[0, 10, 3], [-1, 10, 3], [1, Infinity, 3], [1, 10, 0], [1, 10, 2.5], [1, 10, 201]]) assert.throws(() => logLevels(...bad), RangeError, `${bad}`);
});

test("levelOptions and assemble: an inducer from t = 0 or a gene's w; columns in level order", () => {
  const lib = library();
  const lac = lib.lac.circuit;
  assert.deepEqual(inducersOf(lib.toggle.circuit).sort(), ["IPTG", "aTc"]);
  assert.equal(defaultOutput(lac), "gfp");
  const o = levelOptions(lac, { kind: "inducer", name: "IPTG" }, 50, { settleMin: 1000, fixed: { aTc: 0.1, arabinose: 0 } });
  assert.deepEqual(o.inducers, { IPTG: [[0, 50]], aTc: [[0, 0.1]] });
  assert.equal(o.tEndMin, 1000);
  assert.equal(o.circuits[0], lac);
  const w = levelOptions(lac, { kind: "w", gene: "gfp" }, 77, {});
  assert.equal(w.circuits[0].genes.find((g) => g.name === "gfp").w, 77);
  assert.equal(lac.genes.find((g) => g.name === "gfp").w, 20, "the circuit given is not changed");
  assert.throws(() => levelOptions(lac, { kind: "w", gene: "nope" }, 1), RangeError);
  assert.throws(() => levelOptions(lac, { kind: "heat" }, 1), RangeError);
  const cols = assemble([{ level: 10, output: 1, growth: 0.02, protein: 50 }, { level: 1, output: 2, growth: 0.03, protein: 66 }]);
  assert.deepEqual(cols, { level: [1, 10], output: [2, 1], growth: [0.03, 0.02], protein: [66, 50] });
  // steadyPoint is the last point of the package's own series
  const r = bx.simulateCircuits({ ...levelOptions(lac, { kind: "inducer", name: "IPTG" }, 50, { settleMin: 1000 }), points: 5 });
  const p = steadyPoint(r, "gfp", 50);
  const g = r.circuits[0].genes.find((x) => x.name === "gfp");
  assert.equal(p.protein, g.protein[4]);
  assert.equal(p.growth, r.growthRate[4]);
  assert.equal(p.output, r.growthRate[4] * g.protein[4]);
  assert.throws(() => steadyPoint(r, "nope", 1), RangeError);
});

test("IPTG dose-response of lac: output rises at low doses, growth falls monotonically", () => {
  const lac = library().lac.circuit;
  const levels = logLevels(1, 10000, 9);
  const seen = [];
  const pts = runSweep(bx, { circuit: lac, sweep: { kind: "inducer", name: "IPTG" }, levels, output: "gfp", settleMin: 3000 }, (p, i) => seen.push(i));
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
  const { output, growth } = assemble(pts);
  // from 1 µM to ~100 µM (below saturation) output rises strictly, and by far
  for (let i = 1; i <= 4; i++) assert.ok(output[i] > output[i - 1], `output ${output[i - 1]} -> ${output[i]} at ${levels[i]} µM`);
  assert.ok(output[4] > 5 * output[0], `induction ${output[0]} -> ${output[4]}`);
  for (let i = 1; i < growth.length; i++) assert.ok(growth[i] <= growth[i - 1], `growth ${growth[i - 1]} -> ${growth[i]} at ${levels[i]} µM`);
  assert.ok(growth[8] < growth[0], "induction costs growth");
  // steady: a longer settle changes the last level's output by < 1e-6
  const later = runSweep(bx, { circuit: lac, sweep: { kind: "inducer", name: "IPTG" }, levels: [levels[8]], output: "gfp", settleMin: 4000 });
  assert.ok(close(later[0].output, pts[8].output, 1e-6), `${later[0].output} vs ${pts[8].output}`);
});

test("sweeping the reporter's w: output rises, then falls (the tipping point); stop() cancels", () => {
  const rep = library().reporter.circuit;
  const levels = logLevels(1, 100000, 11);
  const pts = runSweep(bx, { circuit: rep, sweep: { kind: "w", gene: "gfp" }, levels, output: "gfp", settleMin: 3000 });
  const { output, growth } = assemble(pts);
  const peak = output.indexOf(Math.max(...output));
  assert.ok(peak > 0 && peak < output.length - 1, `an interior peak, at ${levels[peak]}: ${output}`);
  assert.ok(output[output.length - 1] < output[peak], "output collapses past the peak");
  for (let i = 1; i < growth.length; i++) assert.ok(growth[i] < growth[i - 1], `growth falls at w = ${levels[i]}`);
  let n = 0;
  const partial = runSweep(bx, { circuit: rep, sweep: { kind: "w", gene: "gfp" }, levels, output: "gfp", settleMin: 100 }, () => n++, () => n >= 3);
  assert.equal(partial.length, 3);
});
