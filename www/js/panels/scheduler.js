// panels/scheduler.js: the "Scheduler" panel (root [data-panel=scheduler]): the policy, its
// description, and its parameters (quantum, aging step, MLFQ boost and levels). Dispatches
// setScheduler; shows its refusals, and those of stepping the clock, next to the controls.
import { $, $$, fillSelect, setText, showError, clearError } from "../dom.js";
import * as store from "../store.js";

const SCHED_PARAMS = { priority: ["priority"], mlfq: ["mlfq"] };
const EXTRA = {
  credit: " Uses each VM's weight and cap.",
  lottery: " Tickets = weight; the draw uses the session seed.",
  eevdf: " Uses each VM's weight.",
  priority: " Uses each VM's priority (1–10).",
  round_robin: " Ignores weights and priorities.",
  fcfs: " Ignores weights; an endless workload never gives the machinery back.",
};

export function mountScheduler(root) {
  const q = (sel) => $(sel, root);
  const { state } = store;
  const sel = q("#scheduler"), errEl = q("#sched-error");
  fillSelect(sel, state.api.getSupportedSchedulers());

  function renderInfo() {
    const name = sel.value;
    setText(q("#scheduler-desc"), state.api.describeScheduler(name) + "." + (EXTRA[name] ?? ""));
    for (const lab of $$("#sched-form label[data-for]", root)) lab.hidden = !(SCHED_PARAMS[name] || []).includes(lab.dataset.for);
  }

  function syncParams() {
    const { h } = state;
    q("#quantum").value = String(h.quantumMs / 1000);
    q("#aging").value = "";
    q("#mlfq-boost").value = "";
    q("#mlfq-levels").value = "";
    q("#aging").placeholder = `default ${+(h.quantumMs * 10 / 60000).toFixed(1)}`;
    q("#mlfq-boost").placeholder = `default ${+(h.quantumMs * 20 / 60000).toFixed(1)}`;
    q("#mlfq-levels").placeholder = "default";
  }

  function options(name) {
    const o = {};
    const num = (id) => {
      const s = q(id).value.trim();
      return s === "" ? undefined : Number(s);
    };
    const qs = num("#quantum");
    if (qs !== undefined) o.quantumMs = Math.round(qs * 1000);
    if (name === "priority" && num("#aging") !== undefined) o.agingMs = Math.round(num("#aging") * 60_000);
    if (name === "mlfq") {
      if (num("#mlfq-boost") !== undefined) o.mlfqBoostMs = Math.round(num("#mlfq-boost") * 60_000);
      if (num("#mlfq-levels") !== undefined) o.mlfqLevels = num("#mlfq-levels");
    }
    return o;
  }

  /** setScheduler with the form's parameters; null or the refusal (shown). */
  function apply(name) {
    const err = store.perform({ op: "setScheduler", name, options: options(name) });
    if (err) showError(errEl, err);
    else clearError(errEl);
    return err;
  }

  sel.addEventListener("change", () => {
    renderInfo();
    if (apply(sel.value)) {
      sel.value = state.h.scheduler;
      renderInfo();
    } else syncParams();
  });
  q("#sched-form").addEventListener("submit", (e) => {
    e.preventDefault();
    if (!apply(state.h.scheduler)) {
      const keep = { aging: q("#aging").value, boost: q("#mlfq-boost").value, levels: q("#mlfq-levels").value };
      syncParams();
      q("#aging").value = keep.aging;
      q("#mlfq-boost").value = keep.boost;
      q("#mlfq-levels").value = keep.levels;
    }
  });
  store.on("reset", () => {
    sel.value = state.h.scheduler;
    renderInfo();
    syncParams();
    clearError(errEl);
  });
  store.on("refused", ({ source, error }) => { if (source === "step") showError(errEl, error); });
}
