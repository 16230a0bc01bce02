// panels/compare.js: the "Compare two schedulers" panel (root [data-panel=compare]): replays
// the live session (same operations, same seed, plus a preset's scripted operations up to the
// chosen time) in two hypervisors that differ only in the scheduler, and shows their metrics
// and timelines side by side. Reads the store; changes nothing in it.
import { el, $, fillSelect, setChildren, showError, clearError } from "../dom.js";
import { fmtDur, fmtClock, fmtPct, MEASURES } from "../format.js";
import { LIMITS, replay } from "../session.js";
import { SegmentStore, Gantt } from "../widgets/gantt.js";
import * as store from "../store.js";

export function mountCompare(root) {
  const q = (sel) => $(sel, root);
  const { state } = store;
  const a = q("#cmp-a"), b = q("#cmp-b"), errEl = q("#cmp-error"), out = q("#compare-out");
  for (const sel of [a, b]) fillSelect(sel, state.api.getSupportedSchedulers());
  b.value = "credit";
  let views = [];

  function run() {
    const { h } = state;
    const until = q("#cmp-until").value === "now" ? h.nowMs : Math.min(LIMITS.endMs, h.nowMs + Number(q("#cmp-until").value));
    const base = store.currentSession();
    const ops = [...base.ops, ...state.script.filter((o) => o.atMs <= until && o.atMs >= base.endMs)];
    const s = { ...base, ops, endMs: until };
    const results = [];
    try {
      for (const name of [a.value, b.value]) {
        const r = replay(state.api, s, { scheduler: name, untilMs: until });
        const segments = new SegmentStore();
        segments.pull(r.h);
        results.push({ name, m: r.h.metrics(), segments });
        r.h.free();
      }
    } catch (e) {
      showError(errEl, e);
      return;
    }
    clearError(errEl);
    render(results, until);
  }

  function render(results, until) {
    for (const v of views) v.ro?.disconnect();
    views = [];
    const [A, B] = results;
    const ids = [...new Set([...A.m.perVm.map((v) => v.vmId), ...B.m.perVm.map((v) => v.vmId)])];
    const vmCell = (m, id) => {
      const v = m.perVm.find((x) => x.vmId === id);
      return v ? `${fmtPct(v.shareReceived)} (fair ${fmtPct(v.fairShare)}) · wait ${fmtDur(v.waitTimeMs)} · ${v.responseTimeMs == null ? "never ran" : `response ${fmtDur(v.responseTimeMs)}`}` : "–";
    };
    const tr = (head, ca, cb) => el("tr", null, el("th", { scope: "row" }, head), el("td", null, ca), el("td", null, cb));
    const table = el("table", { class: "cmp" },
      el("caption", null, `Same session and seed, run to t = ${fmtClock(until)}`),
      el("thead", null, el("tr", null, el("th", { scope: "col" }, "Measure"), el("th", { scope: "col" }, A.name), el("th", { scope: "col" }, B.name))),
      el("tbody", null,
        MEASURES.map(([k, f]) => tr(k, f(A.m), f(B.m))),
        ids.map((id) => tr(`${id}: share`, vmCell(A.m, id), vmCell(B.m, id)))));
    const boxes = results.map((r) => {
      const canvas = el("canvas", { role: "img", "aria-label": `Timeline under ${r.name}` });
      return { r, canvas, box: el("figure", { class: "cmp-gantt" }, el("figcaption", null, r.name), el("div", { class: "canvas-wrap" }, canvas)) };
    });
    setChildren(out, table, el("div", { class: "cmp-gantts" }, boxes.map((g) => g.box)));
    const span = Math.min(until, Math.max(6 * state.h.quantumMs, Math.min(until, 12 * 3_600_000)));
    for (const g of boxes) {
      const gc = new Gantt(g.canvas, { maxHeight: 200 });
      const redraw = () => gc.draw(g.r.segments, ids, until, span);
      redraw();
      if (typeof ResizeObserver !== "undefined") {
        const ro = new ResizeObserver(() => { gc.resize(ids.length); redraw(); });
        ro.observe(g.canvas.parentElement);
        views.push({ ro });
      }
    }
  }

  q("#compare-form").addEventListener("submit", (e) => { e.preventDefault(); run(); });
  store.on("reset", () => {
    const name = state.h.scheduler;
    a.value = name;
    if (b.value === name) b.value = name === "credit" ? "round_robin" : "credit";
  });
  store.on("preset", (p) => {
    a.value = p.compare[0];
    b.value = p.compare[1];
  });
}
