// lessons/schema.js: the lesson format (version 1, documented in www/lessons/README.md):
// validate a parsed lesson file and return a clean copy, or throw a LessonError naming the file
// and the path of the first problem (e.g. "fcfs-convoy.json: steps[2].question.tolerance").
//
// The lesson's starting session goes through session.js's own validator, so a lesson starts
// from exactly what the playground could import. No DOM: Node (tests/js/lessons.test.mjs, the
// schema check) and the page import it as is. Every function takes the `bioxen` module (`api`).
import { validateSession, OP_KINDS, SessionError } from "../session.js";

export const LESSON_FORMAT = "bioxen-lesson";
export const LESSON_VERSION = 1;

/** What a step's action may be. */
export const ACTION_TYPES = Object.freeze(["play", "op", "control"]);
/** What a question may be. */
export const QUESTION_KINDS = Object.freeze(["choice", "number"]);

/**
 * The playground controls a "control" step may wait for: the element the learner uses (an id in
 * www/index.html, checked by the tests) and which recorded operation counts as changing it.
 */
export const CONTROLS = Object.freeze({
  scheduler: { element: "scheduler", label: "the scheduler policy", match: (op) => op.op === "setScheduler" },
  quantum: { element: "quantum", label: "the quantum", match: (op) => op.op === "setScheduler" && op.options?.quantumMs !== undefined },
  weight: { element: "tune-weight", label: "a VM's weight", match: (op) => op.op === "setScheduling" && op.request?.weight !== undefined },
  cap: { element: "tune-cap", label: "a VM's cap", match: (op) => op.op === "setScheduling" && op.request?.cap !== undefined },
  priority: { element: "tune-priority", label: "a VM's priority", match: (op) => op.op === "setScheduling" && op.request?.priority !== undefined },
  rnaPolymerase: { element: "tune-rnap", label: "a VM's RNA polymerases", match: (op) => op.op === "allocateResources" && op.request?.rnaPolymerase !== undefined },
  createVm: { element: "create", label: "a new VM", match: (op) => op.op === "createVm" },
  vmLifecycle: { element: "vms", label: "a VM's state (start, pause, stop…)", match: (op) => ["startVm", "pauseVm", "resumeVm", "stopVm", "restartVm"].includes(op.op) },
});

/** Numeric fields a metric may read: per VM (metrics().perVm[i]), system-wide, kinetic host. */
export const VM_FIELDS = Object.freeze(["machineryTimeMs", "waitTimeMs", "runnableTimeMs", "responseTimeMs", "turnaroundTimeMs",
  "contextSwitches", "aaProduced", "cyclesCompleted", "fairShare", "shareReceived", "weight", "cap", "priority"]);
export const SYSTEM_FIELDS = Object.freeze(["fairnessIndex", "overheadPercent", "contextSwitches", "decisions", "throughputAaPerS",
  "completedCycles", "machineryBusy", "sharedRibosomes"]);
export const KINETIC_FIELDS = Object.freeze(["growthRatePerMin", "doublingTimeMin", "baselineGrowthRatePerMin", "capacityPercent",
  "capacityMonitorPerMin", "heterologousFraction", "ribosomalFraction", "freeRibosomes"]);
export const AGGREGATES = Object.freeze(["mean", "sum", "max", "min"]);
export const STATS = Object.freeze(["mean", "sd", "max", "min"]);
export const TRACE_MEASURES = Object.freeze(["maxGapMs", "meanGapMs", "runs", "meanRunMs"]);
const RUN_KEYS = ["chassis", "scheduler", "schedulerOptions", "options", "untilMs"];

/** A refused lesson file: `path` says where; the message starts with the file's name. */
export class LessonError extends Error {
  constructor(message, path, file) {
    super(`${file ? file + ": " : ""}${path ? path + ": " : ""}${message}`);
    this.name = "LessonError";
    this.code = "INVALID_LESSON";
    this.path = path;
    this.file = file;
  }
}

const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);
const show = (v) => (typeof v === "string" ? JSON.stringify(v.slice(0, 40)) : Array.isArray(v) ? "an array" : v === null ? "null" : `${typeof v} ${String(v).slice(0, 40)}`);

