// persist.js: owns what the playground keeps in this browser's storage: every tab's autosaved
// session and the display preferences. No DOM. Storage may be missing or full: every function
// says so through its return value or a thrown Error (code STORAGE_FULL, STORAGE_UNAVAILABLE or
// SAVE_CONFLICT), never a crash.
//
// Each tab keeps its own session, so two tabs never overwrite each other's work:
//   sessionStorage "bioxen.playground.tab.v1"          the id of the session this tab shows (kept
//                                                      across reloads of the tab, not shared)
//   localStorage   "bioxen.playground.session.v1:ID"   that session's text (session-format.md)
//   localStorage   "bioxen.playground.stamp.v1:ID"     who saved it last: { writer, rev, savedAt,
//                                                      endMs, ops, title, chassis }
// A tab holds the Web Lock "bioxen.playground.session:ID" while it shows session ID, so a new tab
// can tell the sessions no open tab shows (their tab was closed) from those another tab shows: it
// takes over the newest unshown one, or starts a new session. A duplicated tab (same
// sessionStorage) finds its id locked and continues in a copy. Before every save the stamp is
// read back: when a different page wrote it since this page last read or wrote it (possible
// without Web Locks, or in a race), the save is refused with SAVE_CONFLICT so the page can ask.
// At most MAX_SAVED sessions are kept; beyond that the oldest that no tab shows are removed.

const TAB_KEY = "bioxen.playground.tab.v1";
const TEXT_PREFIX = "bioxen.playground.session.v1:";
const STAMP_PREFIX = "bioxen.playground.stamp.v1:";
const LOCK_PREFIX = "bioxen.playground.session:";
const LEGACY_KEY = "bioxen.playground.session.v1"; // the one autosave of earlier pages
const PREFS_KEY = "bioxen.playground.prefs.v1";
export const MAX_SAVED = 20;

/** This page's id as a writer (a reload is a different writer). */
export const WRITER = randomId();

let current = null; // { id, known: stamp this page last read or wrote, or null }
let releaseLock = null;

function randomId() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID().slice(0, 13);
  return Math.random().toString(36).slice(2, 15);
}

function coded(e, fallback) {
  const full = e && (e.name === "QuotaExceededError" || e.code === 22 || e.code === 1014);
  const err = new Error(full
    ? `this browser's storage for the page is full (${e.name})`
    : `this browser gives the page no storage (${e && e.name ? e.name + ": " : ""}${e && e.message ? e.message : e})`);
  err.code = full ? "STORAGE_FULL" : fallback;
  err.cause = e;
  return err;
}

/** localStorage, or throws STORAGE_UNAVAILABLE. */
function ls() {
  let s;
  try {
    s = globalThis.localStorage;
  } catch (e) {
    throw coded(e, "STORAGE_UNAVAILABLE");
  }
  if (!s) throw coded(new Error("localStorage is missing"), "STORAGE_UNAVAILABLE");
  return s;
}

function get(key) {
  try {
    return ls().getItem(key);
  } catch {
    return null;
  }
}

function set(key, value) {
  try {
    ls().setItem(key, value);
  } catch (e) {
    throw e && e.code === "STORAGE_UNAVAILABLE" ? e : coded(e, "STORAGE_UNAVAILABLE");
  }
}

function remove(key) {
  try { ls().removeItem(key); } catch { /* nothing to remove */ }
}

/** null when the page can store its autosave, else the STORAGE_* error saying why not. */
export function probe() {
  const key = "bioxen.playground.probe";
  try {
    set(key, "1");
    remove(key);
    return null;
  } catch (e) {
    return e;
  }
}

function readStamp(id) {
  try {
    const s = JSON.parse(get(STAMP_PREFIX + id) || "null");
    return s && typeof s === "object" && typeof s.writer === "string" ? s : null;
  } catch {
    return null;
  }
}

function savedIds() {
  const ids = [];
  try {
    const s = ls();
    for (let i = 0; i < s.length; i++) {
      const k = s.key(i);
      if (k && k.startsWith(TEXT_PREFIX)) ids.push(k.slice(TEXT_PREFIX.length));
    }
  } catch { /* no storage: nothing saved */ }
  return ids;
}

