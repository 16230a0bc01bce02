// session.js: the BioXen session format (version 1): validate, serialise, replay.
//
// A session is everything needed to rebuild a hypervisor deterministically: the chassis, the
// scheduler, the hypervisor options (seed included), the list of operations that succeeded with
// the simulated time at which each one happened, and the simulated time the session reached.
// Replaying = new Hypervisor(options); for each op: step(op.atMs - nowMs), apply op; finally
// step(endMs - nowMs). The simulation is event-driven and deterministic, so the replay produces
// the same trace, events and metrics as the live run. The format is documented in
// www/session-format.md; this module has no DOM code so a CLI can import it as is.
//
// Every function takes the `bioxen` module (`api`) as an argument instead of importing it, so
// it runs unchanged in browsers (/pkg/web/bioxen.js) and in Node (the `bioxen` package).

export const FORMAT = "bioxen-session";
export const VERSION = 1;

/** Limits that keep a hostile file from freezing the page. */
export const LIMITS = Object.freeze({
  bytes: 4 * 1024 * 1024,
  ops: 20_000,
  endMs: 90 * 86_400_000, // 90 simulated days
  string: 2048,
  title: 200,
});

/** Placeholder replayed for an xcpng password: sessions never store passwords. */
export const REDACTED_PASSWORD = "(redacted)";

export const OP_KINDS = Object.freeze([
  "createVm", "startVm", "pauseVm", "resumeVm", "stopVm", "restartVm", "destroyVm",
  "setScheduler", "setScheduling", "allocateResources", "setAtpSupply", "setInducer",
]);

const LIFECYCLE = new Set(["startVm", "pauseVm", "resumeVm", "stopVm", "restartVm", "destroyVm"]);

const OPTION_KEYS = ["quantumMs", "maxVms", "seed", "contextSwitchMs", "traceCapacity", "eventCapacity"];
const SCHED_OPTION_KEYS = ["quantumMs", "seed", "mlfqLevels", "mlfqBoostMs", "agingMs", "mlfqQuantaMs", "mlfqAllotments", "mlfqBoostRule"];
// What an MLFQ boost gives at the top level (src/scheduler/mod.rs MlfqBoostRule).
const MLFQ_BOOST_RULES = ["fresh", "ostep"];
/** The setScheduler options that are lists (MLFQ, one whole number per level, top first). */
const SCHED_LIST_KEYS = ["mlfqQuantaMs", "mlfqAllotments"];
const SCHEDULING_KEYS = ["priority", "weight", "cap"];
const RESOURCE_KEYS = ["ribosomes", "rnaPolymerase", "atpPercent", "memoryKb"];
const CONFIG_NUMBER_KEYS = [...RESOURCE_KEYS, "priority", "weight", "cap", "workloadAa", "cycles"];
const CONFIG_STRING_KEYS = ["xapiUrl", "username", "password", "sshUser"];

/** A refused session file: `path` says where (e.g. "ops[3].vmId"). */
export class SessionError extends Error {
  constructor(message, path = "$") {
    super(path === "$" ? message : `${path}: ${message}`);
    this.name = "SessionError";
    this.code = "INVALID_SESSION";
    this.path = path;
  }
}

const isPlainObject = (v) =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

