// circuits/vm-view.js: owns the Circuits panel's VM part: circuits running inside VMs of the
// page's own hypervisor (the kinetic machinery). Two pieces:
//   mountVmCreate   "Create a VM that runs it": the circuit on screen (a library id, or the
//                   circuit in full once edited) as createVm's config.circuit, recorded as a
//                   session operation; on the simple machinery (or the orthogonal chassis, which
//                   refuses circuits) it says so and offers the switch, as the chassis panel does.
//   mountVmLive     the circuit VMs of the live session: a control per inducer they use, each
//                   acting at once through the recorded setInducer op, the medium as the package
//                   reports it (hv.medium()), and per VM a chart of its genes' protein from
//                   kineticSeriesSince(...).genes with the host's growth on the same time axis,
//                   and a table of promoter activity and production from metrics().
// Every number shown comes from the package. Text nodes only.
import { el, setChildren, setText, showError, clearError } from "../dom.js";
import { nextId } from "../format.js";
import { inducersOf } from "./dose.js";
import { vmProteinChart, PER_HOUR } from "./charts.js";
import * as store from "../store.js";

const MAX_POINTS = 2000;
const num = (v, d = 4) => (Number.isFinite(v) ? Number(v.toPrecision(d)).toString() : "–");

/** The medium as text: "IPTG 1000 µM, aTc 0 µM", or "nothing added". */
export function mediumText(medium) {
  const e = Object.entries(medium || {});
  return e.length ? e.map(([k, v]) => `${k} ${num(v)} µM`).join(", ") : "nothing added (every inducer at 0 µM)";
}

/**
 * The circuit VMs of a session's applied operations: vmId → its circuit (a library id resolved
 * with `library`, or the circuit in full), the last createVm of each id winning.
 */
export function circuitVms(ops, library) {
  const out = new Map();
  for (const op of ops) {
    if (op.op === "destroyVm") out.delete(op.vmId);
    if (op.op !== "createVm" || !op.config || !("circuit" in op.config)) continue;
    const c = op.config.circuit;
    const full = typeof c === "string" ? library.find((x) => x.id === c)?.circuit : c;
    if (full) out.set(op.vmId, full);
  }
  return out;
}

let libCache = { api: null, list: [] };
/** The package's circuit library (read once per build: panels refresh several times a second). */
function library() {
  const api = store.state.api;
  if (libCache.api !== api) {
    let list = [];
    try {
      list = api.getSupportedCircuits();
    } catch {
      // the lite build has no circuits (and no kinetic machinery either)
    }
    libCache = { api, list };
  }
  return libCache.list;
}

/**
 * The "Create a VM that runs it" controls. `current()` gives what config.circuit should be (a
 * library id or a circuit object) or null; `suggestId()` a VM id to start from.
 */
