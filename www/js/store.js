// store.js: owns the playground's state and the actions that change it: the loaded package build
// (lite or full, see engine.js), the live Hypervisor, the live session (its operations so far),
// a preset's scripted operations, play state, speed and timeline window, the latest metrics and
// the event cursor. No DOM: panels read `store.state`, call the actions and subscribe to events:
//   "reset"   a new hypervisor was adopted (panels drop what they knew of the old one)
//   "op"      an operation succeeded ({ op })          "changed"  time moved or state changed
//   "events"  new hypervisor events (array)            "play", "speed", "window", "status"
//   "preset"  a preset was loaded (the preset)         "refused"  { source, error } of an error
//             that belongs to no control ("step": stepping, "script": a preset's scripted op,
//             "session": the autosave, "link": a share link that was not opened)
//   "storage" the autosave failed (the STORAGE_* error) or works again (null)
//   "conflict" another tab saved this tab's session (its stamp; null once the learner chose)
//   "rewind"  the time was rewound (rewindTo, stepBack), or an action ended the redo after one
// Actions that replace the session return null or the package's error (a Promise when the full
// build has to be loaded first; a later replacing action wins over an earlier pending one).
import { fmtClock, fmtDur } from "./format.js";
import { FORMAT, VERSION, LIMITS, parseSession, serializeSession, replay, applyOp, newSession, stripSecrets, chassisLabel } from "./session.js";
import { loadEngine, loadFirst, isFeatureUnavailable, needsFull } from "./engine.js";
import * as persist from "./persist.js";
import { Rewind } from "./rewind.js";

