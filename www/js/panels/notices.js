// panels/notices.js: the notices under the header (root [data-panel=notices]): a share link that
// could not be opened, autosave being impossible (storage full or unavailable) with an export
// right there, and the question a tab asks before it saves over a newer version of its session
// saved by another tab. Each is a role=alert region; nothing here changes the session by itself.
import { $, setText, showError, clearError, download } from "../dom.js";
import { fmtClock, fmtInt } from "../format.js";
import * as store from "../store.js";
import * as tabs from "../tabs.js";

export function mountNotices(root) {
  const q = (sel) => $(sel, root);
  const linkErr = q("#link-error"), storage = q("#storage-alert"), conflict = q("#conflict");

  store.on("refused", ({ source, error }) => {
    if (source !== "link") return;
    if (error) showError(linkErr, error);
    else clearError(linkErr);
  });

  store.on("storage", (e) => {
    storage.hidden = !e;
    if (!e) return;
    const why = e.code === "STORAGE_FULL"
      ? "Autosave failed: this browser's storage for the page is full."
      : "Autosave is off: this browser gives the page no storage (private mode, or site data blocked).";
    setText(q("#storage-msg"), `${why} This session lives only in this tab until you export it; the page keeps trying to save. (${e.message})`);
    storage.dataset.code = e.code;
  });
  q("#storage-export").addEventListener("click", () => {
    const { text, name } = tabs.exportFile();
    download(text, name);
    store.setStatus(`Exported ${store.state.session.ops.length} operations at t = ${fmtClock(store.state.h.nowMs)}.`);
  });

  store.on("conflict", (stamp) => {
    conflict.hidden = !stamp;
    if (!stamp) return;
    const when = new Date(stamp.savedAt).toLocaleTimeString();
    const what = Number.isFinite(stamp.endMs) ? ` (t = ${fmtClock(stamp.endMs)}, ${fmtInt(stamp.ops ?? 0)} operations)` : "";
    setText(q("#conflict-msg"), `Another tab saved a newer version of this session at ${when}${what}, after this tab last saved it. Autosave is paused here so that neither version is lost: which one should this tab keep?`);
  });
  const answer = async (choice) => {
    const err = await tabs.resolveConflict(choice);
    if (err) showError(linkErr, err);
  };
  q("#conflict-mine").addEventListener("click", () => answer("mine"));
  q("#conflict-theirs").addEventListener("click", () => answer("theirs"));
  q("#conflict-both").addEventListener("click", () => answer("both"));
}
