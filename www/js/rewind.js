// rewind.js: owns going back in simulated time. The core is deterministic: a snapshot() restores
// bit for bit, and a session is a list of timed operations that replays exactly. So this module
// keeps the operations of the current timeline (those applied and, after a rewind, those still
// to redo) and a bounded set of snapshots taken on a grid of simulated time; rewindTo(t) restores
// the latest snapshot at or before t and replays the operations up to t by stepping, which gives
// exactly the state the run had at t.
//
// Memory: at most `maxSnapshots` (64) grid snapshots plus the one at t = 0, and together at most
// `maxChars` (16 Mi) characters of snapshot text; a snapshot is one ASCII JSON line, from a few
// kB up to about 0.9 MB once the trace ring is full (the kinetic presets after a simulated day). The grid starts at `intervalMs` (5 simulated min);
// when it is full, every second snapshot is dropped and the grid step doubles (a snapshot is
// kept at every 2^k-th grid point), so a long run keeps evenly spaced snapshots and a rewind
// replays at most one grid step of time.
//
// Undo semantics: after a rewind the later operations are kept, and playing forward (stepTo)
// applies them again at their times, as a redo. They are discarded only when the learner acts
// (record(op) with a future pending), as an editor's undo does.
//
// No DOM: it takes the `bioxen` module (`api`) as an argument, so Node tests it against the
// package (tests/js/rewind.test.mjs) and the page (store.js) uses it unchanged.
import { applyOp, hypervisorOptions } from "./session.js";

export const DEFAULTS = Object.freeze({ intervalMs: 5 * 60_000, maxSnapshots: 64, maxChars: 16 * 1024 * 1024 });

/** A refused rewind (the hypervisor in use is left as it was). */
export class RewindError extends Error {
  constructor(message, cause) {
    super(message);
    this.name = "RewindError";
    this.code = "REWIND_FAILED";
    if (cause) this.cause = cause;
  }
}

export class Rewind {
  constructor({ intervalMs = DEFAULTS.intervalMs, maxSnapshots = DEFAULTS.maxSnapshots, maxChars = DEFAULTS.maxChars } = {}) {
    if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new TypeError(`intervalMs: expected a whole number ≥ 1, got ${intervalMs}`);
    if (!Number.isInteger(maxSnapshots) || maxSnapshots < 2) throw new TypeError(`maxSnapshots: expected a whole number ≥ 2, got ${maxSnapshots}`);
    this.intervalMs = intervalMs;
    this.maxSnapshots = maxSnapshots;
    this.maxChars = maxChars;
    this.api = null;
    this.base = null; // { t: 0, k: 0, text }: the fresh hypervisor of the session's options
    this.snaps = []; // { t, k, text } sorted by (t, k); k = operations applied when taken
    this.ops = []; // every operation of this timeline, in order (the first `applied` are done)
    this.scripted = []; // per op: whether a preset's script applied it (it goes back to the script when discarded)
    this.applied = 0;
    this.horizonMs = 0; // the furthest time this timeline has reached
    this.level = 0; // grid step = intervalMs * 2^level
    this.chars = 0;
  }

  /** The grid step now (ms). */
  get strideMs() {
    return this.intervalMs * 2 ** this.level;
  }

  /** Operations kept for a redo (after a rewind, until the learner acts). */
  get future() {
    return this.ops.slice(this.applied);
  }

  /** Snapshots held (the t = 0 one included) and their total size in characters. */
  stats() {
    return { snapshots: this.snaps.length + (this.base ? 1 : 0), chars: this.chars + (this.base ? this.base.text.length : 0), strideMs: this.strideMs, level: this.level };
  }

  /**
   * Start over on the hypervisor `h`, which `api` built from `session` (replayed to h.nowMs with
   * session.ops applied). The t = 0 state is rebuilt from the session's options.
   */
  begin(api, h, session) {
    this.api = api;
    const h0 = new api.Hypervisor(hypervisorOptions(session));
    try {
      this.base = { t: 0, k: 0, text: h0.snapshot() };
    } finally {
      h0.free();
    }
    this.snaps = [];
    this.chars = 0;
    this.level = 0;
    this.ops = session.ops.map((o) => structuredClone(o));
    this.scripted = this.ops.map(() => false);
    this.applied = this.ops.length;
    this.horizonMs = h.nowMs;
    if (h.nowMs > 0 || this.applied > 0) this.capture(h);
  }

  /**
   * An operation was applied to the live hypervisor now: the learner's, or (`scripted`) one of a
   * preset's scripted operations. A pending future is discarded first, with the snapshots that
   * belong to it. Returns the discarded operations; those that were scripted are marked
   * `{ op, scripted: true }` so the caller can put them back in the script.
   */
  record(op, nowMs, { scripted = false } = {}) {
    const dropped = this.discardFuture(nowMs);
    this.ops.push(structuredClone(op));
    this.scripted.push(scripted);
    this.applied = this.ops.length;
    this.horizonMs = Math.max(this.horizonMs, nowMs);
    return dropped;
  }

