// circuits/diagram.js: owns the layout of a gene circuit's diagram, a pure function from a
// Circuit description (the package's JSON shape: { name?, genes: [{ name, regulation?: [{ by,
// mode, inducer? }] }] }) to a drawing model that circuits/draw.js renders as SVG. No DOM.
//
// Genes are arrows (boxes with a point, in the direction of transcription), in a row, or on a
// ring when the regulations form a cycle of three or more genes (the repressilator), in the
// cycle's order. Every regulation is one edge from its regulator to the gene it regulates,
// ending in a bar (⊣, repression) or an arrow head (→, activation); a gene regulating itself
// gets a self-loop; an inducer is a label at the middle of the edge it acts on. Each edge is a
// cubic Bézier { p0, c1, c2, p1 } whose ends lie on the two boxes' outlines.

export const GENE_H = 34;
const GAP = 46; // between boxes in a row
const PAD = 28;
const ARC = 38; // arc height per gene spanned, in a row
const LOOP = 40; // self-loop height
const HEAD = 10; // arrow head length; bar half-width is 7

/** Box width for a gene name (12 px sans-serif, with room for the arrow point). */
export const geneWidth = (name) => Math.max(72, Math.ceil(String(name).length * 7.4) + 30);

/** The regulations of `circuit` as edges [{ from, to, gene, reg, mode, inducer }] (indices). */
export function regulations(circuit) {
  const genes = circuit.genes || [];
  const index = new Map(genes.map((g, i) => [g.name, i]));
  const out = [];
  genes.forEach((g, to) => (g.regulation || []).forEach((r, reg) => {
    const from = index.has(r.by) ? index.get(r.by) : -1;
    out.push({ from, to, gene: to, reg, mode: r.mode, inducer: r.inducer || null });
  }));
  return out;
}

/** The longest directed cycle found through 3+ genes (by a depth-first search), else null. */
export function findCycle(n, edges) {
  const next = Array.from({ length: n }, () => []);
  for (const e of edges) if (e.from >= 0 && e.from !== e.to && !next[e.from].includes(e.to)) next[e.from].push(e.to);
  let best = null;
  const path = [], on = new Array(n).fill(false);
  let budget = 20_000; // plenty for 32 genes with 4 regulators each; a cycle found is enough
  const dfs = (start, v) => {
    if (--budget < 0) return;
    for (const w of next[v]) {
      if (w === start && path.length >= 3 && (!best || path.length > best.length)) best = [...path];
      if (!on[w] && w > start) {
        on[w] = true;
        path.push(w);
        dfs(start, w);
        path.pop();
        on[w] = false;
      }
    }
  };
  for (let s = 0; s < n; s++) {
    on[s] = true;
    path.push(s);
    dfs(s, s);
    path.pop();
    on[s] = false;
  }
  return best;
}

const add = (a, b) => ({ x: a.x + b.x, y: a.y + b.y });
const sub = (a, b) => ({ x: a.x - b.x, y: a.y - b.y });
const mul = (a, k) => ({ x: a.x * k, y: a.y * k });
const norm = (a) => { const l = Math.hypot(a.x, a.y) || 1; return { x: a.x / l, y: a.y / l }; };

/** Where the ray from the centre of box `b` towards `p` leaves the box. */
export function boundary(b, p) {
  const c = { x: b.x + b.w / 2, y: b.y + b.h / 2 };
  const d = sub(p, c);
  const sx = d.x === 0 ? Infinity : b.w / 2 / Math.abs(d.x);
  const sy = d.y === 0 ? Infinity : b.h / 2 / Math.abs(d.y);
  const s = Math.min(sx, sy);
  return Number.isFinite(s) ? add(c, mul(d, s)) : c;
}

/** The point of cubic `e` at parameter t. */
export function bezier(e, t) {
  const u = 1 - t;
  const k = [u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t];
  const pts = [e.p0, e.c1, e.c2, e.p1];
  return { x: pts.reduce((s, p, i) => s + k[i] * p.x, 0), y: pts.reduce((s, p, i) => s + k[i] * p.y, 0) };
}

