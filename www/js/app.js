// app.js: the BioXen playground. Static page; all simulation is the `bioxen` package
// (served at /pkg/), all charts uPlot (www/vendor/). No user text ever becomes markup.
import init, * as bioxen from "/pkg/web/bioxen.js";
import { el, $, setText, setChildren, showError, clearError } from "./dom.js";
import { fmtDur, fmtClock, fmtAa, fmtInt, fmtPct } from "./format.js";
import {
  FORMAT, VERSION, LIMITS, parseSession, serializeSession, replay, applyOp, newSession, stripSecrets,
} from "./session.js";
import { SegmentStore, Gantt } from "./gantt.js";
import { LifecycleDiagram, transitionOf } from "./lifecycle.js";
import { Charts } from "./charts.js";
import { KineticPanel } from "./kinetic.js";
import { PRESETS } from "./presets.js";
import { initGenome, genomeSummary } from "./genome.js";

// Benchmark switches (bench/playground-frames.mjs sets them with an init script).
const DEBUG = Object.freeze({ ...(window.__bioxenDebug || {}) });
const STORAGE_KEY = "bioxen.playground.session.v1";
const PREFS_KEY = "bioxen.playground.prefs.v1";
const UI_INTERVAL_MS = 200;
const PROFILER_INTERVAL_MS = 1000;
const LOG_MAX = 250;

const SPEEDS = [
  { id: "1s", ms: 1_000, label: "1 s per second (slow motion)" },
  { id: "5s", ms: 5_000, label: "5 s per second" },
  { id: "20s", ms: 20_000, label: "20 s per second" },
  { id: "1m", ms: 60_000, label: "1 min per second" },
  { id: "5m", ms: 300_000, label: "5 min per second" },
  { id: "10m", ms: 600_000, label: "10 min per second" },
  { id: "30m", ms: 1_800_000, label: "30 min per second" },
  { id: "1h", ms: 3_600_000, label: "1 h per second" },
  { id: "3h", ms: 10_800_000, label: "3 h per second" },
  { id: "12h", ms: 43_200_000, label: "12 h per second" },
  { id: "1d", ms: 86_400_000, label: "1 day per second" },
  { id: "max", ms: Infinity, label: "as fast as possible" },
];

const ACTIONS = [
  ["start", "Start", "startVm", ["created", "stopped"]],
  ["pause", "Pause", "pauseVm", ["running"]],
  ["resume", "Resume", "resumeVm", ["paused"]],
  ["stop", "Stop", "stopVm", ["running", "paused"]],
  ["restart", "Restart", "restartVm", ["running", "paused", "stopped", "error"]],
  ["destroy", "Destroy", "destroyVm", ["created", "running", "paused", "stopped", "error"]],
];

const STATE_GLYPH = { created: "○", running: "▶", paused: "❚❚", stopped: "■", error: "✕" };

// ------------------------------------------------------------------ state

let h = null; // the live Hypervisor
let session = null; // the live session (ops so far)
let store = new SegmentStore();
let script = []; // scripted ops of a preset, applied when the clock reaches them
let activePreset = null;
let playing = false;
let speedIdx = 5;
let carry = 0;
let maxChunk = 600_000;
let simRate = 3_600_000; // simulated ms per real second at "as fast as possible" (smoothed)
let lastTs = null;
let lastUi = -Infinity;
let lastProfiler = -Infinity;
let lastSave = 0;
let uiDirty = true;
let ganttDirty = true;
let eventCursor = 0;
let vmState = new Map(); // id -> state as known from events (for the lifecycle diagram)
let destroyed = 0;
let chassisInfo = null;
let lastMetrics = null;
let defaults = {};
const rows = new Map(); // vm id -> row record
const perf = { frames: [], work: [], max: 2000, steps: 0, parts: {} };
function part(name, ms) {
  const p = perf.parts[name] || (perf.parts[name] = []);
  p.push(ms);
  if (p.length > perf.max) p.shift();
}

let gantt, lifecycle, charts, clockEl, kinetic;
let lastRefusal = null;

// ------------------------------------------------------------------ start

async function main() {
  try {
    await init();
  } catch (e) {
    fatal(`Could not load the BioXen package from /pkg/ (${e.message}). Build it with scripts/build-pkg.sh and serve with scripts/serve.sh.`);
    return;
  }
  setText($("#version"), bioxen.version());
  for (const t of bioxen.getSupportedBiologicalTypes()) defaults[t] = bioxen.ConfigManager.defaults(t);
  fillSelect($("#vm-bio"), bioxen.getSupportedBiologicalTypes());
  fillSelect($("#vm-type"), bioxen.getSupportedVmTypes());
  fillSelect($("#chassis"), bioxen.getSupportedChassis());
  fillSelect($("#scheduler"), bioxen.getSupportedSchedulers());
  fillSelect($("#cmp-a"), bioxen.getSupportedSchedulers());
  fillSelect($("#cmp-b"), bioxen.getSupportedSchedulers());
  $("#cmp-b").value = "credit";

  clockEl = $("#clock");
  gantt = new Gantt($("#gantt"), { onResize: () => { ganttDirty = true; } });
  lifecycle = new LifecycleDiagram($("#lifecycle"));
  charts = new Charts($("#charts"));
  kinetic = new KineticPanel($("#kinetic"));
  buildPresets();
  // On a phone the control panels start folded so the simulation is one scroll away.
  if (window.matchMedia("(max-width: 860px)").matches) for (const d of document.querySelectorAll(".controls > details")) d.open = false;
  wire();
  fillSelect($("#genome-bio"), bioxen.getSupportedBiologicalTypes());
  initGenome({ perform, after: () => updateUi(performance.now()) });
  loadPrefs();
  updateFormPlaceholders();

  if (!restoreAutosave()) adopt(replay(bioxen, newSession({ options: { seed: 1 } })).h, newSession({ options: { seed: 1 } }));
  $("#loading").hidden = true;
  document.body.dataset.ready = "true";
  requestAnimationFrame(frame);
}

function fatal(msg) {
  $("#loading").hidden = true;
  const f = $("#fatal");
  f.textContent = msg;
  f.hidden = false;
}

function fillSelect(sel, values, labels = {}) {
  const keep = sel.value;
  sel.replaceChildren(...values.map((v) => el("option", { value: v }, labels[v] ?? v)));
  if (values.includes(keep)) sel.value = keep;
}

// ------------------------------------------------------------------ session plumbing

