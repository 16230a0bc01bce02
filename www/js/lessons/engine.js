// lessons/engine.js: a lesson's answers, computed from the simulation, never read from the file.
//
// A lesson (schema.js) is a session plus steps. Its *canonical run* is the session replayed,
// then every step's action in order: "play" moves the clock to untilMs, "op" applies an
// operation at the clock's time, "control" (the learner changes a control) changes nothing in
// the canonical run. A question at step i is answered on the canonical run at step i's time,
// or on a variant of it (`run`: another scheduler, other options or a later time), by
// evaluating its metric expression over the replayed hypervisor. Runs are deterministic and
// independent of how `step` chunks time; `chunks` (a list of step sizes, cycled) replays with
// irregular chunks so the tests can check that the answers do not move by a single bit.
//
// No DOM: the playground's lesson panel, the teacher notes page and Node tests import it as is.
// Every function takes the `bioxen` module (`api`).
import { applyOp, hypervisorOptions } from "../session.js";

/** The lesson's clock and operations after each step's action: [{ atMs, ops }] per step. */
export function lessonTimeline(lesson) {
  let t = lesson.session.endMs;
  const ops = [...lesson.session.ops];
  return lesson.steps.map((s) => {
    if (s.action?.type === "play") t = s.action.untilMs;
    if (s.action?.type === "op") for (const op of s.action.ops) ops.push({ atMs: t, ...op });
    return { atMs: t, ops: [...ops] };
  });
}

/** The session of the canonical run at step i (after its action): a plain session object. */
export function sessionAt(lesson, i) {
  const { atMs, ops } = lessonTimeline(lesson)[i];
  return { ...lesson.session, options: { ...lesson.session.options }, ops: ops.map((o) => structuredClone(o)), endMs: atMs };
}

/** Step `h` forward by dt, in the given irregular chunks (cycled) or in one call. */
function stepBy(h, dt, chunker) {
  if (dt <= 0) return;
  if (!chunker) return h.step(dt);
  let left = dt;
  while (left > 0) {
    const c = Math.min(left, chunker());
    h.step(c);
    left -= c;
  }
}

function makeChunker(chunks) {
  if (!chunks || !chunks.length) return null;
  let i = 0;
  return () => chunks[i++ % chunks.length];
}

/**
 * Replay a session with a variant `run` up to `untilMs`, calling `sample(h)` at each of the
 * sorted `sampleTimes` (after the operations at that time). Returns the live hypervisor (the
 * caller frees it).
 */
function runSession(api, session, run, untilMs, { sampleTimes = [], sample = null, chunks = null } = {}) {
  const scheduler = run?.scheduler ?? session.scheduler;
  const opts = { ...hypervisorOptions(session, scheduler), ...(run?.chassis ? { chassis: run.chassis } : {}), ...(run?.options ?? {}) };
  const h = new api.Hypervisor(opts);
  const chunker = makeChunker(chunks);
  try {
    const ops = session.ops.map((o) => (run?.scheduler && o.op === "setScheduler" ? { ...o, name: run.scheduler } : o));
    if (run?.schedulerOptions) ops.unshift({ atMs: 0, op: "setScheduler", name: scheduler, options: run.schedulerOptions });
    let si = 0;
    const sampleUpTo = (t) => {
      while (si < sampleTimes.length && sampleTimes[si] <= t) {
        stepBy(h, sampleTimes[si] - h.nowMs, chunker);
        sample(h);
        si++;
      }
    };
    ops.forEach((op, i) => {
      // samples strictly before this op's time; a sample at the op's time waits for the op
      while (si < sampleTimes.length && sampleTimes[si] < op.atMs) {
        stepBy(h, sampleTimes[si] - h.nowMs, chunker);
        sample(h);
        si++;
      }
      stepBy(h, op.atMs - h.nowMs, chunker);
      try {
        applyOp(h, op);
      } catch (e) {
        throw new Error(`the lesson's operation ${i} (${op.op} at ${op.atMs} ms) was refused: ${e.code ?? ""} ${e.message}`);
      }
    });
    sampleUpTo(untilMs);
    stepBy(h, untilMs - h.nowMs, chunker);
    return h;
  } catch (e) {
    h.free();
    throw e;
  }
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
function stat(xs, s) {
  if (s === "mean") return mean(xs);
  if (s === "max") return Math.max(...xs);
  if (s === "min") return Math.min(...xs);
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / xs.length);
}

