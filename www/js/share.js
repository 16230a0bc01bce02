// share.js: share links. A link carries a whole session in its URL fragment, so opening it
// rebuilds the same hypervisor by replay (session.js) with nothing stored on any server:
//
//   <page URL>#s=<base64url of the deflate (zlib, RFC 1950) of the JSON envelope, no padding>
//
// The envelope is versioned so a later page can add to it without breaking old links:
//   { "link": 1,                       required, the envelope version this page reads
//     "session": { ... },              required, a session (www/session-format.md), secrets removed
//     "script": [ ... ],               optional, a preset's operations still to come (atMs >= endMs)
//     "preset": "rr-vs-credit",        optional, the preset whose lesson text was on screen
//     "lesson": { "id": "...", "step": 2 } }   optional, a lesson and the step the learner is on
// Unknown keys are refused, as in session files. No DOM code, and compression is the platform's
// CompressionStream / DecompressionStream, so Node runs this module as is (tests/js/share.test.mjs).
//
// Opening is bounded at every stage, because a link is input from anyone: the fragment's length,
// its alphabet, the compressed bytes, the inflated size (a zip bomb stops at LINK_LIMITS.json
// bytes without inflating the rest), strict UTF-8, JSON, then validateSession().
import { FORMAT, VERSION, SessionError, validateSession, stripSecrets } from "./session.js";

export const LINK_VERSION = 1;
export const LINK_PREFIX = "#s=";

/** What a link may hold. A longer session is exported as a file instead. */
export const LINK_LIMITS = Object.freeze({
  chars: 100_000, // base64url characters after "#s=" (browsers keep URLs of about 2 MB)
  json: 1_048_576, // inflated envelope, bytes
  lessonId: 100,
});

const ENVELOPE_KEYS = ["link", "session", "script", "preset", "lesson"];

/** A link that cannot be opened; `path` says where, as in SessionError. */
export class LinkError extends SessionError {
  constructor(message, path = "$") {
    super(message, path);
    this.name = "LinkError";
    this.code = "INVALID_LINK";
  }
}

const isPlainObject = (v) =>
  v !== null && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

// ------------------------------------------------------------------ base64url

export function toBase64url(bytes) {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(text) {
  const bad = /[^A-Za-z0-9_-]/.exec(text);
  if (bad) {
    const c = bad[0].codePointAt(0);
    const shown = c >= 0x21 && c <= 0x7e ? JSON.stringify(bad[0]) : `U+${c.toString(16).toUpperCase().padStart(4, "0")}`;
    throw new LinkError(`not base64url: character ${shown} at position ${bad.index}`);
  }
  if (text.length % 4 === 1) throw new LinkError(`not base64url: ${text.length} characters cannot be whole bytes (the link was cut short?)`);
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// ------------------------------------------------------------------ deflate

async function deflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream("deflate"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Inflate at most `max` bytes; more is refused without inflating the rest. */
async function inflate(bytes, max) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate")).getReader();
  const chunks = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > max) throw new LinkError(`expands to more than ${max.toLocaleString("en")} bytes; a link never holds that much`);
      chunks.push(value);
    }
  } catch (e) {
    reader.cancel().catch(() => {});
    if (e instanceof LinkError) throw e;
    throw new LinkError(`not deflate data (${e && e.message ? e.message : e}); the link is damaged or was cut short`);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

// ------------------------------------------------------------------ envelope

/**
 * The envelope of a session: `session` is a session object (store.currentSession()); `script`
 * the preset's operations still to come; `preset` the preset id; `lesson` { id, step }.
 * Secrets are removed here too, whatever the caller passed.
 */
export function envelope(session, { script = [], preset, lesson } = {}) {
  const { format, version, chassis, scheduler, options, ops, endMs, meta } = session;
  const env = { link: LINK_VERSION, session: { format, version, chassis, scheduler, options, ops: ops.map(stripSecrets), endMs, meta } };
  if (script.length) env.script = script.map(stripSecrets);
  if (preset) env.preset = preset;
  if (lesson) env.lesson = { id: lesson.id, step: lesson.step };
  return env;
}

/** The fragment ("#s=…") of an envelope. Throws LinkError when it would be too long. */
export async function encodeLink(env) {
  const body = toBase64url(await deflate(new TextEncoder().encode(JSON.stringify(env))));
  if (body.length > LINK_LIMITS.chars) {
    throw new LinkError(`this session needs a ${body.length.toLocaleString("en")}-character link, more than the ${LINK_LIMITS.chars.toLocaleString("en")} a link may have; export it as a file instead`);
  }
  return LINK_PREFIX + body;
}

/** The link's text after "#s=" when `hash` is a share fragment, else null. */
export function linkBody(hash) {
  return typeof hash === "string" && hash.startsWith(LINK_PREFIX) ? hash.slice(LINK_PREFIX.length) : null;
}

/** Decode a fragment's body to the raw (unvalidated) envelope object. Throws LinkError. */
export async function decodeLinkBody(body) {
  if (typeof body !== "string" || body === "") throw new LinkError("the link holds no session (nothing after #s=)");
  if (body.length > LINK_LIMITS.chars) throw new LinkError(`the link is ${body.length.toLocaleString("en")} characters long; the limit is ${LINK_LIMITS.chars.toLocaleString("en")}`);
  const bytes = await inflate(fromBase64url(body), LINK_LIMITS.json);
  let text;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new LinkError("the inflated link is not UTF-8 text");
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new LinkError(`the inflated link is not JSON: ${e.message}`);
  }
}

