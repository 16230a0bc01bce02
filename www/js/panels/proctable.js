// panels/proctable.js: the Process tables panel (root [data-panel=proctable]): an editor of job
// rows, a policy and its options, Run (proctable/model.js plays the rows through the package on
// the textbook chassis), the Gantt chart, the per-job table with averages, predict mode (the
// learner fills in start, finish and waiting, then Check marks each cell) and the exports (CSV,
// SVG, PNG). Builds its own DOM with text nodes only; reads the store's package, changes nothing.
import { el, $, setChildren, showError, clearError, fillSelect, download } from "../dom.js";
import { POLICIES, RULES, MLFQ_RULES, COLUMNS, randomRows, runTable, toCsv, mlfqOptions } from "../proctable/model.js";
import { ganttSvg, svgText, pngBlob } from "../proctable/gantt.js";
import * as store from "../store.js";

const FIELDS = [["name", "Name", "text"], ["arrival", "Arrival (ms)", "number"], ["burst", "Burst (ms)", "number"], ["priority", "Priority (1–10)", "number"], ["weight", "Weight", "number"]];
const PREDICTED = ["start", "finish", "waiting"];
const HEAD = { name: "Job", arrival: "Arrival", burst: "Burst", start: "Start", finish: "Finish", response: "Response", turnaround: "Turnaround", waiting: "Waiting" };
const START_ROWS = [
  { name: "P1", arrival: 0, burst: 5, priority: 5, weight: 256 },
  { name: "P2", arrival: 2, burst: 3, priority: 5, weight: 256 },
  { name: "P3", arrival: 4, burst: 1, priority: 5, weight: 256 },
];

