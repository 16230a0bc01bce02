// The kinetic model from JS (the BUILT package): simulateWeisse against the scipy fixture,
// its typed-array shape and refusals; the kinetic hypervisor's metrics, burden, chart
// series, determinism and snapshots.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import * as bx from "../../pkg/index.mjs";
import { expectCode } from "./helpers.mjs";

const fixture = JSON.parse(fs.readFileSync(new URL("../fixtures/weisse/reference.json", import.meta.url), "utf8"));
const rel = (a, b) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
const MIN = 60_000;

test("simulateWeisse in wasm matches the scipy reference at t = 10 000 min", () => {
  let worst = 0;
  let worstLambda = 0;
  for (const c of fixture.cases) {
    const r = bx.simulateWeisse({ s0: c.s0, heterologous: c.genes, tEndMin: 10_000, points: 101, rtol: 1e-8, atol: 1e-8 });
    const k = r.t.length - 1;
    assert.equal(r.t[k], 10_000);
    const final = c.states[c.times.indexOf(10_000)];
    fixture.names.forEach((name, i) => {
      const m = /^(p|mp|cp)\[(\d+)\]$/.exec(name);
      const got = m ? r.genes[Number(m[2])][m[1]][k] : r.states[name][k];
      // States that are ~0 in the reference are compared absolutely (atol 1e-8 scale).
      const e = Math.abs(final[i]) < 1e-6 ? Math.abs(got - final[i]) : rel(got, final[i]);
      worst = Math.max(worst, e);
    });
    worstLambda = Math.max(worstLambda, rel(r.lambda[k], c.lambda[c.times.indexOf(10_000)]));
  }
  assert.ok(worst < 1e-5, `worst state error ${worst}`);
  assert.ok(worstLambda < 1e-6, `worst lambda error ${worstLambda}`);
});

test("simulateWeisse returns every series as Float64Arrays on the grid", () => {
  const r = bx.simulateWeisse({ heterologous: [{ w: 100, length: 300 }, { w: 10, length: 500 }], tEndMin: 500, points: 11 });
  assert.ok(r.t instanceof Float64Array && r.lambda instanceof Float64Array);
  assert.deepEqual([...r.t], [0, 50, 100, 150, 200, 250, 300, 350, 400, 450, 500]);
  for (const n of ["si", "a", "r", "et", "em", "q", "mr", "mt", "mm", "mq", "cr", "ct", "cm", "cq"]) {
    assert.ok(r.states[n] instanceof Float64Array && r.states[n].length === 11, n);
  }
  assert.equal(r.genes.length, 2);
  for (const g of r.genes) for (const n of ["p", "mp", "cp"]) assert.equal(g[n].length, 11);
  assert.equal(r.names.length, 14 + 6);
  // Default initial state (a = 1000, r = 10, no guest protein), then guest protein appears.
  assert.equal(r.states.a[0], 1000);
  assert.equal(r.states.r[0], 10);
  assert.equal(r.genes[0].p[0], 0);
  assert.ok(r.genes[0].p[10] > r.genes[1].p[10], "the stronger gene makes more");
  assert.ok(r.stats.accepted > 0);
  // Same options, same bits.
  const again = bx.simulateWeisse({ heterologous: [{ w: 100, length: 300 }, { w: 10, length: 500 }], tEndMin: 500, points: 11 });
  assert.deepEqual([...again.lambda], [...r.lambda]);
  // Orthogonal host: its own states.
  const o = bx.simulateWeisse({ orthogonal: true, heterologous: [{ w: 100, length: 300 }], tEndMin: 100, points: 2 });
  assert.ok(o.states.pp instanceof Float64Array && o.states.r === undefined);
  // Initial values by name.
  const i = bx.simulateWeisse({ initial: { a: 5000, "p[0]": 7 }, heterologous: [{ w: 0, length: 300 }], tEndMin: 0, points: 1 });
  assert.equal(i.states.a[0], 5000);
  assert.equal(i.genes[0].p[0], 7);
});

test("simulateWeisse refuses bad options with INVALID_ARGUMENT naming the option", () => {
  const bad = [
    [{ s0: -1 }, "s0"],
    [{ s0: "x" }, "s0"],
    [{ tEndMin: Infinity }, "options"],
    [{ tEndMin: -5 }, "t_end_min"],
    [{ points: 0 }, "points"],
    [{ points: 2.5 }, "points"],
    [{ rtol: 0 }, "rtol"],
    [{ rtol: 1 }, "rtol"],
    [{ atol: -1e-6 }, "atol"],
    [{ heterologous: [{ w: -1, length: 300 }] }, "heterologous[0].w"],
    [{ heterologous: [{ w: 1, length: 0 }] }, "heterologous[0].length"],
    [{ heterologous: [{ w: 1 }] }, "heterologous[0]"],
    [{ heterologous: "many" }, "heterologous"],
    [{ heterologous: [{ w: 1, length: 3, colour: 1 }] }, "heterologous[0].colour"],
    [{ initial: { zz: 1 } }, "initial.zz"],
    [{ initial: { a: -1 } }, "initial.a"],
    [{ orthogonal: "yes" }, "orthogonal"],
    [{ tEnd: 5 }, "tEnd"],
    [42, "options"],
  ];
  for (const [opts, name] of bad) expectCode(() => bx.simulateWeisse(opts), "INVALID_ARGUMENT", [name]);
});

