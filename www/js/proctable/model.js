// proctable/model.js: owns the process-table mode's data: job rows (name, arrival, burst,
// priority, weight), their checks, random rows from a seed, and running a table through the
// real `bioxen` package on the `textbook` chassis (1 aa per ms of shared machinery, no host
// reserve, free context switches, so a VM's workloadAa is its burst in ms). Every answer is
// read from the simulation's own trace: there is no scheduler in this file. No DOM.

/** The policies a table can run under, with the options each one reads. */
export const POLICIES = Object.freeze(["fcfs", "sjf", "srtf", "round_robin", "priority", "mlfq", "lottery", "credit", "eevdf"]);

/** The stated conventions, shown on the page; they are the core's own (tests/process_tables.rs). */
export const RULES = Object.freeze([
  "Times are in ms. Turnaround = finish − arrival; waiting = turnaround − burst; response = first run − arrival.",
  "A job arriving at t takes part in the decision made at t, also when another job finishes, is preempted or ends its slice at t.",
  "Ties go to the earlier arrival, then to the earlier row.",
  "Round robin: a job arriving at t enters the queue before the job whose slice ended at t.",
  "SJF, SRTF and priority: among equals the earlier arrival runs first, then row order; a preempted job keeps its place by arrival; a running job is not preempted by an equal.",
  "Priority: the higher number (1–10) runs first, preemptively; a job whose quantum expires goes to the back of its level.",
  "A dispatch that lasts 0 ms is no dispatch: it sets no response time and is no context switch.",
]);

/**
 * MLFQ's conventions on this page: those of OSTEP chapter 8's simulator (`mlfq.py -c`), which
 * the core follows for jobs without I/O (tests/mlfq_ostep.rs checks it against a model of it).
 */
export const MLFQ_RULES = Object.freeze([
  "Levels (-n), per-level quanta (-Q, top level first) and allotments (-A, in quanta, top level first) are mlfq.py's. Without -Q every level's quantum is the quantum above (mlfq.py -q); without -A every allotment is 1.",
  "A new job enters at the back of the top queue. At one instant t the order is mlfq.py's: the running job's quantum ending at t is accounted first (it queues before the arrivals), then the boost due at t, then the jobs arriving at t, in row order.",
  "A job runs one quantum at a time; when it is used up the job goes to the back of its queue, and after its allotment of quanta it moves down one queue. The bottom queue keeps it: there it is round robin.",
  "A job arriving above the running job preempts it, and the preempted job keeps the head of its queue with the rest of its quantum.",
  "Boost (-B, empty = never): at every multiple of the period, the jobs already in the top queue keep their places, then come the bottom queue's jobs, then the queue above it, and so on upwards, each in its own order. Every job's quantum then becomes the top queue's allotment count, in ms, and its count of quanta left is kept: mlfq.py does exactly this (with allotment 1, one ms at the top, then down a queue), and this table asks the core for it (mlfqBoostRule \"ostep\") so that the answers agree. Elsewhere the core's MLFQ gives a boosted job a fresh top quantum and allotment, as the chapter's rule 5 states, because a 1 ms slice makes no sense for a cell's machinery.",
  "Where the core keeps its own rule: jobs here never do I/O. In the playground a paused and resumed VM stands for a job blocking for I/O (as mlfq.py without -S or -I): it keeps its queue and the rest of its quantum, and joins the back of its queue. The core's own default quanta, outside this page, are quantum × 2^level.",
]);

export const LIMITS = Object.freeze({ rows: 64, timeMs: 1_000_000, priority: [1, 10], weight: [1, 65535] });

const NAME = /^[A-Za-z0-9_.-]{1,32}$/;