function describe(v) {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + "…" : v)}`;
  if (typeof v === "number") return `the number ${v}`;
  return `a value of type ${typeof v}`;
}

function checkKeys(obj, allowed, path) {
  if (!isPlainObject(obj)) throw new SessionError(`expected an object, got ${describe(obj)}`, path);
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new SessionError(`unknown key ${JSON.stringify(k.slice(0, 60))}`, path);
  }
}

function wholeMs(v, path, max = Number.MAX_SAFE_INTEGER) {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v > max) {
    throw new SessionError(`expected a whole number from 0 to ${max}, got ${describe(v)}`, path);
  }
  return v;
}

/** An array of at most 16 whole numbers (the package checks them against the MLFQ levels). */
function wholeList(v, path) {
  if (!Array.isArray(v)) throw new SessionError(`expected an array of whole numbers, one per MLFQ level, got ${describe(v)}`, path);
  if (v.length > 16) throw new SessionError(`expected at most 16 entries, got ${v.length}`, path);
  return v.map((x, i) => wholeMs(x, `${path}[${i}]`));
}

function finiteNumber(v, path) {
  if (typeof v !== "number" || !Number.isFinite(v)) throw new SessionError(`expected a number, got ${describe(v)}`, path);
  return v;
}

function str(v, path, max = LIMITS.string) {
  if (typeof v !== "string") throw new SessionError(`expected a string, got ${describe(v)}`, path);
  if (v.length > max) throw new SessionError(`string longer than ${max} characters`, path);
  return v;
}

function oneOf(v, list, path) {
  str(v, path);
  if (!list.includes(v)) throw new SessionError(`expected one of ${list.join(", ")}, got ${describe(v)}`, path);
  return v;
}

function numbersObject(obj, keys, path, { nullable = [] } = {}) {
  checkKeys(obj, keys, path);
  const out = {};
  for (const k of keys) {
    if (!(k in obj)) continue;
    if (obj[k] === null && nullable.includes(k)) out[k] = null;
    else out[k] = finiteNumber(obj[k], `${path}.${k}`);
  }
  return out;
}

/**
 * Check a parsed session object and return a clean copy (only known keys, fresh objects).
 * Throws SessionError with a path on the first problem. Values the package itself checks
 * (ranges of weights, ids, …) are left to the package: replay reports its refusal.
 */
export function validateSession(raw, api) {
  checkKeys(raw, ["format", "version", "chassis", "scheduler", "options", "ops", "endMs", "meta"], "$");
  if (raw.format !== FORMAT) throw new SessionError(`expected "format": "${FORMAT}", got ${describe(raw.format)}`, "format");
  if (raw.version !== VERSION) throw new SessionError(`unsupported version ${describe(raw.version)} (this page reads version ${VERSION})`, "version");
  const s = {
    format: FORMAT,
    version: VERSION,
    chassis: validateChassis(raw.chassis, api),
    scheduler: oneOf(raw.scheduler, api.getSupportedSchedulers(), "scheduler"),
    options: {},
    ops: [],
    endMs: 0,
    meta: {},
  };
  if (raw.options !== undefined) {
    checkKeys(raw.options, [...OPTION_KEYS, "machinery"], "options");
    for (const k of OPTION_KEYS) if (k in raw.options) s.options[k] = wholeMs(raw.options[k], `options.${k}`);
    // the machinery model: "simple" (default) or "kinetic"; replay passes it to new Hypervisor()
    if ("machinery" in raw.options) s.options.machinery = oneOf(raw.options.machinery, api.getSupportedMachinery?.() ?? ["simple"], "options.machinery");
  }
  if (raw.meta !== undefined) {
    checkKeys(raw.meta, ["title", "savedAt", "bioxenVersion", "createdBy", "preset"], "meta");
    for (const [k, v] of Object.entries(raw.meta)) s.meta[k] = str(v, `meta.${k}`, LIMITS.title);
  }
  if (!Array.isArray(raw.ops)) throw new SessionError(`expected an array, got ${describe(raw.ops)}`, "ops");
  if (raw.ops.length > LIMITS.ops) throw new SessionError(`too many operations (${raw.ops.length} > ${LIMITS.ops})`, "ops");
  let last = 0;
  raw.ops.forEach((op, i) => {
    const p = `ops[${i}]`;
    if (!isPlainObject(op)) throw new SessionError(`expected an object, got ${describe(op)}`, p);
    const kind = oneOf(op.op, OP_KINDS, `${p}.op`);
    const atMs = wholeMs(op.atMs, `${p}.atMs`, LIMITS.endMs);
    if (atMs < last) throw new SessionError(`operations must be in time order (atMs ${atMs} < ${last})`, `${p}.atMs`);
    last = atMs;
    s.ops.push(validateOp(op, kind, atMs, p, api));
  });
  s.endMs = raw.endMs === undefined ? last : wholeMs(raw.endMs, "endMs", LIMITS.endMs);
  if (s.endMs < last) throw new SessionError(`endMs ${s.endMs} is before the last operation (${last})`, "endMs");
  return s;
}

/**
 * A session's chassis: a preset's name, or a chassis object (`ChassisDescription`: a `base`
 * preset and the numbers it changes), checked by the package with the rules of
 * `new Hypervisor({ chassis })`; its first issue is thrown with its path
 * (`chassis.hostReserve.atp`). Returns the name, or a fresh copy of the object.
 */
function validateChassis(v, api) {
  if (typeof v === "string") return oneOf(v, api.getSupportedChassis(), "chassis");
  if (!isPlainObject(v)) throw new SessionError(`expected a preset name or a chassis object, got ${describe(v)}`, "chassis");
  try {
    api.chassisInfo(v);
  } catch (e) {
    const first = e.issues?.[0];
    if (first) throw new SessionError(first.message, first.path);
    throw new SessionError(e.message, "chassis");
  }
  return JSON.parse(JSON.stringify(v));
}

/** True when a session's chassis is a chassis object rather than a preset's name. */
export const isCustomChassis = (chassis) => chassis !== null && typeof chassis === "object";

/**
 * A session's chassis in a few words: the preset's name, or `"Name" (custom, on textbook)` as
 * the Rust reader's `SessionChassis::label` prints it (an unnamed one takes its base's name
 * when `api` is given).
 */
export function chassisLabel(chassis, api) {
  if (!isCustomChassis(chassis)) return String(chassis);
  let name = typeof chassis.name === "string" ? chassis.name : null;
  if (name === null && api) {
    try {
      name = api.chassisInfo(chassis).name;
    } catch {
      // an invalid description is shown unnamed
    }
  }
  const base = chassis.base ?? "ecoli";
  return name === null ? `custom (on ${base})` : `${JSON.stringify(name.slice(0, 60))} (custom, on ${base})`;
}

function validateOp(op, kind, atMs, p, api) {
  const base = { atMs, op: kind };
  if (LIFECYCLE.has(kind)) {
    checkKeys(op, ["atMs", "op", "vmId"], p);
    return { ...base, vmId: str(op.vmId, `${p}.vmId`, 200) };
  }
  switch (kind) {
    case "createVm": {
      checkKeys(op, ["atMs", "op", "vmId", "biologicalType", "vmType", "config"], p);
      const out = {
        ...base,
        vmId: str(op.vmId, `${p}.vmId`, 200),
        biologicalType: oneOf(op.biologicalType, api.getSupportedBiologicalTypes(), `${p}.biologicalType`),
        vmType: op.vmType === undefined ? "basic" : oneOf(op.vmType, api.getSupportedVmTypes(), `${p}.vmType`),
        config: {},
      };
      if (op.config !== undefined) {
        checkKeys(op.config, [...CONFIG_NUMBER_KEYS, ...CONFIG_STRING_KEYS, "genome", "circuit"], `${p}.config`);
        if ("genome" in op.config) {
          // A genome VM keeps only its workload (the package checks it at createVm).
          const g = op.config.genome;
          if (!g || typeof g !== "object" || !g.workload || typeof g.workload !== "object") {
            throw new SessionError("expected { workload } from parseGenome", `${p}.config.genome`);
          }
          out.config.genome = { workload: g.workload };
        }
        if ("circuit" in op.config) out.config.circuit = circuitOf(op.config.circuit, `${p}.config.circuit`);
        for (const k of CONFIG_NUMBER_KEYS) {
          if (!(k in op.config)) continue;
          if (k === "cycles" && op.config[k] === null) out.config[k] = null;
          else out.config[k] = finiteNumber(op.config[k], `${p}.config.${k}`);
        }
        for (const k of CONFIG_STRING_KEYS) {
          if (!(k in op.config) || k === "password") continue; // a password in a file is dropped
          out.config[k] = str(op.config[k], `${p}.config.${k}`);
        }
      }
      return out;
    }
    case "setScheduler": {
      checkKeys(op, ["atMs", "op", "name", "options"], p);
      const out = { ...base, name: oneOf(op.name, api.getSupportedSchedulers(), `${p}.name`) };
      if (op.options !== undefined && op.options !== null) {
        checkKeys(op.options, SCHED_OPTION_KEYS, `${p}.options`);
        out.options = {};
        for (const k of SCHED_OPTION_KEYS) {
          if (!(k in op.options)) continue;
          const v = op.options[k];
          const at = `${p}.options.${k}`;
          out.options[k] = k === "mlfqBoostRule" ? oneOf(v, MLFQ_BOOST_RULES, at) : SCHED_LIST_KEYS.includes(k) ? wholeList(v, at) : wholeMs(v, at);
        }
      }
      return out;
    }
    case "setScheduling": {
      checkKeys(op, ["atMs", "op", "vmId", "request"], p);
      return { ...base, vmId: str(op.vmId, `${p}.vmId`, 200), request: numbersObject(op.request, SCHEDULING_KEYS, `${p}.request`) };
    }
    case "allocateResources": {
      checkKeys(op, ["atMs", "op", "vmId", "request"], p);
      return { ...base, vmId: str(op.vmId, `${p}.vmId`, 200), request: numbersObject(op.request, RESOURCE_KEYS, `${p}.request`) };
    }
    case "setAtpSupply": {
      checkKeys(op, ["atMs", "op", "percent"], p);
      return { ...base, percent: finiteNumber(op.percent, `${p}.percent`) };
    }
    case "setInducer": {
      // an inducer of the medium every VM shares (kinetic machinery), µM; the package checks
      // the name's characters and that the value is not negative
      checkKeys(op, ["atMs", "op", "name", "value"], p);
      return { ...base, name: str(op.name, `${p}.name`), value: finiteNumber(op.value, `${p}.value`) };
    }
  }
  throw new SessionError(`unknown operation`, `${p}.op`);
}

/**
 * A circuit VM's `config.circuit`: a built-in circuit's id (a string) or a circuit in full (an
 * object), kept as given (a fresh copy); the package checks it on replay and names
 * `circuit...`, as the Rust reader does.
 */
function circuitOf(v, path) {
  if (typeof v === "string") return str(v, path);
  if (isPlainObject(v)) return JSON.parse(JSON.stringify(v));
  throw new SessionError(`expected a built-in circuit's id or a circuit { name?, genes }, got ${describe(v)}`, path);
}

