// panels/vms.js: the "Virtual machines" table (root [data-panel=vms]): one row per VM (a page
// of 24 at a time) with its state, reservation, machinery time, share against its fair share
// and lifecycle buttons. Dispatches the lifecycle operations; "Tune…" hands the VM to `onTune`.
import { el, $, setText, showError, clearError } from "../dom.js";
import { fmtDur, fmtAa, fmtInt, fmtPct } from "../format.js";
import * as store from "../store.js";

const ACTIONS = [
  ["start", "Start", "startVm", ["created", "stopped"]],
  ["pause", "Pause", "pauseVm", ["running"]],
  ["resume", "Resume", "resumeVm", ["paused"]],
  ["stop", "Stop", "stopVm", ["running", "paused"]],
  ["restart", "Restart", "restartVm", ["running", "paused", "stopped", "error"]],
  ["destroy", "Destroy", "destroyVm", ["created", "running", "paused", "stopped", "error"]],
];
const STATE_GLYPH = { created: "○", running: "▶", paused: "❚❚", stopped: "■", error: "✕" };
const PAGE_SIZE = 24;

function makeRow(v) {
  const cell = (label, cls, ...kids) => el("td", { "data-label": label, class: cls }, ...kids);
  const line = (cls = "l") => el("span", { class: cls });
  const badge = el("span", { class: "badge" });
  const res1 = line(), res2 = line(), mt1 = line(), sw = line("l sub");
  const shareText = el("span", { class: "share-text" }), shareFill = el("span", { class: "fill" }), fairMark = el("span", { class: "fair" });
  const aa = cell("Amino acids", "num");
  const err = el("div", { class: "error row-error", role: "alert", hidden: true });
  const buttons = {};
  for (const [key, label] of ACTIONS) {
    buttons[key] = el("button", { type: "button", class: `act act-${key}`, dataset: { action: key }, "aria-label": `${label} ${v.vmId}` }, label);
  }
  const tune = el("button", { type: "button", class: "act act-tune", dataset: { action: "tune" }, "aria-label": `Tune ${v.vmId}` }, "Tune…");
  const tr = el("tr", { dataset: { vm: v.vmId } },
    el("th", { scope: "row", "data-label": "VM" }, el("div", null, el("span", { class: "vm-id" }, v.vmId), el("span", { class: "sub" }, `${v.biologicalType} · ${v.vmType}`))),
    cell("State", null, badge),
    cell("Reservation", "res", el("div", null, res1, res2)),
    cell("Machinery time", "num", el("div", null, mt1, sw)),
    cell("Share vs fair share", null, el("div", null, el("span", { class: "sharebar", "aria-hidden": "true" }, shareFill, fairMark), shareText)),
    aa,
    cell("Actions", "actions", el("div", null, el("div", { class: "btns", role: "group", "aria-label": `Lifecycle of ${v.vmId}` }, Object.values(buttons), tune), err)));
  return { tr, badge, res1, res2, mt1, shareText, shareFill, fairMark, aa, sw, err, buttons, state: null };
}

function updateRow(r, v) {
  if (r.state !== v.state) {
    r.state = v.state;
    r.badge.className = `badge state-${v.state}`;
    r.badge.textContent = `${STATE_GLYPH[v.state] ?? ""} ${v.state}`;
    r.tr.dataset.state = v.state;
    for (const [key, , , ok] of ACTIONS) r.buttons[key].classList.toggle("unavailable", !ok.includes(v.state));
  }
  setText(r.res1, `${fmtInt(v.ribosomes)} rib · ${fmtInt(v.rnaPolymerase)} RNAP`);
  setText(r.res2, `${+v.atpPercent.toFixed(2)} % ATP · ${fmtInt(v.memoryKb)} kb`);
  setText(r.mt1, fmtDur(v.machineryTimeMs));
  setText(r.shareText, `${fmtPct(v.shareReceived)} · fair ${fmtPct(v.fairShare, 0)}`);
  r.shareFill.style.width = `${Math.min(100, v.shareReceived * 100)}%`;
  r.fairMark.style.left = `${Math.min(100, v.fairShare * 100)}%`;
  setText(r.aa, fmtAa(v.aaProduced));
  setText(r.sw, `${fmtInt(v.contextSwitches)} switch${v.contextSwitches === 1 ? "" : "es"}`);
}

/** `onTune(id)`: the row's Tune button; `onGone()`: focus somewhere after a destroy left no row. */
export function mountVms(root, { refresh, onTune, onGone }) {
  const q = (sel) => $(sel, root);
  const body = q("#vm-rows");
  const rows = new Map(); // vm id -> row record
  let page = 0;

  function render(perVm) {
    const pages = Math.max(1, Math.ceil(perVm.length / PAGE_SIZE));
    page = Math.min(page, pages - 1);
    const first = page * PAGE_SIZE;
    const visible = perVm.slice(first, first + PAGE_SIZE);
    const shown = new Set();
    let prev = null;
    for (const v of visible) {
      shown.add(v.vmId);
      let r = rows.get(v.vmId);
      if (!r) rows.set(v.vmId, (r = makeRow(v)));
      // keep DOM order = list order
      const want = prev ? prev.nextSibling : body.firstChild;
      if (r.tr !== want) body.insertBefore(r.tr, want);
      prev = r.tr;
      updateRow(r, v);
    }
    const exists = perVm.length > PAGE_SIZE ? new Set(perVm.map((v) => v.vmId)) : shown;
    for (const [id, r] of rows) {
      if (!shown.has(id) && r.tr.parentNode) r.tr.remove();
      if (!exists.has(id)) rows.delete(id);
    }
    q("#no-vms").hidden = perVm.length > 0;
    setText(q("#vm-count"), perVm.length ? `(${perVm.length})` : "");
    q("#vm-pager").hidden = pages <= 1;
    if (pages > 1) {
      setText(q("#vm-range"), `VMs ${first + 1}–${first + visible.length} of ${perVm.length}`);
      q("#vm-prev").disabled = page === 0;
      q("#vm-next").disabled = page >= pages - 1;
    }
  }

  body.addEventListener("click", (ev) => {
    const b = ev.target.closest("button[data-action]");
    const id = b?.closest("tr")?.dataset.vm;
    const r = id != null ? rows.get(id) : null;
    if (!r) return;
    const action = b.dataset.action;
    if (action === "tune") return onTune(id);
    const def = ACTIONS.find((a) => a[0] === action);
    if (!def) return;
    const err = store.perform({ op: def[2], vmId: id });
    if (err) return showError(r.err, err);
    clearError(r.err);
    refresh();
    if (action === "destroy") {
      // the row is gone: keep the focus nearby
      const next = q("#vm-rows button.act-start");
      if (next) next.focus();
      else onGone();
    }
  });
  q("#vm-prev").addEventListener("click", () => { page = Math.max(0, page - 1); refresh(); });
  q("#vm-next").addEventListener("click", () => { page++; refresh(); });
  store.on("reset", () => {
    page = 0;
    for (const r of rows.values()) r.tr.remove();
    rows.clear();
  });

  return {
    render,
    /** Focus the first row's first button; false when there is no row. */
    focusFirst() {
      const first = q("#vm-rows button");
      if (first) first.focus();
      return !!first;
    },
  };
}