/** Make `newH` (built from `newSess`) the live hypervisor. Frees the old one. */
function adopt(newH, newSess, { keepScript = false } = {}) {
  if (h) h.free();
  h = newH;
  session = newSess;
  session.endMs = h.nowMs;
  if (!keepScript) {
    script = [];
    activePreset = null;
    $("#lesson").hidden = true;
  }
  store = new SegmentStore();
  vmPage = 0;
  eventCursor = 0;
  pendingLog = [];
  vmState = new Map();
  destroyed = 0;
  lastMetrics = null;
  for (const r of rows.values()) r.tr.remove();
  rows.clear();
  $("#log").replaceChildren();
  charts.reset();
  kinetic.reset(h);
  $("#machinery").value = h.machinery;
  lastUi = -Infinity;
  lastProfiler = -Infinity;
  carry = 0;
  chassisInfo = bioxen.chassisInfo(h.chassis);
  $("#chassis").value = h.chassis;
  $("#scheduler").value = h.scheduler;
  $("#cmp-a").value = h.scheduler;
  if ($("#cmp-b").value === h.scheduler) $("#cmp-b").value = h.scheduler === "credit" ? "round_robin" : "credit";
  renderChassisInfo();
  renderSchedulerInfo();
  syncSchedulerParams();
  for (const id of ["chassis-error", "sched-error", "create-error", "atp-error", "tune-sched-error", "tune-res-error"]) clearError($("#" + id));
  setText($("#atp-result"), "");
  store.pull(h);
  // scheduler changes in the history, as timeline markers
  for (const op of session.ops) if (op.op === "setScheduler") store.marker(op.atMs, op.name);
  uiDirty = ganttDirty = true;
  updateUi(performance.now());
  drawGantt();
  autosave(true);
}

/** The live session as a plain object, with the current time as its end. */
function currentSession() {
  return {
    format: FORMAT,
    version: VERSION,
    chassis: session.chassis,
    scheduler: session.scheduler,
    options: { ...session.options },
    ops: session.ops.map(stripSecrets),
    endMs: h.nowMs,
    meta: { ...session.meta, createdBy: "bioxen playground", bioxenVersion: bioxen.version() },
  };
}

/**
 * Apply one operation now; on success record it in the session. On refusal show the
 * package's error next to `errEl` and change nothing. Returns true on success.
 */
function perform(op, errEl, extra) {
  const rec = { atMs: h.nowMs, ...op };
  try {
    applyOp(h, rec, extra);
  } catch (e) {
    lastRefusal = e;
    showError(errEl, e);
    uiDirty = true;
    return false;
  }
  clearError(errEl);
  session.ops.push(stripSecrets(rec));
  session.endMs = h.nowMs;
  if (rec.op === "setScheduler") store.marker(rec.atMs, rec.name);
  uiDirty = ganttDirty = true;
  autosave(true);
  return true;
}

function autosave(force = false) {
  const now = performance.now();
  if (!force && now - lastSave < 2000) return;
  lastSave = now;
  try {
    localStorage.setItem(STORAGE_KEY, serializeSession(currentSession()));
    setText($("#session-status"), `Autosaved at t = ${fmtClock(h.nowMs)} (${session.ops.length} operations).`);
  } catch (e) {
    setText($("#session-status"), `Autosave failed: ${e.message}`);
  }
}

function restoreAutosave() {
  let text;
  try {
    text = localStorage.getItem(STORAGE_KEY);
  } catch {
    return false;
  }
  if (!text) return false;
  try {
    const s = parseSession(text, bioxen);
    const { h: nh } = replay(bioxen, s);
    adopt(nh, { ...s, ops: [...s.ops] });
    setText($("#session-status"), `Restored the autosaved session at t = ${fmtClock(nh.nowMs)} (${s.ops.length} operations).`);
    return true;
  } catch (e) {
    try { localStorage.setItem(STORAGE_KEY + ".unreadable", text); } catch { /* ignore */ }
    showError($("#session-error"), { code: e.code || "INVALID_SESSION", message: `The autosaved session could not be restored and was set aside: ${e.message}` });
    return false;
  }
}

function loadPrefs() {
  try {
    const p = JSON.parse(localStorage.getItem(PREFS_KEY) || "{}");
    if (Number.isInteger(p.speed) && p.speed >= 0 && p.speed < SPEEDS.length) speedIdx = p.speed;
    if (typeof p.window === "string" && [...$("#window").options].some((o) => o.value === p.window)) $("#window").value = p.window;
  } catch { /* ignore */ }
  setSpeed(speedIdx, false);
}

function savePrefs() {
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify({ speed: speedIdx, window: $("#window").value }));
  } catch { /* ignore */ }
}

// ------------------------------------------------------------------ time

function setPlaying(on) {
  playing = on;
  lastTs = null;
  carry = 0;
  const b = $("#play");
  b.textContent = on ? "❚❚ Pause" : "▶ Play";
  b.setAttribute("aria-pressed", String(on));
  if (!on) autosave(true);
}

function setSpeed(i, save = true) {
  speedIdx = Math.max(0, Math.min(SPEEDS.length - 1, i));
  const s = SPEEDS[speedIdx];
  $("#speed").value = String(speedIdx);
  $("#speed").setAttribute("aria-valuetext", s.label);
  setText($("#speed-label"), s.label);
  if (save) savePrefs();
}

/** Advance the clock by dt ms, applying scripted ops on the way. */
function advance(dt) {
  const target = Math.min(h.nowMs + dt, LIMITS.endMs);
  while (script.length && script[0].atMs <= target) {
    const op = script.shift();
    if (op.atMs > h.nowMs) h.step(op.atMs - h.nowMs);
    const { atMs, ...rest } = op; // eslint-disable-line no-unused-vars
    perform(rest, $("#lesson-error"));
  }
  if (target > h.nowMs) h.step(target - h.nowMs);
  session.endMs = h.nowMs;
  if (h.nowMs >= LIMITS.endMs && playing) {
    setPlaying(false);
    setText($("#session-status"), `Stopped at ${fmtDur(LIMITS.endMs)}, the longest session this page keeps.`);
  }
  perf.steps++;
  uiDirty = ganttDirty = true;
}

function stepOnce() {
  const v = $("#step-size").value;
  const dt = v === "quantum" ? h.quantumMs : v === "switch" ? h.switchCostMs : Number(v);
  try {
    advance(Math.max(1, dt));
  } catch (e) {
    showError($("#sched-error"), e);
  }
}

