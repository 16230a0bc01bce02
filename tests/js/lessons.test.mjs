// Lessons: the schema check of every www/lessons/*.json (the files listed in index.json, and no
// file left out of it), each control a lesson waits for exists in www/index.html, every
// question's answer computed on the built package is sensible (finite numbers, a choice that is
// one of the options, no ties), and the answers are identical, bit for bit, however `step`
// chunks time. Plus the schema's refusals: each names the file and the path.
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as bioxen from "../../pkg/index.mjs";
import { parseLesson, validateLesson, CONTROLS, LessonError } from "../../www/js/lessons/schema.js";
import { computeAnswers, grade, lessonTimeline, explain } from "../../www/js/lessons/engine.js";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dir = path.join(root, "www/lessons");
const index = JSON.parse(fs.readFileSync(path.join(dir, "index.json"), "utf8"));
const load = (f) => parseLesson(fs.readFileSync(path.join(dir, f), "utf8"), bioxen, f);
const lessons = index.lessons.map((f) => [f, load(f)]);

test("index.json lists every lesson file, and there are at least eight", () => {
  const onDisk = fs.readdirSync(dir).filter((f) => f.endsWith(".json") && f !== "index.json").sort();
  assert.deepEqual([...index.lessons].sort(), onDisk);
  assert.ok(index.lessons.length >= 8, `${index.lessons.length} lessons`);
  const ids = lessons.map(([, l]) => l.id);
  assert.equal(new Set(ids).size, ids.length, "lesson ids are unique");
  for (const [f, l] of lessons) assert.equal(`${l.id}.json`, f, "a lesson's file is named after its id");
});

test("every control a lesson waits for is a control of the playground page", () => {
  const html = fs.readFileSync(path.join(root, "www/index.html"), "utf8");
  for (const [name, c] of Object.entries(CONTROLS)) {
    assert.ok(html.includes(`id="${c.element}"`) || html.includes(`data-panel="${c.element}"`), `control ${name}: no element ${c.element} in www/index.html`);
  }
  for (const [f, l] of lessons) {
    l.steps.forEach((s, i) => { if (s.action?.type === "control") assert.ok(CONTROLS[s.action.control], `${f}: steps[${i}]`); });
  }
});

test("each lesson predicts before it shows: a question comes before the first play", () => {
  for (const [f, l] of lessons) {
    const firstPlay = l.steps.findIndex((s) => s.action?.type === "play");
    const firstQ = l.steps.findIndex((s) => s.question);
    assert.ok(firstQ >= 0, f);
    // a lesson may first play a prologue with no question; then its first question must be a prediction before the next play
    const nextPlay = l.steps.findIndex((s, i) => i > firstQ && s.action?.type === "play");
    assert.ok(firstQ <= firstPlay || nextPlay > firstQ, `${f}: no prediction before an observation`);
    assert.ok(l.steps.filter((s) => s.question).length >= 3, `${f}: at least three questions`);
    assert.equal(l.minutes, 10, `${f}: about ten minutes`);
  }
});

const CHUNKS = [[1, 997, 60_001, 3, 1_234_567], [59_999, 7, 600_001], [86_400_000]];

for (const [file, lesson] of lessons) {
  test(`${file}: answers are sensible and do not depend on how step chunks time`, () => {
    const answers = computeAnswers(bioxen, lesson);
    lesson.steps.forEach((s, i) => {
      const a = answers[i];
      if (!s.question) return assert.equal(a, null);
      const q = s.question;
      if (q.kind === "number") {
        assert.ok(Number.isFinite(a.value), `${file} steps[${i}]: ${a.value}`);
        assert.equal(grade(q, a, a.value).correct, true);
        const tol = q.tolerance ?? Math.abs(a.value) * q.tolerancePercent / 100;
        assert.equal(grade(q, a, a.value + tol * 2 + 1).correct, false, `${file} steps[${i}]: a wrong number is marked wrong`);
        assert.equal(grade(q, a, "not a number").valid, false);
      } else {
        assert.ok(Number.isInteger(a.index) && a.index >= 0 && a.index < q.options.length, `${file} steps[${i}]`);
        assert.ok(a.values.every(Number.isFinite));
        assert.equal(grade(q, a, a.index).correct, true);
        assert.equal(grade(q, a, (a.index + 1) % q.options.length).correct, false);
      }
      assert.ok(!explain(q, a).includes("{answer}"));
    });
    for (const chunks of CHUNKS) {
      assert.deepEqual(computeAnswers(bioxen, lesson, { chunks }), answers, `${file}: answers moved with chunks ${chunks}`);
    }
  });

  test(`${file}: the lesson's own run replays as a session`, () => {
    const t = lessonTimeline(lesson);
    assert.equal(t.length, lesson.steps.length);
    for (let i = 1; i < t.length; i++) assert.ok(t[i].atMs >= t[i - 1].atMs);
  });
}