function vmOf(m, id) {
  const v = m.perVm.find((x) => x.vmId === id);
  if (!v) throw new Error(`no VM ${JSON.stringify(id)} at this point of the lesson`);
  return v;
}

/** A metric that reads one hypervisor at one instant (field, system, kinetic, aggregates, trace). */
function readNow(h, m) {
  const met = h.metrics();
  if (m.field) return vmOf(met, m.vm)[m.field];
  if (m.system) return met[m.system];
  if (m.kinetic) {
    if (!met.kinetic) throw new Error(`kinetic.${m.kinetic}: the lesson's session does not use the kinetic machinery`);
    return met.kinetic[m.kinetic];
  }
  for (const agg of ["mean", "sum", "max", "min"]) {
    if (!m[agg]) continue;
    const vms = m.vms ? m.vms.map((id) => vmOf(met, id)) : met.perVm;
    const xs = vms.map((v) => v[m[agg]]);
    if (xs.some((x) => x === null)) return NaN; // e.g. a response time before the VM first ran
    return agg === "sum" ? xs.reduce((a, b) => a + b, 0) : stat(xs, agg);
  }
  if (m.trace) return traceMeasure(h, m.vm, m.trace);
  throw new Error("unknown metric");
}

/** Gaps and runs of one VM in the Gantt trace (run segments only, the open one included). */
function traceMeasure(h, vm, measure) {
  const t = h.traceSince(0);
  const idx = t.names.indexOf(vm);
  const runs = [];
  for (let i = 0; i < t.start.length; i++) if (t.vmIndex[i] === idx && t.kind[i] === 0) runs.push([t.start[i], t.end[i]]);
  if (t.open && t.open.vm === vm && t.open.kind === "run") runs.push([t.open.start, t.open.end]);
  // contiguous segments (split by a decision that kept the same VM) are one run
  const merged = [];
  for (const r of runs) {
    if (merged.length && merged[merged.length - 1][1] === r[0]) merged[merged.length - 1][1] = r[1];
    else merged.push([...r]);
  }
  if (measure === "runs") return merged.length;
  if (measure === "meanRunMs") return merged.length ? mean(merged.map(([a, b]) => b - a)) : NaN;
  const gaps = merged.slice(1).map((r, i) => r[0] - merged[i][1]);
  if (!gaps.length) return NaN;
  return measure === "maxGapMs" ? Math.max(...gaps) : mean(gaps);
}

/**
 * Evaluate a metric expression on the lesson's run at step i (see the README's table).
 * `ctx`: { api, lesson, step, chunks, cache }.
 */
export function evaluate(ctx, m) {
  const v = evaluateRaw(ctx, m);
  return m.scale !== undefined ? v * m.scale : v;
}

function evaluateRaw(ctx, m) {
  if (m.ratio) return evaluate(withRun(ctx, m), m.ratio[0]) / evaluate(withRun(ctx, m), m.ratio[1]);
  if (m.diff) return evaluate(withRun(ctx, m), m.diff[0]) - evaluate(withRun(ctx, m), m.diff[1]);
  const session = sessionAt(ctx.lesson, ctx.step);
  const run = { ...(ctx.run ?? {}), ...(m.run ?? {}) };
  const until = run.untilMs ?? session.endMs;
  if (m.windows) {
    const { windowMs, count } = m.windows;
    const from = until - windowMs * count;
    if (from < 0) throw new Error(`windows: ${count} windows of ${windowMs} ms reach before t = 0 (the step is at ${until} ms)`);
    const times = Array.from({ length: count + 1 }, (_, k) => from + k * windowMs);
    const seen = [];
    const h = runSession(ctx.api, session, run, until, { sampleTimes: times, sample: (hh) => seen.push(vmOf(hh.metrics(), m.vm).machineryTimeMs), chunks: ctx.chunks });
    h.free();
    const shares = seen.slice(1).map((x, k) => (x - seen[k]) / windowMs);
    return stat(shares, m.stat);
  }
  if (m.converge) {
    const { vm, withinPoints } = m.converge;
    let slice = m.converge.sliceMs;
    if (!slice) {
      const probe = new ctx.api.Hypervisor({ ...hypervisorOptions(session, run.scheduler ?? session.scheduler), ...(run.options ?? {}) });
      slice = probe.quantumMs;
      probe.free();
    }
    const n = Math.floor(until / slice);
    const times = Array.from({ length: n }, (_, k) => (k + 1) * slice);
    const off = [];
    const h = runSession(ctx.api, session, run, until, {
      sampleTimes: times, chunks: ctx.chunks,
      sample: (hh) => {
        const v = hh.metrics().perVm.find((x) => x.vmId === vm);
        off.push(!v || v.runnableTimeMs === 0 ? Infinity : Math.abs(v.shareReceived - v.fairShare) * 100);
      },
    });
    h.free();
    // the first slice count after which the share stays within the band up to the step's time
    let k = off.length;
    while (k > 0 && off[k - 1] <= withinPoints) k--;
    if (k === off.length) return NaN; // never settled within the band by this step
    return k + 1;
  }
  const key = JSON.stringify([ctx.step, run]);
  const cache = ctx.cache ?? new Map();
  let h = cache.get(key);
  if (!h) {
    h = runSession(ctx.api, session, run, until, { chunks: ctx.chunks });
    cache.set(key, h);
  }
  return readNow(h, m);
}