function checker(file) {
  const fail = (msg, path) => { throw new LessonError(msg, path, file); };
  const obj = (v, path, allowed, required = []) => {
    if (!isObj(v)) fail(`expected an object, got ${show(v)}`, path);
    for (const k of Object.keys(v)) if (!allowed.includes(k)) fail(`unknown key ${JSON.stringify(k)} (allowed: ${allowed.join(", ")})`, path);
    for (const k of required) if (!(k in v)) fail(`missing required key ${JSON.stringify(k)}`, path);
    return v;
  };
  const text = (v, path, max = 2000) => {
    if (typeof v !== "string" || !v.trim()) fail(`expected non-empty text, got ${show(v)}`, path);
    if (v.length > max) fail(`text longer than ${max} characters`, path);
    return v;
  };
  const num = (v, path, { min = -Infinity, whole = false } = {}) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || (whole && !Number.isInteger(v))) {
      fail(`expected ${whole ? "a whole number" : "a number"} ≥ ${min}, got ${show(v)}`, path);
    }
    return v;
  };
  const oneOf = (v, list, path) => {
    if (!list.includes(v)) fail(`expected one of ${list.join(", ")}, got ${show(v)}`, path);
    return v;
  };
  return { fail, obj, text, num, oneOf };
}

/**
 * Check a parsed lesson object against the schema and return a clean copy. `file` names the
 * lesson in errors. VM ids used by metrics must be created by the lesson's operations.
 */
export function validateLesson(raw, api, file = "") {
  const c = checker(file);
  c.obj(raw, "$", ["format", "version", "id", "title", "goal", "minutes", "session", "steps"], ["format", "version", "id", "title", "goal", "session", "steps"]);
  if (raw.format !== LESSON_FORMAT) c.fail(`expected "${LESSON_FORMAT}", got ${show(raw.format)}`, "format");
  if (raw.version !== LESSON_VERSION) c.fail(`unsupported version ${show(raw.version)} (expected ${LESSON_VERSION})`, "version");
  if (typeof raw.id !== "string" || !/^[a-z0-9-]{1,60}$/.test(raw.id)) c.fail(`expected lowercase letters, digits and "-", got ${show(raw.id)}`, "id");
  const goal = c.text(raw.goal, "goal", 300);
  if ((goal.match(/[.!?](\s|$)/g) || []).length !== 1) c.fail("the learning goal must be one sentence", "goal");
  let session;
  try {
    session = validateSession(raw.session, api);
  } catch (e) {
    if (e instanceof SessionError) c.fail(e.message, e.path === "$" ? "session" : `session.${e.path}`);
    throw e;
  }
  const lesson = {
    format: LESSON_FORMAT, version: LESSON_VERSION, id: raw.id, title: c.text(raw.title, "title", 120), goal,
    minutes: raw.minutes === undefined ? 10 : c.num(raw.minutes, "minutes", { min: 1, whole: true }), session, steps: [],
  };
  const vmIds = new Set(session.ops.filter((o) => o.op === "createVm").map((o) => o.vmId));
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) c.fail("expected a non-empty array of steps", "steps");
  let t = session.endMs;
  raw.steps.forEach((s, i) => {
    const p = `steps[${i}]`;
    c.obj(s, p, ["text", "action", "question"], ["text"]);
    const step = { text: c.text(s.text, `${p}.text`) };
    if (s.action !== undefined) {
      step.action = validateAction(c, s.action, `${p}.action`, api, t, vmIds);
      if (step.action.type === "play") t = step.action.untilMs;
    }
    if (s.question !== undefined) step.question = validateQuestion(c, s.question, `${p}.question`, api, vmIds);
    lesson.steps.push(step);
  });
  if (!lesson.steps.some((s) => s.question)) c.fail("a lesson needs at least one question", "steps");
  return lesson;
}