export const SPEEDS = [
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

export const state = {
  api: null, // the initialised package module the live hypervisor comes from
  engine: null, // "lite" | "full"
  fullModule: null, // the full build's compiled WebAssembly.Module, once loaded (for the genome worker)
  h: null,
  session: null,
  script: [], // a preset's scripted ops, applied when the clock reaches them
  activePreset: null,
  playing: false,
  speedIdx: 5,
  window: "auto",
  metrics: null, // the latest metrics() the panels were drawn from
  eventCursor: 0,
  status: "",
  steps: 0,
  lastRefusal: null,
  lesson: null, // the lesson on screen and its step, { id, step }: share links carry it; a new session clears it
  storageError: null, // the last autosave's STORAGE_* error, null while autosaving works
  conflict: null, // another page's stamp on this tab's session: autosave waits for the learner
  rewind: new Rewind(), // snapshots and operations of this timeline (rewind.js)
};

const listeners = new Map();
/** Subscribe to an event; returns the unsubscribe function. */
export function on(name, fn) {
  if (!listeners.has(name)) listeners.set(name, []);
  listeners.get(name).push(fn);
  return () => listeners.set(name, listeners.get(name).filter((f) => f !== fn));
}
function emit(name, arg) {
  for (const fn of listeners.get(name) || []) fn(arg);
}

const engines = {}; // kind -> { api, module }
const STALE = Symbol("stale");
let generation = 0;
let lastSave = 0;

function remember(eng) {
  engines[eng.kind] = eng;
  if (eng.kind === "full") state.fullModule = eng.module;
  return eng.api;
}

function fullApi() {
  return engines.full ? Promise.resolve(engines.full.api) : loadEngine("full").then(remember);
}

/**
 * Run `build(api)` on the current build, or on the full one when `need` says so or when the
 * current one answers FEATURE_UNAVAILABLE. Synchronous unless the full build must be loaded.
 */
function withApi(need, build) {
  const mine = ++generation;
  const attempt = (api) => (mine === generation ? build(api) : STALE);
  if (need && state.engine !== "full") return fullApi().then(attempt);
  try {
    return attempt(state.api);
  } catch (e) {
    if (isFeatureUnavailable(e) && state.engine !== "full") return fullApi().then(attempt);
    throw e;
  }
}

/** null on success, else the error; a Promise of that when `fn` returns one. */
function outcome(fn) {
  const done = (v) => (v === STALE || v === undefined ? null : v);
  let r;
  try {
    r = fn();
  } catch (e) {
    return e;
  }
  return r && typeof r.then === "function" ? r.then(done, (e) => e) : done(r);
}

/**
 * What the store's own action modules (tabs.js) build on; panels use the actions instead.
 *   replace(need, build): run build(api) on the right build (see withApi); null or its error
 *   adopt(h, session, opts): make h the live hypervisor    generation(): bumps per replacement
 */
export const kernel = Object.freeze({
  replace: (need, build) => outcome(() => withApi(need, build)),
  adopt: (...a) => adopt(...a),
  emit: (...a) => emit(...a),
  generation: () => generation,
  setConflict: (stamp) => setConflict(stamp),
  setStorageError: (e) => setStorageError(e),
});

// ------------------------------------------------------------------ start

/** Load the first build (lite when the package has it). Throws when the package is missing. */
export async function load() {
  const eng = await loadFirst();
  state.api = remember(eng);
  state.engine = eng.kind;
  const p = persist.loadPrefs();
  if (Number.isInteger(p.speed) && p.speed >= 0 && p.speed < SPEEDS.length) state.speedIdx = p.speed;
  if (typeof p.window === "string") state.window = p.window;
  return state.api;
}

export function tryJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// ------------------------------------------------------------------ session plumbing

/**
 * Make `h` (built from `session` by `api`) the live hypervisor. Frees the old one. `save: false`
 * when the session is what this tab has saved already (a restored autosave).
 */
function adopt(h, session, { keepScript = false, api = state.api, save = true, rewinding = false } = {}) {
  if (state.h) state.h.free();
  state.api = api;
  state.engine = Object.keys(engines).find((k) => engines[k].api === api) ?? state.engine;
  state.h = h;
  state.session = session;
  session.endMs = h.nowMs;
  if (!keepScript) {
    state.script = [];
    state.activePreset = null;
  }
  state.lesson = null; // the lessons panel sets it again when the new session is its own run
  state.eventCursor = 0;
  state.metrics = null;
  if (!rewinding) state.rewind.begin(api, h, session);
  emit("reset");
  if (save) autosave(true);
}

/** The live session as a plain object, with the current time as its end. */
export function currentSession() {
  const { session, h } = state;
  return {
    format: FORMAT,
    version: VERSION,
    chassis: session.chassis,
    scheduler: session.scheduler,
    options: { ...session.options },
    ops: session.ops.map(stripSecrets),
    endMs: h.nowMs,
    meta: { ...session.meta, createdBy: "bioxen playground", bioxenVersion: state.api.version() },
  };
}

/** Apply one operation now; on success record it. Returns null, or the package's refusal. */
export function perform(op, extra, { scripted = false } = {}) {
  const rec = { atMs: state.h.nowMs, ...op };
  try {
    applyOp(state.h, rec, extra);
  } catch (e) {
    state.lastRefusal = e;
    emit("changed");
    return e;
  }
  state.session.ops.push(stripSecrets(rec));
  state.session.endMs = state.h.nowMs;
  const dropped = state.rewind.record(stripSecrets(rec), state.h.nowMs, { scripted });
  if (dropped.length) {
    // an action after a rewind ends the redo; a preset's scripted operations still come
    const back = dropped.filter((d) => d.scripted && d.op.atMs > rec.atMs).map((d) => structuredClone(d.op));
    state.script = [...back, ...state.script].sort((a, b) => a.atMs - b.atMs);
    emit("rewind");
  }
  emit("op", rec);
  emit("changed");
  autosave(true);
  return null;
}

export function setStatus(text) {
  state.status = text;
  emit("status", text);
}

/**
 * Save the live session to this tab's slot (persist.js), at most every 2 s unless `force`. An
 * empty session is not saved until it has something worth keeping (so that a new tab never takes
 * over an empty session instead of real work). Failures are told through "storage" and
 * "conflict"; while a conflict waits for the learner nothing is saved (`overConflict`: the
 * learner chose to save over the other tab's version).
 */
export function autosave(force = false, { overConflict = false } = {}) {
  if (!state.h || (state.conflict && !overConflict)) return;
  const now = performance.now();
  if (!force && now - lastSave < 2000) return;
  lastSave = now;
  const s = currentSession();
  if (!s.ops.length && !persist.hasSaved()) return;
  try {
    persist.saveSession(serializeSession(s), { endMs: s.endMs, ops: s.ops.length, title: s.meta.title ?? "", chassis: chassisLabel(s.chassis), scheduler: s.scheduler }, { force: overConflict });
    if (state.storageError) setStorageError(null);
    setStatus(`Autosaved at t = ${fmtClock(state.h.nowMs)} (${state.session.ops.length} operations).`);
  } catch (e) {
    if (e.code === "SAVE_CONFLICT") return setConflict(e.stamp);
    setStorageError(e);
    setStatus(`Autosave failed: ${e.message}`);
  }
}

function setStorageError(e) {
  state.storageError = e;
  emit("storage", e);
}

function setConflict(stamp) {
  if (state.conflict === stamp) return;
  state.conflict = stamp;
  emit("conflict", stamp);
}

// ------------------------------------------------------------------ time

export function setPlaying(on) {
  state.playing = on;
  emit("play", on);
  if (!on) autosave(true);
}

export function setSpeed(i, save = true) {
  state.speedIdx = Math.max(0, Math.min(SPEEDS.length - 1, i));
  emit("speed", SPEEDS[state.speedIdx]);
  if (save) savePrefs();
}

export function setWindow(value, save = true) {
  state.window = value;
  emit("window", value);
  if (save) savePrefs();
}

function savePrefs() {
  persist.savePrefs({ speed: state.speedIdx, window: state.window });
}

/** Advance the clock by dt ms, applying scripted ops on the way. Throws the package's error. */
export function advance(dt) {
  const { h } = state;
  const target = Math.min(h.nowMs + dt, LIMITS.endMs);
  // operations kept for a redo after a rewind are applied again at their times (rewind.js)
  const redo = (op) => { state.session.ops.push(op); emit("op", op); };
  while (state.script.length && state.script[0].atMs <= target) {
    const op = state.script.shift();
    state.rewind.stepTo(h, op.atMs, redo);
    const { atMs, ...rest } = op; // eslint-disable-line no-unused-vars
    report("script", perform(rest, undefined, { scripted: true })); // null clears the lesson's error box
  }
  state.rewind.stepTo(h, target, redo);
  state.session.endMs = h.nowMs;
  if (h.nowMs >= LIMITS.endMs && state.playing) {
    setPlaying(false);
    setStatus(`Stopped at ${fmtDur(LIMITS.endMs)}, the longest session this page keeps.`);
  }
  state.steps++;
  emit("changed");
}

/**
 * Go back (or forward, up to the furthest time reached) to time t ms: the exact state the run had
 * then, rebuilt from a snapshot and the operations (rewind.js). Later operations are kept and
 * replayed by playing forward, until the learner acts. Returns null, or the error (nothing changed).
 */
export function rewindTo(t) {
  const rw = state.rewind;
  const target = Math.max(0, Math.min(Math.round(t), rw.horizonMs));
  let built;
  try {
    built = rw.build(target);
  } catch (e) {
    report("rewind", e);
    return e;
  }
  setPlaying(false);
  rw.moved(built.applied);
  const session = { ...state.session, ops: rw.ops.slice(0, built.applied).map((o) => structuredClone(o)) };
  adopt(built.h, session, { keepScript: true, rewinding: true });
  emit("rewind");
  emit("changed");
  return null;
}

/** Rewind by dt ms (one transport step). */
export function stepBack(dt) {
  return rewindTo(state.h.nowMs - Math.max(1, dt));
}

/** One step of dt ms (at least 1); a refusal is reported as "refused" { source: "step" }. */
export function step(dt) {
  try {
    advance(Math.max(1, dt));
  } catch (e) {
    report("step", e);
  }
}

/** Report an error that belongs to no control (see "refused" above); null clears it. */
export function report(source, error) {
  emit("refused", { source, error });
}

/** Read the hypervisor's new events and hand them to the "events" subscribers. */
export function pullEvents() {
  const evs = state.h.events(state.eventCursor);
  if (!evs.length) return;
  state.eventCursor = evs[evs.length - 1].id + 1;
  emit("events", evs);
}

// ------------------------------------------------------------------ replacing the session

/** Switch to the full build (kinetic or genome features), replaying the session on it. */
export async function ensureFull() {
  if (state.engine === "full") return null;
  const api = await fullApi();
  if (state.engine === "full") return null;
  try {
    const s = currentSession();
    const built = replay(api, s, { lenient: true });
    adopt(built.h, { ...s, ops: built.ops }, { keepScript: true, api });
    return null;
  } catch (e) {
    return e;
  }
}

/** Replay this session under the other machinery model (simple or kinetic). */
export function switchMachinery(name) {
  const options = { ...state.session.options };
  if (name === "kinetic") options.machinery = name;
  else delete options.machinery;
  // the kinetic model measures context switches: a fixed cost does not apply to it
  if (name === "kinetic") delete options.contextSwitchMs;
  return switchChassis(state.session.chassis, options);
}

/**
 * Replay this session on another chassis (or with other options); refused operations are left
 * out and reported as one REPLAYED_WITH_REFUSALS error (the switch still happened).
 */
export function switchChassis(name, options = state.session.options) {
  const s = { ...currentSession(), chassis: name, options: { ...options } };
  return outcome(() => withApi(needsFull(s), (api) => {
    const built = replay(api, s, { lenient: true });
    adopt(built.h, { ...s, ops: built.ops }, { keepScript: true, api });
    if (!built.refused.length) return null;
    return {
      code: "REPLAYED_WITH_REFUSALS",
      message: `On ${chassisLabel(name)}, ${built.refused.length} operation(s) were refused and left out: ` +
        built.refused.map((r) => `${r.op.op} ${r.op.vmId ?? r.op.name ?? ""} (${r.error.code}: ${r.error.message})`).join("; "),
    };
  }));
}

/** A new empty session on the current chassis, scheduler and machinery. */
export function newEmptySession({ seed = "", maxVms = "" } = {}) {
  const options = {};
  if (seed !== "") options.seed = Number(seed);
  if (maxVms !== "") options.maxVms = Number(maxVms);
  if (state.h.machinery === "kinetic") options.machinery = "kinetic";
  const s = newSession({ chassis: state.session.chassis, scheduler: state.h.scheduler, options });
  const r = outcome(() => withApi(needsFull(s), (api) => {
    const built = replay(api, s);
    setPlaying(false);
    adopt(built.h, s, { api });
    setStatus("Started a new empty session.");
  }));
  const unwrap = (e) => (e ? e.cause ?? e : null);
  return r && typeof r.then === "function" ? r.then(unwrap) : unwrap(r);
}

/** Replace the session with the one in `text` (a file's contents). */
export function importText(text) {
  return outcome(() => withApi(needsFull(tryJson(text)), (api) => {
    const s = parseSession(text, api);
    const built = replay(api, s);
    setPlaying(false);
    adopt(built.h, { ...s, ops: [...s.ops] }, { api });
    setStatus(`Imported ${s.ops.length} operations; replayed to t = ${fmtClock(built.h.nowMs)}.`);
  }));
}

/** Load a preset's session and script (the page then fills the form and plays). */
export function loadPreset(p) {
  const s = {
    ...newSession({ chassis: p.session.chassis, scheduler: p.session.scheduler, options: p.session.options, meta: { title: p.title, preset: p.id } }),
    ops: p.session.ops.map((o) => structuredClone(o)),
  };
  return outcome(() => withApi(needsFull(s), (api) => {
    const built = replay(api, s);
    adopt(built.h, s, { api });
    state.script = p.script.map((o) => structuredClone(o));
    state.activePreset = p;
    const si = SPEEDS.findIndex((x) => x.id === p.speed);
    if (si >= 0) setSpeed(si);
    emit("preset", p);
  }));
}
