// panels/gauges.js: the "Machinery of …" panel (root [data-panel=machinery]): one gauge per
// pool (ribosomes, RNA polymerases, ATP, memory: host reserve, reserved by VMs, free) and the VM
// slots, from systemResources() and metrics().
import { el, $, setText } from "../dom.js";
import { fmtInt } from "../format.js";
import * as store from "../store.js";

const POOLS = [
  ["ribosomes", "Ribosomes", (n) => fmtInt(n)],
  ["rnaPolymerase", "RNA polymerases", (n) => fmtInt(n)],
  ["atp", "ATP supply", (n) => `${+n.toFixed(2)} %`],
  ["memoryKb", "Memory (DNA, kb)", (n) => fmtInt(n)],
];

/** A gauge: a bar of coloured segments and two lines of numbers. */
function gauge(key, label, segs) {
  const spans = segs.map((c) => el("span", { class: `seg ${c}` }));
  const bar = el("div", { class: "bar", role: "img" }, spans);
  const n1 = el("span", { class: "l" }), n2 = el("span", { class: "l" });
  const box = el("div", { class: "gauge", dataset: { pool: key } }, el("h3", null, label), bar, el("p", { class: "nums" }, n1, n2));
  return { box, bar, spans, n1, n2 };
}

export function mountGauges(root) {
  const box = $("#gauges", root), name = $("#chassis-name", root);
  let els = null;
  let chassisName = null;

  store.on("reset", () => { chassisName = store.state.api.chassisInfo(store.state.session.chassis).name; });

  function build() {
    els = {};
    for (const [key, label] of POOLS) els[key] = gauge(key, label, ["host", "alloc", "free"]);
    els.vms = gauge("vms", "VM slots", ["alloc", "free"]);
    box.append(...Object.values(els).map((g) => g.box));
  }

  function show(g, label, l1, l2, text) {
    setText(g.n1, l1);
    setText(g.n2, l2);
    g.bar.setAttribute("aria-label", `${label}: ${text}`);
  }

  return {
    render(res, m) {
      if (!els) build();
      for (const [key, label, f] of POOLS) {
        const p = res[key];
        const g = els[key];
        const pct = (x) => `${p.total > 0 ? (100 * x) / p.total : 0}%`;
        [p.reserved, p.allocated, p.free].forEach((x, i) => { g.spans[i].style.width = pct(x); });
        show(g, label, `total ${f(p.total)} · host ${f(p.reserved)}`, `VMs ${f(p.allocated)} · free ${f(p.free)}`,
          `total ${f(p.total)}, host reserve ${f(p.reserved)}, reserved by VMs ${f(p.allocated)}, free ${f(p.free)}`);
      }
      const v = els.vms;
      const used = (100 * res.vmCount) / Math.max(1, res.maxVms);
      v.spans[0].style.width = `${used}%`;
      v.spans[1].style.width = `${100 - used}%`;
      const t1 = `${res.vmCount} of ${res.maxVms} VMs · ${res.activeVms} active`, t2 = `shared ribosomes ${fmtInt(m.sharedRibosomes)} · ATP level ${m.atpLevelPercent.toFixed(0)} %`;
      show(v, "VM slots", t1, t2, `${t1}; ${t2}`);
      setText(name, chassisName ?? res.chassis);
    },
  };
}
