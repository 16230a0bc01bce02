// panels/circuits.js: the Circuits panel (root [data-panel=circuits]): pick a circuit of the
// package's library (what it teaches, its sources, what was adapted) or paste a Circuit JSON
// (the package checks it; its error is shown with the path), see its diagram (circuits/draw.js),
// run it on the bare host with a control per inducer it uses (a level, from a time, optionally
// until a time), chart each gene's protein and promoter activity with the host's growth, read
// the final numbers, export the model as SBML, and sweep a dose response in a Web Worker
// (circuits/dose-view.js), or run it in a VM of the page's own hypervisor, with the medium's
// inducers, charts and activity of every circuit VM (circuits/vm-view.js). Circuits need the package's full build: it is loaded when the
// learner opens the panel's library, without changing the page's hypervisor. Every number is
// computed by the package. Text nodes only.
import { el, $, setChildren, setText, showError, clearError, fillSelect, download } from "../dom.js";
import { loadEngine } from "../engine.js";
import { circuitSvg, LEGEND } from "../circuits/draw.js";
import { layout } from "../circuits/diagram.js";
import { inducersOf, hostSteady } from "../circuits/dose.js";
import { timeCharts, PER_HOUR } from "../circuits/charts.js";
import { mountDose } from "../circuits/dose-view.js";
import { CIRCUIT_PRESETS } from "../circuits/presets.js";
import { mountVmCreate, mountVmLive } from "../circuits/vm-view.js";
import { PRESETS } from "../presets.js";
import * as store from "../store.js";

const CUSTOM = "custom";
const RUN_MIN = { repressilator: 2000, toggle: 1000 };
const num = (v, d = 4) => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : "–");

/** The inducer schedule of one control: v µM from `from` min, back to 0 at `until` if given. */
export function schedule(v, from, until) {
  if (v === 0) return null; // no inducer (a bad number goes on to the package, which says why)
  const s = [[from, v]];
  if (until !== null && until !== undefined) s.push([until, 0]);
  return s;
}

/** The session presets whose VMs run circuits (presets.js): the panel offers them too. */
export const VM_PRESETS = PRESETS.filter((p) => p.session.ops.some((o) => o.op === "createVm" && o.config && "circuit" in o.config));

