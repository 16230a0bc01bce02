// app.js: the BioXen playground's composition root. Loads the package (store.load: the lite
// build first), mounts each panel on its own root element ([data-panel=…] in index.html), says
// which panels each refresh stage draws, wires the few hand-offs between panels (a preset fills
// the create form; a row's Tune button selects the VM in the tune panel; the keyboard), starts
// the frame loop, then opens the share link in the address (#s=…) or restores this tab's
// autosave (tabs.js); a link pasted into an open tab is opened too. All simulation is the
// `bioxen` package, all charts uPlot (www/vendor/). No user text ever becomes markup (dom.js).
import { $, setText } from "./dom.js";
import * as store from "./store.js";
import { startLoop } from "./loop.js";
import { mountKeys } from "./keys.js";
import { mountTransport } from "./panels/transport.js";
import { mountRewind } from "./panels/rewind.js";
import { mountScenarios } from "./panels/scenarios.js";
import { mountLesson } from "./panels/lesson.js";
import { mountLessons } from "./panels/lessons.js";
import { mountCreate } from "./panels/create.js";
import { mountGenome } from "./panels/genome.js";
import { mountScheduler } from "./panels/scheduler.js";
import { mountTune } from "./panels/tune.js";
import { mountChassis } from "./panels/chassis.js";
import { mountSessionIO } from "./panels/session-io.js";
import { mountGauges } from "./panels/gauges.js";
import { mountTimeline } from "./panels/timeline.js";
import { mountVms } from "./panels/vms.js";
import { KineticPanel } from "./panels/kinetic.js";
import { mountMetrics } from "./panels/metrics.js";
import { mountLifecycle } from "./panels/lifecycle.js";
import { mountProfiler } from "./panels/profiler.js";
import { mountLog } from "./panels/log.js";
import { mountCompare } from "./panels/compare.js";
import { mountProctable } from "./panels/proctable.js";
import { mountCircuits } from "./panels/circuits.js";
import { mountNotices } from "./panels/notices.js";
import { mountSaved } from "./panels/saved.js";
import { PRESETS } from "./presets.js";
import { linkBody } from "./share.js";
import * as persist from "./persist.js";
import * as tabs from "./tabs.js";

// Benchmark switches (bench/playground-frames.mjs sets them with an init script).
const DEBUG = Object.freeze({ ...(window.__bioxenDebug || {}) });
const panel = (name) => document.querySelector(`[data-panel="${name}"]`);

function fatal(msg) {
  $("#loading").hidden = true;
  const f = $("#fatal");
  f.textContent = msg;
  f.hidden = false;
}

