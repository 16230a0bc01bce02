// panels/rewind.js: the rewind bar in the header (root [data-panel=rewind]): a timeline scrubber
// over the simulated time reached so far and a "Step back" button (one step of the transport's
// step size). Both go through store.rewindTo, which rebuilds the exact earlier state (rewind.js);
// the operations after that point are kept, and replayed by Play or Step, until the learner acts.
// The scrubber's unit is the simulated second; its text value is the clock.
import { $, setText } from "../dom.js";
import { fmtClock } from "../format.js";
import * as store from "../store.js";

/** `stepMs()`: the transport's step size in ms (what Step back goes back by). */
export function mountRewind(root, { stepMs }) {
  const q = (sel) => $(sel, root);
  const scrub = q("#scrub"), back = q("#step-back"), label = q("#scrub-label"), note = q("#rewind-note"), err = q("#rewind-error");
  const { state } = store;
  let shown = "";

  function sync() {
    const rw = state.rewind, h = state.h;
    if (!h) return;
    const maxS = Math.ceil(rw.horizonMs / 1000);
    const nowS = Math.floor(h.nowMs / 1000);
    if (scrub.max !== String(maxS)) scrub.max = String(maxS);
    if (document.activeElement !== scrub || !scrub.matches(":active")) scrub.value = String(nowS);
    const text = `${fmtClock(h.nowMs)} of ${fmtClock(rw.horizonMs)}`;
    if (text !== shown) {
      shown = text;
      scrub.setAttribute("aria-valuetext", `t = ${fmtClock(h.nowMs)}`);
      setText(label, text);
    }
    back.disabled = h.nowMs <= 0;
    const n = rw.future.length;
    const later = rw.horizonMs > h.nowMs;
    setText(note, !later ? "" : n
      ? `Rewound: ${n} later operation${n === 1 ? "" : "s"} will be replayed by Play or Step, until you change something.`
      : "Rewound: Play or Step goes forward the same way, until you change something.");
  }

  function show(e) {
    err.hidden = !e;
    setText(err, e ? `Could not rewind: ${e.message}` : "");
  }

  function go(ms) {
    show(store.rewindTo(ms));
    sync();
  }

  scrub.addEventListener("change", () => go(Math.min(Number(scrub.value) * 1000, state.rewind.horizonMs)));
  back.addEventListener("click", () => {
    if (!state.h) return;
    go(state.h.nowMs - Math.max(1, stepMs()));
  });
  for (const ev of ["changed", "reset", "rewind"]) store.on(ev, sync);
  return { sync, stepBack: () => back.click() };
}