function frame(ts) {
  const t0 = performance.now();
  // While playing, one stage of the panel refresh per frame, before the step so that at
  // full speed the step gets what is left of the frame's budget.
  let stageMs = 0;
  if (playing && h && !DEBUG.noUi) {
    // bigger sessions refresh their panels less often (metrics() grows with the VM count)
    const every = Math.max(UI_INTERVAL_MS, 2 * laneCache.ids.length);
    if (uiStage < 0 && ts - lastUi >= every) {
      uiStage = 0;
      lastUi = ts;
    }
    if (uiStage >= 0) {
      const s0 = performance.now();
      runStage(uiStage, ts);
      stageMs = performance.now() - s0;
      part(`stage${uiStage}`, stageMs);
      uiStage = uiStage + 1 >= STAGES ? -1 : uiStage + 1;
    }
  }
  if (playing && h) {
    const real = lastTs == null ? 0 : Math.min(250, ts - lastTs);
    const s = SPEEDS[speedIdx];
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
        advance(dt);
      } catch (e) {
        setPlaying(false);
        showError($("#sched-error"), e);
      }
      const took = performance.now() - a;
      part("step", took);
      if (s.ms === Infinity && dt >= maxChunk * 0.99) {
        maxChunk = Math.min(7 * 86_400_000, Math.max(1000, took < 1.5 ? maxChunk * 1.15 : took > 3 ? maxChunk * 0.7 : maxChunk));
        simRate = 0.9 * simRate + 0.1 * (dt / Math.max(1, real) * 1000);
      }
    }
    autosave(false);
  }
  lastTs = ts;
  if (playing && h) {
    setText(clockEl, fmtClock(h.nowMs));
    const e0 = performance.now();
    readEvents();
    part("events", performance.now() - e0);
  }
  if (ganttDirty && !DEBUG.noGantt) {
    const g0 = performance.now();
    drawGantt();
    part("gantt", performance.now() - g0);
  }
  if (!playing && uiDirty && !DEBUG.noUi) updateUi(ts);
  if (lifecycle.hot.size) lifecycle.expire();
  const work = performance.now() - t0;
  perf.work.push(work);
  perf.frames.push(ts);
  if (perf.work.length > perf.max) {
    perf.work.shift();
    perf.frames.shift();
  }
  requestAnimationFrame(frame);
}

function windowMs() {
  const v = $("#window").value;
  if (v !== "auto") return Number(v);
  const s = SPEEDS[speedIdx];
  const rate = s.ms === Infinity ? simRate : s.ms;
  const q = h ? h.quantumMs : 600_000;
  // grows with the session until it spans ~12 s of real time at this speed, then scrolls
  const span = Math.min(3 * 86_400_000, Math.max(6 * q, rate * 12));
  return h ? Math.min(span, Math.max(6 * q, Math.ceil(h.nowMs * 1.25))) : span;
}

function drawGantt() {
  ganttDirty = false;
  store.pull(h);
  gantt.draw(store, laneIds(), h.nowMs, windowMs());
}

let laneCache = { ids: [] };
function laneIds() {
  return laneCache.ids;
}

// ------------------------------------------------------------------ UI refresh

/**
 * The panels are refreshed in stages, one stage per animation frame while playing, so no
 * single frame pays for all of them (metrics() of 256 VMs alone is several ms):
 *   0 metrics(), clock, summary     1 VM rows (the visible page)   2 charts
 *   3 event log, lifecycle diagram  4 profiler (at most 1/s)       5 systemResources(), gauges
 * When paused, or after an operation, all stages run at once.
 */
const STAGES = 6;
let uiStage = -1;
let uiData = null;

function updateUi(ts) {
  for (let i = 0; i < STAGES; i++) runStage(i, ts);
  uiStage = -1;
  uiDirty = false;
  lastUi = ts;
}

function runStage(i, ts) {
  switch (i) {
    case 0: {
      const m = h.metrics();
      lastMetrics = m;
      uiData = { m };
      const ids = m.perVm.map((v) => v.vmId);
      if (ids.join("\u0000") !== laneCache.ids.join("\u0000")) {
        laneCache = { ids };
        ganttDirty = true;
      }
      setText($("#clock"), fmtClock(h.nowMs));
      renderSummary(m);
      break;
    }
    case 5:
      renderGauges(h.systemResources(), uiData.m);
      break;
    case 1:
      renderVms(uiData.m.perVm);
      syncTuneSelect(laneCache.ids);
      break;
    case 2:
      charts.sample(uiData.m);
      charts.draw();
      kinetic.update(h, uiData.m);
      break;
    case 3: {
      flushLog();
      lifecycle.update(countStates(uiData.m.perVm), destroyed);
      const open = store.open;
      const n = laneCache.ids.length;
      setText($("#running-now"), open ? (open.kind === "switch" ? `now: switching to ${open.vm}` : `now running: ${open.vm}`) : "machinery idle");
      $("#gantt").setAttribute("aria-label", `Scheduling timeline of the last ${fmtDur(windowMs())}, ${n} lane${n === 1 ? "" : "s"}; ${open ? (open.kind === "switch" ? `switching to ${open.vm}` : `${open.vm} holds the shared ribosomes`) : "the machinery is idle"}.`);
      break;
    }
    case 4:
      if (ts - lastProfiler >= PROFILER_INTERVAL_MS || !playing) {
        lastProfiler = ts;
        renderProfiler(h.profilerReport());
      }
      break;
  }
}

function countStates(perVm) {
  const c = {};
  for (const v of perVm) c[v.state] = (c[v.state] || 0) + 1;
  return c;
}

// gauges ---------------------------------------------------------------

const POOLS = [
  ["ribosomes", "Ribosomes", (n) => fmtInt(n)],
  ["rnaPolymerase", "RNA polymerases", (n) => fmtInt(n)],
  ["atp", "ATP supply", (n) => `${+n.toFixed(2)} %`],
  ["memoryKb", "Memory (DNA, kb)", (n) => fmtInt(n)],
];
let gaugeEls = null;

function renderGauges(res, m) {
  const box = $("#gauges");
  if (!gaugeEls) {
    gaugeEls = {};
    for (const [key, label] of POOLS) {
      const host = el("span", { class: "seg host" }), alloc = el("span", { class: "seg alloc" }), free = el("span", { class: "seg free" });
      const bar = el("div", { class: "bar", role: "img" }, host, alloc, free);
      const n1 = el("span", { class: "l" }), n2 = el("span", { class: "l" });
      const nums = el("p", { class: "nums" }, n1, n2);
      box.append(el("div", { class: "gauge", dataset: { pool: key } }, el("h3", null, label), bar, nums));
      gaugeEls[key] = { bar, host, alloc, free, n1, n2 };
    }
    const v1 = el("span", { class: "l" }), v2 = el("span", { class: "l" });
    const vmsNums = el("p", { class: "nums" }, v1, v2);
    const vmsBar = el("div", { class: "bar", role: "img" }, el("span", { class: "seg alloc" }), el("span", { class: "seg free" }));
    box.append(el("div", { class: "gauge", dataset: { pool: "vms" } }, el("h3", null, "VM slots"), vmsBar, vmsNums));
    gaugeEls.vms = { bar: vmsBar, v1, v2 };
  }
  for (const [key, label, f] of POOLS) {
    const p = res[key];
    const g = gaugeEls[key];
    const pct = (x) => `${p.total > 0 ? (100 * x) / p.total : 0}%`;
    g.host.style.width = pct(p.reserved);
    g.alloc.style.width = pct(p.allocated);
    g.free.style.width = pct(p.free);
    const l1 = `total ${f(p.total)} · host ${f(p.reserved)}`, l2 = `VMs ${f(p.allocated)} · free ${f(p.free)}`;
    const text = `total ${f(p.total)}, host reserve ${f(p.reserved)}, reserved by VMs ${f(p.allocated)}, free ${f(p.free)}`;
    setText(g.n1, l1);
    setText(g.n2, l2);
    g.bar.setAttribute("aria-label", `${label}: ${text}`);
  }
  const v = gaugeEls.vms;
  const [a, fr] = v.bar.children;
  a.style.width = `${(100 * res.vmCount) / Math.max(1, res.maxVms)}%`;
  fr.style.width = `${100 - (100 * res.vmCount) / Math.max(1, res.maxVms)}%`;
  const t1 = `${res.vmCount} of ${res.maxVms} VMs · ${res.activeVms} active`, t2 = `shared ribosomes ${fmtInt(m.sharedRibosomes)} · ATP level ${m.atpLevelPercent.toFixed(0)} %`;
  const t = `${t1}; ${t2}`;
  setText(v.v1, t1);
  setText(v.v2, t2);
  v.bar.setAttribute("aria-label", `VM slots: ${t}`);
  setText($("#chassis-name"), chassisInfo ? chassisInfo.name : res.chassis);
}