// ------------------------------------------------------------------ refusals name file and path

const base = () => JSON.parse(fs.readFileSync(path.join(dir, "sjf-average-wait.json"), "utf8"));
function refuses(mutate, pathPart) {
  const raw = base();
  mutate(raw);
  assert.throws(() => validateLesson(raw, bioxen, "x.json"), (e) => {
    assert.ok(e instanceof LessonError, e.message);
    assert.equal(e.code, "INVALID_LESSON");
    assert.ok(e.message.startsWith("x.json: "), e.message);
    assert.ok(e.message.includes(pathPart), `${e.message} should name ${pathPart}`);
    return true;
  });
}

test("the schema refuses bad lessons, naming the file and the path", () => {
  refuses((r) => delete r.goal, "missing required key \"goal\"");
  refuses((r) => { r.goal = "One. Two."; }, "goal: the learning goal must be one sentence");
  refuses((r) => { r.title = 3; }, "title: expected non-empty text");
  refuses((r) => { r.extra = 1; }, "unknown key \"extra\"");
  refuses((r) => { r.format = "lesson"; }, "format");
  refuses((r) => { r.session.ops[0].op = "explode"; }, "session.ops[0].op");
  refuses((r) => { r.steps[1].action = { type: "jump" }; }, "steps[1].action.type");
  refuses((r) => { r.steps[1].action = { type: "play", untilMs: 0 }; }, "steps[1].action.untilMs");
  refuses((r) => { r.steps[1].action = { type: "op", op: { op: "fly", vmId: "a" } }; }, "steps[1].action.op.op");
  refuses((r) => { r.steps[1].action = { type: "op", op: { op: "startVm", vmId: "a", atMs: 5 } }; }, "steps[1].action.op.atMs");
  refuses((r) => { r.steps[1].action = { type: "control", control: "volume" }; }, "steps[1].action.control");
  refuses((r) => { r.steps[1].question.kind = "essay"; }, "steps[1].question.kind");
  refuses((r) => { delete r.steps[1].question.tolerance; }, "steps[1].question: a number question needs exactly one of tolerance");
  refuses((r) => { r.steps[1].question.tolerance = -1; }, "steps[1].question.tolerance");
  refuses((r) => { r.steps[1].question.answer = 2.75; }, "unknown key \"answer\"");
  refuses((r) => { r.steps[1].question.metric = { vm: "zz", field: "waitTimeMs" }; }, "steps[1].question.metric.vm: no VM \"zz\"");
  refuses((r) => { r.steps[1].question.metric = { mean: "luck" }; }, "steps[1].question.metric.mean");
  refuses((r) => { r.steps[0].question.options = [r.steps[0].question.options[0]]; }, "steps[0].question.options: expected 2 to 6 options");
  refuses((r) => { r.steps[0].question.options[1].label = r.steps[0].question.options[0].label; }, "same label");
  refuses((r) => { r.steps[0].question.metric = { system: "fairnessIndex" }; }, "with \"pick\" each option has its own metric");
  refuses((r) => { r.steps = []; }, "steps: expected a non-empty array");
  refuses((r) => { r.steps[1].question.metric.run = { scheduler: "magic" }; }, "steps[1].question.metric.run.scheduler");
});

test("range options must not overlap, and an answer outside every range is refused at run time", () => {
  const raw = JSON.parse(fs.readFileSync(path.join(dir, "fcfs-convoy.json"), "utf8"));
  raw.steps[0].question.options[1].min = 4;
  assert.throws(() => validateLesson(raw, bioxen, "y.json"), /y\.json: steps\[0\]\.question\.options: options .* overlap/);
  const gap = JSON.parse(fs.readFileSync(path.join(dir, "fcfs-convoy.json"), "utf8"));
  gap.steps[0].question.options = [{ label: "tiny", max: 1 }, { label: "huge", min: 1000 }];
  const l = validateLesson(gap, bioxen, "gap.json");
  assert.throws(() => computeAnswers(bioxen, l), /steps\[0\]\.question: the computed value 32 is in none of the options' ranges/);
});