async function shownIds() {
  if (!globalThis.navigator || !navigator.locks) return null; // unknown
  try {
    const { held = [] } = await navigator.locks.query();
    return new Set(held.map((l) => l.name).filter((n) => n && n.startsWith(LOCK_PREFIX)).map((n) => n.slice(LOCK_PREFIX.length)));
  } catch {
    return null;
  }
}

/**
 * Take this session's lock, to hold while the page shows it: resolves to its release function,
 * or null when another tab holds it. Without Web Locks every id is free (a no-op release).
 */
function hold(id) {
  const noop = () => {};
  if (!globalThis.navigator || !navigator.locks) return Promise.resolve(noop);
  return new Promise((resolve) => {
    navigator.locks.request(LOCK_PREFIX + id, { ifAvailable: true }, (lock) => {
      if (!lock) return resolve(null);
      return new Promise((done) => resolve(done));
    }).catch(() => resolve(noop));
  });
}

function setTab(id) {
  try { sessionStorage.setItem(TAB_KEY, id); } catch { /* this tab then starts anew on reload */ }
}

/** Show session `id` from now on (its lock first, then the old one's released): false if taken. */
async function use(id) {
  const release = await hold(id);
  if (!release) return false;
  if (releaseLock) releaseLock();
  releaseLock = release;
  current = { id, known: readStamp(id) };
  setTab(id);
  return true;
}

/**
 * Choose this tab's session when the page starts. Returns { id, text, how }: `text` is the
 * saved session to restore (null for none) and `how` one of "reload" (this tab's own),
 * "duplicate" (a copy of the tab this one was duplicated from), "takeover" (the newest session
 * no open tab shows, or the autosave of an earlier page), "new". `fresh: true` (a share link)
 * always starts a new session and takes nothing over; this tab's previous one stays saved.
 * With "new", `open` counts the saved sessions other tabs show.
 */
export async function claim({ fresh = false } = {}) {
  let own = null;
  try { own = sessionStorage.getItem(TAB_KEY); } catch { /* no sessionStorage */ }
  if (own && !/^[A-Za-z0-9-]{1,40}$/.test(own)) own = null;
  if (own && !fresh) {
    const text = get(TEXT_PREFIX + own);
    if (await use(own)) return { id: own, text, how: text ? "reload" : "new", open: 0 };
    // another tab shows this id: this one was duplicated from it
    await use(randomId());
    return { id: current.id, text, how: text ? "duplicate" : "new", open: 1 };
  }
  if (!fresh) {
    const shown = await shownIds();
    if (shown) {
      const free = savedIds().filter((id) => !shown.has(id)).map((id) => ({ id, at: readStamp(id)?.savedAt ?? 0 })).sort((a, b) => b.at - a.at);
      for (const { id } of free) {
        const text = get(TEXT_PREFIX + id);
        if (text && (await use(id))) return { id, text, how: "takeover" };
      }
    }
    const legacy = get(LEGACY_KEY);
    if (legacy) {
      await use(randomId());
      return { id: current.id, text: legacy, how: "takeover", legacy: true };
    }
  }
  await use(randomId());
  const shown = fresh ? null : await shownIds();
  const open = shown ? savedIds().filter((id) => id !== current.id && shown.has(id)).length : 0;
  return { id: current.id, text: null, how: "new", open };
}

/** Continue in a new session id (this tab's current one stays saved, for another tab). */
export async function fork() {
  await use(randomId());
  return current.id;
}

/** Show the saved session `id` in this tab (no other tab may show it): its text, or null. */
export async function switchTo(id) {
  const text = get(TEXT_PREFIX + id);
  if (!text || !(await use(id))) return null;
  return text;
}

/** The id of the session this tab saves to (null before claim). */
export const currentId = () => (current ? current.id : null);

/** Whether this tab's session id has been saved (by this page or the one it restored). */
export const hasSaved = () => !!(current && current.known);

