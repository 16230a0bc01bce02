// panels/metrics.js: the "Metrics" panel (root [data-panel=metrics]): the summary numbers of
// metrics() and the utilisation, fairness and overhead charts.
import { el, $, setText } from "../dom.js";
import { fmtDur, MEASURES } from "../format.js";
import { Charts } from "../widgets/charts.js";
import * as store from "../store.js";

export function mountMetrics(root) {
  const box = $("#summary", root);
  const charts = new Charts($("#charts", root));
  let cells = null;
  store.on("reset", () => charts.reset());

  return {
    summary(m) {
      const { h } = store.state;
      const items = [["Scheduler", `${h.scheduler} · quantum ${fmtDur(h.quantumMs)} · switch ${fmtDur(h.switchCostMs)}`],
        ...MEASURES.map(([k, f]) => [k, f(m)])];
      if (!cells) {
        cells = items.map(([k]) => {
          const dd = el("dd");
          box.append(el("div", null, el("dt", null, k), dd));
          return dd;
        });
      }
      items.forEach(([, v], i) => setText(cells[i], v));
    },
    charts(m) {
      charts.sample(m);
      charts.draw();
    },
  };
}