function validateAction(c, a, p, api, t, vmIds) {
  c.obj(a, p, ["type", "untilMs", "op", "ops", "control", "label"], ["type"]);
  c.oneOf(a.type, ACTION_TYPES, `${p}.type`);
  const label = a.label === undefined ? undefined : c.text(a.label, `${p}.label`, 120);
  if (a.type === "play") {
    c.num(a.untilMs, `${p}.untilMs`, { min: 0, whole: true });
    if (a.untilMs <= t) c.fail(`play must move time forward: untilMs ${a.untilMs} ≤ the lesson's time ${t} at this step`, `${p}.untilMs`);
    return { type: "play", untilMs: a.untilMs, label };
  }
  if (a.type === "op") {
    // one operation ("op") or several applied together at the step's time ("ops")
    if (("op" in a) === ("ops" in a)) c.fail(`an "op" action has exactly one of "op" or "ops"`, p);
    if ("ops" in a && (!Array.isArray(a.ops) || !a.ops.length || a.ops.length > 20)) c.fail("expected 1 to 20 operations", `${p}.ops`);
    const ops = "op" in a ? [validateLessonOp(c, a.op, `${p}.op`, api, t, vmIds)] : a.ops.map((o, i) => validateLessonOp(c, o, `${p}.ops[${i}]`, api, t, vmIds));
    return { type: "op", ops, label };
  }
  c.oneOf(a.control, Object.keys(CONTROLS), `${p}.control`);
  return { type: "control", control: a.control, label };
}

/** An operation inside a lesson (no atMs: it happens at the step's time); checked by session.js. */
function validateLessonOp(c, op, p, api, atMs, vmIds) {
  if (!isObj(op)) c.fail(`expected an operation object, got ${show(op)}`, p);
  if ("atMs" in op) c.fail("an operation in a lesson step has no atMs (it happens at the step's time)", `${p}.atMs`);
  c.oneOf(op.op, OP_KINDS, `${p}.op`);
  let clean;
  try {
    clean = validateSession({ format: "bioxen-session", version: 1, chassis: "ecoli", scheduler: "fcfs", ops: [{ ...op, atMs }] }, api).ops[0];
  } catch (e) {
    if (e instanceof SessionError) c.fail(e.message.replace(/^ops\[0\]\.?:?\s*/, ""), `${p}${e.path.replace(/^ops\[0\]/, "")}`);
    throw e;
  }
  const { atMs: _t, ...rest } = clean; // eslint-disable-line no-unused-vars
  if (rest.op === "createVm") vmIds.add(rest.vmId);
  return rest;
}

function validateRun(c, r, p, api, vmIds) {
  c.obj(r, p, RUN_KEYS);
  const out = {};
  if (r.chassis !== undefined) out.chassis = c.oneOf(r.chassis, api.getSupportedChassis(), `${p}.chassis`);
  if (r.scheduler !== undefined) out.scheduler = c.oneOf(r.scheduler, api.getSupportedSchedulers(), `${p}.scheduler`);
  if (r.schedulerOptions !== undefined) {
    c.obj(r.schedulerOptions, `${p}.schedulerOptions`, ["quantumMs", "seed", "mlfqLevels", "mlfqBoostMs", "agingMs", "mlfqQuantaMs", "mlfqAllotments", "mlfqBoostRule"]);
    for (const [k, v] of Object.entries(r.schedulerOptions)) {
      // MLFQ's per-level lists (mlfq.py -Q/-A): whole numbers, checked against the levels by the package.
      if (Array.isArray(v) && (k === "mlfqQuantaMs" || k === "mlfqAllotments")) v.forEach((x, i) => c.num(x, `${p}.schedulerOptions.${k}[${i}]`, { min: 1, whole: true }));
      else if (k === "mlfqBoostRule") c.oneOf(v, ["fresh", "ostep"], `${p}.schedulerOptions.${k}`);
      else c.num(v, `${p}.schedulerOptions.${k}`, { min: 0, whole: true });
    }
    out.schedulerOptions = { ...r.schedulerOptions };
  }
  if (r.options !== undefined) {
    c.obj(r.options, `${p}.options`, ["quantumMs", "seed", "contextSwitchMs"]);
    for (const [k, v] of Object.entries(r.options)) c.num(v, `${p}.options.${k}`, { min: 0, whole: true });
    out.options = { ...r.options };
  }
  if (r.untilMs !== undefined) out.untilMs = c.num(r.untilMs, `${p}.untilMs`, { min: 1, whole: true });
  return out;
}

