// panels/timeline.js: the "Scheduling timeline" panel (root [data-panel=timeline]): the Gantt
// chart of which VM holds the shared machinery, its window (a preference in the store), and the
// "now running" line, and why a segment ran: hovering a segment, or focusing the chart and
// stepping with the arrow keys, shows the scheduler's reason for that dispatch. Owns the trace
// segments pulled from the live hypervisor.
import { $, el, setText } from "../dom.js";
import { fmtClock, fmtDur } from "../format.js";
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
  // Why a segment ran: shown for the hovered segment, or the one stepped to from the keyboard.
  const why = el("p", { class: "gantt-why", id: "gantt-why", "aria-live": "polite" }, "Hover a segment, or focus the chart and use ← →, to see why the scheduler ran it.");
  canvas.closest(".canvas-wrap").after(why);
  canvas.tabIndex = 0;
  let picked = -1; // index of the stepped-to segment, 0 = newest
  const explain = (s) => {
    if (!s) return;
    const when = `${fmtClock(s.start)}–${fmtClock(s.end)} (${fmtDur(s.end - s.start)})`;
    setText(why, s.kind === "switch"
      ? `${s.vm}, ${when}: context switch to ${s.vm}, the previous holder's ribosomes running off`
      : `${s.vm} ran ${when}: ${s.reason ?? "no reason recorded (from before reasons were kept)"}`);
  };
  canvas.addEventListener("mousemove", (e) => {
    if (!state.h) return;
    const p = gantt.pointAt(e.offsetX, e.offsetY, state.h.nowMs, windowMs());
    const s = p && segments.find(p.vm, p.t);
    if (s) explain(s);
  });
  canvas.addEventListener("focus", () => { picked = 0; explain(segments.at(0) ?? segments.open); });
  canvas.addEventListener("keydown", (e) => {
    const step = { ArrowLeft: 1, ArrowRight: -1 }[e.key];
    if (e.key === "Home") picked = 0;
    else if (step) picked = Math.max(0, Math.min(segments.count() - 1, picked + step));
    else return;
    e.preventDefault();
    explain(segments.at(picked));
  });

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
      canvas.setAttribute("aria-label", `Scheduling timeline of the last ${fmtDur(windowMs())}, ${n} lane${n === 1 ? "" : "s"}; ${open ? (open.kind === "switch" ? `switching to ${open.vm}` : `${open.vm} holds the shared ribosomes`) : "the machinery is idle"}. Left and right arrows step through the segments and say why each ran.`);
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