/** The end glyph at p1 coming from c2: an arrow head (3 points) or a bar (2 points). */
function endGlyph(kind, from, tip) {
  const d = norm(sub(tip, from)), nrm = { x: -d.y, y: d.x };
  if (kind === "arrow") {
    const base = sub(tip, mul(d, HEAD));
    return [tip, add(base, mul(nrm, 5)), sub(base, mul(nrm, 5))];
  }
  return [add(tip, mul(nrm, 7)), sub(tip, mul(nrm, 7))];
}

/** One sentence per regulation and inducer: "lacI represses tetR; IPTG inactivates lacI." */
export function describe(circuit) {
  const genes = circuit.genes || [];
  const parts = [];
  const seen = new Set();
  for (const g of genes) {
    const regs = g.regulation || [];
    if (!regs.length) parts.push(`${g.name} is constitutive`);
    for (const r of regs) {
      const verb = r.mode === "activate" ? "activates" : "represses";
      parts.push(r.by === g.name ? `${g.name} ${verb} itself` : `${r.by} ${verb} ${g.name}`);
      if (r.inducer) {
        const s = `${r.inducer.name} ${r.inducer.effect === "activates" ? "activates" : "inactivates"} ${r.by}`;
        if (!seen.has(s)) parts.push(s);
        seen.add(s);
      }
    }
  }
  const name = circuit.name ? `Circuit ${circuit.name}` : "A circuit";
  return `${name} of ${genes.length} gene${genes.length === 1 ? "" : "s"}: ${parts.join("; ")}.`;
}

function rowBoxes(genes) {
  let x = PAD;
  return genes.map((g, i) => {
    const b = { name: g.name, index: i, x, y: 0, w: geneWidth(g.name), h: GENE_H };
    x += b.w + GAP;
    return b;
  });
}

function ringBoxes(genes, order) {
  const n = genes.length;
  const wMax = Math.max(...genes.map((g) => geneWidth(g.name)));
  const r = n === 1 ? 0 : Math.max(90, (wMax + GAP) / (2 * Math.sin(Math.PI / n)), (GENE_H + GAP) * n / (2 * Math.PI));
  const boxes = new Array(n);
  order.forEach((gi, k) => {
    const a = -Math.PI / 2 + (2 * Math.PI * k) / n; // first gene at the top, clockwise
    const w = geneWidth(genes[gi].name);
    boxes[gi] = { name: genes[gi].name, index: gi, x: r * Math.cos(a) - w / 2, y: r * Math.sin(a) - GENE_H / 2, w, h: GENE_H, angle: a };
  });
  return { boxes, r };
}

/**
 * The drawing model of `circuit`: { shape: "row"|"ring", cycle, genes: [{ name, index, x, y, w,
 * h, points }], edges: [{ from, to, gene, reg, mode, end, self, p0, c1, c2, p1, glyph, inducer:
 * { name, effect, x, y } | null }], width, height, description }. Coordinates start at 0, 0.
 */