/** Parse and validate session text (a file's contents). Throws SessionError. */
export function parseSession(text, api) {
  if (typeof text !== "string") throw new SessionError("expected text");
  if (text.length > LIMITS.bytes) throw new SessionError(`file too large (${text.length} bytes > ${LIMITS.bytes})`);
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SessionError(`not JSON: ${e.message}`);
  }
  return validateSession(raw, api);
}

/** The JSON text of a session (passwords are never part of a session). */
export function serializeSession(session) {
  const { format, version, chassis, scheduler, options, ops, endMs, meta } = session;
  return JSON.stringify({ format, version, chassis, scheduler, options, ops: ops.map(stripSecrets), endMs, meta }, null, 2) + "\n";
}

/** A copy of an op without secrets (the xcpng password). */
export function stripSecrets(op) {
  if (op.op !== "createVm" || !op.config || !("password" in op.config)) return op;
  const { password, ...config } = op.config; // eslint-disable-line no-unused-vars
  return { ...op, config };
}

/** An empty session. */
export function newSession({ chassis = "ecoli", scheduler = "round_robin", options = {}, meta = {} } = {}) {
  return { format: FORMAT, version: VERSION, chassis, scheduler, options: { ...options }, ops: [], endMs: 0, meta: { ...meta } };
}

