// proctable/gantt.js: owns the process table's Gantt chart as an SVG (createElementNS and text
// nodes only), and its export: the SVG serialised, and a PNG drawn from it on a canvas.
import { svg } from "../dom.js";

const FILLS = ["#cfe3ff", "#ffe0b3", "#d4f0c8", "#f6d0e6", "#e2d9ff", "#fff3a8", "#c9efef", "#f3d6c6"];
const LANE = 26, LEFT = 56, TOP = 8, AXIS = 26, WIDTH = 720;

/** The Gantt chart of `result` (runTable's answer) for `names` (one lane per job). */
export function ganttSvg(result, names, policy) {
  const end = Math.max(1, result.endMs);
  const x = (t) => LEFT + (t / end) * (WIDTH - LEFT - 8);
  const height = TOP + names.length * LANE + AXIS;
  const label = `Gantt chart under ${policy}: ${result.segments.map((s) => `${names[s.job]} ${s.start}–${s.end} ms`).join(", ")}`;
  const root = svg("svg", { xmlns: "http://www.w3.org/2000/svg", viewBox: `0 0 ${WIDTH} ${height}`, width: WIDTH, height, role: "img", "aria-label": label, class: "pt-gantt" },
    svg("title", null, label),
    svg("rect", { class: "bg", x: 0, y: 0, width: WIDTH, height, fill: "#ffffff", "data-role": "background" }));
  names.forEach((n, i) => root.append(svg("text", { x: 4, y: TOP + i * LANE + 17, "font-size": 12, "font-family": "sans-serif", fill: "#111111" }, n)));
  const segs = svg("g", { class: "segments" });
  for (const s of result.segments) {
    const y = TOP + s.job * LANE + 3;
    segs.append(svg("rect", { x: x(s.start), y, width: Math.max(1, x(s.end) - x(s.start)), height: LANE - 6, fill: FILLS[s.job % FILLS.length], stroke: "#333333", "data-segment": "", "data-job": names[s.job], "data-start": s.start, "data-end": s.end },
      svg("title", null, `${names[s.job]}: ${s.start}–${s.end} ms`)));
  }
  root.append(segs);
  // the axis: every boundary time once
  const ticks = [...new Set([0, ...result.segments.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const yAxis = TOP + names.length * LANE;
  root.append(svg("line", { x1: LEFT, x2: x(end), y1: yAxis, y2: yAxis, stroke: "#333333" }));
  let lastX = -Infinity;
  for (const t of ticks) {
    if (x(t) - lastX < 14) continue; // crowded labels are left out (every time is in the table)
    lastX = x(t);
    root.append(svg("line", { x1: x(t), x2: x(t), y1: yAxis, y2: yAxis + 4, stroke: "#333333" }),
      svg("text", { x: x(t), y: yAxis + 16, "font-size": 11, "font-family": "sans-serif", "text-anchor": "middle", fill: "#111111" }, String(t)));
  }
  return root;
}

/** The SVG as a standalone document. */
export function svgText(node) {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(node)}`;
}

/** A PNG Blob of the SVG at `scale`, drawn on a canvas. */
export async function pngBlob(node, scale = 2) {
  const w = Number(node.getAttribute("width")), h = Number(node.getAttribute("height"));
  const url = URL.createObjectURL(new Blob([svgText(node)], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = w * scale;
    canvas.height = h * scale;
    const g = canvas.getContext("2d");
    g.fillStyle = "#ffffff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    g.drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("the canvas gave no PNG"))), "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}
