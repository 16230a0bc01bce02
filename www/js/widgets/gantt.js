// widgets/gantt.js: the scheduling timeline on <canvas>. Segments come from Hypervisor.traceSince in
// batches (typed arrays) and are kept in a ring of typed arrays here, so a frame allocates
// nothing per segment. One lane per VM; context switches (ribosome run-off) are hatched.
import { fmtTick, tickStep } from "../format.js";

export const PALETTE = [
  "#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00",
  "#6a3d9a", "#8c6d31", "#1b9e77", "#e7298a", "#66a61e", "#a6761d",
];

/** Segments in a ring buffer, in time order. */
export class SegmentStore {
  constructor(capacity = 1 << 16) {
    this.cap = capacity;
    this.vm = new Int32Array(capacity);
    this.start = new Float64Array(capacity);
    this.end = new Float64Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.reason = new Array(capacity).fill(null); // why the scheduler dispatched it (text)
    this.head = 0; // index of the next write
    this.size = 0;
    this.ids = []; // int -> vm id
    this.idOf = new Map(); // vm id -> int
    this.cursor = 0;
    this.dropped = 0;
    this.open = null;
    this.markers = []; // {t, label}
  }

  intern(id) {
    let i = this.idOf.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.ids.push(id);
      this.idOf.set(id, i);
    }
    return i;
  }

  /** Read everything new from the hypervisor in one call. Returns the number of segments. */
  pull(h) {
    const c = h.traceSince(this.cursor);
    const n = c.vmIndex.length;
    if (n) {
      const map = c.names.map((name) => this.intern(name));
      for (let k = 0; k < n; k++) {
        const j = this.head;
        this.vm[j] = map[c.vmIndex[k]];
        this.start[j] = c.start[k];
        this.end[j] = c.end[k];
        this.kind[j] = c.kind[k];
        this.reason[j] = c.reasons ? c.reasons[k] : null;
        this.head = (j + 1) % this.cap;
        if (this.size < this.cap) this.size++;
      }
    }
    this.cursor = c.nextCursor;
    this.dropped = c.dropped;
    this.open = c.open;
    return n;
  }

  marker(t, label) {
    this.markers.push({ t, label });
    if (this.markers.length > 200) this.markers.shift();
  }

  /** Visit segments newest first while visit returns true. */
  eachBackwards(visit) {
    for (let k = 0; k < this.size; k++) {
      const j = (this.head - 1 - k + this.cap) % this.cap;
      if (!visit(this.vm[j], this.start[j], this.end[j], this.kind[j])) return;
    }
  }

  count() {
    return this.size;
  }

  /** The segment at ring index `j` (0 = newest) as an object, or null. */
  at(k) {
    if (k < 0 || k >= this.size) return null;
    const j = (this.head - 1 - k + this.cap) % this.cap;
    return { vm: this.ids[this.vm[j]], start: this.start[j], end: this.end[j], kind: this.kind[j] === 1 ? "switch" : "run", reason: this.reason[j], index: k };
  }

  /** The newest segment of VM `id` that covers time `t` (the open one first), or null. */
  find(id, t) {
    const o = this.open;
    if (o && o.vm === id && t >= o.start && t <= o.end) return { ...o, index: -1 };
    const want = this.idOf.get(id);
    for (let k = 0; k < this.size; k++) {
      const j = (this.head - 1 - k + this.cap) % this.cap;
      if (this.end[j] < t) return null;
      if (this.vm[j] === want && this.start[j] <= t) return this.at(k);
    }
    return null;
  }
}

const GUTTER = 96;
const AXIS = 26;