/** Apply one op to a hypervisor (throws the package's error when refused). */
export function applyOp(h, op, { password } = {}) {
  switch (op.op) {
    case "createVm": {
      const config = { ...op.config };
      if (op.vmType === "xcpng") config.password = password ?? REDACTED_PASSWORD;
      const vm = h.createVm(op.vmId, op.biologicalType, op.vmType, config);
      vm.free();
      return;
    }
    case "startVm": return h.startVm(op.vmId);
    case "pauseVm": return h.pauseVm(op.vmId);
    case "resumeVm": return h.resumeVm(op.vmId);
    case "stopVm": return h.stopVm(op.vmId);
    case "restartVm": return h.restartVm(op.vmId);
    case "destroyVm": return h.destroyVm(op.vmId);
    case "setScheduler": return h.setScheduler(op.name, op.options ?? undefined);
    case "setScheduling": return h.setScheduling(op.vmId, op.request);
    case "setAtpSupply": return h.setAtpSupply(op.percent);
    case "setInducer": return h.setInducer(op.name, op.value);
    case "allocateResources": {
      const vm = h.getVm(op.vmId);
      if (!vm) {
        const e = new Error(`no VM with id ${JSON.stringify(op.vmId)}`);
        e.code = "NOT_FOUND";
        throw e;
      }
      try {
        return vm.allocateResources(op.request);
      } finally {
        vm.free();
      }
    }
  }
  throw new SessionError(`unknown operation ${op.op}`);
}

/** The HypervisorOptions of a session. */
export function hypervisorOptions(session, scheduler = session.scheduler) {
  return { chassis: session.chassis, scheduler, ...session.options };
}

/**
 * Rebuild a hypervisor from a session.
 *   scheduler: replay under another policy (every setScheduler op switches to it instead,
 *              keeping its parameters): used by the comparison view.
 *   lenient:   skip refused ops (reported in `refused`) instead of failing: used when the
 *              same operations are moved to another chassis.
 *   untilMs:   stop at this time instead of session.endMs (may be later: time runs on).
 * Returns { h, ops, refused }; `ops` are the ops that were applied. On failure (strict mode)
 * the half-built hypervisor is freed and a SessionError names the op and the package's error.
 */
export function replay(api, session, { scheduler, lenient = false, untilMs } = {}) {
  const h = new api.Hypervisor(hypervisorOptions(session, scheduler ?? session.scheduler));
  const ops = [];
  const refused = [];
  try {
    session.ops.forEach((op, i) => {
      if (op.atMs > h.nowMs) h.step(op.atMs - h.nowMs);
      const applied = scheduler && op.op === "setScheduler" ? { ...op, name: scheduler } : op;
      try {
        applyOp(h, applied);
        ops.push(op);
      } catch (e) {
        if (!lenient) {
          const err = new SessionError(`${op.op} was refused on replay: ${e.code ? e.code + ": " : ""}${e.message}`, `ops[${i}]`);
          err.cause = e;
          throw err;
        }
        refused.push({ op, error: e });
      }
    });
    const end = untilMs ?? session.endMs;
    if (end > h.nowMs) h.step(end - h.nowMs);
  } catch (e) {
    h.free();
    if (e instanceof SessionError) throw e;
    const err = new SessionError(`replay failed: ${e.code ? e.code + ": " : ""}${e.message}`);
    err.cause = e;
    throw err;
  }
  return { h, ops, refused };
}
