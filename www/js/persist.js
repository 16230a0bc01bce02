// persist.js: owns what the playground keeps in this browser's localStorage: the autosaved
// session text and the display preferences (speed, timeline window). Storage may be missing or
// full; every function says so through its return value or a thrown Error, never a crash.

const SESSION_KEY = "bioxen.playground.session.v1";
const PREFS_KEY = "bioxen.playground.prefs.v1";

/** Write the autosave (throws when storage refuses; the caller reports it). */
export function saveSessionText(text) {
  localStorage.setItem(SESSION_KEY, text);
}

/** The autosaved session text, or null (none, or no storage). */
export function loadSessionText() {
  try {
    return localStorage.getItem(SESSION_KEY);
  } catch {
    return null;
  }
}

/** Keep an autosave that could not be restored next to it, for the user to recover by hand. */
export function setAsideSessionText(text) {
  try { localStorage.setItem(SESSION_KEY + ".unreadable", text); } catch { /* ignore */ }
}

/** The saved preferences as an object ({} when none or unreadable). */
export function loadPrefs() {
  try {
    const p = JSON.parse(localStorage.getItem(PREFS_KEY) || "{}");
    return p && typeof p === "object" ? p : {};
  } catch {
    return {};
  }
}

export function savePrefs(prefs) {
  try {
    localStorage.setItem(PREFS_KEY, JSON.stringify(prefs));
  } catch { /* ignore */ }
}
