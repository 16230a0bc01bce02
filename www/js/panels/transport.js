// panels/transport.js: the clock bar in the header (root [data-panel=transport]): the simulated
// time, Play/Pause, Step with its size, and the speed slider. Renders play state and speed from
// the store; dispatches setPlaying, setSpeed and step.
import { $, setText } from "../dom.js";
import { fmtClock } from "../format.js";
import * as store from "../store.js";

export function mountTransport(root) {
  const q = (sel) => $(sel, root);
  const clockEl = q("#clock"), play = q("#play"), speed = q("#speed"), label = q("#speed-label"), size = q("#step-size");
  const { state } = store;

  /** Stop playing and advance by the chosen step size. */
  function stepOnce() {
    store.setPlaying(false);
    const v = size.value;
    store.step(v === "quantum" ? state.h.quantumMs : v === "switch" ? state.h.switchCostMs : Number(v));
  }

  play.addEventListener("click", () => store.setPlaying(!state.playing));
  q("#step").addEventListener("click", stepOnce);
  speed.addEventListener("input", () => store.setSpeed(Number(speed.value)));
  store.on("play", (on) => {
    play.textContent = on ? "❚❚ Pause" : "▶ Play";
    play.setAttribute("aria-pressed", String(on));
  });
  store.on("speed", (s) => {
    speed.value = String(state.speedIdx);
    speed.setAttribute("aria-valuetext", s.label);
    setText(label, s.label);
  });

  return {
    clock: () => setText(clockEl, fmtClock(state.h.nowMs)),
    stepOnce,
    togglePlay: () => store.setPlaying(!state.playing),
    faster: (d) => store.setSpeed(state.speedIdx + d),
  };
}