export function mountVmCreate(root, { current, suggestId }) {
  const note = el("p", { id: "circuit-vm-note", class: "hint" });
  const switchBtn = el("button", { id: "circuit-vm-switch", type: "button" });
  const vmId = el("input", { id: "circuit-vm-id", type: "text", autocomplete: "off", spellcheck: "false", value: "toggle1" });
  const start = el("input", { id: "circuit-vm-start", type: "checkbox", checked: true });
  const create = el("button", { id: "circuit-vm-create", type: "submit" }, "Create a VM that runs it");
  const err = el("div", { id: "circuit-vm-error", class: "error", role: "alert", hidden: true });
  const done = el("p", { id: "circuit-vm-status", class: "hint", role: "status" });
  const form = el("form", { id: "circuit-vm-form", novalidate: true, onsubmit: (e) => { e.preventDefault(); submit(); } },
    el("div", { class: "grid2" }, el("label", null, "VM id ", vmId), el("label", { class: "check" }, start, " start it at once")),
    el("div", { class: "actions-row" }, create));
  setChildren(root, el("h3", null, "Run it in a VM of this page's hypervisor"),
    el("p", { class: "hint" }, "A circuit VM runs the circuit's genes on the page's kinetic host, next to the other VMs: they share its ribosomes and energy, and the medium's inducers. The operation is recorded in the session, so rewind, export and share links replay it."),
    note, el("div", { class: "actions-row" }, switchBtn), form, err, done);

  let switchTo = null;
  function sync() {
    const { h, session } = store.state;
    if (!h) return;
    const kinetic = h.machinery === "kinetic";
    const orthogonal = session.chassis === "orthogonal" || (session.chassis && session.chassis.base === "orthogonal");
    switchTo = !kinetic ? "kinetic" : orthogonal ? "ecoli" : null;
    setText(note, !kinetic
      ? "This page's hypervisor runs the simple machinery, which has no genes: circuit VMs need the kinetic model (Weiße et al. 2015). Switching replays this session on it."
      : orthogonal
        ? "This page's hypervisor is on the orthogonal chassis, whose o-ribosomes the circuits are not written for: the package refuses circuit VMs there. Switching to the ecoli chassis replays this session on it."
        : "The page's hypervisor runs the kinetic machinery: circuit VMs can join it.");
    switchBtn.hidden = !switchTo;
    setText(switchBtn, switchTo === "kinetic" ? "Switch this page to the kinetic machinery" : "Switch this page to the ecoli chassis");
    create.disabled = !!switchTo;
  }

  switchBtn.addEventListener("click", async () => {
    clearError(err);
    switchBtn.disabled = true;
    const e = await (switchTo === "kinetic" ? store.switchMachinery("kinetic") : store.switchChassis("ecoli"));
    switchBtn.disabled = false;
    sync();
    if (e) showError(err, e);
    else setText(done, switchTo ? "" : "Switched: the session was replayed. Now create the VM.");
  });

  function submit() {
    clearError(err);
    setText(done, "");
    const circuit = current();
    if (circuit === null) return showError(err, { code: "INVALID_CONFIG", message: "choose a circuit first (or press “Use this JSON”)" });
    const id = vmId.value;
    const e = store.perform({ op: "createVm", vmId: id, biologicalType: "ecoli", vmType: "basic", config: { circuit: structuredClone(circuit) } });
    if (e) return showError(err, e);
    if (start.checked) {
      const e2 = store.perform({ op: "startVm", vmId: id });
      if (e2) return showError(err, e2);
    }
    setText(done, `Created VM ${id}${start.checked ? " and started it" : ""}: see “Circuit VMs in this hypervisor” below; play to watch it.`);
    vmId.value = nextId(id);
  }

  store.on("reset", sync);
  sync();
  return {
    sync,
    /** A new circuit on screen: suggest an id after it (unless the learner typed one). */
    suggest() {
      const s = suggestId();
      if (!s) return;
      const taken = new Set(store.state.h ? store.state.h.listVms().map((v) => v.vmId) : []);
      let id = `${s}1`;
      while (taken.has(id)) id = nextId(id);
      vmId.value = id;
    },
  };
}