/** Check rows; returns a list of { path, message } (empty when every row is good). */
export function checkRows(rows) {
  const issues = [];
  if (!Array.isArray(rows) || rows.length === 0) return [{ path: "rows", message: "expected at least one job" }];
  if (rows.length > LIMITS.rows) issues.push({ path: "rows", message: `expected at most ${LIMITS.rows} jobs, got ${rows.length}` });
  const seen = new Set();
  rows.forEach((r, i) => {
    const p = `rows[${i}]`;
    if (typeof r.name !== "string" || !NAME.test(r.name)) issues.push({ path: `${p}.name`, message: `expected 1–32 letters, digits, "_", "." or "-", got ${JSON.stringify(r.name)}` });
    else if (seen.has(r.name)) issues.push({ path: `${p}.name`, message: `duplicate name ${JSON.stringify(r.name)}` });
    else seen.add(r.name);
    const int = (k, lo, hi) => {
      const v = r[k];
      if (!Number.isInteger(v) || v < lo || v > hi) issues.push({ path: `${p}.${k}`, message: `expected an integer ${lo}–${hi}, got ${Number.isNaN(v) ? "nothing" : JSON.stringify(v)}` });
    };
    int("arrival", 0, LIMITS.timeMs);
    int("burst", 1, LIMITS.timeMs);
    int("priority", ...LIMITS.priority);
    int("weight", ...LIMITS.weight);
  });
  return issues;
}

