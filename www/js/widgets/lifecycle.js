// widgets/lifecycle.js: the VM lifecycle state diagram (SVG built with DOM APIs) that lights up each
// transition as its event arrives, and counts the VMs in each state.
import { svg, setText } from "../dom.js";

// The transition table of src/vm.rs, plus what the hypervisor does by itself
// (fault on an ATP shortfall, stop when a finite workload is done).
export const STATES = ["created", "running", "paused", "stopped", "error", "destroyed"];

const POS = {
  created: [70, 50],
  running: [270, 50],
  paused: [470, 50],
  destroyed: [70, 190],
  error: [220, 190],
  stopped: [420, 190],
};
const W = 112, H = 40;

// [from, to, label, bend, label x, label y]: pairs use the same bend sign, so the two
// directions curve to opposite sides.
const EDGES = [
  ["created", "running", "start", 0, 170, 43],
  ["running", "paused", "pause", -16, 370, 27],
  ["paused", "running", "resume · restart", -16, 366, 78],
  ["running", "stopped", "stop · done", -16, 394, 134],
  ["stopped", "running", "start · restart", -16, 322, 150],
  ["paused", "stopped", "stop", 0, 474, 124],
  ["running", "error", "fault", -14, 214, 112],
  ["error", "running", "restart", -14, 272, 128],
  ["created", "destroyed", "destroy", 0, 100, 124],
];

/** Which transition an event is, given the VM's state before it. */
export function transitionOf(type, prev) {
  switch (type) {
    case "created": return ["new", "created"];
    case "started": return [prev ?? "created", "running"];
    case "paused": return ["running", "paused"];
    case "resumed": return ["paused", "running"];
    case "stopped": return [prev ?? "running", "stopped"];
    case "workload_finished": return ["running", "stopped"];
    case "restarted": return [prev ?? "stopped", "running"];
    case "faulted": return [prev ?? "running", "error"];
    case "destroyed": return [prev ?? "created", "destroyed"];
    default: return null;
  }
}

function anchor(from, to) {
  // Point on the border of `from`'s box towards `to`.
  const [x1, y1] = POS[from], [x2, y2] = POS[to];
  const dx = x2 - x1, dy = y2 - y1;
  const sx = dx === 0 ? Infinity : (W / 2) / Math.abs(dx);
  const sy = dy === 0 ? Infinity : (H / 2) / Math.abs(dy);
  const s = Math.min(sx, sy);
  return [x1 + dx * s, y1 + dy * s];
}

export class LifecycleDiagram {
  constructor(container) {
    this.edges = new Map();
    this.nodes = new Map();
    this.hot = new Map(); // element -> expiry (performance.now ms)
    const root = svg("svg", {
      viewBox: "0 0 540 236",
      class: "lifecycle",
      role: "img",
      "aria-labelledby": "lifecycle-title lifecycle-desc",
    });
    const title = svg("title", { id: "lifecycle-title" }, "VM lifecycle state diagram");
    this.desc = svg("desc", { id: "lifecycle-desc" }, "No VMs yet.");
    const defs = svg("defs", null,
      svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" },
        svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" })),
      svg("marker", { id: "arrow-hot", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" },
        svg("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead hot" })));
    root.append(title, this.desc, defs);

    for (const [from, to, label, bend, lx, ly] of EDGES) {
      let [ax, ay] = anchor(from, to);
      let [bx, by] = anchor(to, from);
      const len = Math.hypot(bx - ax, by - ay) || 1;
      const nx = -(by - ay) / len, ny = (bx - ax) / len;
      // curved pairs: move both ends off the shared line a little
      ax += (nx * bend) / 3; ay += (ny * bend) / 3;
      bx += (nx * bend) / 3; by += (ny * bend) / 3;
      const cx = (ax + bx) / 2 + nx * bend, cy = (ay + by) / 2 + ny * bend;
      const g = svg("g", { class: "edge", "data-from": from, "data-to": to },
        svg("path", { d: `M${ax.toFixed(1)},${ay.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${bx.toFixed(1)},${by.toFixed(1)}`, "marker-end": "url(#arrow)" }),
        svg("text", { x: String(lx), y: String(ly), "text-anchor": "middle" }, label));
      root.append(g);
      this.edges.set(`${from}>${to}`, g);
    }
    // "destroy" from any state: a note by the destroyed node.
    root.append(svg("text", { x: "70", y: "228", "text-anchor": "middle", class: "note" }, "destroy: from any state"));

    for (const s of STATES) {
      const [x, y] = POS[s];
      const count = svg("text", { x: String(x), y: String(y + 14), "text-anchor": "middle", class: "count" }, "0 VMs");
      const g = svg("g", { class: `node state-${s}`, "data-state": s },
        svg("rect", { x: String(x - W / 2), y: String(y - H / 2), width: String(W), height: String(H), rx: "8" }),
        svg("text", { x: String(x), y: String(y - 2), "text-anchor": "middle", class: "name" }, s),
        count);
      root.append(g);
      this.nodes.set(s, { g, count });
    }
    container.append(root);
    this.root = root;
  }

  /** Light up a transition (from an event) for a moment. */
  flash(from, to) {
    const until = performance.now() + 1400;
    const e = this.edges.get(`${from}>${to}`);
    if (e) {
      e.classList.add("hot");
      e.querySelector("path").setAttribute("marker-end", "url(#arrow-hot)");
      this.hot.set(e, until);
    }
    const n = this.nodes.get(to);
    if (n) {
      n.g.classList.add("hot");
      this.hot.set(n.g, until);
    }
    this.last = `${from} → ${to}`;
  }

  /** Counts per state; expire highlights. */
  update(counts, destroyed) {
    const parts = [];
    for (const s of STATES) {
      const n = s === "destroyed" ? destroyed : counts[s] || 0;
      setText(this.nodes.get(s).count, s === "destroyed" ? `${n} so far` : `${n} VM${n === 1 ? "" : "s"}`);
      if (s !== "destroyed" && n) parts.push(`${n} ${s}`);
    }
    setText(this.desc, (parts.length ? `VMs: ${parts.join(", ")}.` : "No VMs.") + (this.last ? ` Last transition: ${this.last}.` : ""));
    this.expire();
  }

  /** Remove highlights whose time is up (cheap; called every frame while any is lit). */
  expire() {
    const now = performance.now();
    for (const [e, until] of this.hot) {
      if (until > now) continue;
      e.classList.remove("hot");
      const p = e.querySelector("path");
      if (p && e.classList.contains("edge")) p.setAttribute("marker-end", "url(#arrow)");
      this.hot.delete(e);
    }
  }
}