/** The live circuit VMs of the page's hypervisor; `update(h, m)` each refresh. */
export function mountVmLive(root) {
  const medium = el("span", { id: "circuit-medium", role: "status" });
  const inducers = el("div", { id: "circuit-vm-inducers", class: "circuit-vm-inducers" });
  const err = el("div", { id: "circuit-medium-error", class: "error", role: "alert", hidden: true });
  const vms = el("div", { id: "circuit-vm-list" });
  root.hidden = true;
  setChildren(root, el("h3", { id: "h-circuit-vms" }, "Circuit VMs in this hypervisor"),
    el("p", { class: "hint" }, "The medium is shared: an inducer reaches every VM at once, and takes effect at the model's next 30-second grid point. Each change is recorded in the session as a setInducer operation."),
    el("p", null, "Medium now: ", medium), inducers, err, vms);

  let cursor = 0, x = [], growth = [], cols = new Map(), charts = new Map(), tables = new Map();
  let inducerSig = "", vmSig = "";

  function reset() {
    cursor = 0;
    x = [];
    growth = [];
    cols = new Map();
    charts = new Map();
    tables = new Map();
    inducerSig = "";
    vmSig = "";
    setChildren(vms);
    setChildren(inducers);
    clearError(err);
    root.hidden = true;
  }

  function setInducer(name, input) {
    clearError(err);
    const s = input.value.trim();
    const e = store.perform({ op: "setInducer", name, value: s === "" ? NaN : Number(s) });
    if (e) return showError(err, e);
    setText(medium, mediumText(store.state.h.medium()));
  }

  function renderInducers(names, h) {
    const now = h.medium();
    setChildren(inducers, names.map((name, i) => {
      const input = el("input", { id: `circuit-medium-${i}`, type: "number", min: 0, step: "any", inputmode: "decimal", value: String(now[name] ?? 0), "data-inducer": name });
      return el("form", { class: "actions-row circuit-medium-control", "data-inducer": name, novalidate: true, onsubmit: (e) => { e.preventDefault(); setInducer(name, input); } },
        el("label", null, `${name} in the medium (µM) `, input),
        el("button", { type: "submit", id: `circuit-medium-set-${i}` }, `Set ${name} now`),
        el("button", { type: "button", id: `circuit-medium-off-${i}`, onclick: () => { input.value = "0"; setInducer(name, input); } }, `Wash out ${name}`));
    }));
    if (!names.length) setChildren(inducers, el("p", { class: "hint" }, "These circuits respond to no inducer."));
  }

  function renderVms(list) {
    charts = new Map();
    tables = new Map();
    setChildren(vms, [...list].map(([id, c]) => {
      const names = c.genes.map((g) => g.name);
      const chart = vmProteinChart(id, names);
      charts.set(id, { chart, names });
      const cells = new Map();
      const rows = names.map((g) => {
        const td = (f) => { const t = el("td", { "data-field": f }, "–"); cells.set(`${g}\u0000${f}`, t); return t; };
        return el("tr", { "data-gene": g }, el("th", { scope: "row" }, g), td("protein"), td("activity"), td("production"));
      });
      tables.set(id, cells);
      const table = el("table", { class: "pt-table circuit-vm-table", "data-vm": id },
        el("caption", null, `VM ${id} (${c.name ?? "circuit"}) now, computed by the bioxen package`),
        el("thead", null, el("tr", null, ["Gene", "Protein (molecules)", "Promoter activity f", "Production (molecules/min)"].map((t) => el("th", { scope: "col" }, t)))),
        el("tbody", null, rows));
      return el("div", { class: "circuit-vm", "data-vm": id }, chart.fig,
        el("div", { class: "table-wrap", tabindex: 0, role: "region", "aria-label": `Genes of VM ${id} (scrolls sideways)` }, table));
    }));
  }

  /** Read the new samples since the last call. */
  function pull(h) {
    const c = h.kineticSeriesSince(cursor);
    if (!c) return false;
    cursor = c.nextCursor;
    const n0 = x.length, n = c.t.length;
    if (!n) return false;
    for (let i = 0; i < n; i++) {
      x.push(c.t[i]);
      growth.push(c.growthRate[i] * PER_HOUR);
    }
    const seen = new Set();
    for (const g of c.genes || []) {
      const key = `${g.vmId}\u0000${g.gene}`;
      seen.add(key);
      let a = cols.get(key);
      if (!a) cols.set(key, (a = new Array(n0).fill(null)));
      for (let i = 0; i < n; i++) a.push(Number.isNaN(g.protein[i]) ? null : g.protein[i]);
    }
    for (const [key, a] of cols) if (!seen.has(key)) for (let i = 0; i < n; i++) a.push(null);
    const extra = x.length - MAX_POINTS;
    if (extra > 0) for (const a of [x, growth, ...cols.values()]) a.splice(0, extra);
    return true;
  }

  function update(h, m) {
    if (!h || h.machinery !== "kinetic" || !m.kinetic) {
      root.hidden = true;
      return;
    }
    const list = circuitVms(store.state.session.ops, library());
    const present = new Set(h.listVms().map((v) => v.vmId));
    for (const id of [...list.keys()]) if (!present.has(id)) list.delete(id);
    const more = pull(h);
    root.hidden = list.size === 0;
    if (!list.size) return;
    const names = [];
    for (const c of list.values()) for (const n of inducersOf(c)) if (!names.includes(n)) names.push(n);
    const med = h.medium();
    for (const n of Object.keys(med)) if (!names.includes(n)) names.push(n);
    if (names.join("\u0000") !== inducerSig) {
      inducerSig = names.join("\u0000");
      renderInducers(names, h);
    }
    setText(medium, mediumText(med));
    const sig = [...list].map(([id, c]) => `${id}:${c.genes.map((g) => g.name).join(",")}`).join(";");
    const rebuilt = sig !== vmSig;
    if (rebuilt) {
      vmSig = sig;
      renderVms(list);
    }
    if (more || rebuilt) {
      for (const [id, { chart, names: genes }] of charts) {
        chart.set(x, growth, genes.map((g) => cols.get(`${id}\u0000${g}`) ?? new Array(x.length).fill(null)));
      }
    }
    for (const v of m.kinetic.perVm) {
      const cells = tables.get(v.vmId);
      if (!cells) continue;
      for (const g of v.geneClasses) {
        const put = (f, val) => { const t = cells.get(`${g.group}\u0000${f}`); if (t) { setText(t, num(val)); t.dataset.value = String(val); } };
        put("protein", g.protein);
        put("activity", g.activity);
        put("production", g.productionPerMin);
      }
    }
  }

  store.on("reset", reset);
  return { update, reset };
}