/**
 * Save this tab's session. `summary`: { endMs, ops, title, chassis } for the list of saved
 * sessions. Throws SAVE_CONFLICT (with `.stamp`, the other page's) when another page saved this
 * id since this page last read or wrote it; STORAGE_FULL or STORAGE_UNAVAILABLE when storage
 * refuses. `force` saves over a conflict (the learner said so).
 */
export function saveSession(text, summary = {}, { force = false } = {}) {
  if (!current) throw Object.assign(new Error("no session slot claimed yet"), { code: "STORAGE_UNAVAILABLE" });
  const { id, known } = current;
  const now = readStamp(id);
  if (!force && now && (!known || now.writer !== known.writer || now.rev !== known.rev)) {
    throw Object.assign(new Error("another tab saved this session after this tab last did"), { code: "SAVE_CONFLICT", stamp: now });
  }
  const stamp = { writer: WRITER, rev: Math.max(now?.rev ?? 0, known?.rev ?? 0) + 1, savedAt: Date.now(), ...summary };
  try {
    set(TEXT_PREFIX + id, text);
  } catch (e) {
    if (e.code !== "STORAGE_FULL") throw e;
    prune(id); // make room by dropping the oldest sessions no tab shows, then try once more
    set(TEXT_PREFIX + id, text);
  }
  set(STAMP_PREFIX + id, JSON.stringify(stamp));
  current.known = stamp;
  remove(LEGACY_KEY); // migrated: this tab's session now holds it
  if (!known) prune(id);
  return stamp;
}

/** Take the stamp saved now as known (after loading the other tab's version). */
export function acceptSaved() {
  if (current) current.known = readStamp(current.id);
}

/** The text saved for this tab's session id now (another tab's version after a conflict). */
export const savedText = () => (current ? get(TEXT_PREFIX + current.id) : null);

/** Saved sessions other than this tab's: [{ id, stamp, shown }] newest first. */
export async function listSaved() {
  const shown = await shownIds();
  return savedIds().filter((id) => !current || id !== current.id)
    .map((id) => ({ id, stamp: readStamp(id) ?? { savedAt: 0 }, shown: shown ? shown.has(id) : null }))
    .sort((a, b) => b.stamp.savedAt - a.stamp.savedAt);
}

/** The saved text of another session (to open a copy of it here). */
export const readSaved = (id) => get(TEXT_PREFIX + id);

/** Remove a saved session that no tab shows. */
export function removeSaved(id) {
  remove(TEXT_PREFIX + id);
  remove(STAMP_PREFIX + id);
}

function prune(keep) {
  const ids = savedIds();
  if (ids.length <= MAX_SAVED) return;
  // without Web Locks here (synchronous), "no tab shows it" is judged by age alone
  const old = ids.filter((id) => id !== keep).map((id) => ({ id, at: readStamp(id)?.savedAt ?? 0 })).sort((a, b) => a.at - b.at);
  for (const { id } of old.slice(0, ids.length - MAX_SAVED)) removeSaved(id);
}

/** Call `fn(stamp)` when another page saves this tab's session id (a `storage` event). */
export function onForeignSave(fn) {
  if (typeof window === "undefined") return;
  window.addEventListener("storage", (e) => {
    if (!current || e.key !== STAMP_PREFIX + current.id || !e.newValue) return;
    const s = readStamp(current.id);
    if (s && s.writer !== WRITER) fn(s);
  });
}

/** Keep an autosave that could not be restored next to it, for the user to recover by hand. */
export function setAsideSessionText(text) {
  try { set(TEXT_PREFIX.slice(0, -1) + ".unreadable", text); } catch { /* ignore */ }
}

/** The saved preferences as an object ({} when none or unreadable). */
export function loadPrefs() {
  try {
    const p = JSON.parse(get(PREFS_KEY) || "{}");
    return p && typeof p === "object" ? p : {};
  } catch {
    return {};
  }
}

export function savePrefs(prefs) {
  try {
    set(PREFS_KEY, JSON.stringify(prefs));
  } catch { /* ignore */ }
}