/** A metric expression (see the README's table); returns a clean copy. */
export function validateMetric(c, m, p, api, vmIds) {
  c.obj(m, p, ["vm", "field", "system", "kinetic", ...AGGREGATES, "vms", "ratio", "diff", "scale", "run", "windows", "stat", "trace", "converge"]);
  const out = {};
  const vm = (v, path) => {
    if (typeof v !== "string" || !vmIds.has(v)) c.fail(`no VM ${show(v)} is created by this lesson (VMs: ${[...vmIds].join(", ")})`, path);
    return v;
  };
  const forms = ["field", "system", "kinetic", ...AGGREGATES, "ratio", "diff", "windows", "trace", "converge"].filter((k) => k in m);
  if (forms.length !== 1) c.fail(`expected exactly one of field (with vm), system, kinetic, ${AGGREGATES.join(", ")}, ratio, diff, windows, trace, converge; got ${forms.join(", ") || "none"}`, p);
  const form = forms[0];
  if (form === "field") { out.vm = vm(m.vm, `${p}.vm`); out.field = c.oneOf(m.field, VM_FIELDS, `${p}.field`); }
  else if ("vm" in m && form !== "windows" && form !== "trace") c.fail(`"vm" goes with "field"`, `${p}.vm`);
  if (form === "system") out.system = c.oneOf(m.system, SYSTEM_FIELDS, `${p}.system`);
  if (form === "kinetic") out.kinetic = c.oneOf(m.kinetic, KINETIC_FIELDS, `${p}.kinetic`);
  if (AGGREGATES.includes(form)) {
    out[form] = c.oneOf(m[form], VM_FIELDS, `${p}.${form}`);
    if (m.vms !== undefined) {
      if (!Array.isArray(m.vms) || !m.vms.length) c.fail("expected a non-empty array of VM ids", `${p}.vms`);
      out.vms = m.vms.map((v, i) => vm(v, `${p}.vms[${i}]`));
    }
  } else if ("vms" in m) c.fail(`"vms" goes with ${AGGREGATES.join("/")}`, `${p}.vms`);
  if (form === "ratio" || form === "diff") {
    if (!Array.isArray(m[form]) || m[form].length !== 2) c.fail("expected two metric expressions", `${p}.${form}`);
    out[form] = m[form].map((x, i) => validateMetric(c, x, `${p}.${form}[${i}]`, api, vmIds));
  }
  if (form === "windows") {
    out.vm = vm(m.vm, `${p}.vm`);
    c.obj(m.windows, `${p}.windows`, ["windowMs", "count"], ["windowMs", "count"]);
    out.windows = { windowMs: c.num(m.windows.windowMs, `${p}.windows.windowMs`, { min: 1, whole: true }), count: c.num(m.windows.count, `${p}.windows.count`, { min: 2, whole: true }) };
    if (out.windows.count > 500) c.fail("at most 500 windows", `${p}.windows.count`);
    out.stat = c.oneOf(m.stat, STATS, `${p}.stat`);
  } else if ("stat" in m) c.fail(`"stat" goes with "windows"`, `${p}.stat`);
  if (form === "trace") { out.vm = vm(m.vm, `${p}.vm`); out.trace = c.oneOf(m.trace, TRACE_MEASURES, `${p}.trace`); }
  if (form === "converge") {
    c.obj(m.converge, `${p}.converge`, ["vm", "withinPoints", "sliceMs"], ["vm", "withinPoints"]);
    out.converge = {
      vm: vm(m.converge.vm, `${p}.converge.vm`),
      withinPoints: c.num(m.converge.withinPoints, `${p}.converge.withinPoints`, { min: 0.01 }),
    };
    if (m.converge.sliceMs !== undefined) out.converge.sliceMs = c.num(m.converge.sliceMs, `${p}.converge.sliceMs`, { min: 1, whole: true });
  }
  if (m.scale !== undefined) out.scale = c.num(m.scale, `${p}.scale`);
  if (m.run !== undefined) out.run = validateRun(c, m.run, `${p}.run`, api, vmIds);
  return out;
}

