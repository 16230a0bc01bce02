// format.js: numbers and biological time for display.

const nf0 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

export const fmtInt = (n) => nf0.format(n);
export const fmt1 = (n) => nf1.format(n);

/** A duration in simulated ms as biological time: "820 ms", "20 s", "12.5 min", "3.2 h", "2.1 d". */
export function fmtDur(ms) {
  if (!Number.isFinite(ms)) return "–";
  const a = Math.abs(ms);
  if (a < 1000) return `${Math.round(ms)} ms`;
  if (a < 60_000) return `${trim(ms / 1000)} s`;
  if (a < 3_600_000) return `${trim(ms / 60_000)} min`;
  if (a < 172_800_000) return `${trim(ms / 3_600_000)} h`;
  return `${trim(ms / 86_400_000)} d`;
}

function trim(x) {
  const a = Math.abs(x);
  const s = a >= 100 ? x.toFixed(0) : a >= 10 ? x.toFixed(1) : x.toFixed(2);
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/** A clock reading in simulated time: "0 s", "45 s", "12 min 30 s", "3 h 05 min", "2 d 03 h". */
export function fmtClock(ms) {
  if (!Number.isFinite(ms)) return "–";
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  const p2 = (x) => String(x).padStart(2, "0");
  if (d) return `${d} d ${p2(h)} h ${p2(m)} min`;
  if (h) return `${h} h ${p2(m)} min`;
  if (m) return sec ? `${m} min ${p2(sec)} s` : `${m} min`;
  if (s) return `${sec} s`;
  return ms ? `${Math.round(ms)} ms` : "0 s";
}

/** Amino acids: "950 aa", "12.3 k aa", "99.8 M aa", "4.1 G aa". */
export function fmtAa(n) {
  if (!Number.isFinite(n)) return "–";
  const u = [[1e12, "T"], [1e9, "G"], [1e6, "M"], [1e3, "k"]];
  for (const [v, s] of u) if (Math.abs(n) >= v) return `${trim(n / v)} ${s} aa`;
  return `${Math.round(n)} aa`;
}

export function fmtPct(x, digits = 1) {
  if (!Number.isFinite(x)) return "–";
  return `${(x * 100).toFixed(digits)} %`;
}

const STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500,
  1e3, 2e3, 5e3, 1e4, 15e3, 3e4,
  6e4, 12e4, 3e5, 6e5, 9e5, 18e5,
  36e5, 72e5, 108e5, 216e5, 432e5,
  864e5, 1728e5, 6048e5, 12096e5, 2592e6,
];

/** A tick step (ms) so that `span` ms over `px` pixels has ticks at least `minPx` apart. */
export function tickStep(span, px, minPx = 90) {
  const want = (span * minPx) / Math.max(1, px);
  for (const s of STEPS) if (s >= want) return s;
  return STEPS[STEPS.length - 1] * Math.ceil(want / STEPS[STEPS.length - 1]);
}

/** A tick label with the unit the step calls for. */
export function fmtTick(ms, step) {
  if (step < 1000) return `${trim(ms / 1000)} s`;
  if (step < 60_000) return fmtClock(ms);
  if (step < 3_600_000) {
    const m = Math.round(ms / 60_000);
    if (m < 60) return `${m} min`;
    return m % 60 ? `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")}` : `${m / 60} h`;
  }
  if (step < 86_400_000) {
    const h = Math.round(ms / 3_600_000);
    return h >= 48 ? `${Math.floor(h / 24)} d ${h % 24} h` : `${h} h`;
  }
  return `${trim(ms / 86_400_000)} d`;
}

/** The id to suggest after `id`: "vm-1" → "vm-2", "alpha" → "alpha-2". */
export function nextId(id) {
  const m = /^(.*?)(\d+)$/.exec(id);
  return m ? `${m[1]}${Number(m[2]) + 1}` : `${id}-2`;
}

/** The measures of metrics() that the summary and the comparison show: [label, (metrics) => text]. */
export const MEASURES = [
  ["Fairness (Jain)", (m) => m.fairnessIndex.toFixed(3)],
  ["Machinery busy", (m) => fmtPct(m.machineryBusy)],
  ["Switch overhead", (m) => `${m.overheadPercent.toFixed(2)} %`],
  ["Context switches", (m) => fmtInt(m.contextSwitches)],
  ["Decisions", (m) => fmtInt(m.decisions)],
  ["Throughput", (m) => `${fmtAa(m.throughputAaPerS)}/s`],
  ["Cycles completed", (m) => fmtInt(m.completedCycles)],
];
