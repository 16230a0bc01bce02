// widgets/charts.js: time series of utilisation, fairness (Jain) and overhead, drawn by uPlot
// (npm `uplot`, copied to www/vendor/ by scripts/build-www.sh).
//
// Each chart has two lines: the package's own figure since t = 0 (metrics()), and the same
// figure over the last sampling interval, derived from differences of the cumulative numbers.
import uPlot from "../../vendor/uPlot.esm.js";
import { fmtTick, tickStep } from "../format.js";

const MAX_POINTS = 600;

const DEFS = [
  { key: "util", title: "Machinery utilisation", unit: "%", range: [0, 100], labels: ["since start", "recent"] },
  { key: "jain", title: "Fairness (Jain's index)", unit: "", range: [0, 1], labels: ["since start", "recent"] },
  { key: "ovh", title: "Switch overhead", unit: "%", range: [0, null], labels: ["since start", "recent"] },
];

/** The x scale of a chart over simulated time (ms), one minute wide before there is data. */
export const timeScale = () => ({ time: false, range: (u, min, max) => (max > min ? [min, max] : [min || 0, (min || 0) + 60_000]) });

/** The x axis of a chart over simulated time: ticks at round biological times. */
export function timeAxis() {
  return {
    values: (u, splits) => {
      const step = splits.length > 1 ? splits[1] - splits[0] : 1000;
      return splits.map((v) => fmtTick(v, step));
    },
    splits: (u, axisIdx, min, max) => {
      const step = tickStep(max - min, u.bbox.width / (window.devicePixelRatio || 1), 70);
      const out = [];
      for (let t = Math.ceil(min / step) * step; t <= max; t += step) out.push(t);
      return out;
    },
    size: 30,
    font: "11px system-ui, sans-serif",
  };
}

export class Charts {
  constructor(container) {
    this.container = container;
    this.charts = [];
    this.reset();
    for (const d of DEFS) {
      const box = document.createElement("figure");
      box.className = "chart";
      const cap = document.createElement("figcaption");
      cap.textContent = d.title;
      box.append(cap);
      const plot = document.createElement("div");
      plot.className = "chart-plot";
      box.append(plot);
      container.append(box);
      const opts = {
        width: 300,
        height: 150,
        legend: { show: true, live: false },
        cursor: { show: false },
        scales: {
          x: timeScale(),
          y: { range: (u, min, max) => [d.range[0], d.range[1] ?? Math.max(1, max * 1.15)] },
        },
        axes: [
          timeAxis(),
          {
            values: (u, splits) => splits.map((v) => (d.unit === "%" ? `${+v.toFixed(1)}%` : v.toFixed(2))),
            size: 44,
            font: "11px system-ui, sans-serif",
          },
        ],
        series: [
          {},
          { label: d.labels[0], stroke: "#0072b2", width: 2, points: { show: false } },
          { label: d.labels[1], stroke: "#d55e00", width: 1.5, dash: [5, 4], points: { show: false } },
        ],
      };
      const u = new uPlot(opts, [[], [], []], plot);
      this.charts.push({ d, u, plot, box });
    }
    if (typeof ResizeObserver !== "undefined") {
      this.ro = new ResizeObserver(() => this.resize());
      this.ro.observe(container);
    }
    this.resize();
  }

  reset() {
    this.x = [];
    this.series = { util: [[], []], jain: [[], []], ovh: [[], []] };
    this.prev = null;
    this.dirty = true;
  }

  resize() {
    for (const c of this.charts) {
      const w = Math.max(200, Math.floor(c.plot.clientWidth || c.box.clientWidth || 300));
      if (w !== c.u.width) c.u.setSize({ width: w, height: 150 });
    }
  }

  /** Add one sample from metrics() (only when time moved on). */
  sample(m) {
    const now = m.nowMs;
    if (this.prev && now <= this.prev.now) {
      if (now < this.prev.now) this.reset();
      else return;
    }
    const busyMs = m.machineryBusy * now;
    const ovhMs = (m.overheadPercent / 100) * now;
    const perVm = new Map(m.perVm.map((v) => [v.vmId, v]));
    let recentUtil = m.machineryBusy * 100, recentOvh = m.overheadPercent, recentJain = m.fairnessIndex;
    if (this.prev) {
      const dt = now - this.prev.now;
      recentUtil = (100 * (busyMs - this.prev.busyMs)) / dt;
      recentOvh = (100 * (ovhMs - this.prev.ovhMs)) / dt;
      // Jain over (machinery time received ÷ runnable time) ÷ fair share, for this interval.
      const xs = [];
      for (const v of m.perVm) {
        const p = this.prev.perVm.get(v.vmId);
        if (!p) continue;
        const run = v.runnableTimeMs - p.runnableTimeMs;
        if (run <= 0 || v.fairShare <= 0) continue;
        xs.push((v.machineryTimeMs - p.machineryTimeMs) / run / v.fairShare);
      }
      if (xs.length) {
        const s = xs.reduce((a, b) => a + b, 0), s2 = xs.reduce((a, b) => a + b * b, 0);
        recentJain = s2 > 0 ? (s * s) / (xs.length * s2) : 1;
      }
    }
    this.prev = { now, busyMs, ovhMs, perVm };
    this.x.push(now);
    this.series.util[0].push(m.machineryBusy * 100);
    this.series.util[1].push(clamp(recentUtil, 0, 100));
    this.series.jain[0].push(m.fairnessIndex);
    this.series.jain[1].push(clamp(recentJain, 0, 1));
    this.series.ovh[0].push(m.overheadPercent);
    this.series.ovh[1].push(clamp(recentOvh, 0, 100));
    if (this.x.length > MAX_POINTS) {
      this.x.shift();
      for (const k of Object.keys(this.series)) for (const s of this.series[k]) s.shift();
    }
    this.dirty = true;
  }

  draw() {
    if (!this.dirty) return;
    this.dirty = false;
    for (const c of this.charts) c.u.setData([this.x, ...this.series[c.d.key]]);
  }

  latest() {
    const i = this.x.length - 1;
    if (i < 0) return null;
    return { util: this.series.util[1][i], jain: this.series.jain[1][i], ovh: this.series.ovh[1][i] };
  }
}

const clamp = (v, lo, hi) => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo);