export function mountCircuits(root, { onPreset } = {}) {
  let api = null, module = null, host = null, lib = [], circuit = null, libId = null, lastOpts = null;

  const open = el("button", { id: "circuits-open", type: "button", onclick: () => init() }, "Open the circuit library");
  const intro = el("p", { class: "hint" }, "Gene circuits are the programs biological VMs run: genes whose promoters other genes' proteins and the medium's inducers repress or activate. Here they run on the bare E. coli host of the kinetic model (Weiße et al. 2015), so what they cost the host shows. Each run starts from the host's steady state without the circuit.");
  const loading = el("p", { id: "circuits-loading", class: "hint", role: "status" });
  const loadErr = el("div", { id: "circuits-load-error", class: "error", role: "alert", hidden: true });
  const body = el("div", { id: "circuits-body", hidden: true });
  const live = el("div", { id: "circuit-vms", class: "circuit-vms" });
  // these replace the page's session (as the Scenarios list does) and play it
  const vmPresets = onPreset && VM_PRESETS.length ? el("div", { class: "circuit-vm-presets" },
    el("p", { class: "hint", id: "circuit-vm-presets-hint" }, "Scenarios with circuits in VMs (they replace this page's session and play it; the lesson says what to look for):"),
    el("div", { class: "actions-row", role: "group", "aria-labelledby": "circuit-vm-presets-hint" },
      VM_PRESETS.map((p) => el("button", { type: "button", "data-circuit-vm-preset": p.id, onclick: () => onPreset(p) }, p.title)))) : null;
  setChildren(root, el("h2", { id: "h-circuits" }, "Gene circuits"), intro, el("div", { class: "actions-row" }, open), loading, loadErr, body, vmPresets, live);
  const vmLive = mountVmLive(live);

  const pick = el("select", { id: "circuit-pick" });
  const info = el("div", { id: "circuit-info", class: "circuit-info" });
  const json = el("textarea", { id: "circuit-json", rows: 10, spellcheck: "false", autocomplete: "off", "aria-describedby": "circuit-json-hint" });
  const use = el("button", { id: "circuit-use", type: "button", onclick: () => useJson() }, "Use this JSON");
  const jsonErr = el("div", { id: "circuit-error", class: "error", role: "alert", hidden: true });
  const diagram = el("figure", { id: "circuit-diagram", class: "circuit-figure" });
  const companion = el("select", { id: "circuit-companion", "aria-describedby": "circuit-companion-hint" });
  const companionDiagram = el("figure", { id: "circuit-companion-diagram", class: "circuit-figure", hidden: true });
  const inducerBox = el("fieldset", { id: "circuit-inducers" });
  const tEnd = el("input", { id: "circuit-tend", type: "number", min: 1, step: 1, value: 600, inputmode: "numeric" });
  const points = el("input", { id: "circuit-points", type: "number", min: 2, max: 5001, step: 1, value: 201, inputmode: "numeric" });
  const run = el("button", { id: "circuit-run", type: "submit" }, "Run on the bare host");
  const sbml = el("button", { id: "circuit-sbml", type: "button", onclick: () => exportSbml() }, "Export SBML");
  const runErr = el("div", { id: "circuit-run-error", class: "error", role: "alert", hidden: true });
  const runStatus = el("p", { id: "circuit-status", class: "hint", role: "status" });
  const results = el("div", { id: "circuit-results" });
  const doseRoot = el("div", { id: "circuit-dose", class: "circuit-dose" });
  const presetNote = el("p", { id: "circuit-preset-note", class: "circuit-preset-note", role: "status" });
  const presets = el("div", { class: "actions-row circuit-presets", role: "group", "aria-label": "Presets that teach" },
    CIRCUIT_PRESETS.map((p) => el("button", { type: "button", class: "circuit-preset", "data-circuit-preset": p.id, onclick: () => applyPreset(p) }, p.title)));
  const dose = mountDose(doseRoot, { module: () => module, initial: () => host });
  const vmRoot = el("div", { id: "circuit-vm", class: "circuit-vm-create" });
  // a library circuit travels as its id; an edited or pasted one in full
  const vmCreate = mountVmCreate(vmRoot, { current: () => libId ?? circuit ?? null, suggestId: () => (libId ?? (circuit && circuit.name) ?? "circuit").replace(/[^A-Za-z0-9_-]/g, "") || "circuit" });

  async function init() {
    open.disabled = true;
    setText(loading, "Loading the package's full build (the kinetic model)…");
    try {
      ({ api, module } = await loadEngine("full"));
      lib = api.getSupportedCircuits();
      host = hostSteady(api); // runs start in a growing cell: the host's steady state without circuits
    } catch (e) {
      open.disabled = false;
      setText(loading, "");
      return showError(loadErr, e);
    }
    fillSelect(pick, [...lib.map((c) => c.id), CUSTOM], { ...Object.fromEntries(lib.map((c) => [c.id, c.title])), [CUSTOM]: "My own circuit (paste its JSON)" });
    fillSelect(companion, ["", ...lib.map((c) => c.id)], { "": "nothing (alone on the host)", ...Object.fromEntries(lib.map((c) => [c.id, c.title])) });
    open.parentElement.hidden = true;
    setText(loading, "");
    body.hidden = false;
    choose(pick.value);
    root.dataset.ready = "true";
  }

  function choose(id) {
    clearError(jsonErr);
    if (id === CUSTOM) {
      libId = null;
      setChildren(info, el("p", null, "Paste or edit a circuit below, then press “Use this JSON”. Its shape: { name?, genes: [{ name, w, length, leak?, degradation?, initialProtein?, regulation?: [{ by, mode: \"repress\" | \"activate\", K, n, inducer?: { name, K, n, effect: \"inactivates\" | \"activates\" } }] }] } (see the README)."));
      json.focus();
      return;
    }
    const c = lib.find((x) => x.id === id);
    libId = id;
    setChildren(info,
      el("p", { class: "circuit-teaches", id: "circuit-teaches" }, el("strong", null, c.title), ": ", c.teaches),
      el("details", { class: "circuit-sources" }, el("summary", null, "Sources and what was adapted"),
        el("ul", { id: "circuit-sources" }, c.sources.map((s) => el("li", null, s))),
        el("p", { class: "hint" }, c.adapted)));
    json.value = JSON.stringify(c.circuit, null, 2);
    tEnd.value = String(RUN_MIN[id] ?? 600);
    setCircuit(c.circuit);
  }

  function useJson() {
    clearError(jsonErr);
    let c;
    try {
      c = JSON.parse(json.value);
    } catch (e) {
      return showError(jsonErr, { code: "INVALID_JSON", message: `the text is not JSON: ${e.message}` });
    }
    try {
      api.toSbml({ circuits: [c], tEndMin: 1, points: 2 }); // the package's own check, with the path
    } catch (e) {
      return showError(jsonErr, e);
    }
    if (pick.value !== CUSTOM && libId && JSON.stringify(c) !== JSON.stringify(lib.find((x) => x.id === libId).circuit)) {
      pick.value = CUSTOM;
      libId = null;
      setChildren(info, el("p", null, "Your own circuit (edited from the library)."));
    }
    setCircuit(c);
  }

  function setCircuit(c) {
    circuit = c;
    const model = layout(c);
    setChildren(diagram, circuitSvg(c, model, { id: "circuit-svg" }),
      el("figcaption", { id: "circuit-description" }, model.description),
      el("p", { class: "hint" }, LEGEND));
    sharing();
    setChildren(results);
    clearError(runErr);
    setText(runStatus, "");
    lastOpts = null;
    dose.setCircuit(c);
    vmCreate.suggest();
  }

  /** The circuits of a run: the chosen one, and the one sharing its host, if any. */
  const circuits = () => (companion.value ? [circuit, lib.find((c) => c.id === companion.value).circuit] : [circuit]);

  /** The companion changed (or the circuit): its diagram, and inducer controls for both. */
  function sharing() {
    const other = companion.value ? lib.find((c) => c.id === companion.value).circuit : null;
    companionDiagram.hidden = !other;
    if (other) {
      const m = layout(other);
      setChildren(companionDiagram, circuitSvg(other, m, { id: "circuit-companion-svg" }), el("figcaption", null, `Sharing the host: ${m.description}`));
    } else setChildren(companionDiagram);
    const names = inducersOf(circuit);
    for (const n of other ? inducersOf(other) : []) if (!names.includes(n)) names.push(n);
    renderInducers(names);
  }

  function renderInducers(names) {
    const rows = names.map((name, i) => {
      const reg = circuits().flatMap((c) => c.genes).flatMap((g) => g.regulation || []).find((r) => r.inducer && r.inducer.name === name);
      const level = i === 0 ? Number((reg.inducer.K * 30).toPrecision(2)) : 0;
      const t = Math.round(Number(tEnd.value) / 5);
      const mk = (field, label, value, extra = {}) => el("label", null, label,
        el("input", { type: "number", min: 0, step: "any", inputmode: "decimal", value, "data-inducer": name, "data-field": field, id: `circuit-ind-${i}-${field}`, ...extra }));
      return el("div", { class: "grid3 circuit-inducer", "data-inducer": name },
        mk("level", `${name} (µM)`, level),
        mk("from", `${name} from (min)`, t),
        mk("until", `${name} until (min, empty: stays)`, "", { placeholder: "stays" }));
    });
    setChildren(inducerBox, el("legend", null, "Inducers in the medium"),
      rows.length ? rows : el("p", { class: "hint" }, "This circuit responds to no inducer."));
  }

  function options() {
    const inducers = {};
    for (const row of inducerBox.querySelectorAll(".circuit-inducer")) {
      const name = row.dataset.inducer;
      const v = (f) => { const s = $(`input[data-field="${f}"]`, row).value.trim(); return s === "" ? null : Number(s); };
      const s = schedule(v("level") ?? 0, v("from") ?? 0, v("until"));
      if (s) inducers[name] = s;
    }
    return { circuits: circuits(), inducers, tEndMin: Number(tEnd.value), points: Number(points.value), initial: host };
  }

  function runHost() {
    clearError(runErr);
    const opts = options();
    let r;
    const t0 = performance.now();
    try {
      r = api.simulateCircuits(opts);
    } catch (e) {
      setText(runStatus, "Not run.");
      return showError(runErr, e);
    }
    lastOpts = opts;
    const ms = performance.now() - t0;
    renderResults(r, opts);
    setText(runStatus, `Ran ${opts.tEndMin} simulated minutes (${r.t.length} points) in ${Math.round(ms)} ms.`);
  }

  function renderResults(r, opts) {
    const last = r.t.length - 1;
    const several = r.circuits.length > 1;
    const genes = r.circuits.flatMap((c, ci) => c.genes.map((g) => ({ ...g, circuit: ci, label: several ? `${c.name ?? `circuit ${ci + 1}`} ${ci + 1}: ${g.name}` : g.name })));
    const ind = Object.entries(opts.inducers).map(([k, s]) => `${k} ${s.map(([t, v]) => `${num(v)} µM from ${num(t)} min`).join(", then ")}`);
    const rows = genes.map((g) => el("tr", { "data-gene": g.name, "data-circuit": g.circuit },
      el("th", { scope: "row" }, g.label),
      ...[["protein", g.protein[last]], ["mrna", g.mrna[last]], ["activity", g.activity[last]], ["peak", Math.max(...g.protein)]].map(([k, v]) => el("td", { "data-field": k, "data-value": v }, num(v)))));
    const table = el("table", { id: "circuit-table", class: "pt-table" },
      el("caption", null, `At t = ${num(r.t[last])} min${ind.length ? ` (${ind.join("; ")})` : " (no inducer)"}, computed by the bioxen package`),
      el("thead", null, el("tr", null, ["Gene", "Protein (molecules)", "Free mRNA", "Promoter activity f", "Peak protein"].map((h) => el("th", { scope: "col" }, h)))),
      el("tbody", null, rows),
      el("tfoot", null, el("tr", null, el("th", { scope: "row" }, "Host growth"),
        el("td", { colspan: 4, id: "circuit-growth", "data-value": r.growthRate[last] }, `${num(r.growthRate[last] * PER_HOUR)} doublings/h (λ = ${num(r.growthRate[last])} /min)`))));
    setChildren(results, el("div", { class: "circuit-charts" }, timeCharts(r, genes)), el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": "Final values of the run (scrolls sideways)" }, table));
  }

  /** A preset: its circuit, protocol and run (or dose sweep), and what to look for. */
  function applyPreset(p) {
    if (!lib.some((c) => c.id === p.circuit)) return setText(presetNote, `This package has no ${p.circuit} circuit.`);
    pick.value = p.circuit;
    companion.value = p.companion ?? "";
    choose(p.circuit);
    tEnd.value = String(p.tEndMin);
    for (const row of inducerBox.querySelectorAll(".circuit-inducer")) {
      const s = p.inducers[row.dataset.inducer];
      const set = (f, v) => { $(`input[data-field="${f}"]`, row).value = v === undefined || v === null ? "" : String(v); };
      set("level", s ? s.level : 0);
      set("from", s ? s.from : 0);
      set("until", s ? s.until : null);
    }
    runHost();
    if (p.sweep) dose.sweep(p.sweep);
    setChildren(presetNote, el("strong", null, `${p.title}: `), p.look);
  }

  function exportSbml() {
    clearError(runErr);
    try {
      const opts = lastOpts ?? options();
      const name = (circuit && circuit.name) || "circuit";
      download(api.toSbml(opts), `${name.replace(/[^A-Za-z0-9_.-]/g, "_")}.sbml.xml`, "application/sbml+xml");
      setText(runStatus, `Exported the model${lastOpts ? " of the last run" : ""} as SBML Level 3 Version 2 (host, circuit, inducer steps as events).`);
    } catch (e) {
      showError(runErr, e);
    }
  }

  pick.addEventListener("change", () => choose(pick.value));
  companion.addEventListener("change", () => { sharing(); setChildren(results); lastOpts = null; });
  const runForm = el("form", { id: "circuit-run-form", novalidate: true, onsubmit: (e) => { e.preventDefault(); runHost(); } },
    inducerBox,
    el("div", { class: "grid2" }, el("label", null, "Simulated time (min) ", tEnd), el("label", null, "Output points ", points)),
    el("div", { class: "actions-row" }, run, sbml));
  body.append(
    el("p", { class: "hint" }, "Presets that teach:"), presets, presetNote,
    el("label", null, "Circuit ", pick), info,
    el("details", { class: "circuit-json" }, el("summary", null, "The circuit as JSON (edit or paste your own)"),
      el("p", { id: "circuit-json-hint", class: "hint" }, "The package checks it; an error names the field's path."),
      el("label", null, "Circuit JSON ", json), el("div", { class: "actions-row" }, use)),
    jsonErr, diagram,
    el("label", null, "Sharing the host with ", companion),
    el("p", { id: "circuit-companion-hint", class: "hint" }, "A second circuit in the same cell: nothing regulates across circuits, yet they compete for ribosomes and energy (hidden coupling). The dose response sweeps the first circuit alone."),
    companionDiagram, runForm, runErr, runStatus, results, vmRoot, doseRoot);
  if (store.state.engine === "full") init();
  return { init, running: () => dose.running(), update: (h, m) => vmLive.update(h, m) };
}
