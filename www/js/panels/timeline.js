// panels/timeline.js: the "Scheduling timeline" panel (root [data-panel=timeline]): the Gantt
// chart of which VM holds the shared machinery, its window (a preference in the store), and the
// "now running" line. Owns the trace segments pulled from the live hypervisor.
import { $, setText } from "../dom.js";
import { fmtDur } from "../format.js";
import { SegmentStore, Gantt } from "../widgets/gantt.js";
import * as store from "../store.js";

/** `rate()`: simulated ms per real second at the current speed (the auto window follows it). */
export function mountTimeline(root, { rate }) {
  const { state } = store;
  const canvas = $("#gantt", root), win = $("#window", root), now = $("#running-now", root);
  let segments = new SegmentStore();
  let lanes = [];
  let dirty = true;
  const gantt = new Gantt(canvas, { onResize: () => { dirty = true; } });

  if ([...win.options].some((o) => o.value === state.window)) win.value = state.window;
  else store.setWindow(win.value, false);
  win.addEventListener("change", () => store.setWindow(win.value));
  store.on("window", () => { dirty = true; });
  store.on("changed", () => { dirty = true; });
  store.on("op", (op) => { if (op.op === "setScheduler") segments.marker(op.atMs, op.name); });
  store.on("reset", () => {
    segments = new SegmentStore();
    segments.pull(state.h);
    // scheduler changes in the history, as timeline markers
    for (const op of state.session.ops) if (op.op === "setScheduler") segments.marker(op.atMs, op.name);
    dirty = true;
  });

  function windowMs() {
    const v = win.value;
    if (v !== "auto") return Number(v);
    const { h } = state;
    const q = h ? h.quantumMs : 600_000;
    // grows with the session until it spans ~12 s of real time at this speed, then scrolls
    const span = Math.min(3 * 86_400_000, Math.max(6 * q, rate() * 12));
    return h ? Math.min(span, Math.max(6 * q, Math.ceil(h.nowMs * 1.25))) : span;
  }

  return {
    windowMs,
    /** The VM lanes (in the metrics' order); redraws when they changed. */
    setLanes(ids) {
      if (ids.join("\u0000") === lanes.join("\u0000")) return;
      lanes = ids;
      dirty = true;
    },
    laneIds: () => lanes,
    /** Draw if anything changed (or `force`); true when it drew. */
    draw(force = false) {
      if (!(dirty || force) || !state.h) return false;
      dirty = false;
      segments.pull(state.h);
      gantt.draw(segments, lanes, state.h.nowMs, windowMs());
      return true;
    },
    /** The "now running" line and the chart's accessible description. */
    describe() {
      const open = segments.open;
      const n = lanes.length;
      setText(now, open ? (open.kind === "switch" ? `now: switching to ${open.vm}` : `now running: ${open.vm}`) : "machinery idle");
      canvas.setAttribute("aria-label", `Scheduling timeline of the last ${fmtDur(windowMs())}, ${n} lane${n === 1 ? "" : "s"}; ${open ? (open.kind === "switch" ? `switching to ${open.vm}` : `${open.vm} holds the shared ribosomes`) : "the machinery is idle"}.`);
    },
    // for the tests and benchmarks
    segmentCount: () => segments.count() + (segments.open ? 1 : 0),
    segmentsAfter(t) {
      let n = 0;
      segments.eachBackwards((vm, s) => { if (s >= t) n++; return s >= t; });
      return n;
    },
    lastDrawn: () => gantt.lastDrawn,
  };
}