const withRun = (ctx, m) => (m.run ? { ...ctx, run: { ...(ctx.run ?? {}), ...m.run } } : ctx);

/** Free the hypervisors an evaluation cache holds. */
export function freeCache(cache) {
  for (const h of cache.values()) h.free();
  cache.clear();
}

/**
 * The answer of step i's question: { kind: "number", value, display } or { kind: "choice",
 * index, values } (values: each option's metric for "pick" questions, the one metric for ranges).
 * Throws when the simulation gives no single answer (a non-finite number, a tie, no range).
 */
export function computeAnswer(api, lesson, i, { chunks = null, cache } = {}) {
  const q = lesson.steps[i].question;
  if (!q) return null;
  const own = !cache;
  cache = cache ?? new Map();
  const ctx = { api, lesson, step: i, chunks, cache };
  const where = `${lesson.id}: steps[${i}].question`;
  try {
    if (q.kind === "number") {
      const value = evaluate(ctx, q.metric);
      if (!Number.isFinite(value)) throw new Error(`${where}: the metric gave ${value}, not a finite number`);
      return { kind: "number", value, display: formatNumber(value, q) };
    }
    if (q.pick) {
      const values = q.options.map((o) => evaluate(ctx, o.metric));
      if (values.some((v) => !Number.isFinite(v))) throw new Error(`${where}: an option's metric is not finite (${values.join(", ")})`);
      const best = q.pick === "max" ? Math.max(...values) : Math.min(...values);
      const winners = values.map((v, k) => (v === best ? k : -1)).filter((k) => k >= 0);
      if (winners.length !== 1) throw new Error(`${where}: options ${winners.join(" and ")} tie at ${best}; the question has no single answer`);
      return { kind: "choice", index: winners[0], values };
    }
    const value = evaluate(ctx, q.metric);
    if (!Number.isFinite(value)) throw new Error(`${where}: the metric gave ${value}, not a finite number`);
    const index = q.options.findIndex((o) => (o.min === undefined || value >= o.min) && (o.max === undefined || value < o.max));
    if (index < 0) throw new Error(`${where}: the computed value ${value} is in none of the options' ranges`);
    return { kind: "choice", index, values: [value] };
  } finally {
    if (own) freeCache(cache);
  }
}

/** Every step's answer (null for steps without a question), sharing one cache of runs. */
export function computeAnswers(api, lesson, { chunks = null } = {}) {
  const cache = new Map();
  try {
    return lesson.steps.map((_, i) => computeAnswer(api, lesson, i, { chunks, cache }));
  } finally {
    freeCache(cache);
  }
}

export function formatNumber(v, q) {
  const d = q.decimals ?? 1;
  return `${v.toLocaleString("en-GB", { minimumFractionDigits: d, maximumFractionDigits: d })}${q.unit ? " " + q.unit : ""}`;
}

/** A question's explanation with "{answer}" replaced by the computed answer (number or option label). */
export function explain(q, answer) {
  const shown = answer.kind === "number" ? answer.display : q.options[answer.index].label;
  return q.explanation.split("{answer}").join(shown);
}

/** Mark a learner's response: a number (number questions) or an option index. */
export function grade(q, answer, response) {
  if (q.kind === "number") {
    const x = typeof response === "number" ? response : Number(String(response).trim().replace(",", "."));
    if (!Number.isFinite(x)) return { correct: false, valid: false };
    const tol = q.tolerance ?? (Math.abs(answer.value) * q.tolerancePercent) / 100;
    return { correct: Math.abs(x - answer.value) <= tol + 1e-12, valid: true, tolerance: tol };
  }
  return { correct: response === answer.index, valid: Number.isInteger(response) && response >= 0 && response < q.options.length };
}