  /** Forget the operations after the current point (and the time after nowMs); returns them as record() does. */
  discardFuture(nowMs) {
    const dropped = this.ops.slice(this.applied).map((op, i) => ({ op, scripted: this.scripted[this.applied + i] }));
    if (!dropped.length && this.horizonMs <= nowMs) return dropped;
    this.ops.length = this.applied;
    this.scripted.length = this.applied;
    this.horizonMs = nowMs;
    this.snaps = this.snaps.filter((s) => {
      const keep = s.t <= nowMs && s.k <= this.applied;
      if (!keep) this.chars -= s.text.length;
      return keep;
    });
    return dropped;
  }

  /**
   * Advance `h` to `target` ms: operations kept for a redo are applied at their times (each is
   * handed to onOp(op) after it was applied), and a snapshot is taken at every grid point passed.
   * Throws the package's error (a redo op refused: the remaining future is discarded first).
   */
  stepTo(h, target, onOp = () => {}) {
    if (target < h.nowMs) throw new RangeError(`stepTo: ${target} is before now (${h.nowMs})`);
    // a long jump raises the grid step first, so one call never takes more than the cap
    while ((target - h.nowMs) / this.strideMs > this.maxSnapshots) this.thin();
    for (;;) {
      const grid = (Math.floor(h.nowMs / this.strideMs) + 1) * this.strideMs;
      const next = this.applied < this.ops.length ? this.ops[this.applied].atMs : Infinity;
      const stop = Math.min(grid, next, target);
      if (stop > h.nowMs) h.step(stop - h.nowMs);
      if (next <= stop) {
        const op = this.ops[this.applied];
        try {
          applyOp(h, op);
        } catch (e) {
          this.discardFuture(h.nowMs);
          throw e;
        }
        this.applied++;
        onOp(op);
        continue;
      }
      if (stop === grid && stop <= target) this.capture(h);
      if (stop >= target) break;
    }
    this.horizonMs = Math.max(this.horizonMs, h.nowMs);
  }

  /** Take a snapshot of `h` now (unless one of this point exists), thinning when over a bound. */
  capture(h) {
    const t = h.nowMs, k = this.applied;
    let i = this.snaps.length;
    while (i > 0 && (this.snaps[i - 1].t > t || (this.snaps[i - 1].t === t && this.snaps[i - 1].k > k))) i--;
    const prev = this.snaps[i - 1];
    if (prev && prev.t === t && prev.k === k) return;
    const text = h.snapshot();
    this.snaps.splice(i, 0, { t, k, text });
    this.chars += text.length;
    while (this.snaps.length > this.maxSnapshots || (this.chars > this.maxChars && this.snaps.length > 1)) this.thin();
  }

  /** Double the grid step: keep only the snapshots on the new grid (and always the latest). */
  thin() {
    this.level++;
    const stride = this.strideMs;
    const last = this.snaps[this.snaps.length - 1];
    this.snaps = this.snaps.filter((s) => {
      const keep = s.t % stride === 0 || s === last;
      if (!keep) this.chars -= s.text.length;
      return keep;
    });
    if (this.snaps.length > this.maxSnapshots || (this.chars > this.maxChars && this.snaps.length > 1)) {
      const [gone] = this.snaps.splice(0, 1); // still over: the oldest goes (t = 0 stays as base)
      this.chars -= gone.text.length;
    }
  }

  /**
   * A new hypervisor in the exact state of this timeline at time t (0 ≤ t ≤ horizonMs): every
   * operation with atMs ≤ t applied. Returns { h, applied } (the caller adopts h, then calls
   * moved(applied)); throws RewindError and changes nothing when it cannot.
   */
  build(t) {
    if (!this.api) throw new RewindError("nothing to rewind yet");
    if (typeof t !== "number" || !Number.isInteger(t) || t < 0 || t > this.horizonMs) {
      throw new RewindError(`rewind time: expected a whole number of ms from 0 to ${this.horizonMs}, got ${t}`);
    }
    let n = 0;
    while (n < this.ops.length && this.ops[n].atMs <= t) n++;
    let from = this.base;
    for (const s of this.snaps) {
      if (s.t > t) break;
      if (s.k <= n) from = s;
    }
    let h;
    try {
      h = this.api.Hypervisor.restore(from.text);
      for (let i = from.k; i < n; i++) {
        const op = this.ops[i];
        if (op.atMs > h.nowMs) h.step(op.atMs - h.nowMs);
        applyOp(h, op);
      }
      if (t > h.nowMs) h.step(t - h.nowMs);
    } catch (e) {
      if (h) h.free();
      throw new RewindError(`could not rebuild t = ${t} ms: ${e.code ? e.code + ": " : ""}${e.message}`, e);
    }
    return { h, applied: n };
  }

  /** The live hypervisor is now the one build() returned: `applied` operations are done. */
  moved(applied) {
    this.applied = applied;
  }

  /** build(t) and moved() in one: the new hypervisor at t (the caller frees the old one). */
  rewindTo(t) {
    const r = this.build(t);
    this.moved(r.applied);
    return r.h;
  }
}