async function main() {
  try {
    await store.load();
  } catch (e) {
    fatal(`Could not load the BioXen package from /pkg/ (${e.message}). Build it with scripts/build-pkg.sh and serve with scripts/serve.sh.`);
    return;
  }
  const { state } = store;
  setText($("#version"), state.api.version());

  let loop = null;
  const ctx = { refresh: () => loop.refreshNow(), rate: () => loop.rate() };
  mountNotices(panel("notices"));
  const transport = mountTransport(panel("transport"));
  // rewind goes back by the transport's step size (quantum, context switch or a time)
  const rewind = mountRewind(panel("rewind"), { stepMs: () => { const v = $("#step-size").value; return v === "quantum" ? state.h.quantumMs : v === "switch" ? state.h.switchCostMs : Number(v); } });
  const lesson = mountLesson(panel("lesson"));
  const create = mountCreate(panel("create"), ctx);
  const genome = mountGenome(panel("genome"), ctx);
  mountScheduler(panel("scheduler"));
  const tune = mountTune(panel("tune"));
  mountChassis(panel("chassis"));
  mountSessionIO(panel("session"));
  const saved = mountSaved(panel("saved"));
  const gauges = mountGauges(panel("machinery"));
  const timeline = mountTimeline(panel("timeline"), ctx);
  const vms = mountVms(panel("vms"), { ...ctx, onTune: (id) => tune.select(id), onGone: () => create.focusId({ select: false }) });
  const kinetic = new KineticPanel(panel("kinetic"));
  const metrics = mountMetrics(panel("metrics"));
  const lifecycle = mountLifecycle(panel("lifecycle"));
  const profiler = mountProfiler(panel("profiler"));
  const log = mountLog(panel("log"));
  mountCompare(panel("compare"));
  mountProctable(panel("proctable")); // process tables with worked answers
  // gene circuits on the bare host or in VMs, SBML, dose response; its VM presets load as scenarios do
  const circuits = mountCircuits(panel("circuits"), { onPreset: (p) => pickPreset(p) });
  async function pickPreset(p) {
    const err = await store.loadPreset(p);
    if (err) return store.report("session", err);
    if (state.activePreset !== p) return; // another preset (or session) was loaded meanwhile
    if (p.form) {
      const refused = create.fillFromPreset(p.form);
      if (refused) lesson.showRefusal(refused);
    }
    store.setPlaying(!p.form);
    lesson.reveal();
  }
  mountScenarios(panel("scenarios"), { onPick: pickPreset });
  mountKeys({ transport, create, vms, rewind });
  store.on("reset", () => kinetic.reset(state.h));

  loop = startLoop({
    debug: DEBUG,
    lanes: () => timeline.laneIds().length,
    stages: [
      (f) => {
        const m = (f.m = state.metrics = state.h.metrics());
        timeline.setLanes(m.perVm.map((v) => v.vmId));
        transport.clock();
        metrics.summary(m);
      },
      (f) => {
        vms.render(f.m.perVm);
        tune.sync(timeline.laneIds());
      },
      (f) => {
        metrics.charts(f.m);
        kinetic.update(state.h, f.m);
        circuits.update(state.h, f.m);
      },
      (f) => {
        store.pullEvents();
        log.flush();
        lifecycle.update(f.m.perVm);
        timeline.describe();
      },
      (f) => profiler.refresh(f.ts),
      (f) => gauges.render(state.h.systemResources(), f.m),
    ],
    playingFrame: () => {
      transport.clock();
      store.pullEvents();
    },
    everyFrame: () => lifecycle.expire(),
    draw: () => timeline.draw(),
  });
  // a new hypervisor: every panel at once, then the timeline
  store.on("reset", () => {
    loop.refreshNow();
    timeline.draw(true);
  });

  // On a phone the control panels start folded so the simulation is one scroll away.
  if (window.matchMedia("(max-width: 860px)").matches) for (const d of document.querySelectorAll(".controls > details")) d.open = false;
  store.setSpeed(state.speedIdx, false);
  window.addEventListener("pagehide", () => store.autosave(true));
  document.addEventListener("visibilitychange", () => { if (document.hidden) store.autosave(true); });

  // test and benchmark hooks
  window.__playground = {
    genome: () => genome.summary(),
    get ready() { return document.body.dataset.ready === "true"; },
    engine: () => state.engine,
    nowMs: () => state.h.nowMs,
    scheduler: () => state.h.scheduler,
    session: () => store.currentSession(),
    metrics: () => state.h.metrics(),
    medium: () => state.h.medium(),
    traceSegments: () => timeline.segmentCount(),
    segmentsAfter: (t) => timeline.segmentsAfter(t),
    perf: () => ({ ...loop.perf(), ganttRects: timeline.lastDrawn(), ganttWindowMs: timeline.windowMs() }),
    resetPerf: () => loop.resetPerf(),
    setSpeedMax: () => store.setSpeed(store.SPEEDS.length - 1),
    play: (on = true) => store.setPlaying(on),
    sessionId: () => persist.currentId(),
    trace: () => {
      const c = state.h.traceSince(0);
      return JSON.stringify([Array.from(c.vmIndex), Array.from(c.start), Array.from(c.end), Array.from(c.kind), c.names, c.open]);
    },
    script: () => state.script.map((o) => ({ ...o })),
    storageError: () => state.storageError && state.storageError.code,
  };

  // A share link is read once, then taken out of the address: a reload restores the autosave
  // (with what was done since) instead of opening the link again.
  const findPreset = (id) => PRESETS.find((p) => p.id === id) ?? null;
  const takeLink = () => {
    const body = linkBody(location.hash);
    if (body !== null) history.replaceState(history.state, "", location.pathname + location.search);
    return body;
  };
  window.addEventListener("hashchange", async () => {
    const body = takeLink();
    if (body === null || !state.h) return;
    await tabs.openLink(body, { findPreset });
    saved.refresh();
  });

  await tabs.begin({ linkBody: takeLink(), findPreset });
  saved.refresh();
  window.__playground.lessons = mountLessons(panel("lessons")); // guided lessons (www/lessons/)
  $("#loading").hidden = true;
  document.body.dataset.ready = "true";
}

main();
