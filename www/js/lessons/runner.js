// lessons/runner.js: the state of a lesson being taken, without DOM: where the learner is (step,
// whether its action is done, the answers given), saved in localStorage under its own key so a
// lesson can be left and resumed, and the session the playground must show at a point of the
// lesson (the canonical run before or after a step's action, engine.js).
//
// Progress record (version 1), key `bioxen.lessons.progress.v1`:
//   { version: 1, lessonId, step, actionDone, responses: { [step]: { response, correct } } }
// A record that does not fit the lesson (unknown id, step out of range) is ignored.
import { sessionAt } from "./engine.js";
import { FORMAT, VERSION } from "../session.js";

export const PROGRESS_KEY = "bioxen.lessons.progress.v1";

/** The saved progress, or null (none, unreadable, or no storage). */
export function loadProgress() {
  try {
    const p = JSON.parse(localStorage.getItem(PROGRESS_KEY) || "null");
    if (!p || p.version !== 1 || typeof p.lessonId !== "string" || !Number.isInteger(p.step) || p.step < 0) return null;
    if (!p.responses || typeof p.responses !== "object") p.responses = {};
    p.actionDone = p.actionDone === true;
    return p;
  } catch {
    return null;
  }
}

/** Save progress; false when storage refused (the caller says so). */
export function saveProgress(p) {
  try {
    localStorage.setItem(PROGRESS_KEY, JSON.stringify({ version: 1, lessonId: p.lessonId, step: p.step, actionDone: p.actionDone, responses: p.responses }));
    return true;
  } catch {
    return false;
  }
}

export function clearProgress() {
  try { localStorage.removeItem(PROGRESS_KEY); } catch { /* ignore */ }
}

/** A new progress record for a lesson. */
export const startProgress = (lesson) => ({ version: 1, lessonId: lesson.id, step: 0, actionDone: false, responses: {} });

/** Whether a saved record belongs to this lesson and fits it. */
export const fits = (p, lesson) => !!p && p.lessonId === lesson.id && p.step < lesson.steps.length;

/**
 * The canonical session at step i: before its action (`after` false) or after it. Before step
 * 0's action that is the lesson's own session.
 */
export function canonicalSession(lesson, i, after) {
  const s = after ? sessionAt(lesson, i) : i === 0 ? { ...lesson.session, ops: [...lesson.session.ops] } : sessionAt(lesson, i - 1);
  return {
    format: FORMAT, version: VERSION, chassis: s.chassis, scheduler: s.scheduler, options: { ...s.options },
    ops: s.ops.map((o) => structuredClone(o)), endMs: s.endMs, meta: { title: `Lesson: ${lesson.title}`, createdBy: "bioxen playground" },
  };
}

/**
 * Whether the playground's live session is the canonical one (same chassis, scheduler, options,
 * operations and time). When not, the learner explored, and the lesson restores its own run
 * before its next action.
 */
export function sameRun(live, canon) {
  const key = (s) => JSON.stringify([s.chassis, s.scheduler, s.options, s.ops.map((o) => ({ ...o })), s.endMs]);
  const norm = (s) => ({ ...s, options: Object.fromEntries(Object.entries(s.options).sort()), ops: s.ops.map((o) => sortKeys(o)) });
  return key(norm(live)) === key(norm(canon));
}

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
