// tabs.js: the live session's place in this browser, as actions on the store (store.js): which
// saved session this tab starts from (persist.js chooses; share links come first), share links
// (share.js) in and out, the answer to a save conflict between two tabs, opening another saved
// session, and the exported file. No DOM: the Session and Notices panels call these.
import { fmtClock } from "./format.js";
import { parseSession, serializeSession, replay, newSession, isCustomChassis } from "./session.js";
import { needsFull } from "./engine.js";
import { envelope, decodeLinkBody, validateEnvelope, prefixed } from "./share.js";
import * as persist from "./persist.js";
import * as store from "./store.js";

const { state, kernel, tryJson } = store;

/**
 * Start the page's session: the share link `linkBody` (the text after "#s=") when there is one
 * and it opens, else this tab's autosave (persist.claim chooses it), else an empty session.
 * `findPreset(id)` gives a preset by id (a link may name one). A link that does not open is
 * reported ("refused" { source: "link" }) and changes no saved session.
 */
export async function begin({ linkBody = null, findPreset = () => null } = {}) {
  const off = persist.probe();
  if (off) kernel.setStorageError(off);
  persist.onForeignSave((stamp) => kernel.setConflict(stamp));
  if (linkBody !== null && !(await openLink(linkBody, { findPreset, startup: true }))) return;
  const slot = await persist.claim();
  if (slot.text && (await restoreAutosave(slot))) return;
  kernel.adopt(replay(state.api, newSession({ options: { seed: 1 } })).h, newSession({ options: { seed: 1 } }));
  if (slot.how === "new" && slot.open) store.setStatus(`Another tab shows the saved session${slot.open > 1 ? "s" : ""}; this tab keeps a session of its own.`);
}

async function restoreAutosave(slot) {
  const { text } = slot;
  const err = await kernel.replace(needsFull(tryJson(text)), (api) => {
    const s = parseSession(text, api);
    const { h } = replay(api, s);
    // the text is what is saved already: saving it again would only re-stamp it
    kernel.adopt(h, { ...s, ops: [...s.ops] }, { api, save: !!slot.legacy });
    const what = { reload: "this tab's autosaved session", duplicate: "a copy of the session of the tab this one was duplicated from", takeover: "the most recently saved session no other tab shows" }[slot.how];
    store.setStatus(`Restored ${what} at t = ${fmtClock(h.nowMs)} (${s.ops.length} operations).`);
  });
  if (!err) return true;
  persist.setAsideSessionText(text);
  store.report("session", { code: err.code || "INVALID_SESSION", message: `The autosaved session could not be restored and was set aside: ${err.message}` });
  return false;
}

/**
 * Open a share link (the text after "#s="): decoded, checked and replayed before anything is
 * replaced. The link's session goes into a new saved session (this tab's previous one stays
 * saved). Returns null, or the refusal (also reported as "refused" { source: "link" }).
 */
export async function openLink(body, { findPreset = () => null, startup = false } = {}) {
  const refuse = (e) => {
    const err = { code: e.code || "INVALID_LINK", message: `This link could not be opened: ${e.message}. Nothing was changed${startup ? "" : " (this tab's session is as it was)"}, and no saved session was touched.` };
    store.report("link", err);
    return err;
  };
  let raw;
  try {
    raw = await decodeLinkBody(body);
  } catch (e) {
    return refuse(e);
  }
  let built;
  const err = await kernel.replace(needsFull(raw && raw.session), (api) => {
    const link = validateEnvelope(raw, api);
    built = { ...link, h: prefixed("session", () => replay(api, link.session)).h, api };
  });
  if (err) return refuse(err);
  if (!built) return null; // another session replaced this one meanwhile
  const mine = kernel.generation();
  // a new saved session for the link: this tab's previous one stays saved as it was
  if (startup) await persist.claim({ fresh: true });
  else await persist.fork();
  if (mine !== kernel.generation()) {
    built.h.free();
    return null;
  }
  store.setPlaying(false);
  kernel.setConflict(null);
  const { session, script, preset, lesson, h, api } = built;
  const p = preset ? findPreset(preset) : null;
  state.script = script.map((o) => structuredClone(o)); // applied when the clock reaches them
  state.activePreset = p;
  kernel.adopt(h, { ...session, ops: [...session.ops] }, { api, keepScript: true });
  if (p) kernel.emit("preset", p);
  // the lessons panel opens the lesson at this step (it says so when the page has no such lesson)
  state.lesson = lesson;
  if (lesson) kernel.emit("lesson-link", lesson);
  const notes = [];
  if (preset && !p) notes.push(`it names the preset "${preset}", which this page does not have, so its lesson text is not shown`);
  store.setStatus(`Opened a shared link: ${session.ops.length} operations replayed to t = ${fmtClock(h.nowMs)}` +
    (state.script.length ? `, ${state.script.length} scripted to come` : "") + (notes.length ? `; ${notes.join("; ")}` : "") + ". Press Play to go on.");
  store.report("link", null);
  return null;
}