export class Gantt {
  constructor(canvas, { maxHeight = 380, onResize = null } = {}) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d", { alpha: false });
    this.maxHeight = maxHeight;
    this.cssW = 0;
    this.cssH = 0;
    this.dpr = 1;
    this.lanesKey = "";
    this.hatch = null;
    this.colors = readColors(canvas);
    this.resize();
    if (typeof ResizeObserver !== "undefined") {
      this.ro = new ResizeObserver(() => { this.resize(); if (onResize) onResize(); });
      this.ro.observe(canvas.parentElement);
    }
  }

  laneHeight(n) {
    return Math.max(0.5, Math.min(26, (this.maxHeight - AXIS) / Math.max(1, n)));
  }

  resize(lanes = this.lanes?.length ?? 0) {
    const parentW = this.canvas.parentElement.clientWidth || 600;
    const lh = this.laneHeight(lanes);
    const h = Math.max(90, Math.ceil(lanes * lh + AXIS + 8));
    const dpr = Math.min(2, window.devicePixelRatio || 1);
    if (parentW === this.cssW && h === this.cssH && dpr === this.dpr) return;
    this.cssW = parentW;
    this.cssH = h;
    this.dpr = dpr;
    this.canvas.width = Math.round(parentW * dpr);
    this.canvas.height = Math.round(h * dpr);
    this.canvas.style.height = `${h}px`;
    this.hatch = null;
  }

  hatchPattern() {
    if (this.hatch) return this.hatch;
    const c = document.createElement("canvas");
    c.width = c.height = 8;
    const g = c.getContext("2d");
    g.fillStyle = this.colors.switchBg;
    g.fillRect(0, 0, 8, 8);
    g.strokeStyle = this.colors.switchFg;
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(-2, 10); g.lineTo(10, -2);
    g.moveTo(6, 10); g.lineTo(10, 6);
    g.moveTo(-2, 2); g.lineTo(2, -2);
    g.stroke();
    this.hatch = this.ctx.createPattern(c, "repeat");
    return this.hatch;
  }

  /** Which lane and time the point (`px`, `py`, CSS px in the canvas) is over, or null. */
  pointAt(px, py, nowMs, windowMs) {
    const n = this.lanes?.length ?? 0;
    const lh = this.laneHeight(n);
    const plotW = Math.max(10, this.cssW - GUTTER - 8);
    if (px < GUTTER || px > GUTTER + plotW || py < 0 || py >= n * lh) return null;
    const t0 = Math.max(0, nowMs - windowMs);
    const span = Math.max(1, nowMs - t0 < windowMs ? windowMs : nowMs - t0);
    return { vm: this.lanes[Math.floor(py / lh)], t: t0 + ((px - GUTTER) / plotW) * span };
  }

  /**
   * Draw [now - windowMs, now]. `lanes` is the list of VM ids (one lane each, in order).
   */
  draw(store, lanes, nowMs, windowMs) {
    if (lanes.join("\u0000") !== this.lanesKey) {
      this.lanesKey = lanes.join("\u0000");
      this.lanes = lanes;
      this.resize(lanes.length);
    }
    const { ctx, cssW: W, cssH: H, dpr, colors } = this;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = colors.bg;
    ctx.fillRect(0, 0, W, H);
    const n = lanes.length;
    const lh = this.laneHeight(n);
    const plotW = Math.max(10, W - GUTTER - 8);
    const t0 = Math.max(0, nowMs - windowMs);
    const span = Math.max(1, nowMs - t0 < windowMs ? windowMs : nowMs - t0);
    const x = (t) => GUTTER + ((t - t0) / span) * plotW;

    // lane of each interned id
    const laneOf = new Int32Array(store.ids.length).fill(-1);
    lanes.forEach((id, i) => {
      const k = store.idOf.get(id);
      if (k !== undefined) laneOf[k] = i;
    });

    // lane backgrounds and labels
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    for (let i = 0; i < n; i++) {
      if (i % 2 && lh >= 3) {
        ctx.fillStyle = colors.stripe;
        ctx.fillRect(GUTTER, i * lh, plotW, lh);
      }
      if (lh >= 11) {
        ctx.fillStyle = colors.text;
        ctx.fillText(clip(ctx, lanes[i], GUTTER - 10), 6, i * lh + lh / 2);
      }
    }
    if (n && lh < 11) {
      ctx.fillStyle = colors.muted;
      ctx.fillText(`${n} lanes`, 6, Math.min(H - AXIS, n * lh) / 2);
    }

    // segments, newest first, stopping at the window's left edge. Rects are batched into one
    // path per colour (one fill() each), and a segment that falls in a pixel column already
    // painted in its lane is skipped, so thousands of segments cost a few fills.
    const pad = lh >= 6 ? 2 : 0;
    const rh = Math.max(0.5, lh - 2 * pad);
    const nColors = PALETTE.length + 1; // last = context switch
    const paths = this.paths || (this.paths = []);
    for (let c = 0; c < nColors; c++) paths[c] = null;
    const leftmost = this.leftmost && this.leftmost.length >= n ? this.leftmost : (this.leftmost = new Float64Array(Math.max(16, n * 2)));
    leftmost.fill(Infinity, 0, n);
    let drawn = 0;
    const rect = (lane, s, e, kind) => {
      const xa = Math.max(GUTTER, x(s));
      const xb = Math.min(GUTTER + plotW, x(e));
      if (xb < GUTTER) return;
      const px = Math.floor(xa);
      if (xb - xa < 1 && px >= leftmost[lane] - 1) return; // already covered
      if (px < leftmost[lane]) leftmost[lane] = px;
      const c = kind === 1 ? nColors - 1 : lane % PALETTE.length;
      let p = paths[c];
      if (!p) p = paths[c] = new Path2D();
      p.rect(xa, lane * lh + pad, Math.max(1, xb - xa), rh);
      drawn++;
    };
    const open = store.open;
    if (open) {
      const k = store.idOf.get(open.vm);
      const lane = k === undefined ? lanes.indexOf(open.vm) : laneOf[k];
      if (lane >= 0) rect(lane, Math.max(open.start, t0), Math.min(open.end, nowMs), open.kind === "switch" ? 1 : 0);
    }
    store.eachBackwards((vm, s, e, kind) => {
      if (e < t0) return false;
      const lane = laneOf[vm];
      if (lane >= 0) rect(lane, s, e, kind);
      return true;
    });
    for (let c = 0; c < nColors; c++) {
      if (!paths[c]) continue;
      // hatching only where a lane is tall enough to show it (a pattern fill costs more to raster)
      ctx.fillStyle = c === nColors - 1 ? (lh >= 6 ? this.hatchPattern() : colors.switchBg) : PALETTE[c];
      ctx.fill(paths[c]);
    }
    this.lastDrawn = drawn;

    // scheduler-change markers
    ctx.font = "11px system-ui, sans-serif";
    let labelEnd = -Infinity;
    for (const m of store.markers) {
      if (m.t < t0 || m.t > nowMs) continue;
      const mx = Math.round(x(m.t)) + 0.5;
      ctx.strokeStyle = colors.marker;
      ctx.setLineDash([4, 3]);
      ctx.beginPath();
      ctx.moveTo(mx, 0);
      ctx.lineTo(mx, H - AXIS);
      ctx.stroke();
      ctx.setLineDash([]);
      const lw = ctx.measureText(m.label).width;
      const lx = Math.min(mx + 3, W - lw - 2);
      if (lx > labelEnd + 4) { // no overlapping labels: a close second marker is a line only
        ctx.fillStyle = colors.marker;
        ctx.textBaseline = "top";
        ctx.fillText(m.label, lx, 2);
        ctx.textBaseline = "middle";
        labelEnd = lx + lw;
      }
    }

    // time axis in biological units
    const axisY = H - AXIS;
    ctx.strokeStyle = colors.axis;
    ctx.beginPath();
    ctx.moveTo(GUTTER, axisY + 0.5);
    ctx.lineTo(GUTTER + plotW, axisY + 0.5);
    ctx.stroke();
    const step = tickStep(span, plotW);
    ctx.fillStyle = colors.text;
    ctx.textBaseline = "top";
    ctx.font = "11px system-ui, sans-serif";
    for (let t = Math.ceil(t0 / step) * step; t <= t0 + span; t += step) {
      const tx = Math.round(x(t)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(tx, axisY);
      ctx.lineTo(tx, axisY + 4);
      ctx.stroke();
      const label = fmtTick(t, step);
      const w = ctx.measureText(label).width;
      ctx.fillText(label, Math.min(Math.max(GUTTER, tx - w / 2), W - w - 2), axisY + 6);
    }
    ctx.fillStyle = colors.muted;
    ctx.fillText("biological time", 6, axisY + 6);
    // "now" line
    if (nowMs >= t0) {
      const nx = Math.round(x(nowMs)) - 0.5;
      ctx.strokeStyle = colors.now;
      ctx.beginPath();
      ctx.moveTo(nx, 0);
      ctx.lineTo(nx, axisY);
      ctx.stroke();
    }
    return drawn;
  }
}

function clip(ctx, s, w) {
  if (ctx.measureText(s).width <= w) return s;
  let lo = 0, hi = s.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(s.slice(0, mid) + "…").width <= w) lo = mid;
    else hi = mid - 1;
  }
  return s.slice(0, lo) + "…";
}

function readColors(el) {
  const cs = getComputedStyle(el);
  const v = (name, fallback) => cs.getPropertyValue(name).trim() || fallback;
  return {
    bg: v("--gantt-bg", "#ffffff"),
    stripe: v("--gantt-stripe", "#f3f5f8"),
    text: v("--gantt-text", "#1d2733"),
    muted: v("--gantt-muted", "#5b6776"),
    axis: v("--gantt-axis", "#8a96a3"),
    now: v("--gantt-now", "#c0392b"),
    marker: v("--gantt-marker", "#7a2ea0"),
    switchBg: v("--gantt-switch-bg", "#3b3b3b"),
    switchFg: v("--gantt-switch-fg", "#f0c8c8"),
  };
}