export function mountProctable(root) {
  const { state } = store;
  let rows = START_ROWS.map((r) => ({ ...r }));
  let result = null, ran = null, svgNode = null;

  const tbodyEdit = el("tbody");
  const policy = el("select", { id: "pt-policy" });
  fillSelect(policy, POLICIES.filter((p) => state.api.getSupportedSchedulers().includes(p)));
  const quantum = el("input", { id: "pt-quantum", type: "number", min: 1, step: 1, value: 2, inputmode: "numeric" });
  const levels = el("input", { id: "pt-mlfq-levels", type: "number", min: 1, max: 16, step: 1, inputmode: "numeric", placeholder: "default" });
  const boost = el("input", { id: "pt-mlfq-boost", type: "number", min: 1, step: 1, inputmode: "numeric", placeholder: "none" });
  const quanta = el("input", { id: "pt-mlfq-quanta", type: "text", inputmode: "numeric", autocomplete: "off", spellcheck: "false", placeholder: "e.g. 10,20,40", "aria-describedby": "pt-mlfq-lists-hint" });
  const allots = el("input", { id: "pt-mlfq-allotments", type: "text", inputmode: "numeric", autocomplete: "off", spellcheck: "false", placeholder: "e.g. 1,2,4", "aria-describedby": "pt-mlfq-lists-hint" });
  const seed = el("input", { id: "pt-seed", type: "number", min: 0, step: 1, value: 1, inputmode: "numeric" });
  const count = el("input", { id: "pt-count", type: "number", min: 1, max: 16, step: 1, value: 5, inputmode: "numeric" });
  const predict = el("input", { id: "pt-predict", type: "checkbox" });
  const errEl = el("div", { id: "pt-error", class: "error", role: "alert", hidden: true });
  const status = el("p", { id: "pt-status", class: "hint", role: "status" });
  const out = el("div", { id: "pt-out" });
  const mlfqRules = el("ul", { id: "pt-mlfq-rules" }, MLFQ_RULES.map((r) => el("li", null, r)));
  const mlfqBox = el("div", { id: "pt-mlfq", hidden: true },
    el("div", { class: "grid2" },
      el("label", null, "MLFQ levels (mlfq.py -n) ", levels),
      el("label", null, "MLFQ boost period, ms (mlfq.py -B) ", boost),
      el("label", null, "Quantum per level, ms (mlfq.py -Q) ", quanta),
      el("label", null, "Allotment per level, in quanta (mlfq.py -A) ", allots)),
    el("p", { id: "pt-mlfq-lists-hint", class: "hint" }, "Lists are comma-separated, top level first, one entry per level; leave them empty for mlfq.py's defaults (-q for every level, allotment 1)."),
    el("details", { class: "pt-rules", open: true }, el("summary", null, "MLFQ conventions (OSTEP's mlfq.py -c, followed by the core)"), mlfqRules));

  function editRow(r, i) {
    const cells = FIELDS.map(([k, label, type]) => el("td", null, el("input", {
      type, value: String(r[k]), "aria-label": `${label} of row ${i + 1}`, "data-field": k, "data-row": i,
      ...(type === "number" ? { step: 1, inputmode: "numeric" } : { autocomplete: "off", spellcheck: "false" }),
      oninput: (e) => { rows[i][k] = type === "number" ? (e.target.value.trim() === "" ? NaN : Number(e.target.value)) : e.target.value; },
    })));
    const rm = el("button", { type: "button", "aria-label": `Remove row ${i + 1} (${r.name})`, onclick: () => { rows.splice(i, 1); renderEditor(); } }, "Remove");
    return el("tr", null, cells, el("td", null, rm));
  }
  function renderEditor() {
    setChildren(tbodyEdit, rows.map(editRow));
  }
  function addRow() {
    const used = new Set(rows.map((r) => r.name));
    let n = rows.length + 1;
    while (used.has(`P${n}`)) n++;
    const last = rows[rows.length - 1];
    rows.push({ name: `P${n}`, arrival: last ? last.arrival : 0, burst: 1, priority: 5, weight: 256 });
    renderEditor();
    $(`input[data-row="${rows.length - 1}"][data-field="arrival"]`, tbodyEdit)?.focus();
  }

  function options() {
    const n = (inp) => (inp.value.trim() === "" ? undefined : Number(inp.value));
    // A list entry that is not a number stays text, so the package's error names it.
    const list = (inp) => (inp.value.trim() === "" ? undefined : inp.value.split(",").map((x) => (x.trim() !== "" && Number.isFinite(Number(x)) ? Number(x) : x.trim())));
    return { quantumMs: n(quantum), mlfqLevels: n(levels), mlfqBoostMs: n(boost), mlfqQuantaMs: list(quanta), mlfqAllotments: list(allots) };
  }

  function run() {
    const p = policy.value;
    let r;
    try {
      r = runTable(state.api, rows.map((x) => ({ ...x })), p, options());
    } catch (e) {
      showError(errEl, e);
      setChildren(status, "Not run: the table is unchanged.");
      return;
    }
    clearError(errEl);
    result = r;
    ran = { policy: p, quantum: options().quantumMs, mlfq: p === "mlfq" ? mlfqOptions(options()) : null };
    render();
  }

  function cellId(i, k) { return `pt-cell-${i}-${k}`; }

  function render() {
    if (!result) return setChildren(out);
    const hide = predict.checked;
    const names = result.jobs.map((j) => j.name);
    svgNode = ganttSvg(result, names, ran.policy);
    const rowsEl = result.jobs.map((j, i) => el("tr", { "data-job": j.name }, COLUMNS.map((k) => {
      if (k === "name") return el("th", { scope: "row" }, j.name);
      if (hide && PREDICTED.includes(k)) {
        return el("td", { id: cellId(i, k), "data-col": k }, el("input", { type: "number", step: 1, inputmode: "numeric", class: "pt-guess", "aria-label": `Your ${HEAD[k].toLowerCase()} of ${j.name} (ms)`, "data-col": k, "data-job": j.name }), el("span", { class: "pt-mark", "aria-live": "polite" }));
      }
      if (hide && k !== "arrival" && k !== "burst") return el("td", { "data-col": k }, "?");
      return el("td", { "data-col": k }, String(j[k]));
    })));
    const a = result.averages;
    const fmt = (v) => (Number.isInteger(v) ? String(v) : v.toFixed(2));
    const avgRow = el("tr", { class: "pt-avg" }, el("th", { scope: "row" }, "Average"), el("td"), el("td"), el("td"), el("td"),
      ["response", "turnaround", "waiting"].map((k) => el("td", { "data-col": k, "data-avg": k }, hide ? "?" : fmt(a[k]))));
    const table = el("table", { id: "pt-answers", class: "pt-table" },
      el("caption", null, `Per-job answers under ${ran.policy}${ran.mlfq ? ` (as mlfq.py -Q ${ran.mlfq.mlfqQuantaMs.join(",")} -A ${ran.mlfq.mlfqAllotments.join(",")} -B ${ran.mlfq.mlfqBoostMs})` : ran.policy === "round_robin" || ran.policy === "priority" ? ` (quantum ${ran.quantum ?? "default"} ms)` : ""}, computed by the bioxen package on the textbook chassis (times in ms)`),
      el("thead", null, el("tr", null, COLUMNS.map((k) => el("th", { scope: "col" }, HEAD[k])))),
      el("tbody", null, rowsEl, avgRow));
    const figure = el("figure", { class: "pt-figure", hidden: hide }, svgNode, el("figcaption", null, `Gantt chart: ${result.segments.length} run segments, from the package's trace.`));
    const actions = el("div", { class: "actions-row" },
      hide ? el("button", { id: "pt-check", type: "button", onclick: check }, "Check") : null,
      hide ? el("button", { id: "pt-reveal", type: "button", onclick: () => { predict.checked = false; render(); } }, "Show the answers") : null,
      el("button", { id: "pt-csv", type: "button", onclick: () => download(toCsv(result, ran.policy), `process-table-${ran.policy}.csv`, "text/csv") }, "Download table (CSV)"),
      el("button", { id: "pt-svg", type: "button", disabled: hide, onclick: () => download(svgText(svgNode), `gantt-${ran.policy}.svg`, "image/svg+xml") }, "Download timeline (SVG)"),
      el("button", { id: "pt-png", type: "button", disabled: hide, onclick: exportPng }, "Download timeline (PNG)"));
    const score = el("p", { id: "pt-score", role: "status", class: "hint" });
    setChildren(out, figure, el("div", { class: "table-wrap" }, table), score, actions);
    setChildren(status, hide ? "Predict mode: fill in start, finish and waiting for every job, then press Check." : `Ran ${result.jobs.length} jobs under ${ran.policy}.`);
    out.dataset.segments = String(result.segments.length);
  }

  function check() {
    let right = 0, total = 0;
    result.jobs.forEach((j, i) => {
      for (const k of PREDICTED) {
        const td = $(`#${cellId(i, k)}`, out);
        const inp = $("input", td), mark = $(".pt-mark", td);
        const s = inp.value.trim();
        const ok = s !== "" && Number(s) === j[k];
        total++;
        if (ok) right++;
        td.classList.toggle("right", ok);
        td.classList.toggle("wrong", !ok);
        td.dataset.mark = ok ? "right" : "wrong";
        inp.setAttribute("aria-invalid", ok ? "false" : "true");
        mark.textContent = ok ? " ✓ right" : s === "" ? ` ✗ empty (answer ${j[k]})` : ` ✗ wrong (answer ${j[k]})`;
      }
    });
    setChildren($("#pt-score", out), `${right} of ${total} cells right.`);
  }

  async function exportPng() {
    try {
      const blob = await pngBlob(svgNode);
      const url = URL.createObjectURL(blob);
      const a = el("a", { href: url, download: `gantt-${ran.policy}.png`, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      showError(errEl, e);
    }
  }

  policy.addEventListener("change", () => { mlfqBox.hidden = policy.value !== "mlfq"; });
  predict.addEventListener("change", render);

  const editor = el("table", { class: "pt-table pt-editor" },
    el("caption", null, "Jobs (edit any cell; Tab moves between cells)"),
    el("thead", null, el("tr", null, FIELDS.map(([, label]) => el("th", { scope: "col" }, label)), el("th", { scope: "col" }, "Row"))),
    tbodyEdit);
  const form = el("form", { id: "pt-form", novalidate: true, onsubmit: (e) => { e.preventDefault(); run(); } },
    el("div", { class: "table-wrap" }, editor),
    el("div", { class: "actions-row" },
      el("button", { id: "pt-add", type: "button", onclick: addRow }, "Add row"),
      el("label", { class: "inline" }, "Seed ", seed),
      el("label", { class: "inline" }, "Rows ", count),
      el("button", { id: "pt-random", type: "button", onclick: () => { rows = randomRows(Number(seed.value) || 0, Math.min(16, Math.max(1, Number(count.value) || 5))); renderEditor(); } }, "Random rows from the seed")),
    el("div", { class: "grid2" },
      el("label", null, "Policy ", policy),
      el("label", null, "Quantum (ms; round robin, priority, MLFQ) ", quantum)),
    mlfqBox,
    el("label", { class: "check" }, predict, " Predict first (hide the answers until I have filled in mine)"),
    el("div", { class: "actions-row" }, el("button", { id: "pt-run", type: "submit" }, "Run")));
  const rules = el("details", { class: "pt-rules", open: true }, el("summary", null, "Tie-breaking rules (the core's own)"), el("ul", null, RULES.map((r) => el("li", null, r))));
  setChildren(root, el("h2", { id: "h-proctable" }, "Process tables"),
    el("p", { class: "hint" }, "Classic scheduling homework on the textbook chassis: 1 amino acid per ms of shared machinery, so a job's burst is its workload; no host reserve, free context switches."),
    rules, form, errEl, status, out);
  renderEditor();
  return { run };
}
