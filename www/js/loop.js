// loop.js: owns the animation-frame loop: turning real time into simulated time at the chosen
// speed (adaptive chunks at "as fast as possible"), the staged refresh of the panels, and the
// frame-time record the benchmarks read. Panels are refreshed in stages, one stage per frame
// while playing, so no single frame pays for all of them (metrics() of 256 VMs alone is several
// ms); when paused, or after an operation, all stages run at once. The stages themselves are
// given by app.js: `stages[i](frame)`, where stage 0 sets `frame.m` (the metrics) for the rest.
import * as store from "./store.js";

const UI_INTERVAL_MS = 200;

/**
 * Start the loop. `stages`: refresh functions (see above); `playingFrame()`: work done each frame
 * while playing (the clock text, reading events); `everyFrame()`: work done every frame;
 * `draw()`: draw the timeline if it is dirty (true when it drew); `lanes()`: the number of VM
 * lanes (bigger sessions refresh less often); `debug`: the benchmark switches.
 */
export function startLoop({ stages, playingFrame, everyFrame, draw, lanes, debug = {} }) {
  const { state, SPEEDS } = store;
  const perf = { frames: [], work: [], max: 2000, parts: {} };
  const frame = { m: null, ts: 0, force: false };
  let uiStage = -1, lastUi = -Infinity, uiDirty = true;
  let lastTs = null, carry = 0;
  let maxChunk = 600_000;
  let simRate = 3_600_000; // simulated ms per real second at "as fast as possible" (smoothed)

  const part = (name, ms) => {
    const p = perf.parts[name] || (perf.parts[name] = []);
    p.push(ms);
    if (p.length > perf.max) p.shift();
  };
  const runStage = (i, ts, force) => {
    frame.ts = ts;
    frame.force = force;
    stages[i](frame);
  };

  /** Every stage now (paused, or right after an operation). */
  function refreshNow(ts = performance.now()) {
    for (let i = 0; i < stages.length; i++) runStage(i, ts, true);
    uiStage = -1;
    uiDirty = false;
    lastUi = ts;
  }

  store.on("changed", () => { uiDirty = true; });
  store.on("play", () => { lastTs = null; carry = 0; });
  store.on("reset", () => { lastUi = -Infinity; carry = 0; });

  function tick(ts) {
    if (!state.h) return requestAnimationFrame(tick); // the session is still being restored
    const t0 = performance.now();
    const playing = state.playing && state.h;
    // While playing, one stage of the panel refresh per frame, before the step so that at
    // full speed the step gets what is left of the frame's budget.
    let stageMs = 0;
    if (playing && !debug.noUi) {
      const every = Math.max(UI_INTERVAL_MS, 2 * lanes());
      if (uiStage < 0 && ts - lastUi >= every) {
        uiStage = 0;
        lastUi = ts;
      }
      if (uiStage >= 0) {
        const s0 = performance.now();
        runStage(uiStage, ts, false);
        stageMs = performance.now() - s0;
        part(`stage${uiStage}`, stageMs);
        uiStage = uiStage + 1 >= stages.length ? -1 : uiStage + 1;
      }
    }
    if (playing) {
      const real = lastTs == null ? 0 : Math.min(250, ts - lastTs);
      const s = SPEEDS[state.speedIdx];
      let dt;
      if (s.ms === Infinity) {
        // the chunk is tuned to ~1.5-3 ms of stepping; a costly panel stage this frame shrinks it
        dt = Math.max(1, Math.round(maxChunk * Math.min(1, Math.max(0.1, 1 - stageMs / 4))));
      } else {
        carry += (real * s.ms) / 1000;
        dt = Math.floor(carry);
        carry -= dt;
      }
      if (dt > 0) {
        const a = performance.now();
        try {
          store.advance(dt);
        } catch (e) {
          store.setPlaying(false);
          store.report("step", e);
        }
        const took = performance.now() - a;
        part("step", took);
        if (s.ms === Infinity && dt >= maxChunk * 0.99) {
          maxChunk = Math.min(7 * 86_400_000, Math.max(1000, took < 1.5 ? maxChunk * 1.15 : took > 3 ? maxChunk * 0.7 : maxChunk));
          simRate = 0.9 * simRate + 0.1 * (dt / Math.max(1, real) * 1000);
        }
      }
      store.autosave(false);
    }
    lastTs = ts;
    if (state.playing && state.h) {
      const e0 = performance.now();
      playingFrame();
      part("events", performance.now() - e0);
    }
    if (!debug.noGantt) {
      const g0 = performance.now();
      if (draw()) part("gantt", performance.now() - g0);
    }
    if (!state.playing && uiDirty && !debug.noUi) refreshNow(ts);
    everyFrame();
    const work = performance.now() - t0;
    perf.work.push(work);
    perf.frames.push(ts);
    if (perf.work.length > perf.max) {
      perf.work.shift();
      perf.frames.shift();
    }
    requestAnimationFrame(tick);
  }

  requestAnimationFrame(tick);
  return {
    refreshNow,
    /** Simulated ms per real second at the current speed (measured at "as fast as possible"). */
    rate: () => (SPEEDS[state.speedIdx].ms === Infinity ? simRate : SPEEDS[state.speedIdx].ms),
    perf: () => ({ frames: [...perf.frames], work: [...perf.work], steps: state.steps, maxChunk, parts: structuredClone(perf.parts) }),
    resetPerf: () => { perf.frames.length = 0; perf.work.length = 0; state.steps = 0; perf.parts = {}; },
  };
}
