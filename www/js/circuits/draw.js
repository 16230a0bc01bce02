// circuits/draw.js: owns drawing a circuit's diagram (the model of circuits/diagram.js) as an SVG
// element, with createElementNS and text nodes only. The SVG is an image whose <title> and
// aria-label say the circuit in words ("lacI represses tetR; IPTG inactivates lacI"); each gene
// and edge carries data- attributes naming what it is, for tests and for styling.
import { svg } from "../dom.js";
import { layout } from "./diagram.js";

const INK = "#1d2733";
const COLOURS = { repress: "#b3261e", activate: "#17692f" };
const INDUCER = "#6a2a8f";
const FILL = "#e8f0fb";

const f = (v) => (Math.round(v * 10) / 10).toString();
const pts = (list) => list.map((p) => (Array.isArray(p) ? `${f(p[0])},${f(p[1])}` : `${f(p.x)},${f(p.y)}`)).join(" ");

/** The SVG diagram of `circuit`; `model` (from layout) may be passed when already computed. */
export function circuitSvg(circuit, model = layout(circuit), { id } = {}) {
  const label = model.description;
  const root = svg("svg", {
    xmlns: "http://www.w3.org/2000/svg", viewBox: `0 0 ${model.width} ${model.height}`, width: model.width, height: model.height,
    role: "img", "aria-label": label, class: "circuit-diagram", id, "data-shape": model.shape,
    "data-edges": model.edges.length, "data-genes": model.genes.length,
  }, svg("title", null, label));
  root.append(svg("rect", { x: 0, y: 0, width: model.width, height: model.height, fill: "#ffffff" }));
  const edges = svg("g", { class: "edges", fill: "none" });
  for (const e of model.edges) {
    const colour = COLOURS[e.mode] || INK;
    const from = e.from >= 0 ? model.genes[e.from].name : "an unknown gene";
    const to = model.genes[e.to].name;
    const words = `${from} ${e.mode === "activate" ? "activates" : "represses"} ${e.self ? "itself" : to}${e.inducer ? `; ${e.inducer.name} ${e.inducer.effect} ${from}` : ""}`;
    const g = svg("g", { class: `edge ${e.mode}`, "data-edge": "", "data-from": from, "data-to": to, "data-mode": e.mode, "data-end": e.end, "data-self": e.self ? "true" : "false" },
      svg("title", null, words),
      svg("path", { d: `M${f(e.p0.x)},${f(e.p0.y)} C${f(e.c1.x)},${f(e.c1.y)} ${f(e.c2.x)},${f(e.c2.y)} ${f(e.p1.x)},${f(e.p1.y)}`, stroke: colour, "stroke-width": 2 }));
    if (e.end === "arrow") g.append(svg("polygon", { points: pts(e.glyph), fill: colour, stroke: colour, "data-glyph": "arrow" }));
    else g.append(svg("line", { x1: f(e.glyph[0].x), y1: f(e.glyph[0].y), x2: f(e.glyph[1].x), y2: f(e.glyph[1].y), stroke: colour, "stroke-width": 3, "data-glyph": "bar" }));
    if (e.inducer) {
      const w = e.inducer.name.length * 7 + 10;
      g.append(svg("g", { class: "inducer", "data-inducer": e.inducer.name, "data-effect": e.inducer.effect },
        svg("rect", { x: f(e.inducer.x - w / 2), y: f(e.inducer.y - 9), width: w, height: 17, rx: 8, fill: "#ffffff", stroke: INDUCER }),
        svg("text", { x: f(e.inducer.x), y: f(e.inducer.y + 4), "text-anchor": "middle", "font-size": 11, "font-family": "system-ui, sans-serif", fill: INDUCER }, e.inducer.name)));
    }
    edges.append(g);
  }
  const genes = svg("g", { class: "genes" });
  for (const b of model.genes) {
    genes.append(svg("g", { class: "gene", "data-gene": b.name, "data-x": f(b.x), "data-y": f(b.y), "data-w": b.w, "data-h": b.h },
      svg("polygon", { points: pts(b.points), fill: FILL, stroke: INK, "stroke-width": 1.5 }),
      svg("text", { x: f(b.x + (b.w - 8) / 2), y: f(b.y + b.h / 2 + 4), "text-anchor": "middle", "font-size": 12, "font-family": "system-ui, sans-serif", fill: INK }, b.name)));
  }
  root.append(edges, genes);
  return root;
}

/** A one-line legend of the glyphs, as text (the diagram's key). */
export const LEGEND = "⊣ bar end: represses · → arrow end: activates · a pill on an edge: the inducer acting on that regulator";