const guest = (rnaPolymerase) => ({ ribosomes: 0, rnaPolymerase, atpPercent: 0, memoryKb: 10 });

function kineticHypervisor(scheduler, chassis = "ecoli", extra = {}) {
  return new bx.Hypervisor({ chassis, scheduler, machinery: "kinetic", maxVms: 16, seed: 3, ...extra });
}

test("weisseSteadyState: the long-time limit of simulateWeisse; growth falls with burden; growth law", () => {
  const gene = (w) => (w > 0 ? [{ w, length: 300 }] : []);
  const ss = bx.weisseSteadyState({ heterologous: gene(100) });
  assert.ok(ss.state instanceof Float64Array && ss.state.length === ss.names.length);
  assert.deepEqual(ss.names.slice(0, 3), ["si", "a", "r"]);
  assert.equal(ss.values["p[0]"], ss.state[ss.names.indexOf("p[0]")]);
  assert.ok(ss.residual < 1e-7, `residual ${ss.residual}`);
  assert.ok(Math.abs(ss.doublingTimeMin - Math.LN2 / ss.lambda) < 1e-12);
  // Integrating long enough reaches the same state.
  const sim = bx.simulateWeisse({ heterologous: gene(100), tEndMin: 100_000, points: 2, rtol: 1e-9, atol: 1e-9 });
  assert.ok(rel(sim.lambda[1], ss.lambda) < 1e-6, `${sim.lambda[1]} vs ${ss.lambda}`);
  assert.ok(rel(sim.states.r[1], ss.values.r) < 1e-5);
  // Burden: λ falls monotonically as the heterologous gene's transcription rises.
  const lambdas = [0, 10, 100, 1000, 10_000].map((w) => bx.weisseSteadyState({ heterologous: gene(w) }).lambda);
  for (let i = 1; i < lambdas.length; i++) assert.ok(lambdas[i] < lambdas[i - 1], lambdas.join(", "));
  // Growth law: richer nutrient, faster growth and a larger ribosomal fraction.
  const poor = bx.weisseSteadyState({ s0: 1e2 });
  const rich = bx.weisseSteadyState({ s0: 1e4 });
  assert.ok(rich.lambda > poor.lambda && rich.ribosomalFraction > poor.ribosomalFraction);
  // Refusals name the option.
  expectCode(() => bx.weisseSteadyState({ maxTimeMin: -1 }), "INVALID_ARGUMENT", ["max_time_min"]);
  expectCode(() => bx.weisseSteadyState({ tEndMin: 10 }), "INVALID_ARGUMENT", ["tEndMin", "unknown option"]);
  expectCode(() => bx.weisseSteadyState({ rtol: 2 }), "INVALID_ARGUMENT", ["rtol"]);
  expectCode(() => bx.weisseSteadyState({ s0: "rich" }), "INVALID_ARGUMENT", ["s0"]);
});

test("machinery option: simple by default, kinetic on request, bad names refused", () => {
  assert.deepEqual(bx.getSupportedMachinery(), ["simple", "kinetic"]);
  const s = new bx.Hypervisor();
  assert.equal(s.machinery, "simple");
  assert.equal(s.metrics().kinetic, null);
  assert.equal(s.kineticSeriesSince(0), null);
  s.free();
  const k = kineticHypervisor("credit");
  assert.equal(k.machinery, "kinetic");
  // Default quantum: six mRNA lifetimes (1/d_m = 10 min) = 60 min.
  assert.equal(k.quantumMs, 3_600_000);
  k.free();
  expectCode(() => new bx.Hypervisor({ machinery: "quantum" }), "INVALID_ARGUMENT", ["machinery", "quantum"]);
  expectCode(() => new bx.Hypervisor({ machinery: 3 }), "INVALID_ARGUMENT", ["options"]);
  expectCode(() => new bx.Hypervisor({ machinery: "kinetic", contextSwitchMs: 10 }), "INVALID_ARGUMENT", ["context_switch_ms"]);
});

