// panels/saved.js: "Other sessions saved in this browser" (root [data-panel=saved], inside the
// Session panel): the sessions other tabs keep (persist.js), open or closed since, newest first.
// "Open here" shows one in this tab (tabs.openSaved: a copy when another tab shows it; this tab's
// own session stays saved); "Delete" removes one no tab shows. Refreshed when another tab saves,
// when this page becomes visible again, and when this tab's session is replaced.
import { el, $, setChildren, showError, clearError } from "../dom.js";
import { fmtClock, fmtInt } from "../format.js";
import * as persist from "../persist.js";
import * as store from "../store.js";
import * as tabs from "../tabs.js";

export function mountSaved(root) {
  const list = $("#saved-list", root), none = $("#saved-none", root), errEl = $("#saved-error", root);
  let shown = "";
  let timer = 0;

  function item({ id, stamp, shown: open }) {
    const name = stamp.title || `${stamp.chassis ?? "?"} · ${stamp.scheduler ?? "?"}`;
    const when = stamp.savedAt ? new Date(stamp.savedAt).toLocaleString() : "unknown time";
    const facts = `t = ${fmtClock(stamp.endMs ?? 0)}, ${fmtInt(stamp.ops ?? 0)} operations, saved ${when}${open ? ", open in another tab" : ""}`;
    const openBtn = el("button", { type: "button", "aria-label": `Open ${name} (${facts}) here` }, open ? "Open a copy here" : "Open here");
    openBtn.addEventListener("click", async () => {
      const err = await tabs.openSaved(id);
      if (err) showError(errEl, err);
      else clearError(errEl);
      refresh();
    });
    const del = open ? null : el("button", { type: "button", "aria-label": `Delete ${name} (${facts})` }, "Delete");
    if (del) del.addEventListener("click", () => { persist.removeSaved(id); refresh(); });
    return el("li", { dataset: { id } }, el("span", { class: "saved-name" }, name), " ", el("span", { class: "hint" }, facts), " ", openBtn, del ? " " : null, del);
  }

  async function refresh() {
    const saved = await persist.listSaved();
    const sig = JSON.stringify(saved);
    if (sig === shown) return;
    shown = sig;
    none.hidden = saved.length > 0;
    // another tab saving (every few seconds while it plays) must not take the focus away
    const f = document.activeElement;
    const was = list.contains(f) ? [f.closest("li")?.dataset.id, f.textContent] : null;
    setChildren(list, saved.map(item));
    if (was) [...list.querySelectorAll("li")].find((li) => li.dataset.id === was[0])?.querySelectorAll("button").forEach((b) => { if (b.textContent === was[1]) b.focus(); });
  }
  const soon = () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 300);
  };

  window.addEventListener("storage", (e) => { if (!e.key || e.key.startsWith("bioxen.playground.stamp.")) soon(); });
  document.addEventListener("visibilitychange", () => { if (!document.hidden) soon(); });
  store.on("reset", soon);
  root.closest("details")?.addEventListener("toggle", soon);
  return { refresh };
}
