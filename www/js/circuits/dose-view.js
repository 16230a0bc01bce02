// circuits/dose-view.js: owns the Circuits panel's dose-response part ("the burden tipping
// point"): what to sweep (an inducer, or one gene's w), its range, the output gene, Start and
// Cancel, progress, the chart of output λ·p and growth against dose, and a table of the
// numbers. The sweep runs in circuits/dose-worker.js; Cancel terminates that worker, so the page
// never waits for it. Text nodes only.
import { el, setChildren, setText, showError, clearError, fillSelect } from "../dom.js";
import { logLevels, inducersOf, defaultOutput, assemble } from "./dose.js";
import { doseChart, PER_HOUR } from "./charts.js";

const num = (v, d = 4) => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : "–");

/**
 * Mount into `root`. `module()` gives the full build's compiled WebAssembly.Module for the
 * worker, `initial()` the host species runs start from. Returns { setCircuit(circuit), running() }.
 */
export function mountDose(root, { module, initial }) {
  let circuit = null, worker = null, seq = 0, points = [];
  const what = el("select", { id: "cd-what" });
  const lo = el("input", { id: "cd-lo", type: "number", min: 0, step: "any", inputmode: "decimal" });
  const hi = el("input", { id: "cd-hi", type: "number", min: 0, step: "any", inputmode: "decimal" });
  const n = el("input", { id: "cd-n", type: "number", min: 2, max: 200, step: 1, value: 12, inputmode: "numeric" });
  const settle = el("input", { id: "cd-settle", type: "number", min: 1, step: 1, value: 3000, inputmode: "numeric" });
  const output = el("select", { id: "cd-output" });
  const start = el("button", { id: "cd-start", type: "submit" }, "Sweep");
  const cancel = el("button", { id: "cd-cancel", type: "button", disabled: true, onclick: () => stop("Cancelled") }, "Cancel");
  const progress = el("progress", { id: "cd-progress", max: 1, value: 0, hidden: true, "aria-label": "Sweep progress" });
  const status = el("p", { id: "cd-status", class: "hint", role: "status" });
  const errEl = el("div", { id: "cd-error", class: "error", role: "alert", hidden: true });
  const out = el("div", { id: "cd-out" });

  const sweepOf = () => {
    const [kind, name] = what.value.split(":");
    return kind === "w" ? { kind: "w", gene: name } : { kind: "inducer", name };
  };
  function defaults() {
    if (!circuit) return;
    const s = sweepOf();
    if (s.kind === "inducer") {
      const reg = circuit.genes.flatMap((g) => g.regulation || []).find((r) => r.inducer && r.inducer.name === s.name);
      const K = reg ? reg.inducer.K : 1;
      lo.value = String(num(K / 30, 2));
      hi.value = String(num(K * 300, 2));
    } else {
      const w = circuit.genes.find((g) => g.name === s.gene).w || 1;
      lo.value = String(num(w / 10, 2));
      hi.value = String(num(w * 10_000, 2));
    }
  }

  function setCircuit(c) {
    stop(null);
    circuit = c;
    const ind = inducersOf(c);
    const values = [...ind.map((i) => `inducer:${i}`), ...c.genes.map((g) => `w:${g.name}`)];
    const labels = Object.fromEntries([...ind.map((i) => [`inducer:${i}`, `${i} concentration (µM)`]), ...c.genes.map((g) => [`w:${g.name}`, `w of ${g.name} (transcription rate)`])]);
    what.value = "";
    fillSelect(what, values, labels);
    fillSelect(output, c.genes.map((g) => g.name));
    output.value = defaultOutput(c);
    defaults();
    points = [];
    setChildren(out);
    setText(status, "");
    clearError(errEl);
  }

  function stop(why) {
    if (worker) {
      worker.terminate();
      worker = null;
      if (why) setText(status, `${why} after ${points.length} level${points.length === 1 ? "" : "s"}; the points so far are kept.`);
    }
    cancel.disabled = true;
    start.disabled = false;
    progress.hidden = true;
    root.dataset.running = "false";
  }

  function render(sweep, levels) {
    const doseLabel = sweep.kind === "w" ? `w of ${sweep.gene}` : `${sweep.name} (µM)`;
    const chart = doseChart(doseLabel, output.value);
    const body = el("tbody");
    const table = el("table", { id: "cd-table", class: "pt-table" },
      el("caption", null, `Steady states (after ${settle.value} min) computed by the bioxen package`),
      el("thead", null, el("tr", null, ["Dose", `Protein ${output.value}`, "Output λ·p (molecules/min)", "Growth (doublings/h)"].map((h) => el("th", { scope: "col" }, h)))),
      body);
    setChildren(out, chart.fig, el("details", { class: "cd-numbers" }, el("summary", null, "The numbers"), el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": "Dose-response numbers (scrolls sideways)" }, table)));
    return (pts) => {
      const c = assemble(pts);
      chart.set(c);
      setChildren(body, c.level.map((lv, i) => el("tr", { "data-level": lv },
        el("th", { scope: "row" }, num(lv)), el("td", { "data-value": c.protein[i] }, num(c.protein[i])),
        el("td", { "data-value": c.output[i] }, num(c.output[i])), el("td", { "data-value": c.growth[i] }, num(c.growth[i] * PER_HOUR)))));
      progress.value = pts.length / levels.length;
      setText(status, `${pts.length} of ${levels.length} levels done.`);
    };
  }

  function run() {
    if (!circuit) return;
    clearError(errEl);
    let levels;
    try {
      levels = logLevels(Number(lo.value), Number(hi.value), Number(n.value));
      if (!(Number(settle.value) > 0)) throw new RangeError(`the settling time must be > 0 min (got ${settle.value})`);
    } catch (e) {
      return showError(errEl, { code: "INVALID_ARGUMENT", message: e.message });
    }
    stop(null);
    const sweep = sweepOf();
    const spec = { circuit, sweep, levels, output: output.value, settleMin: Number(settle.value), initial: initial() };
    const id = ++seq;
    points = [];
    const draw = render(sweep, levels);
    worker = new Worker(new URL("./dose-worker.js", import.meta.url), { type: "module" });
    worker.onmessage = (ev) => {
      const m = ev.data;
      if (m.id !== seq) return;
      if (m.point) {
        points.push(m.point);
        draw(points);
      } else if (m.error) {
        stop(null);
        showError(errEl, m.error);
      } else if (m.done) {
        stop(null);
        setText(status, `Done: ${levels.length} levels from ${num(levels[0])} to ${num(levels[levels.length - 1])}.`);
        root.dataset.done = String(id);
      }
    };
    worker.onerror = (e) => { stop(null); showError(errEl, { code: "WORKER", message: `the sweep worker failed: ${e.message || "unknown error"}` }); };
    worker.postMessage({ id, spec, module: module() });
    start.disabled = true;
    cancel.disabled = false;
    progress.value = 0;
    progress.hidden = false;
    root.dataset.running = "true";
    setText(status, `Sweeping ${levels.length} levels…`);
  }

  what.addEventListener("change", defaults);
  const form = el("form", { id: "cd-form", novalidate: true, onsubmit: (e) => { e.preventDefault(); run(); } },
    el("div", { class: "grid2" },
      el("label", null, "Sweep ", what),
      el("label", null, "Output gene ", output),
      el("label", null, "From ", lo),
      el("label", null, "To ", hi),
      el("label", null, "Levels (log-spaced) ", n),
      el("label", null, "Settle for (min) ", settle)),
    el("div", { class: "actions-row" }, start, cancel, progress));
  setChildren(root, el("h3", { id: "h-circuit-dose" }, "Dose response: the burden tipping point"),
    el("p", { class: "hint" }, "Each level runs the circuit alone on the bare host until it settles; output is the production rate λ·p of the output gene. Stronger induction raises output until the burden it puts on the host slows growth so much that output falls too. The sweep runs in a Web Worker: the page stays responsive, and Cancel stops it."),
    form, errEl, status, out);
  /** Set the sweep ({ what: "inducer:IPTG" | "w:gene", lo, hi, n }) and start it. */
  function sweep(p) {
    what.value = p.what;
    defaults();
    if (p.lo !== undefined) lo.value = String(p.lo);
    if (p.hi !== undefined) hi.value = String(p.hi);
    if (p.n !== undefined) n.value = String(p.n);
    run();
  }
  return { setCircuit, sweep, running: () => !!worker };
}
