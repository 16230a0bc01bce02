// panels/profiler.js: the "Profiler" panel (root [data-panel=profiler]): the bottlenecks the
// package's profiler reports (ribosome and ATP headroom, fairness, switch overhead) and its
// recommendations. Asks for a report at most once a second while playing.
import { el, $, setChildren } from "../dom.js";
import * as store from "../store.js";

const INTERVAL_MS = 1000;

export function mountProfiler(root) {
  const box = $("#profiler", root);
  let last = -Infinity;
  store.on("reset", () => { last = -Infinity; });

  function render(rep) {
    const key = JSON.stringify(rep.bottlenecks.map((b) => [b.kind, b.message]));
    if (box.dataset.key === key) return;
    box.dataset.key = key;
    if (!rep.bottlenecks.length) {
      setChildren(box, el("p", { class: "ok" }, "No bottleneck detected."), el("p", { class: "hint" }, "The profiler checks ribosome and ATP headroom, fairness and context-switch overhead."));
      return;
    }
    setChildren(box,
      el("h3", null, "Bottlenecks"),
      el("ul", { class: "bottlenecks" }, rep.bottlenecks.map((b) =>
        el("li", null, el("strong", null, b.kind), ` — ${b.message} (measured ${+b.measured.toFixed(3)}, threshold ${+b.threshold.toFixed(3)})`))),
      el("h3", null, "Recommendations"),
      el("ul", { class: "recs" }, rep.recommendations.map((r) => el("li", null, r))));
  }

  return {
    /** Refresh from the profiler when a second has passed, or always when paused. */
    refresh(ts) {
      if (ts - last < INTERVAL_MS && store.state.playing) return;
      last = ts;
      render(store.state.h.profilerReport());
    },
  };
}