export function layout(circuit) {
  const genes = (circuit && Array.isArray(circuit.genes)) ? circuit.genes : [];
  const regs = regulations({ genes });
  const cycle = genes.length >= 3 ? findCycle(genes.length, regs) : null;
  let boxes, centre = null, ringR = 0;
  if (cycle) {
    const rest = genes.map((_, i) => i).filter((i) => !cycle.includes(i));
    const rb = ringBoxes(genes, [...cycle, ...rest]);
    boxes = rb.boxes;
    ringR = rb.r;
    centre = { x: 0, y: 0 };
  } else boxes = rowBoxes(genes);
  const mid = (b) => ({ x: b.x + b.w / 2, y: b.y + b.h / 2 });
  const pairCount = new Map();
  const edges = regs.map((e) => {
    const key = `${e.from}>${e.to}`;
    const k = pairCount.get(key) || 0; // the k-th edge between the same two genes
    pairCount.set(key, k + 1);
    const end = e.mode === "activate" ? "arrow" : "bar";
    const t = boxes[e.to];
    let p0, c1, c2, p1;
    if (e.from < 0) { // an unknown regulator (the package refuses it): a stub from the left
      p1 = { x: t.x, y: t.y + t.h / 2 };
      p0 = c1 = c2 = sub(p1, { x: 24, y: 0 });
    } else if (e.from === e.to) {
      const out = centre ? norm(sub(mid(t), centre)) : { x: 0, y: -1 };
      const h = LOOP + 14 * k;
      const side = { x: -out.y, y: out.x };
      const a = boundary(t, add(mid(t), add(mul(out, 30), mul(side, 14)))), b = boundary(t, add(mid(t), sub(mul(out, 30), mul(side, 14))));
      p0 = a;
      p1 = b;
      c1 = add(a, add(mul(out, h), mul(side, 18)));
      c2 = add(b, sub(mul(out, h), mul(side, 18)));
    } else {
      const f = boxes[e.from];
      const a = mid(f), b = mid(t);
      const reverse = regs.some((o) => o.from === e.to && o.to === e.from);
      let ctrl;
      if (centre) {
        const m = mul(add(a, b), 0.5);
        const out = norm(Math.hypot(m.x, m.y) < 1 ? { x: -(b.y - a.y), y: b.x - a.x } : m);
        const sign = reverse && e.from > e.to ? -1 : 1;
        ctrl = add(m, mul(out, sign * (30 + 16 * k)));
      } else {
        const span = Math.abs(b.x - a.x) / (boxes.length > 1 ? (boxes[1].x - boxes[0].x) : 1);
        const up = e.from < e.to ? -1 : 1; // forward above, backward below
        ctrl = { x: (a.x + b.x) / 2, y: a.y + up * (ARC * Math.max(1, span) + 16 * k) };
      }
      p0 = boundary(f, ctrl);
      p1 = boundary(t, ctrl);
      // stop short of the box so that the glyph sits just outside it
      const d = norm(sub(ctrl, p1));
      p1 = add(p1, mul(d, 2));
      c1 = add(p0, mul(sub(ctrl, p0), 2 / 3));
      c2 = add(p1, mul(sub(ctrl, p1), 2 / 3));
    }
    const edge = { from: e.from, to: e.to, gene: e.gene, reg: e.reg, mode: e.mode, end, self: e.from === e.to, p0, c1, c2, p1 };
    edge.glyph = endGlyph(end, c2.x === p1.x && c2.y === p1.y ? p0 : c2, p1);
    edge.inducer = null;
    if (e.inducer) {
      const m = bezier(edge, 0.5);
      edge.inducer = { name: e.inducer.name, effect: e.inducer.effect, x: m.x, y: m.y };
    }
    return edge;
  });
  // the bounding box of everything, then shift to start at (PAD, PAD)
  const xs = [], ys = [];
  for (const b of boxes) { xs.push(b.x, b.x + b.w); ys.push(b.y, b.y + b.h); }
  for (const e of edges) {
    for (const p of [e.p0, e.c1, e.c2, e.p1, ...e.glyph]) { xs.push(p.x); ys.push(p.y); }
    if (e.inducer) { xs.push(e.inducer.x - 4 * e.inducer.name.length - 6, e.inducer.x + 4 * e.inducer.name.length + 6); ys.push(e.inducer.y - 14, e.inducer.y + 6); }
  }
  const minX = xs.length ? Math.min(...xs) : 0, minY = ys.length ? Math.min(...ys) : 0;
  const dx = PAD - minX, dy = PAD - minY;
  const mv = (p) => ({ x: p.x + dx, y: p.y + dy });
  const genesOut = boxes.map((b) => {
    const x = b.x + dx, y = b.y + dy, tip = Math.min(12, b.w / 4);
    return { name: b.name, index: b.index, x, y, w: b.w, h: b.h, points: [[x, y], [x + b.w - tip, y], [x + b.w, y + b.h / 2], [x + b.w - tip, y + b.h], [x, y + b.h]] };
  });
  const edgesOut = edges.map((e) => ({ ...e, p0: mv(e.p0), c1: mv(e.c1), c2: mv(e.c2), p1: mv(e.p1), glyph: e.glyph.map(mv), inducer: e.inducer && { ...e.inducer, ...mv(e.inducer) } }));
  return {
    shape: cycle ? "ring" : "row",
    cycle: cycle ? cycle.map((i) => genes[i].name) : null,
    ringRadius: ringR,
    genes: genesOut,
    edges: edgesOut,
    width: Math.ceil((xs.length ? Math.max(...xs) : 0) + dx + PAD),
    height: Math.ceil((ys.length ? Math.max(...ys) : 0) + dy + PAD),
    description: describe({ ...circuit, genes }),
  };
}