// VM rows --------------------------------------------------------------

function makeRow(v) {
  const idText = el("span", { class: "vm-id" }, v.vmId);
  const sub = el("span", { class: "sub" }, `${v.biologicalType} · ${v.vmType}`);
  const badge = el("span", { class: "badge" });
  const res1 = el("span", { class: "l" }), res2 = el("span", { class: "l" });
  const reservation = el("td", { "data-label": "Reservation", class: "res" }, el("div", null, res1, res2));
  const mt1 = el("span", { class: "l" }), sw = el("span", { class: "l sub" });
  const mtime = el("td", { "data-label": "Machinery time", class: "num" }, el("div", null, mt1, sw));
  const shareText = el("span", { class: "share-text" });
  const shareFill = el("span", { class: "fill" });
  const fairMark = el("span", { class: "fair" });
  const shareBar = el("span", { class: "sharebar", "aria-hidden": "true" }, shareFill, fairMark);
  const aa = el("td", { "data-label": "Amino acids", class: "num" });
  const err = el("div", { class: "error row-error", role: "alert", hidden: true });
  const buttons = {};
  const btns = ACTIONS.map(([key, label]) => {
    const b = el("button", { type: "button", class: `act act-${key}`, dataset: { action: key }, "aria-label": `${label} ${v.vmId}` }, label);
    buttons[key] = b;
    return b;
  });
  const tune = el("button", { type: "button", class: "act act-tune", dataset: { action: "tune" }, "aria-label": `Tune ${v.vmId}` }, "Tune…");
  const tr = el("tr", { dataset: { vm: v.vmId } },
    el("th", { scope: "row", "data-label": "VM" }, el("div", null, idText, sub)),
    el("td", { "data-label": "State" }, badge),
    reservation, mtime,
    el("td", { "data-label": "Share vs fair share" }, el("div", null, shareBar, shareText)),
    aa,
    el("td", { "data-label": "Actions", class: "actions" }, el("div", null, el("div", { class: "btns", role: "group", "aria-label": `Lifecycle of ${v.vmId}` }, btns, tune), err)));
  const r = { tr, badge, res1, res2, mt1, shareText, shareFill, fairMark, aa, sw, err, buttons, state: null };
  rows.set(v.vmId, r);
  return r;
}

const PAGE_SIZE = 24;
let vmPage = 0;

function renderVms(perVm) {
  const body = $("#vm-rows");
  const pages = Math.max(1, Math.ceil(perVm.length / PAGE_SIZE));
  vmPage = Math.min(vmPage, pages - 1);
  const first = vmPage * PAGE_SIZE;
  const visible = perVm.slice(first, first + PAGE_SIZE);
  const shown = new Set();
  let prev = null;
  for (const v of visible) {
    shown.add(v.vmId);
    let r = rows.get(v.vmId);
    if (!r) r = makeRow(v);
    // keep DOM order = list order
    const want = prev ? prev.nextSibling : body.firstChild;
    if (r.tr !== want) body.insertBefore(r.tr, want);
    prev = r.tr;
    if (r.state !== v.state) {
      r.state = v.state;
      r.badge.className = `badge state-${v.state}`;
      r.badge.textContent = `${STATE_GLYPH[v.state] ?? ""} ${v.state}`;
      r.tr.dataset.state = v.state;
      for (const [key, , , ok] of ACTIONS) r.buttons[key].classList.toggle("unavailable", !ok.includes(v.state));
    }
    setText(r.res1, `${fmtInt(v.ribosomes)} rib · ${fmtInt(v.rnaPolymerase)} RNAP`);
    setText(r.res2, `${+v.atpPercent.toFixed(2)} % ATP · ${fmtInt(v.memoryKb)} kb`);
    setText(r.mt1, fmtDur(v.machineryTimeMs));
    setText(r.shareText, `${fmtPct(v.shareReceived)} · fair ${fmtPct(v.fairShare, 0)}`);
    r.shareFill.style.width = `${Math.min(100, v.shareReceived * 100)}%`;
    r.fairMark.style.left = `${Math.min(100, v.fairShare * 100)}%`;
    setText(r.aa, fmtAa(v.aaProduced));
    setText(r.sw, `${fmtInt(v.contextSwitches)} switch${v.contextSwitches === 1 ? "" : "es"}`);
  }
  const exists = perVm.length > PAGE_SIZE ? new Set(perVm.map((v) => v.vmId)) : shown;
  for (const [id, r] of rows) {
    if (!shown.has(id) && r.tr.parentNode) r.tr.remove();
    if (!exists.has(id)) rows.delete(id);
  }
  $("#no-vms").hidden = perVm.length > 0;
  setText($("#vm-count"), perVm.length ? `(${perVm.length})` : "");
  const pager = $("#vm-pager");
  pager.hidden = pages <= 1;
  if (pages > 1) {
    setText($("#vm-range"), `VMs ${first + 1}–${first + visible.length} of ${perVm.length}`);
    $("#vm-prev").disabled = vmPage === 0;
    $("#vm-next").disabled = vmPage >= pages - 1;
  }
}

function onRowClick(ev) {
  const b = ev.target.closest("button[data-action]");
  if (!b) return;
  const tr = b.closest("tr");
  const id = tr?.dataset.vm;
  const r = id != null ? rows.get(id) : null;
  if (!r) return;
  const action = b.dataset.action;
  if (action === "tune") {
    $("#tune-vm").value = id;
    fillTune(id);
    $("#tune-priority").focus();
    return;
  }
  const def = ACTIONS.find((a) => a[0] === action);
  if (!def) return;
  const ok = perform({ op: def[2], vmId: id }, r.err);
  if (ok) {
    updateUi(performance.now());
    if (action === "destroy") {
      // the row is gone: keep the focus nearby
      const next = $("#vm-rows button.act-start") || $("#vm-id");
      next.focus();
    }
  }
}