test("kinetic metrics: growth, ribosomes, energy, capacity monitor, per-VM genes", () => {
  const h = kineticHypervisor("credit");
  const k0 = h.metrics().kinetic;
  assert.equal(k0.hostModel, "weisse2015");
  assert.ok(Math.abs(k0.doublingTimeMin - Math.LN2 / k0.growthRatePerMin) < 1e-9);
  assert.ok(Math.abs(k0.capacityPercent - 100) < 1e-9);
  assert.equal(k0.freeOrthogonalRibosomes, null);
  h.createVm("a", "ecoli", "basic", guest(300)).free();
  h.startVm("a");
  h.step(120 * MIN);
  const m = h.metrics();
  const k = m.kinetic;
  assert.equal(k.perVm.length, 1);
  const a = k.perVm[0];
  assert.equal(a.vmId, "a");
  assert.equal(a.induction, 1);
  assert.ok(a.protein > 0 && a.mrna > 0 && a.translationAaPerMin > 0);
  assert.ok(m.perVm[0].aaProduced > 0, "protein produced per VM");
  assert.ok(k.growthRatePerMin < k0.growthRatePerMin, "burden lowers growth");
  assert.ok(k.capacityPercent < 100, "the capacity monitor drops");
  assert.ok(k.freeRibosomes > 0 && k.energy > 0);
  h.free();
});

test("burden through the hypervisor: more VMs, lower growth; o-ribosomes relieve it", () => {
  const growth = (n, chassis = "ecoli", rnap = 300) => {
    const h = kineticHypervisor("credit", chassis);
    for (let i = 0; i < n; i++) {
      h.createVm(`v${i}`, "ecoli", "basic", guest(rnap)).free();
      h.startVm(`v${i}`);
    }
    h.step(300 * MIN);
    const k = h.metrics().kinetic;
    h.free();
    return k.growthRatePerMin / k.baselineGrowthRatePerMin;
  };
  const [g0, g1, g4] = [growth(0), growth(1), growth(4)];
  assert.ok(g0 > g1 && g1 > g4, `${g0} ${g1} ${g4}`);
  assert.ok(growth(4, "orthogonal", 800) > 2 * growth(4, "ecoli", 800));
});

test("kineticSeriesSince: typed arrays, a cursor, one sample per minute", () => {
  const h = kineticHypervisor("round_robin");
  h.createVm("a", "ecoli", "basic", guest(500)).free();
  h.startVm("a");
  h.step(20 * MIN);
  const c = h.kineticSeriesSince();
  for (const k of ["t", "growthRate", "freeRibosomes", "energy", "capacityPercent", "heterologousFraction"]) {
    assert.ok(c[k] instanceof Float64Array && c[k].length === 21, k);
  }
  assert.equal(c.nextCursor, 21);
  assert.equal(c.dropped, 0);
  assert.equal(c.t[20], 20 * MIN);
  assert.ok(c.capacityPercent[20] < c.capacityPercent[0]);
  h.step(3 * MIN);
  const d = h.kineticSeriesSince(c.nextCursor, 2);
  assert.equal(d.t.length, 2);
  assert.equal(d.nextCursor, 23);
  expectCode(() => h.kineticSeriesSince(-1), "INVALID_ARGUMENT", ["cursor"]);
  h.free();
});

test("kinetic runs are deterministic and snapshot -> restore -> continue is identical", () => {
  const run = (h, part) => {
    if (part === 0) {
      for (const [id, r] of [["a", 600], ["b", 150]]) {
        h.createVm(id, "ecoli", "basic", guest(r)).free();
        h.startVm(id);
      }
      h.step(95 * MIN + 17);
      h.pauseVm("b");
      h.step(13 * MIN);
    } else {
      h.resumeVm("b");
      h.step(140 * MIN);
      h.destroyVm("a");
      h.step(30 * MIN);
    }
  };
  for (const sched of ["round_robin", "eevdf"]) {
    const a = kineticHypervisor(sched, "orthogonal");
    const b = kineticHypervisor(sched, "orthogonal");
    run(a, 0);
    run(b, 0);
    assert.equal(a.snapshot(), b.snapshot());
    const r = bx.Hypervisor.restore(a.snapshot());
    assert.equal(r.machinery, "kinetic");
    run(a, 1);
    run(r, 1);
    assert.ok(a.snapshot() === r.snapshot(), `${sched}: restored run differs`);
    assert.deepEqual(a.metrics(), r.metrics());
    assert.ok(a.metrics().kinetic.freeOrthogonalRibosomes > 0);
    for (const x of [a, b, r]) x.free();
  }
});

test("time slicing measures its context switches", () => {
  const h = kineticHypervisor("round_robin");
  for (const [id, r] of [["a", 800], ["b", 800]]) {
    h.createVm(id, "ecoli", "basic", guest(r)).free();
    h.startVm(id);
  }
  h.step(12 * 60 * MIN);
  const m = h.metrics();
  assert.ok(m.kinetic.switchesMeasured >= 5);
  assert.ok(m.kinetic.meanSwitchMs > MIN && m.kinetic.meanSwitchMs < h.quantumMs);
  assert.equal(h.switchCostMs, m.kinetic.lastSwitchMs);
  assert.ok(m.overheadPercent > 0);
  h.free();
});
