// panels/kinetic.js: the host-growth panel of the kinetic machinery (machinery: "kinetic").
//
// A uPlot chart of the host's growth (doublings per hour, from λ: 60·λ/ln 2) and of the
// capacity monitor (Ceroni et al. 2015: a constitutive host gene's production rate, as % of its
// rate with no guests), fed by Hypervisor.kineticSeriesSince (typed arrays, one sample per
// simulated minute), plus a capacity gauge and the host's numbers from metrics().kinetic.
// Every number shown comes from the package; nothing here is a constant of biology.
import uPlot from "../../vendor/uPlot.esm.js";
import { el } from "../dom.js";
import { fmt1 } from "../format.js";
import { timeAxis, timeScale } from "../widgets/charts.js";

const MAX_POINTS = 2000;
const PER_HOUR = 60 / Math.LN2; // λ per min → doublings per hour

export class KineticPanel {
  constructor(section) {
    this.section = section;
    this.body = section.querySelector("#kinetic-body");
    this.gaugeBar = el("span", { class: "seg alloc" });
    this.gaugeText = el("span", { class: "l" });
    this.gauge = el("div", { id: "capacity-gauge", class: "gauge", role: "meter", "aria-valuemin": 0, "aria-valuemax": 100, "aria-label": "Capacity monitor" },
      el("h3", null, "Capacity monitor"),
      el("div", { class: "bar" }, this.gaugeBar),
      el("div", { class: "nums" }, this.gaugeText));
    this.numbers = el("dl", { id: "kinetic-numbers", class: "summary" });
    const plot = el("div", { class: "chart-plot" });
    const fig = el("figure", { class: "chart kinetic-chart" }, el("figcaption", null, "Host growth and capacity (burden)"), plot);
    this.body.append(el("div", { class: "kinetic-row" }, this.gauge, this.numbers), fig);
    this.plot = plot;
    this.u = new uPlot({
      width: 600,
      height: 180,
      legend: { show: true, live: false },
      cursor: { show: false },
      scales: {
        x: timeScale(),
        g: { range: (u, min, max) => [0, Math.max(0.5, max * 1.15)] },
        c: { range: [0, 110] },
      },
      axes: [
        timeAxis(),
        { scale: "g", values: (u, s) => s.map((v) => v.toFixed(2)), size: 44, font: "11px system-ui, sans-serif", label: "doublings/h", labelSize: 14, labelFont: "11px system-ui, sans-serif" },
        { scale: "c", side: 1, values: (u, s) => s.map((v) => `${v}%`), size: 44, font: "11px system-ui, sans-serif", grid: { show: false } },
      ],
      series: [
        {},
        { label: "growth (doublings/h)", scale: "g", stroke: "#009e73", width: 2, points: { show: false } },
        { label: "host alone", scale: "g", stroke: "#7d8894", width: 1, dash: [4, 4], points: { show: false } },
        { label: "capacity monitor (%)", scale: "c", stroke: "#cc79a7", width: 1.5, points: { show: false } },
      ],
    }, [[], [], [], []], plot);
    if (typeof ResizeObserver !== "undefined") {
      this.ro = new ResizeObserver(() => this.resize());
      this.ro.observe(this.body);
    }
    this.reset(null);
  }

  resize() {
    const w = Math.max(240, Math.floor(this.plot.clientWidth || 600));
    if (w !== this.u.width) this.u.setSize({ width: w, height: 180 });
  }

  /** A new hypervisor: show the panel only under the kinetic machinery. */
  reset(h) {
    this.cursor = 0;
    this.x = [];
    this.growth = [];
    this.base = [];
    this.capacity = [];
    this.baseline = null;
    this.active = !!h && h.machinery === "kinetic";
    this.section.hidden = !this.active;
    this.u.setData([[], [], [], []]);
    this.gauge.dataset.value = "";
  }

  /** Pull new samples and redraw; `m` is the latest metrics(). */
  update(h, m) {
    if (!this.active || !m.kinetic) return;
    const k = m.kinetic;
    this.baseline = k.baselineGrowthRatePerMin * PER_HOUR;
    const c = h.kineticSeriesSince(this.cursor);
    if (c) {
      this.cursor = c.nextCursor;
      for (let i = 0; i < c.t.length; i++) {
        this.x.push(c.t[i]);
        this.growth.push(c.growthRate[i] * PER_HOUR);
        this.base.push(this.baseline);
        this.capacity.push(c.capacityPercent[i]);
      }
      const extra = this.x.length - MAX_POINTS;
      if (extra > 0) for (const a of [this.x, this.growth, this.base, this.capacity]) a.splice(0, extra);
      if (c.t.length) this.u.setData([this.x, this.growth, this.base, this.capacity]);
    }
    const cap = k.capacityPercent;
    this.gaugeBar.style.width = `${Math.max(0, Math.min(100, cap))}%`;
    this.gauge.dataset.value = cap.toFixed(3);
    this.gauge.setAttribute("aria-valuenow", cap.toFixed(1));
    this.gaugeText.textContent = `${fmt1(cap)} % of the guest-free rate (${fmt1(k.capacityMonitorPerMin)} proteins/min)`;
    const rows = [
      ["Growth", `${(k.growthRatePerMin * PER_HOUR).toFixed(3)} doublings/h (host alone ${this.baseline.toFixed(3)})`],
      ["Doubling time", k.doublingTimeMin == null ? "no growth" : `${fmt1(k.doublingTimeMin)} min`],
      ["Free ribosomes", k.freeOrthogonalRibosomes == null ? fmt1(k.freeRibosomes) : `${fmt1(k.freeRibosomes)} host, ${fmt1(k.freeOrthogonalRibosomes)} orthogonal`],
      ["Energy", `${fmt1(k.energy)} molecules (elongation ${fmt1(k.elongationAaPerS)} aa/s)`],
      ["Guest protein", `${fmt1(100 * k.heterologousFraction)} % of protein mass`],
      ["Switches measured", k.meanSwitchMs == null ? "none yet" : `${k.switchesMeasured}, mean ${fmt1(k.meanSwitchMs / 60_000)} min`],
    ];
    this.numbers.replaceChildren(...rows.flatMap(([t, d]) => [el("dt", null, t), el("dd", null, d)]));
  }
}