// summary, profiler ------------------------------------------------------

let summaryEls = null;
function renderSummary(m) {
  const items = [
    ["Scheduler", `${h.scheduler} · quantum ${fmtDur(h.quantumMs)} · switch ${fmtDur(h.switchCostMs)}`],
    ["Fairness (Jain)", m.fairnessIndex.toFixed(3)],
    ["Machinery busy", fmtPct(m.machineryBusy)],
    ["Switch overhead", `${m.overheadPercent.toFixed(2)} %`],
    ["Context switches", fmtInt(m.contextSwitches)],
    ["Decisions", fmtInt(m.decisions)],
    ["Throughput", `${fmtAa(m.throughputAaPerS)}/s`],
    ["Cycles completed", fmtInt(m.completedCycles)],
  ];
  const box = $("#summary");
  if (!summaryEls) {
    summaryEls = items.map(([k]) => {
      const dd = el("dd");
      box.append(el("div", null, el("dt", null, k), dd));
      return dd;
    });
  }
  items.forEach(([, v], i) => setText(summaryEls[i], v));
}

function renderProfiler(rep) {
  const box = $("#profiler");
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

// events ---------------------------------------------------------------

const SCHED_EVENTS = new Set(["context_switch", "scheduler_changed", "scheduling_changed", "reservation_changed", "atp_supply_changed"]);
const CYCLE_EVENTS = new Set(["cycle_completed", "workload_finished"]);

function describeEvent(e) {
  const who = e.vm ?? "";
  switch (e.type) {
    case "context_switch": return e.from ? `${who} takes the machinery from ${e.from}` : `${who} takes the idle machinery`;
    case "cycle_completed": return `${who} completed work cycle ${e.cycle}`;
    case "workload_finished": return `${who} finished its workload (stopped)`;
    case "faulted": return `${who} faulted: ${e.reason}`;
    case "scheduler_changed": return `scheduler changed to ${e.scheduler}`;
    case "scheduling_changed": return `${who}: scheduling parameters changed`;
    case "reservation_changed": return `${who}: reservation changed`;
    case "atp_supply_changed": return `ATP supply set to ${e.percent} % of normal`;
    default: return `${who} ${e.type}`;
  }
}

let pendingLog = []; // events read but not yet shown (newest last)

/** Read new events (cheap in small batches: called every frame while playing). */
function readEvents() {
  const evs = h.events(eventCursor);
  if (!evs.length) return;
  eventCursor = evs[evs.length - 1].id + 1;
  for (const e of evs) {
    const prev = e.vm != null ? vmState.get(e.vm) : undefined;
    const tr = transitionOf(e.type, prev);
    if (tr && e.vm != null) {
      if (tr[1] === "destroyed") {
        vmState.delete(e.vm);
        destroyed++;
      } else vmState.set(e.vm, tr[1]);
      lifecycle.flash(tr[0] === "new" ? "created" : tr[0], tr[1]);
    }
  }
  // at full speed only the newest events reach the log (all of them drive the diagram)
  const keep = playing ? 25 : LOG_MAX;
  pendingLog = pendingLog.length + evs.length > keep ? pendingLog.concat(evs).slice(-keep) : pendingLog.concat(evs);
}

/** Show the pending events in the log (newest first). */
function flushLog() {
  readEvents();
  if (!pendingLog.length) return;
  const showL = $("#log-lifecycle").checked, showS = $("#log-sched").checked, showC = $("#log-cycles").checked;
  const frag = document.createDocumentFragment();
  for (const e of pendingLog) {
    const kind = SCHED_EVENTS.has(e.type) ? "sched" : CYCLE_EVENTS.has(e.type) ? "cycles" : "lifecycle";
    const li = el("li", { class: `ev ev-${kind}`, dataset: { type: e.type } }, el("span", { class: "t" }, fmtClock(e.timeMs)), " ", describeEvent(e));
    li.hidden = (kind === "sched" && !showS) || (kind === "cycles" && !showC) || (kind === "lifecycle" && !showL);
    frag.prepend(li);
  }
  pendingLog = [];
  const log = $("#log");
  log.prepend(frag);
  while (log.childElementCount > LOG_MAX) log.lastElementChild.remove();
}

// chassis and scheduler info -------------------------------------------------

function renderChassisInfo() {
  const c = chassisInfo;
  const hr = c.hostReserve;
  setChildren($("#chassis-info"),
    el("p", null, el("strong", null, c.name), "."),
    el("ul", { class: "facts" },
      el("li", null, `${fmtInt(c.ribosomes)} ribosomes${c.orthogonalFraction != null ? ` (${(c.orthogonalFraction * 100).toFixed(1)} % orthogonal, the only ones guests may use)` : ""}, ${fmtInt(c.rnaPolymerases)} RNA polymerases`),
      el("li", null, `elongation ${c.elongationAaPerS} aa/s; mean protein ${fmtInt(c.meanProteinAa)} aa`),
      el("li", null, `host reserve: ${(hr.ribosomes * 100).toFixed(1)} % of ribosomes, ${(hr.atp * 100).toFixed(0)} % of ATP`),
      el("li", null, `context switch = ribosome run-off ${fmtDur(c.switchCostMs)}; default quantum ${fmtDur(c.defaultQuantumMs)}`),
      el("li", null, `doubling time ${c.doublingTimeMin} min; at most ${c.maxVms} VMs`)),
    el("details", null, el("summary", null, "Where the numbers come from"), el("ul", { class: "sources" }, c.sources.map((s) => el("li", null, s)))));
}

const SCHED_PARAMS = {
  priority: ["priority"],
  mlfq: ["mlfq"],
};

function renderSchedulerInfo() {
  const name = $("#scheduler").value;
  const extra = {
    credit: " Uses each VM's weight and cap.",
    lottery: " Tickets = weight; the draw uses the session seed.",
    eevdf: " Uses each VM's weight.",
    priority: " Uses each VM's priority (1–10).",
    round_robin: " Ignores weights and priorities.",
    fcfs: " Ignores weights; an endless workload never gives the machinery back.",
  }[name] ?? "";
  setText($("#scheduler-desc"), bioxen.describeScheduler(name) + "." + extra);
  for (const lab of document.querySelectorAll("#sched-form label[data-for]")) {
    lab.hidden = !(SCHED_PARAMS[name] || []).includes(lab.dataset.for);
  }
}

function syncSchedulerParams() {
  $("#quantum").value = String(h.quantumMs / 1000);
  $("#aging").value = "";
  $("#mlfq-boost").value = "";
  $("#mlfq-levels").value = "";
  $("#aging").placeholder = `default ${+(h.quantumMs * 10 / 60000).toFixed(1)}`;
  $("#mlfq-boost").placeholder = `default ${+(h.quantumMs * 20 / 60000).toFixed(1)}`;
  $("#mlfq-levels").placeholder = "default";
}

function schedulerOptions(name) {
  const o = {};
  const num = (id) => {
    const s = $(id).value.trim();
    return s === "" ? undefined : Number(s);
  };
  const q = num("#quantum");
  if (q !== undefined) o.quantumMs = Math.round(q * 1000);
  if (name === "priority" && num("#aging") !== undefined) o.agingMs = Math.round(num("#aging") * 60_000);
  if (name === "mlfq") {
    if (num("#mlfq-boost") !== undefined) o.mlfqBoostMs = Math.round(num("#mlfq-boost") * 60_000);
    if (num("#mlfq-levels") !== undefined) o.mlfqLevels = num("#mlfq-levels");
  }
  return o;
}

// tune panel ------------------------------------------------------------

function syncTuneSelect(ids) {
  const sel = $("#tune-vm");
  const cur = [...sel.options].map((o) => o.value);
  if (cur.join("\u0000") === ids.join("\u0000")) return;
  const keep = sel.value;
  fillSelect(sel, ids);
  if (ids.includes(keep)) sel.value = keep;
  if (sel.value !== keep) fillTune(sel.value);
}

function fillTune(id) {
  const v = lastMetrics?.perVm.find((x) => x.vmId === id);
  const set = (sel, val) => { $(sel).value = val == null ? "" : String(val); };
  set("#tune-priority", v?.priority);
  set("#tune-weight", v?.weight);
  set("#tune-cap", v?.cap);
  set("#tune-ribosomes", v?.ribosomes);
  set("#tune-rnap", v?.rnaPolymerase);
  set("#tune-atp", v?.atpPercent);
  set("#tune-mem", v?.memoryKb);
  clearError($("#tune-sched-error"));
  clearError($("#tune-res-error"));
}

/** Number fields to a request object; empty fields are left out, bad text is passed as NaN so the package says why. */
function numbers(map) {
  const out = {};
  for (const [key, sel] of Object.entries(map)) {
    const input = $(sel);
    const s = input.value.trim();
    if (s === "" && !input.validity.badInput) continue;
    out[key] = s === "" ? NaN : Number(s);
  }
  return out;
}

// ------------------------------------------------------------------ create form

function updateFormPlaceholders() {
  const d = defaults[$("#vm-bio").value] || {};
  const ph = { "#vm-ribosomes": d.ribosomes, "#vm-rnap": d.rnaPolymerase, "#vm-atp": d.atpPercent, "#vm-mem": d.memoryKb,
    "#vm-priority": d.priority, "#vm-weight": d.weight, "#vm-cap": d.cap, "#vm-workload": d.workloadAa };
  for (const [sel, v] of Object.entries(ph)) $(sel).placeholder = v == null ? "" : `default ${v}`;
  $("#xcpng-fields").hidden = $("#vm-type").value !== "xcpng";
}

function createFromForm() {
  const vmId = $("#vm-id").value;
  const biologicalType = $("#vm-bio").value;
  const vmType = $("#vm-type").value;
  const config = numbers({
    ribosomes: "#vm-ribosomes", rnaPolymerase: "#vm-rnap", atpPercent: "#vm-atp", memoryKb: "#vm-mem",
    priority: "#vm-priority", weight: "#vm-weight", cap: "#vm-cap", cycles: "#vm-cycles", workloadAa: "#vm-workload",
  });
  let password;
  if (vmType === "xcpng") {
    config.xapiUrl = $("#vm-xapi").value;
    config.username = $("#vm-user").value;
    config.sshUser = $("#vm-ssh").value;
    password = $("#vm-password").value;
    config.password = password;
  }
  const errEl = $("#create-error");
  // The package checks everything; an empty xcpng password is its error too.
  const ok = perform({ op: "createVm", vmId, biologicalType, vmType, config }, errEl, { password });
  if (!ok) return false;
  $("#vm-password").value = "";
  if ($("#vm-autostart").checked) perform({ op: "startVm", vmId }, errEl);
  const m = /^(.*?)(\d+)$/.exec(vmId);
  $("#vm-id").value = m ? `${m[1]}${Number(m[2]) + 1}` : `${vmId}-2`;
  updateUi(performance.now());
  return true;
}

// ------------------------------------------------------------------ presets

function buildPresets() {
  const list = $("#presets");
  for (const p of PRESETS) {
    const b = el("button", { type: "button", class: "preset", dataset: { preset: p.id }, "aria-describedby": `preset-${p.id}-d` }, p.title);
    list.append(el("li", null, b, el("p", { id: `preset-${p.id}-d`, class: "hint" }, p.blurb)));
    b.addEventListener("click", () => loadPreset(p));
  }
}

function loadPreset(p) {
  const s = { ...newSession({ chassis: p.session.chassis, scheduler: p.session.scheduler, options: p.session.options, meta: { title: p.title, preset: p.id } }), ops: p.session.ops.map((o) => structuredClone(o)) };
  let built;
  try {
    built = replay(bioxen, s);
  } catch (e) {
    showError($("#session-error"), e);
    return;
  }
  adopt(built.h, s);
  script = p.script.map((o) => structuredClone(o));
  activePreset = p;
  setText($("#h-lesson"), `Scenario: ${p.title}`);
  setChildren($("#lesson-body"),
    p.lesson.map((t) => el("p", null, t)),
    script.length ? el("p", { class: "hint" }, `Scripted: ${script.map((o) => `${o.op}${o.name ? " " + o.name : ""}${o.vmId ? " " + o.vmId : ""}${o.percent != null ? " " + o.percent + " %" : ""}${o.request ? " " + JSON.stringify(o.request) : ""} at ${fmtClock(o.atMs)}`).join("; ")}.`) : null,
    el("div", { id: "lesson-error", class: "error", role: "alert", hidden: true }));
  $("#lesson").hidden = false;
  $("#cmp-a").value = p.compare[0];
  $("#cmp-b").value = p.compare[1];
  const si = SPEEDS.findIndex((x) => x.id === p.speed);
  if (si >= 0) setSpeed(si);
  if (p.form) {
    $("#vm-id").value = p.form.vmId;
    $("#vm-bio").value = p.form.biologicalType;
    $("#vm-type").value = "basic";
    for (const sel of ["#vm-ribosomes", "#vm-rnap", "#vm-atp", "#vm-mem", "#vm-priority", "#vm-weight", "#vm-cap", "#vm-cycles", "#vm-workload"]) $(sel).value = "";
    $("#vm-ribosomes").value = String(p.form.ribosomes);
    updateFormPlaceholders();
    if (p.form.submit && !createFromForm()) {
      const box = $("#lesson-error");
      showError(box, lastRefusal);
      box.prepend(el("span", null, "The package's answer: "));
    }
  }
  setPlaying(!p.form);
  $("#lesson").scrollIntoView?.({ block: "nearest" });
}

// ------------------------------------------------------------------ import / export

function exportSession() {
  const text = serializeSession(currentSession());
  const blob = new Blob([text], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: `bioxen-session-${session.chassis}-${Math.round(h.nowMs / 1000)}s.json` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  setText($("#session-status"), `Exported ${session.ops.length} operations at t = ${fmtClock(h.nowMs)}.`);
}

async function importFile(file) {
  const errEl = $("#session-error");
  if (!file) return;
  if (file.size > LIMITS.bytes) {
    showError(errEl, { code: "INVALID_SESSION", message: `Import refused: ${file.name} is ${fmtInt(file.size)} bytes; the limit is ${fmtInt(LIMITS.bytes)}. The current session is unchanged.` });
    return;
  }
  let text;
  try {
    text = await file.text();
  } catch (e) {
    showError(errEl, { code: "INVALID_SESSION", message: `Import refused: could not read the file (${e.message}). The current session is unchanged.` });
    return;
  }
  let s, built;
  try {
    s = parseSession(text, bioxen);
    built = replay(bioxen, s);
  } catch (e) {
    showError(errEl, { code: e.code || "INVALID_SESSION", message: `Import refused: ${e.message}. The current session is unchanged.` });
    return;
  }
  setPlaying(false);
  adopt(built.h, { ...s, ops: [...s.ops] });
  clearError(errEl);
  setText($("#session-status"), `Imported ${s.ops.length} operations; replayed to t = ${fmtClock(built.h.nowMs)}.`);
}

// ------------------------------------------------------------------ chassis change, new session

/** Replay this session under the other machinery model (simple or kinetic). */
function switchMachinery(name) {
  const options = { ...session.options };
  if (name === "kinetic") options.machinery = name;
  else delete options.machinery;
  // the kinetic model measures context switches: a fixed cost does not apply to it
  if (name === "kinetic") delete options.contextSwitchMs;
  switchChassis(session.chassis, options);
}

function switchChassis(name, options = session.options) {
  const errEl = $("#chassis-error");
  const s = { ...currentSession(), chassis: name, options: { ...options } };
  let built;
  try {
    built = replay(bioxen, s, { lenient: true });
  } catch (e) {
    $("#chassis").value = session.chassis;
    $("#machinery").value = h.machinery;
    showError(errEl, e);
    return;
  }
  const keep = { script, activePreset };
  adopt(built.h, { ...s, ops: built.ops }, { keepScript: true });
  ({ script, activePreset } = keep);
  if (built.refused.length) {
    showError(errEl, {
      code: "REPLAYED_WITH_REFUSALS",
      message: `On ${name}, ${built.refused.length} operation(s) were refused and left out: ` +
        built.refused.map((r) => `${r.op.op} ${r.op.vmId ?? r.op.name ?? ""} (${r.error.code}: ${r.error.message})`).join("; "),
    });
  }
}

function newEmptySession() {
  const errEl = $("#new-error");
  const options = {};
  const seed = $("#seed").value.trim();
  const maxVms = $("#max-vms").value.trim();
  if (seed !== "") options.seed = Number(seed);
  if (maxVms !== "") options.maxVms = Number(maxVms);
  if ($("#machinery").value === "kinetic") options.machinery = "kinetic";
  const s = newSession({ chassis: $("#chassis").value, scheduler: $("#scheduler").value, options });
  let built;
  try {
    built = replay(bioxen, s);
  } catch (e) {
    showError(errEl, e.cause ?? e);
    return;
  }
  clearError(errEl);
  setPlaying(false);
  adopt(built.h, s);
  setText($("#session-status"), "Started a new empty session.");
}

// ------------------------------------------------------------------ compare

let compareViews = [];

function runCompare() {
  const errEl = $("#cmp-error");
  const a = $("#cmp-a").value, b = $("#cmp-b").value;
  const until = $("#cmp-until").value === "now" ? h.nowMs : Math.min(LIMITS.endMs, h.nowMs + Number($("#cmp-until").value));
  const base = currentSession();
  const ops = [...base.ops, ...script.filter((o) => o.atMs <= until && o.atMs >= base.endMs)];
  const s = { ...base, ops, endMs: until };
  const results = [];
  try {
    for (const name of [a, b]) {
      const r = replay(bioxen, s, { scheduler: name, untilMs: until });
      const st = new SegmentStore();
      st.pull(r.h);
      const m = r.h.metrics();
      results.push({ name, m, store: st });
      r.h.free();
    }
  } catch (e) {
    showError(errEl, e);
    return;
  }
  clearError(errEl);
  renderCompare(results, until);
}

function renderCompare(results, until) {
  const out = $("#compare-out");
  for (const v of compareViews) v.ro?.disconnect();
  compareViews = [];
  const [A, B] = results;
  const rowsM = [
    ["Fairness (Jain)", (m) => m.fairnessIndex.toFixed(3)],
    ["Machinery busy", (m) => fmtPct(m.machineryBusy)],
    ["Switch overhead", (m) => `${m.overheadPercent.toFixed(2)} %`],
    ["Context switches", (m) => fmtInt(m.contextSwitches)],
    ["Decisions", (m) => fmtInt(m.decisions)],
    ["Throughput", (m) => `${fmtAa(m.throughputAaPerS)}/s`],
    ["Cycles completed", (m) => fmtInt(m.completedCycles)],
  ];
  const ids = [...new Set([...A.m.perVm.map((v) => v.vmId), ...B.m.perVm.map((v) => v.vmId)])];
  const vmCell = (m, id) => {
    const v = m.perVm.find((x) => x.vmId === id);
    return v ? `${fmtPct(v.shareReceived)} (fair ${fmtPct(v.fairShare)}) · wait ${fmtDur(v.waitTimeMs)} · ${v.responseTimeMs == null ? "never ran" : `response ${fmtDur(v.responseTimeMs)}`}` : "–";
  };
  const table = el("table", { class: "cmp" },
    el("caption", null, `Same session and seed, run to t = ${fmtClock(until)}`),
    el("thead", null, el("tr", null, el("th", { scope: "col" }, "Measure"), el("th", { scope: "col" }, A.name), el("th", { scope: "col" }, B.name))),
    el("tbody", null,
      rowsM.map(([k, f]) => el("tr", null, el("th", { scope: "row" }, k), el("td", null, f(A.m)), el("td", null, f(B.m)))),
      ids.map((id) => el("tr", null, el("th", { scope: "row" }, `${id}: share`), el("td", null, vmCell(A.m, id)), el("td", null, vmCell(B.m, id))))));
  const ganttBoxes = results.map((r) => {
    const canvas = el("canvas", { role: "img", "aria-label": `Timeline under ${r.name}` });
    const wrap = el("div", { class: "canvas-wrap" }, canvas);
    return { r, canvas, box: el("figure", { class: "cmp-gantt" }, el("figcaption", null, r.name), wrap) };
  });
  setChildren(out, table, el("div", { class: "cmp-gantts" }, ganttBoxes.map((g) => g.box)));
  const span = Math.min(until, Math.max(6 * h.quantumMs, Math.min(until, 12 * 3_600_000)));
  for (const g of ganttBoxes) {
    const gc = new Gantt(g.canvas, { maxHeight: 200 });
    const redraw = () => gc.draw(g.r.store, ids, until, span);
    redraw();
    if (typeof ResizeObserver !== "undefined") {
      const ro = new ResizeObserver(() => { gc.resize(ids.length); redraw(); });
      ro.observe(g.canvas.parentElement);
      compareViews.push({ ro });
    }
  }
}

// ------------------------------------------------------------------ wiring

function wire() {
  $("#play").addEventListener("click", () => setPlaying(!playing));
  $("#step").addEventListener("click", () => { setPlaying(false); stepOnce(); });
  $("#speed").addEventListener("input", () => setSpeed(Number($("#speed").value)));
  $("#window").addEventListener("change", () => { ganttDirty = true; savePrefs(); });
  $("#vm-bio").addEventListener("change", updateFormPlaceholders);
  $("#vm-type").addEventListener("change", updateFormPlaceholders);
  $("#create-form").addEventListener("submit", (e) => { e.preventDefault(); createFromForm(); });
  $("#vm-rows").addEventListener("click", onRowClick);
  $("#vm-prev").addEventListener("click", () => { vmPage = Math.max(0, vmPage - 1); updateUi(performance.now()); });
  $("#vm-next").addEventListener("click", () => { vmPage++; updateUi(performance.now()); });

  $("#scheduler").addEventListener("change", () => {
    const name = $("#scheduler").value;
    renderSchedulerInfo();
    const ok = perform({ op: "setScheduler", name, options: schedulerOptions(name) }, $("#sched-error"));
    if (!ok) {
      $("#scheduler").value = h.scheduler;
      renderSchedulerInfo();
    } else syncSchedulerParams();
  });
  $("#sched-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const name = h.scheduler;
    if (perform({ op: "setScheduler", name, options: schedulerOptions(name) }, $("#sched-error"))) {
      const keep = { aging: $("#aging").value, boost: $("#mlfq-boost").value, levels: $("#mlfq-levels").value };
      syncSchedulerParams();
      $("#aging").value = keep.aging;
      $("#mlfq-boost").value = keep.boost;
      $("#mlfq-levels").value = keep.levels;
    }
  });

  $("#tune-vm").addEventListener("change", () => fillTune($("#tune-vm").value));
  $("#tune-sched-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const id = $("#tune-vm").value;
    const errEl = $("#tune-sched-error");
    if (!id) return showError(errEl, { code: "NOT_FOUND", message: "Create a VM first." });
    perform({ op: "setScheduling", vmId: id, request: numbers({ priority: "#tune-priority", weight: "#tune-weight", cap: "#tune-cap" }) }, errEl);
  });
  $("#tune-res-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const id = $("#tune-vm").value;
    const errEl = $("#tune-res-error");
    if (!id) return showError(errEl, { code: "NOT_FOUND", message: "Create a VM first." });
    perform({ op: "allocateResources", vmId: id, request: numbers({ ribosomes: "#tune-ribosomes", rnaPolymerase: "#tune-rnap", atpPercent: "#tune-atp", memoryKb: "#tune-mem" }) }, errEl);
  });

  $("#chassis").addEventListener("change", () => switchChassis($("#chassis").value));
  $("#machinery").addEventListener("change", () => switchMachinery($("#machinery").value));
  $("#atp-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const s = $("#atp-supply").value.trim();
    const before = new Set(lastMetrics?.perVm.filter((v) => v.state === "error").map((v) => v.vmId));
    if (perform({ op: "setAtpSupply", percent: s === "" ? NaN : Number(s) }, $("#atp-error"))) {
      const now = h.listVms().filter((v) => v.state === "error" && !before.has(v.vmId)).map((v) => v.vmId);
      setText($("#atp-result"), now.length ? `Faulted by the shortfall: ${now.join(", ")}.` : "No VM faulted.");
    }
  });

  $("#export").addEventListener("click", exportSession);
  $("#import").addEventListener("change", async (e) => {
    const f = e.target.files && e.target.files[0];
    await importFile(f);
    e.target.value = "";
  });
  $("#new-form").addEventListener("submit", (e) => { e.preventDefault(); newEmptySession(); });
  $("#compare-form").addEventListener("submit", (e) => { e.preventDefault(); runCompare(); });
  for (const id of ["#log-lifecycle", "#log-sched", "#log-cycles"]) $(id).addEventListener("change", () => {
    const show = { lifecycle: $("#log-lifecycle").checked, sched: $("#log-sched").checked, cycles: $("#log-cycles").checked };
    for (const li of $("#log").children) {
      const kind = li.classList.contains("ev-sched") ? "sched" : li.classList.contains("ev-cycles") ? "cycles" : "lifecycle";
      li.hidden = !show[kind];
    }
  });

  document.addEventListener("keydown", onKey);
  window.addEventListener("pagehide", () => autosave(true));
  document.addEventListener("visibilitychange", () => { if (document.hidden) autosave(true); });
}

