// panels/session-io.js: the "Session" panel (root [data-panel=session]): export the session as
// JSON, import one (checked and replayed before it replaces anything), copy a share link of it
// (share.js: the session in the URL fragment), start a new empty session, and the session's
// status line (autosave, restore, import, links).
import { $, setText, showError, clearError, download } from "../dom.js";
import { fmtClock, fmtInt } from "../format.js";
import { LIMITS } from "../session.js";
import { encodeLink } from "../share.js";
import * as store from "../store.js";
import * as tabs from "../tabs.js";

export function mountSessionIO(root) {
  const q = (sel) => $(sel, root);
  const { state } = store;
  const errEl = q("#session-error"), status = q("#session-status");
  const shareField = q("#share-field"), shareUrl = q("#share-url"), shareStatus = q("#share-status");
  const refuse = (message, code = "INVALID_SESSION") =>
    showError(errEl, { code, message: `Import refused: ${message}. The current session is unchanged.` });

  function exportSession() {
    const { text, name } = tabs.exportFile();
    download(text, name);
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

  /** Make the link of the session as it is now, show it, and put it on the clipboard. */
  async function copyLink() {
    let fragment;
    try {
      fragment = await encodeLink(tabs.shareEnvelope());
    } catch (e) {
      shareField.hidden = true;
      return showError(errEl, e);
    }
    clearError(errEl);
    // the page's own address, whatever folder it is served from
    const url = location.href.split("#")[0] + fragment;
    shareUrl.value = url;
    shareField.hidden = false;
    const what = `a link to this session at t = ${fmtClock(state.h.nowMs)} (${fmtInt(url.length)} characters)`;
    try {
      await navigator.clipboard.writeText(url);
      setText(shareStatus, `Copied ${what}.`);
    } catch {
      setText(shareStatus, `Made ${what}; the browser kept it off the clipboard, so copy it from the field.`);
      shareUrl.focus();
      shareUrl.select();
    }
  }

  q("#export").addEventListener("click", exportSession);
  q("#share").addEventListener("click", copyLink);
  shareUrl.addEventListener("focus", () => shareUrl.select());
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
  // a link made earlier no longer describes the session once it changes
  const stale = () => {
    if (shareField.hidden) return;
    shareField.hidden = true;
    setText(shareStatus, "The session changed since the last link; Copy link makes a new one.");
  };
  store.on("op", stale);
  store.on("reset", stale);
  store.on("status", (text) => setText(status, text));
  store.on("refused", ({ source, error }) => { if (source === "session") showError(errEl, error); });
}
