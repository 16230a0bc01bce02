#!/usr/bin/env node
// check-lessons.mjs: the lessons' schema check from the command line. Validates every
// www/lessons/*.json (schema.js: required fields, types, known ops, control names, question
// kinds, tolerances) and computes every question's answer on the built package (pkg/), printing
// one line per question; exits 1 naming the file and path of the first problem in each file.
// Usage: node scripts/check-lessons.mjs [lesson.json ...]    (tests/js/lessons.test.mjs runs the same checks)
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as bioxen from "../pkg/index.mjs";
import { parseLesson } from "../www/js/lessons/schema.js";
import { computeAnswers } from "../www/js/lessons/engine.js";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");
const dir = path.join(root, "www/lessons");
const files = process.argv.length > 2 ? process.argv.slice(2) : JSON.parse(fs.readFileSync(path.join(dir, "index.json"), "utf8")).lessons.map((f) => path.join(dir, f));
let bad = 0;
for (const file of files) {
  const name = path.basename(file);
  try {
    const lesson = parseLesson(fs.readFileSync(file, "utf8"), bioxen, name);
    const answers = computeAnswers(bioxen, lesson);
    console.log(`${name}: ${lesson.title} (${lesson.steps.length} steps)`);
    answers.forEach((a, i) => {
      if (!a) return;
      const q = lesson.steps[i].question;
      const shown = a.kind === "number" ? a.display : `${JSON.stringify(q.options[a.index].label)} [${a.values.map((v) => +v.toPrecision(6)).join(", ")}]`;
      console.log(`  steps[${i}] ${q.kind}: ${shown}`);
    });
  } catch (e) {
    bad++;
    console.error(`${e.file ? "" : name + ": "}${e.message}`);
  }
}
process.exit(bad ? 1 : 0);