function onKey(e) {
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  const t = e.target;
  if (t && (t.isContentEditable || ["INPUT", "SELECT", "TEXTAREA"].includes(t.tagName))) return;
  switch (e.key) {
    case "k":
    case "p":
      setPlaying(!playing);
      break;
    case ".":
      setPlaying(false);
      stepOnce();
      break;
    case "]":
      setSpeed(speedIdx + 1);
      break;
    case "[":
      setSpeed(speedIdx - 1);
      break;
    case "n":
      $("#vm-id").focus();
      $("#vm-id").select();
      break;
    case "g": {
      const first = $("#vm-rows button");
      (first || $("#vm-id")).focus();
      break;
    }
    default:
      return;
  }
  e.preventDefault();
}

// ------------------------------------------------------------------ test and benchmark hooks

window.__playground = {
  genome: () => genomeSummary(),
  get ready() { return document.body.dataset.ready === "true"; },
  nowMs: () => h.nowMs,
  scheduler: () => h.scheduler,
  session: () => currentSession(),
  metrics: () => h.metrics(),
  traceSegments: () => store.count() + (store.open ? 1 : 0),
  segmentsAfter: (t) => { let n = 0; store.eachBackwards((vm, s) => { if (s >= t) n++; return s >= t; }); return n; },
  perf: () => ({ frames: [...perf.frames], work: [...perf.work], steps: perf.steps, maxChunk, parts: structuredClone(perf.parts), ganttRects: gantt.lastDrawn, ganttWindowMs: windowMs() }),
  resetPerf: () => { perf.frames.length = 0; perf.work.length = 0; perf.steps = 0; perf.parts = {}; },
  setSpeedMax: () => setSpeed(SPEEDS.length - 1),
  play: (on = true) => setPlaying(on),
};

main();

