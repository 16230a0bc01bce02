// circuits/charts.js: owns the Circuits panel's uPlot charts: per-gene protein with the host's
// growth on a second axis, per-gene promoter activity with growth too (the two share the time
// axis of widgets/charts.js, fed simulated ms), and the dose-response chart (output λ·p and
// growth against a log-scaled dose). Every plotted number comes from the package's series.
import uPlot from "../../vendor/uPlot.esm.js";
import { el } from "../dom.js";
import { timeAxis, timeScale } from "../widgets/charts.js";

export const PER_HOUR = 60 / Math.LN2; // λ per min → doublings per hour
const PALETTE = ["#0072b2", "#d55e00", "#cc79a7", "#e69f00", "#009e73", "#56b4e9", "#7a2ea0", "#8a5a00"];
const DASHES = [undefined, [6, 3], [2, 3], [8, 3, 2, 3]];
const FONT = "11px system-ui, sans-serif";
const GROWTH = { stroke: "#17803d", width: 2, dash: [4, 3] };

const num = (v) => (v == null ? "" : Math.abs(v) >= 1e4 ? v.toExponential(1) : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));

function growthAxis() {
  return { scale: "g", side: 1, values: (u, s) => s.map((v) => (v == null ? "" : v.toFixed(2))), size: 44, font: FONT, grid: { show: false }, label: "doublings/h", labelSize: 14, labelFont: FONT };
}

/** A figure with a caption and a uPlot chart that follows its container's width. */
function figure(caption, opts, data, id) {
  const plot = el("div", { class: "chart-plot" });
  const fig = el("figure", { class: "chart circuit-chart", id }, el("figcaption", null, caption), plot);
  const u = new uPlot({ width: 600, height: 200, legend: { show: true, live: false }, cursor: { show: false }, ...opts }, data, plot);
  const resize = () => {
    const w = Math.max(240, Math.floor(plot.clientWidth || 600));
    if (w !== u.width) u.setSize({ width: w, height: 200 });
  };
  if (typeof ResizeObserver !== "undefined") new ResizeObserver(resize).observe(plot);
  requestAnimationFrame(resize);
  return { fig, u };
}

const geneSeries = (names) => names.map((n, i) => ({ label: n, stroke: PALETTE[i % PALETTE.length], width: 2, dash: DASHES[Math.floor(i / PALETTE.length) % DASHES.length], points: { show: false } }));

/**
 * Two figures from a simulateCircuits result: proteins and activities over time, each with
 * growth (doublings/h) on the right axis. `genes` (default: the first circuit's) are the series
 * to plot, each { protein, activity, name, label? }.
 */
export function timeCharts(result, genes = result.circuits[0].genes) {
  const names = genes.map((g) => g.label ?? g.name);
  const x = Array.from(result.t, (t) => t * 60_000);
  const growth = Array.from(result.growthRate, (l) => l * PER_HOUR);
  const growthSeries = { label: "growth (doublings/h)", scale: "g", ...GROWTH, points: { show: false } };
  const base = (yLabel, y) => ({
    scales: { x: timeScale(), y, g: { range: (u, min, max) => [0, Math.max(0.5, max * 1.15)] } },
    axes: [timeAxis(), { values: (u, s) => s.map(num), size: 62, font: FONT, label: yLabel, labelSize: 14, labelFont: FONT }, growthAxis()],
  });
  const protein = figure("Protein per gene (molecules) and host growth", {
    ...base("molecules", { range: (u, min, max) => [0, Math.max(1, max * 1.1)] }),
    series: [{}, ...geneSeries(names), growthSeries],
  }, [x, ...genes.map((g) => Array.from(g.protein)), growth], "circuit-protein-chart");
  const activity = figure("Promoter activity f per gene (0–1) and host growth", {
    ...base("activity", { range: [0, 1.05] }),
    series: [{}, ...geneSeries(names), growthSeries],
  }, [x, ...genes.map((g) => Array.from(g.activity)), growth], "circuit-activity-chart");
  return [protein.fig, activity.fig];
}

/** The dose-response figure; returns { fig, set(columns) } to redraw as levels arrive. */
export function doseChart(doseLabel, outputLabel) {
  const { fig, u } = figure(`Steady state against ${doseLabel}: output ${outputLabel} and host growth`, {
    scales: { x: { time: false, distr: 3 }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] }, g: { range: (u, min, max) => [0, Math.max(0.5, max * 1.15)] } },
    axes: [
      { values: (u, s) => s.map(num), size: 30, font: FONT, label: doseLabel, labelSize: 14, labelFont: FONT },
      { values: (u, s) => s.map(num), size: 62, font: FONT, label: "molecules/min", labelSize: 14, labelFont: FONT },
      growthAxis(),
    ],
    series: [{}, { label: `output λ·p of ${outputLabel} (molecules/min)`, stroke: PALETTE[0], width: 2, points: { show: true, size: 5 } },
      { label: "growth (doublings/h)", scale: "g", ...GROWTH, points: { show: true, size: 5 } }],
  }, [[], [], []], "circuit-dose-chart");
  return { fig, set: (c) => u.setData([c.level, c.output, c.growth.map((l) => l * PER_HOUR)]) };
}

/**
 * One circuit VM's figure: its genes' protein (molecules) with the host's growth (doublings/h)
 * on the right axis, on the page's simulated-time axis. Returns { fig, set(x, growth, cols) }
 * where x is simulated ms, growth doublings/h and cols one array per gene (null: not yet there).
 */
export function vmProteinChart(vmId, geneNames) {
  const growthSeries = { label: "growth (doublings/h)", scale: "g", ...GROWTH, points: { show: false } };
  const { fig, u } = figure(`VM ${vmId}: protein per gene (molecules) and host growth`, {
    scales: { x: timeScale(), y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] }, g: { range: (u, min, max) => [0, Math.max(0.5, max * 1.15)] } },
    axes: [timeAxis(), { values: (u, s) => s.map(num), size: 62, font: FONT, label: "molecules", labelSize: 14, labelFont: FONT }, growthAxis()],
    series: [{}, ...geneSeries(geneNames), growthSeries],
  }, [[], ...geneNames.map(() => []), []]);
  fig.dataset.vm = vmId;
  fig.classList.add("circuit-vm-chart");
  return { fig, set: (x, growth, cols) => { u.setData([x, ...cols, growth]); fig.dataset.points = String(x.length); } };
}