/**
 * Check a raw envelope and return { session, script, preset, lesson } with the session and the
 * script validated as session.js validates a file (paths start with "session." or "script").
 */
export function validateEnvelope(raw, api) {
  if (!isPlainObject(raw)) throw new LinkError("expected an object (the link envelope)");
  for (const k of Object.keys(raw)) if (!ENVELOPE_KEYS.includes(k)) throw new LinkError(`unknown key ${JSON.stringify(k.slice(0, 60))}`);
  if (raw.link !== LINK_VERSION) {
    throw new LinkError(`unsupported link version ${JSON.stringify(raw.link)?.slice(0, 40)} (this page opens version ${LINK_VERSION} links)`, "link");
  }
  if (raw.session === undefined) throw new LinkError("the link holds no session", "session");
  const session = prefixed("session", () => validateSession(raw.session, api));
  let script = [];
  if (raw.script !== undefined) {
    if (!Array.isArray(raw.script)) throw new LinkError("expected an array of operations", "script");
    // the same checks as a session's ops, on a session of the link's chassis and scheduler
    const s = prefixed("script", () => validateSession({ format: FORMAT, version: VERSION, chassis: session.chassis, scheduler: session.scheduler, ops: raw.script }, api), "ops");
    script = s.ops;
    if (script.length && script[0].atMs < session.endMs) {
      throw new LinkError(`a scripted operation at ${script[0].atMs} ms is before the session's end (${session.endMs} ms)`, "script[0].atMs");
    }
  }
  let preset = null;
  if (raw.preset !== undefined) {
    if (typeof raw.preset !== "string" || !/^[a-z0-9-]{1,60}$/.test(raw.preset)) throw new LinkError("expected a preset id (lower-case letters, digits and -)", "preset");
    preset = raw.preset;
  }
  let lesson = null;
  if (raw.lesson !== undefined) {
    const l = raw.lesson;
    if (!isPlainObject(l)) throw new LinkError("expected { id, step }", "lesson");
    for (const k of Object.keys(l)) if (k !== "id" && k !== "step") throw new LinkError(`unknown key ${JSON.stringify(k.slice(0, 60))}`, "lesson");
    if (typeof l.id !== "string" || l.id === "" || l.id.length > LINK_LIMITS.lessonId) throw new LinkError(`expected a lesson id of 1 to ${LINK_LIMITS.lessonId} characters`, "lesson.id");
    if (!Number.isInteger(l.step) || l.step < 0 || l.step > 10_000) throw new LinkError("expected a step number from 0 to 10000", "lesson.step");
    lesson = { id: l.id, step: l.step };
  }
  return { session, script, preset, lesson };
}

/**
 * Run `fn`; a SessionError it throws becomes a LinkError whose path starts with `prefix` (e.g. a
 * replay's refusal at "ops[2]" reads "session.ops[2]"), its cause the package's error if any.
 */
export function prefixed(prefix, fn, inner) {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof SessionError)) throw e;
    let path = e.path === "$" ? prefix : `${prefix}.${e.path}`;
    if (inner && e.path.startsWith(inner)) path = prefix + e.path.slice(inner.length);
    const bare = e.path === "$" ? e.message : e.message.slice(e.path.length + 2);
    const err = new LinkError(bare, path);
    err.cause = e.cause ?? e;
    throw err;
  }
}

/** Decode and validate a fragment body in one go. Throws LinkError. */
export async function openLinkBody(body, api) {
  return validateEnvelope(await decodeLinkBody(body), api);
}
