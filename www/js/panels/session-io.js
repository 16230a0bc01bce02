// panels/session-io.js: the "Session" panel (root [data-panel=session]): export the session as
// JSON, import one (checked and replayed before it replaces anything), start a new empty
// session, and the session's status line (autosave, restore, import).
import { el, $, setText, showError, clearError } from "../dom.js";
import { fmtClock, fmtInt } from "../format.js";
import { LIMITS, serializeSession } from "../session.js";
import * as store from "../store.js";

export function mountSessionIO(root) {
  const q = (sel) => $(sel, root);
  const { state } = store;
  const errEl = q("#session-error"), status = q("#session-status");
  const refuse = (message, code = "INVALID_SESSION") =>
    showError(errEl, { code, message: `Import refused: ${message}. The current session is unchanged.` });

  function exportSession() {
    const text = serializeSession(store.currentSession());
    const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    const a = el("a", { href: url, download: `bioxen-session-${state.session.chassis}-${Math.round(state.h.nowMs / 1000)}s.json` });
    root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    store.setStatus(`Exported ${state.session.ops.length} operations at t = ${fmtClock(state.h.nowMs)}.`);
  }

  async function importFile(file) {
    if (!file) return;
    if (file.size > LIMITS.bytes) return refuse(`${file.name} is ${fmtInt(file.size)} bytes; the limit is ${fmtInt(LIMITS.bytes)}`);
    let text;
    try {
      text = await file.text();
    } catch (e) {
      return refuse(`could not read the file (${e.message})`);
    }
    const err = await store.importText(text);
    if (err) return refuse(err.message, err.code || "INVALID_SESSION");
    clearError(errEl);
  }

  q("#export").addEventListener("click", exportSession);
  q("#import").addEventListener("change", async (e) => {
    await importFile(e.target.files && e.target.files[0]);
    e.target.value = "";
  });
  q("#new-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const newErr = q("#new-error");
    const err = await store.newEmptySession({ seed: q("#seed").value.trim(), maxVms: q("#max-vms").value.trim() });
    if (err) showError(newErr, err);
    else clearError(newErr);
  });
  store.on("status", (text) => setText(status, text));
  store.on("refused", ({ source, error }) => { if (source === "session") showError(errEl, error); });
}
