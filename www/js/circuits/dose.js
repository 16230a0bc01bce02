// circuits/dose.js: owns the dose-response sweep of the Circuits panel ("the burden tipping
// point"): the log-spaced levels, the simulateCircuits options of each level, and the result of
// each steady state. Pure apart from the `api` it is handed (the bioxen package), so the worker
// (circuits/dose-worker.js) and node tests run the same code.
//
// A sweep varies one thing over the levels: an inducer's concentration, applied from t = 0, or
// one gene's maximal transcription rate w. Each level runs the circuit alone on the bare host
// for `settleMin` minutes; its last point is taken as the steady state. The output is the
// production rate of the output gene, λ·p (molecules/min: at steady state what dilution takes
// away is what is made), against the host's growth λ.

/** n levels from lo to hi, evenly spaced in log (lo, hi > 0; n >= 2; n = 1 gives [lo]). */
export function logLevels(lo, hi, n) {
  if (!(lo > 0) || !(hi > 0) || !Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`levels need 0 < lo and 0 < hi, finite (got ${lo}, ${hi})`);
  if (!Number.isInteger(n) || n < 1 || n > 200) throw new RangeError(`the number of levels must be an integer 1..=200 (got ${n})`);
  if (n === 1) return [lo];
  const a = Math.log(lo), b = Math.log(hi);
  return Array.from({ length: n }, (_, i) => (i === 0 ? lo : i === n - 1 ? hi : Math.exp(a + ((b - a) * i) / (n - 1))));
}

/**
 * The host's species at its steady state without circuits ({ si, a, r, ... }), as
 * simulateCircuits takes them in `initial`: a run then starts in a growing cell, not an empty one.
 */
export function hostSteady(api) {
  const ss = api.weisseSteadyState();
  return Object.fromEntries(ss.names.map((n, i) => [n, ss.state[i]]));
}

/** The inducers a circuit's regulations use, in first-use order. */
export function inducersOf(circuit) {
  const out = [];
  for (const g of circuit.genes || []) for (const r of g.regulation || []) if (r.inducer && !out.includes(r.inducer.name)) out.push(r.inducer.name);
  return out;
}

/** The gene a sweep reports by default: "gfp" when there is one, else the last gene. */
export function defaultOutput(circuit) {
  const names = circuit.genes.map((g) => g.name);
  return names.includes("gfp") ? "gfp" : names[names.length - 1];
}

/**
 * simulateCircuits options for one level. `sweep` is { kind: "inducer", name } or { kind: "w",
 * gene }; `fixed` holds other inducers at constant levels ({ name: µM }), applied from t = 0.
 */
export function levelOptions(circuit, sweep, level, { settleMin = 3000, s0, initial, fixed = {} } = {}) {
  let c = circuit;
  const inducers = {};
  for (const [k, v] of Object.entries(fixed)) if (v > 0) inducers[k] = [[0, v]];
  if (sweep.kind === "inducer") inducers[sweep.name] = [[0, level]];
  else if (sweep.kind === "w") {
    if (!circuit.genes.some((g) => g.name === sweep.gene)) throw new RangeError(`no gene ${JSON.stringify(sweep.gene)} to sweep w of`);
    c = { ...circuit, genes: circuit.genes.map((g) => (g.name === sweep.gene ? { ...g, w: level } : g)) };
  } else throw new RangeError(`unknown sweep kind ${JSON.stringify(sweep.kind)} (expected "inducer" or "w")`);
  const o = { circuits: [c], inducers, tEndMin: settleMin, points: 2 };
  if (s0 !== undefined) o.s0 = s0;
  if (initial !== undefined) o.initial = initial;
  return o;
}

/** One level's steady state from a simulateCircuits result: { level, growth, protein, output }. */
export function steadyPoint(result, outputGene, level) {
  const genes = result.circuits[0].genes;
  const g = genes.find((x) => x.name === outputGene);
  if (!g) throw new RangeError(`no output gene ${JSON.stringify(outputGene)} in the result`);
  const i = result.t.length - 1;
  const growth = result.growthRate[i];
  const protein = g.protein[i];
  return { level, growth, protein, output: growth * protein, activity: g.activity[i] };
}

/** The points of a finished (or partial) sweep as columns, in level order. */
export function assemble(points) {
  const sorted = [...points].sort((a, b) => a.level - b.level);
  return {
    level: sorted.map((p) => p.level),
    output: sorted.map((p) => p.output),
    growth: sorted.map((p) => p.growth),
    protein: sorted.map((p) => p.protein),
  };
}

/**
 * Run a sweep: spec = { circuit, sweep, levels, output, settleMin?, s0?, initial?, fixed? }. Calls
 * onPoint(point, index) after each level; stops early when stop() returns true. Returns the
 * points computed.
 */
export function runSweep(api, spec, onPoint = () => {}, stop = () => false) {
  const out = [];
  for (let i = 0; i < spec.levels.length && !stop(); i++) {
    const level = spec.levels[i];
    const p = steadyPoint(api.simulateCircuits(levelOptions(spec.circuit, spec.sweep, level, spec)), spec.output, level);
    out.push(p);
    onPoint(p, i);
  }
  return out;
}
