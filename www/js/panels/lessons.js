// panels/lessons.js: the guided lessons (root [data-panel=lessons]): the list of lessons
// (www/lessons/index.json), and the lesson being taken: its goal, visible progress, the step's
// text, its action (play to a time, apply operations, or wait for the learner to change a
// control), and its question, marked against the answer engine.js computes from the simulation
// and shown with its explanation. Progress is autosaved (lessons/runner.js) and resumed. Every
// step works from the keyboard: focus moves to the step's next control, forms submit on Enter.
// Text only through dom.js: a lesson file never becomes markup.
import { el, $, setText, setChildren, showError, clearError } from "../dom.js";
import { fmtClock } from "../format.js";
import * as store from "../store.js";
import { serializeSession } from "../session.js";
import { parseLesson } from "../lessons/schema.js";
import { CONTROLS } from "../lessons/schema.js";
import { computeAnswer, grade, explain, formatNumber } from "../lessons/engine.js";
import * as runner from "../lessons/runner.js";

const PLAY_FRAMES = 45; // a "play" action animates over about this many frames

export function mountLessons(root) {
  const body = $("#lessons-body", root), errBox = $("#lessons-error", root);
  const files = []; // [{ file, raw text }]
  let lesson = null, progress = null, busy = false, waitOff = null;

  const save = () => { if (progress && !runner.saveProgress(progress)) store.setStatus("Lesson progress could not be saved (storage unavailable)."); };

  async function loadList() {
    try {
      const index = await (await fetch("lessons/index.json")).json();
      for (const f of index.lessons) {
        const res = await fetch(`lessons/${f}`);
        if (!res.ok) throw new Error(`lessons/${f}: HTTP ${res.status}`);
        files.push({ file: f, text: await res.text() });
      }
    } catch (e) {
      showError(errBox, { code: "LESSONS_UNAVAILABLE", message: e.message });
    }
    // a share link opened before the list was loaded names the lesson and step to show
    const fromLink = store.state.lesson;
    showList();
    if (fromLink) openAt(fromLink);
    store.on("lesson-link", openAt);
  }

  const idOf = (entry) => safeJson(entry.text)?.id ?? entry.file;

  /**
   * Open a lesson at a step named by a share link: the link's session is already on screen
   * (when it is not the lesson's own run there, the lesson restores its run before its next
   * action, as after any exploration). Answers start afresh; a lesson or step this page does not
   * have is reported and nothing else changes.
   */
  async function openAt({ id, step }) {
    const entry = files.find((f) => idOf(f) === id);
    if (busy) return;
    if (!entry) return store.setStatus(`The link names the lesson "${id}", which this page does not have; its session is open without the lesson.`);
    busy = true;
    clearError(errBox);
    try {
      const l = await parse(entry);
      if (step >= l.steps.length) {
        busy = false;
        return store.setStatus(`The link names step ${step + 1} of the lesson "${l.title}", which has ${l.steps.length} steps; its session is open without the lesson.`);
      }
      lesson = l;
      progress = { ...runner.startProgress(lesson), step };
      save();
      busy = false;
      render(true);
      store.setStatus(`Opened the shared link at step ${step + 1} of ${lesson.steps.length} of the lesson "${lesson.title}".`);
    } catch (e) {
      busy = false;
      lesson = null;
      showError(errBox, e);
    }
  }

  /** Parse with the build the lesson needs (the full one for the kinetic machinery). */
  async function parse(entry) {
    const raw = JSON.parse(entry.text);
    if (raw?.session?.options?.machinery === "kinetic") {
      const err = await store.ensureFull();
      if (err) throw err;
    }
    return parseLesson(entry.text, store.state.api, entry.file);
  }

  function showList() {
    stopWaiting();
    lesson = null;
    store.state.lesson = null;
    root.dataset.lesson = "";
    const saved = runner.loadProgress();
    const items = files.map((entry) => {
      const raw = safeJson(entry.text);
      const id = idOf(entry);
      const resume = saved && saved.lessonId === id;
      const b = el("button", { type: "button", class: "preset", dataset: { lesson: id }, "aria-describedby": `lesson-${id}-goal` },
        resume ? `Resume: ${raw?.title} (step ${saved.step + 1})` : raw?.title ?? entry.file);
      b.addEventListener("click", () => open(entry, resume ? saved : null));
      return el("li", null, b, el("p", { id: `lesson-${id}-goal`, class: "hint" }, raw?.goal ?? ""));
    });
    // folded unless a lesson waits to be resumed, so the simulation stays near the top
    setChildren(body, el("details", { id: "lesson-chooser", open: !!saved },
      el("summary", { id: "lesson-chooser-summary" }, `Choose a lesson (${files.length}, about 10 minutes each)`),
      el("p", { class: "hint" }, "Predict, then play and check: every answer is computed from the simulation. ",
        el("a", { href: "teacher.html" }, "Teacher notes"), "."),
      el("ul", { class: "presets", id: "lesson-list" }, items)));
  }

  async function open(entry, saved) {
    if (busy) return;
    busy = true;
    clearError(errBox);
    try {
      lesson = await parse(entry);
      progress = runner.fits(saved, lesson) ? saved : runner.startProgress(lesson);
      await restore(runner.canonicalSession(lesson, progress.step, progress.actionDone));
      save();
      busy = false;
      render(true);
    } catch (e) {
      busy = false;
      lesson = null;
      showError(errBox, e);
    }
  }

  /** Make the playground show a canonical session (replay), unless it already does. */
  async function restore(canon) {
    if (store.state.h && runner.sameRun(store.currentSession(), canon)) return false;
    store.setPlaying(false);
    const err = await store.importText(serializeSession(canon));
    if (err) throw err;
    return true;
  }

  const step = () => lesson.steps[progress.step];
  const actionPending = () => !!step().action && !progress.actionDone;
  const questionPending = () => !!step().question && !progress.responses[progress.step];

  function render(focus = false) {
    stopWaiting();
    root.dataset.lesson = lesson.id;
    store.state.lesson = { id: lesson.id, step: progress.step }; // what a share link carries
    const i = progress.step, n = lesson.steps.length, s = step();
    const done = Object.keys(progress.responses).length, asked = lesson.steps.filter((x) => x.question).length;
    const parts = [
      el("h3", { id: "lesson-title" }, lesson.title),
      el("p", { class: "explain" }, el("strong", null, "Goal: "), lesson.goal),
      el("p", { id: "lesson-progress-text", class: "hint" }, `Step ${i + 1} of ${n} · ${done} of ${asked} questions answered`),
      el("progress", { id: "lesson-progress", max: String(n), value: String(i + (actionPending() || questionPending() ? 0 : 1)), "aria-labelledby": "lesson-progress-text" }),
      el("p", { id: "lesson-step-text" }, s.text),
    ];
    let first = null;
    if (actionPending()) {
      const a = s.action;
      if (a.type === "control") {
        const c = CONTROLS[a.control];
        parts.push(el("p", { id: "lesson-wait", role: "status" }, `Waiting for you to change ${c.label} in the playground…`));
        waitFor(c);
        const skip = el("button", { type: "button", id: "lesson-skip" }, "Skip this exploration");
        skip.addEventListener("click", () => finishAction());
        parts.push(el("div", { class: "actions-row" }, skip));
        first = skip;
      } else {
        const label = a.label ?? (a.type === "play" ? `Play to ${fmtClock(a.untilMs)}` : "Apply");
        const b = el("button", { type: "button", id: "lesson-action" }, label);
        b.addEventListener("click", () => doAction(b));
        parts.push(el("div", { class: "actions-row" }, b));
        first = b;
      }
    } else if (s.question) {
      const r = renderQuestion(s.question);
      parts.push(r.node);
      first = r.first;
    }
    if (!actionPending() && !questionPending()) {
      const next = el("button", { type: "button", id: "lesson-next" }, i + 1 < n ? "Next step" : "Finish the lesson");
      next.addEventListener("click", () => advanceStep());
      parts.push(el("div", { class: "actions-row" }, next));
      first = first && questionPending() ? first : next;
    }
    const leave = el("button", { type: "button", id: "lesson-leave", class: "secondary" }, "Leave (progress is kept)");
    leave.addEventListener("click", () => { store.setStatus("Lesson left; choose it again to resume."); showList(); $("#lesson-list button", root)?.focus(); });
    parts.push(el("div", { class: "actions-row" }, leave));
    setChildren(body, parts);
    if (focus && first) first.focus();
  }

  function renderQuestion(q) {
    const i = progress.step, answered = progress.responses[i];
    const form = el("form", { id: "lesson-question", novalidate: true, "aria-describedby": "lesson-q-prompt" });
    const prompt = el("p", { id: "lesson-q-prompt" }, el("strong", null, "Question: "), q.prompt);
    let first = null, input = null;
    if (q.kind === "number") {
      input = el("input", { id: "lesson-answer", type: "text", inputmode: "decimal", autocomplete: "off", "aria-labelledby": "lesson-q-prompt", disabled: !!answered });
      if (answered) input.value = String(answered.response);
      form.append(prompt, el("label", null, "Your answer ", input, q.unit ? ` ${q.unit}` : ""));
      first = input;
    } else {
      const fs = el("fieldset", { "aria-labelledby": "lesson-q-prompt" });
      q.options.forEach((o, k) => {
        const r = el("input", { type: "radio", name: "lesson-choice", value: String(k), id: `lesson-opt-${k}`, disabled: !!answered, checked: answered ? answered.response === k : false });
        fs.append(el("label", { class: "check" }, r, ` ${o.label}`));
        if (k === 0) first = r;
      });
      form.append(prompt, fs);
    }
    const err = el("p", { id: "lesson-answer-error", class: "error", role: "alert", hidden: true });
    const check = el("button", { type: "submit", id: "lesson-check", disabled: !!answered }, "Check my answer");
    form.append(err, el("div", { class: "actions-row" }, check));
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      const response = q.kind === "number" ? input.value : Number(form.querySelector("input[name=lesson-choice]:checked")?.value ?? NaN);
      submit(q, response, err);
    });
    if (answered) form.append(feedback(q, answered));
    return { node: form, first: answered ? null : first };
  }

  function feedback(q, answered) {
    const a = answered.answer;
    const shown = a.kind === "number" ? formatNumber(a.value, q) : q.options[a.index].label;
    return el("div", { id: "lesson-feedback", role: "status", dataset: { correct: String(answered.correct) } },
      el("p", null, el("strong", null, answered.correct ? "Right. " : "Not quite. "), `The simulation's answer: ${shown}.`),
      el("p", { class: "explain" }, explain(q, a)));
  }

  function submit(q, response, errEl) {
    let answer;
    try {
      answer = computeAnswer(store.state.api, lesson, progress.step);
    } catch (e) {
      return showError(errEl, { code: "NO_ANSWER", message: e.message });
    }
    const g = grade(q, answer, response);
    if (!g.valid) {
      errEl.hidden = false;
      return setText(errEl, q.kind === "number" ? "Type a number first." : "Choose one of the options first.");
    }
    progress.responses[progress.step] = { response: q.kind === "number" ? Number(String(response).replace(",", ".")) : response, correct: g.correct, answer };
    save();
    render(true);
    $("#lesson-next", root)?.focus();
  }

  async function doAction(button) {
    if (busy) return;
    busy = true;
    button.disabled = true;
    const a = step().action;
    try {
      if (await restore(runner.canonicalSession(lesson, progress.step, false))) store.setStatus("Your own changes were set aside: the lesson continues from its own run.");
      if (a.type === "op") {
        for (const op of a.ops) {
          const err = store.perform(op);
          if (err) throw err;
        }
      } else await playTo(a.untilMs);
      busy = false;
      finishAction();
    } catch (e) {
      busy = false;
      showError(errBox, e);
      button.disabled = false;
    }
  }

  /** Run the clock to t in a few animated frames (results do not depend on the chunks). */
  function playTo(t) {
    store.setPlaying(false);
    const chunk = Math.max(1, Math.ceil((t - store.state.h.nowMs) / PLAY_FRAMES));
    return new Promise((resolve, reject) => {
      const tick = () => {
        try {
          const left = t - store.state.h.nowMs;
          if (left > 0) store.advance(Math.min(chunk, left));
          if (store.state.h.nowMs >= t) return resolve();
          requestAnimationFrame(tick);
        } catch (e) {
          reject(e);
        }
      };
      requestAnimationFrame(tick);
    });
  }

  function waitFor(control) {
    waitOff = store.on("op", (op) => { if (control.match(op)) finishAction(); });
  }
  function stopWaiting() {
    if (waitOff) waitOff();
    waitOff = null;
  }

  function finishAction() {
    stopWaiting();
    progress.actionDone = true;
    save();
    render(true);
  }

  function advanceStep() {
    if (progress.step + 1 >= lesson.steps.length) {
      const right = Object.values(progress.responses).filter((r) => r.correct).length;
      const total = Object.keys(progress.responses).length;
      runner.clearProgress();
      store.state.lesson = null;
      const again = el("button", { type: "button", id: "lesson-done" }, "Back to the lessons");
      again.addEventListener("click", () => { showList(); $("#lesson-list button", root)?.focus(); });
      setChildren(body, el("h3", { id: "lesson-title" }, lesson.title),
        el("p", { id: "lesson-summary", role: "status" }, `Lesson complete: ${right} of ${total} answers right.`),
        el("p", { class: "explain" }, el("strong", null, "Goal: "), lesson.goal), el("div", { class: "actions-row" }, again));
      root.dataset.lesson = `${lesson.id}:done`;
      again.focus();
      return;
    }
    progress.step++;
    progress.actionDone = false;
    save();
    render(true);
  }

  loadList();
  return {
    /** Test hook: the lesson being taken and where. */
    where: () => (lesson ? { id: lesson.id, step: progress.step, actionDone: progress.actionDone } : null),
  };
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