function validateQuestion(c, q, p, api, vmIds) {
  c.obj(q, p, ["kind", "prompt", "metric", "tolerance", "tolerancePercent", "unit", "decimals", "options", "pick", "explanation"], ["kind", "prompt", "explanation"]);
  const kind = c.oneOf(q.kind, QUESTION_KINDS, `${p}.kind`);
  const out = { kind, prompt: c.text(q.prompt, `${p}.prompt`, 500), explanation: c.text(q.explanation, `${p}.explanation`) };
  if (kind === "number") {
    for (const k of ["options", "pick"]) if (k in q) c.fail(`a number question has no ${k}`, `${p}.${k}`);
    out.metric = validateMetric(c, q.metric, `${p}.metric`, api, vmIds);
    const tol = ["tolerance", "tolerancePercent"].filter((k) => k in q);
    if (tol.length !== 1) c.fail("a number question needs exactly one of tolerance (absolute) or tolerancePercent", p);
    out[tol[0]] = c.num(q[tol[0]], `${p}.${tol[0]}`, { min: 0 });
    if (out.tolerancePercent > 100) c.fail("tolerancePercent above 100", `${p}.tolerancePercent`);
    if (q.unit !== undefined) out.unit = c.text(q.unit, `${p}.unit`, 20);
    out.decimals = q.decimals === undefined ? 1 : c.num(q.decimals, `${p}.decimals`, { min: 0, whole: true });
    return out;
  }
  for (const k of ["tolerance", "tolerancePercent", "unit", "decimals"]) if (k in q) c.fail(`a choice question has no ${k}`, `${p}.${k}`);
  if (!Array.isArray(q.options) || q.options.length < 2 || q.options.length > 6) c.fail("expected 2 to 6 options", `${p}.options`);
  // Either every option has its own metric and `pick` says which wins (max or min), or the
  // question has one metric and every option a range [min, max) of it.
  if (q.pick !== undefined) {
    out.pick = c.oneOf(q.pick, ["max", "min"], `${p}.pick`);
    if ("metric" in q) c.fail(`with "pick" each option has its own metric`, `${p}.metric`);
    out.options = q.options.map((o, i) => {
      c.obj(o, `${p}.options[${i}]`, ["label", "metric"], ["label", "metric"]);
      return { label: c.text(o.label, `${p}.options[${i}].label`, 200), metric: validateMetric(c, o.metric, `${p}.options[${i}].metric`, api, vmIds) };
    });
  } else {
    out.metric = validateMetric(c, q.metric, `${p}.metric`, api, vmIds);
    out.options = q.options.map((o, i) => {
      const op = `${p}.options[${i}]`;
      c.obj(o, op, ["label", "min", "max"], ["label"]);
      const r = { label: c.text(o.label, `${op}.label`, 200) };
      if (o.min !== undefined) r.min = c.num(o.min, `${op}.min`);
      if (o.max !== undefined) r.max = c.num(o.max, `${op}.max`);
      if (r.min === undefined && r.max === undefined) c.fail(`an option of a range question needs min or max (or give "pick")`, op);
      if (r.min !== undefined && r.max !== undefined && r.min >= r.max) c.fail(`min ${r.min} ≥ max ${r.max}`, op);
      return r;
    });
    // the ranges must not overlap, so at most one option holds any value
    const sorted = [...out.options].sort((a, b) => (a.min ?? -Infinity) - (b.min ?? -Infinity));
    for (let i = 1; i < sorted.length; i++) {
      if ((sorted[i - 1].max ?? Infinity) > (sorted[i].min ?? -Infinity)) c.fail(`options ${JSON.stringify(sorted[i - 1].label)} and ${JSON.stringify(sorted[i].label)} overlap`, `${p}.options`);
    }
  }
  const labels = new Set(out.options.map((o) => o.label));
  if (labels.size !== out.options.length) c.fail("two options have the same label", `${p}.options`);
  return out;
}

/** Parse lesson text (a file's contents). Throws LessonError. */
export function parseLesson(text, api, file = "") {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new LessonError(`not JSON: ${e.message}`, "", file);
  }
  return validateLesson(raw, api, file);
}