/** A deterministic PRNG (mulberry32) from a 32-bit seed. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` random rows from `seed`: arrivals 0–9 ms (ties likely), bursts 1–9 ms, priorities 1–5. */
export function randomRows(seed, n = 5) {
  const r = prng(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  return Array.from({ length: n }, (_, i) => ({ name: `P${i + 1}`, arrival: int(0, 9), burst: int(1, 9), priority: int(1, 5), weight: 256 * int(1, 4) }));
}

/** The hypervisor options of a run: the textbook chassis, the policy, its quantum and seed. */
export function hypervisorOptions(policy, opts = {}) {
  const o = { chassis: "textbook", scheduler: policy, seed: opts.seed ?? 1 };
  if (opts.quantumMs != null) o.quantumMs = opts.quantumMs;
  return o;
}

/**
 * The `setScheduler("mlfq", …)` options that make the run mlfq.py's: `opts.mlfqQuantaMs` (-Q)
 * sets the number of levels when given, else `opts.mlfqLevels` (-n, default 3) with every
 * quantum `opts.quantumMs` (-q, default 10); `opts.mlfqAllotments` (-A) default 1 per level;
 * `opts.mlfqBoostMs` (-B) default 0 (never); the boost as mlfq.py computes it
 * (`mlfqBoostRule: "ostep"`). Lists are passed as given: the package refuses a
 * bad one naming the entry (e.g. `mlfqQuantaMs[2]`).
 */
export function mlfqOptions(opts = {}) {
  const quantum = opts.quantumMs ?? 10;
  const levels = opts.mlfqLevels ?? (Array.isArray(opts.mlfqQuantaMs) ? opts.mlfqQuantaMs.length : 3);
  const fill = (v) => (Number.isInteger(levels) && levels >= 1 && levels <= 16 ? Array(levels).fill(v) : [v]);
  return {
    quantumMs: quantum,
    mlfqLevels: levels,
    mlfqQuantaMs: opts.mlfqQuantaMs ?? fill(quantum),
    mlfqAllotments: opts.mlfqAllotments ?? fill(1),
    mlfqBoostMs: opts.mlfqBoostMs ?? 0,
    // mlfq.py's boost, not the package's default (a fresh top quantum): see MLFQ_RULES.
    mlfqBoostRule: "ostep",
  };
}

/**
 * Run `rows` under `policy` through the package `api` (an initialised bioxen module). Plays the
 * jobs through the plain API: create every job, step the clock to each arrival (earlier arrival,
 * then row order) and start it there, then run until all have finished. Returns
 * { segments: [{ job, start, end }], jobs: [{ name, arrival, burst, start, finish, response,
 * turnaround, waiting }], averages, endMs }, all read from the trace. Throws the package's error.
 */
export function runTable(api, rows, policy, opts = {}) {
  const issues = checkRows(rows);
  if (issues.length) {
    const e = new Error(`the table has ${issues.length} bad field${issues.length > 1 ? "s" : ""}`);
    e.code = "INVALID_CONFIG";
    e.issues = issues;
    throw e;
  }
  const h = new api.Hypervisor(hypervisorOptions(policy, opts));
  try {
    if (policy === "mlfq") h.setScheduler("mlfq", mlfqOptions(opts));
    rows.forEach((r, i) => h.createVm(vmId(i), "syn3a", "basic", { workloadAa: r.burst, cycles: 1, priority: r.priority, weight: r.weight }));
    const order = rows.map((_, i) => i).sort((a, b) => rows[a].arrival - rows[b].arrival || a - b);
    for (const i of order) {
      const t = rows[i].arrival;
      if (t > h.nowMs) h.step(t - h.nowMs);
      h.startVm(vmId(i));
    }
    const horizon = Math.max(...rows.map((r) => r.arrival)) + rows.reduce((s, r) => s + r.burst, 0);
    // Policies with switch costs or shares may need longer than the textbook sum; stop when done.
    for (let guard = 0; guard < 64; guard++) {
      if (h.metrics().perVm.every((v) => v.state === "stopped")) break;
      h.step(Math.max(1, horizon + 1 - h.nowMs));
    }
    const per = h.metrics().perVm;
    const unfinished = per.filter((v) => v.state !== "stopped").map((v) => rows[indexOf(v.vmId)].name);
    if (unfinished.length) throw Object.assign(new Error(`jobs still running at t = ${h.nowMs} ms: ${unfinished.join(", ")}`), { code: "NOT_FINISHED" });
    return answers(h, rows);
  } finally {
    h.free();
  }
}

const vmId = (i) => `job-${i + 1}`;
const indexOf = (id) => Number(id.slice(4)) - 1;

function answers(h, rows) {
  const c = h.traceSince(0);
  const segments = [];
  for (let k = 0; k < c.vmIndex.length; k++) {
    if (c.kind[k] !== 0 || c.end[k] <= c.start[k]) continue; // runs only; a 0 ms dispatch is none
    const job = indexOf(c.names[c.vmIndex[k]]);
    const last = segments[segments.length - 1];
    if (last && last.job === job && last.end === c.start[k]) last.end = c.end[k]; // one run, several slices
    else segments.push({ job, start: c.start[k], end: c.end[k] });
  }
  const jobs = rows.map((r, i) => {
    const mine = segments.filter((s) => s.job === i);
    const start = Math.min(...mine.map((s) => s.start));
    const finish = Math.max(...mine.map((s) => s.end));
    const turnaround = finish - r.arrival;
    return { name: r.name, arrival: r.arrival, burst: r.burst, priority: r.priority, weight: r.weight, start, finish, response: start - r.arrival, turnaround, waiting: turnaround - r.burst };
  });
  const avg = (k) => jobs.reduce((s, j) => s + j[k], 0) / jobs.length;
  return { segments, jobs, averages: { response: avg("response"), turnaround: avg("turnaround"), waiting: avg("waiting") }, endMs: Math.max(...jobs.map((j) => j.finish)) };
}

export const COLUMNS = Object.freeze(["name", "arrival", "burst", "start", "finish", "response", "turnaround", "waiting"]);

/** The per-job table and its averages as CSV (RFC 4180 quoting). */
export function toCsv(result, policy) {
  const q = (v) => (/[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const lines = [COLUMNS.join(",")];
  for (const j of result.jobs) lines.push(COLUMNS.map((k) => q(j[k])).join(","));
  const a = result.averages;
  lines.push(["average", "", "", "", "", a.response, a.turnaround, a.waiting].join(","));
  return lines.join("\r\n") + "\r\n";
}