/** The share-link envelope of the live session (share.js), with the preset's script to come. */
export function shareEnvelope() {
  const p = state.activePreset;
  return envelope(store.currentSession(), { script: p ? state.script : [], preset: p ? p.id : undefined, lesson: state.lesson ?? undefined });
}

/**
 * Answer a save conflict: "mine" saves this tab's session over the other page's, "theirs" loads
 * the other page's version here, "both" keeps this tab's as a new saved session. Returns null or
 * the error (a Promise when "theirs" needs the full build, or for "both").
 */
export function resolveConflict(choice) {
  if (!state.conflict) return null;
  if (choice === "mine") {
    store.autosave(true, { overConflict: true });
    kernel.setConflict(null);
    return null;
  }
  if (choice === "both") {
    return persist.fork().then(() => {
      kernel.setConflict(null);
      store.autosave(true);
      store.setStatus("This tab's session is now saved on its own; the other tab's version is kept as it was.");
      return null;
    });
  }
  const text = persist.savedText();
  if (!text) return { code: "NOT_FOUND", message: "the other tab's version is no longer in this browser's storage" };
  return kernel.replace(needsFull(tryJson(text)), (api) => {
    const s = parseSession(text, api);
    const built = replay(api, s);
    store.setPlaying(false);
    persist.acceptSaved();
    kernel.setConflict(null);
    kernel.adopt(built.h, { ...s, ops: [...s.ops] }, { api, save: false });
    store.setStatus(`Loaded the other tab's version: ${s.ops.length} operations, t = ${fmtClock(built.h.nowMs)}.`);
  });
}

/**
 * Show another saved session (persist.listSaved) in this tab: that session itself when no tab
 * shows it, else a copy of it. This tab's session stays saved as it was. Returns null or the error.
 */
export async function openSaved(id) {
  store.autosave(true);
  const text = persist.readSaved(id);
  if (!text) return { code: "NOT_FOUND", message: "that saved session is no longer in this browser's storage" };
  let built;
  const err = await kernel.replace(needsFull(tryJson(text)), (api) => {
    const s = parseSession(text, api);
    built = { s, h: replay(api, s).h, api };
  });
  if (err || !built) return err;
  const mine = kernel.generation();
  const own = await persist.switchTo(id);
  if (!own) await persist.fork();
  if (mine !== kernel.generation()) {
    built.h.free();
    return null;
  }
  store.setPlaying(false);
  kernel.setConflict(null);
  kernel.adopt(built.h, { ...built.s, ops: [...built.s.ops] }, { api: built.api, save: !own });
  store.setStatus(`Opened ${own ? "the saved session" : "a copy of the session another tab shows"}: ${built.s.ops.length} operations, t = ${fmtClock(built.h.nowMs)}.`);
  return null;
}

/** The exported file of the live session: { text, name }. */
export function exportFile() {
  return { text: serializeSession(store.currentSession()), name: `bioxen-session-${isCustomChassis(state.session.chassis) ? "custom" : state.session.chassis}-${Math.round(state.h.nowMs / 1000)}s.json` };
}

