// lessons/teacher.js: the teacher notes page (www/teacher.html). For every lesson in
// www/lessons/index.json: its goal, its timing, and each step's action, question and answer,
// the answers computed here by replaying the lesson (engine.js) on the full build of the
// package, exactly as the lesson panel does. Text only through dom.js; the model's
// simplifications are static text in the page.
import { el, $, setText, showError } from "../dom.js";
import { fmtClock } from "../format.js";
import { loadEngine } from "../engine.js";
import { parseLesson, CONTROLS } from "./schema.js";
import { computeAnswers, explain } from "./engine.js";

function describeAction(a) {
  if (!a) return "—";
  if (a.type === "play") return a.label ?? `Play to ${fmtClock(a.untilMs)}`;
  if (a.type === "op") return a.label ?? a.ops.map((o) => `${o.op} ${o.vmId ?? o.name ?? ""}`).join(", ");
  return `The learner changes ${CONTROLS[a.control].label} (free exploration)`;
}

function describeQuestion(q) {
  if (q.kind === "number") {
    const tol = q.tolerance !== undefined ? `± ${q.tolerance}${q.unit ? " " + q.unit : ""}` : `± ${q.tolerancePercent} %`;
    return [q.prompt, el("br"), el("span", { class: "hint" }, `Number, accepted within ${tol}.`)];
  }
  return [q.prompt, el("ul", null, q.options.map((o) => el("li", null, o.label)))];
}

function lessonSection(lesson, answers) {
  const questions = lesson.steps.filter((s) => s.question).length;
  const rows = lesson.steps.map((s, i) => {
    const a = answers[i];
    const answerCell = a
      ? el("td", { dataset: { answer: `${lesson.id}:${i}` } },
        el("strong", null, a.kind === "number" ? a.display : s.question.options[a.index].label), el("br"),
        el("span", { class: "explain" }, explain(s.question, a)))
      : el("td", null, "—");
    return el("tr", null, el("td", null, String(i + 1)), el("td", null, describeAction(s.action)),
      el("td", null, s.question ? describeQuestion(s.question) : "—"), answerCell);
  });
  return el("section", { class: "panel", dataset: { lesson: lesson.id }, "aria-labelledby": `h-${lesson.id}` },
    el("h2", { id: `h-${lesson.id}` }, lesson.title),
    el("p", null, el("strong", null, "Goal: "), lesson.goal),
    el("p", null, el("strong", null, "Timing: "), `about ${lesson.minutes} minutes; ${lesson.steps.length} steps, ${questions} questions (each prediction before its observation).`),
    el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `Steps of ${lesson.title}` },
      el("table", null,
        el("thead", null, el("tr", null, ["Step", "What happens", "Question", "Answer (computed)"].map((h) => el("th", { scope: "col" }, h)))),
        el("tbody", null, rows))));
}

async function main() {
  const status = $("#teacher-status"), err = $("#teacher-error"), out = $("#teacher-lessons");
  try {
    const { api } = await loadEngine("full");
    const index = await (await fetch("lessons/index.json")).json();
    for (const f of index.lessons) {
      const res = await fetch(`lessons/${f}`);
      if (!res.ok) throw new Error(`lessons/${f}: HTTP ${res.status}`);
      const lesson = parseLesson(await res.text(), api, f);
      out.append(lessonSection(lesson, computeAnswers(api, lesson)));
    }
    setText(status, `${index.lessons.length} lessons; every answer computed in this page by bioxen ${api.version()}.`);
  } catch (e) {
    showError(err, e);
    setText(status, "The answers could not be computed.");
  }
  document.body.dataset.ready = "true";
}

main();
