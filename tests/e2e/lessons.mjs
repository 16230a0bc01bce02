// End-to-end tests of the guided lessons (www/js/panels/lessons.js), registered into
// tests/e2e/run.mjs's runner (which builds www/, serves it and drives /usr/bin/chromium):
//   - one whole lesson played by keyboard alone, with right and wrong answers, each marked as
//     the answer computed by engine.js in Node says;
//   - a lesson left by reloading the page resumes at the same step, and a "control" step
//     completes when the learner changes that control;
//   - the teacher notes page computes every lesson's answers, as Node does;
//   - axe-core finds no violations on a running lesson and on the teacher notes, at 1280×800
//     and at 390 px wide.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";

export function register({ test, openPage, assert, eq, shot, pg, ROOT }) {
  const load = async (id) => {
    const bioxen = await import(path.join(ROOT, "pkg/index.mjs"));
    const { parseLesson } = await import(path.join(ROOT, "www/js/lessons/schema.js"));
    const { computeAnswers } = await import(path.join(ROOT, "www/js/lessons/engine.js"));
    const lesson = parseLesson(fs.readFileSync(path.join(ROOT, `www/lessons/${id}.json`), "utf8"), bioxen, `${id}.json`);
    return { lesson, answers: computeAnswers(bioxen, lesson) };
  };
  /** axe-core's violations on the page (loaded through the debugging protocol: the CSP allows no inline script). */
  async function axeViolations(page, what) {
    const axe = fs.readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
    if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(axe);
    const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
    return r.violations.map((v) => `${what}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
  }
  const where = (page) => pg(page, () => window.__playground.lessons.where());
  const focused = (page) => pg(page, () => document.activeElement && (document.activeElement.id || document.activeElement.textContent));
  const waitFocus = (page, id) => page.waitForFunction((i) => document.activeElement && document.activeElement.id === i, id, { timeout: 10_000 });

  /** Open a lesson from the list with the keyboard: focus its button, Enter. */
  async function openLesson(page, id) {
    await page.locator("#lesson-chooser-summary").waitFor();
    if (!(await page.locator("#lesson-chooser").evaluate((d) => d.open))) {
      await page.locator("#lesson-chooser-summary").focus();
      await page.keyboard.press("Enter");
    }
    await page.locator(`#lesson-list button[data-lesson="${id}"]`).focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction((i) => document.querySelector("[data-panel=lessons]").dataset.lesson === i, id, { timeout: 15_000 });
  }

  /** Answer the current question with the keyboard only; returns whether it was marked right. */
  async function answerByKeyboard(page, q, response) {
    if (q.kind === "number") {
      await waitFocus(page, "lesson-answer");
      await page.keyboard.type(String(response));
      await page.keyboard.press("Enter");
    } else {
      await waitFocus(page, "lesson-opt-0");
      await page.keyboard.press("Space");
      for (let k = 0; k < response; k++) await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Tab");
      eq(await focused(page), "lesson-check", "Tab from the options reaches the check button");
      await page.keyboard.press("Enter");
    }
    await page.locator("#lesson-feedback").waitFor();
    return (await page.getAttribute("#lesson-feedback", "data-correct")) === "true";
  }

  test("a whole lesson by keyboard alone: right and wrong answers marked as the simulation says", async ({ browser, url }) => {
    const { lesson, answers } = await load("sjf-average-wait");
    const { page, problems, ctx } = await openPage(browser, url);
    await openLesson(page, lesson.id);
    const marks = [];
    for (let i = 0; i < lesson.steps.length; i++) {
      const s = lesson.steps[i];
      eq((await where(page)).step, i, "the lesson is at this step");
      assert((await page.textContent("#lesson-progress-text")).startsWith(`Step ${i + 1} of ${lesson.steps.length}`), "progress is visible");
      if (s.action && s.action.type === "control") {
        await waitFocus(page, "lesson-skip");
        await page.keyboard.press("Enter");
      } else if (s.action) {
        await waitFocus(page, "lesson-action");
        await page.keyboard.press("Enter");
        await page.waitForFunction(() => window.__playground.lessons.where().actionDone, null, { timeout: 15_000 });
        if (s.action.type === "play") eq(await pg(page, () => window.__playground.nowMs()), s.action.untilMs, "played exactly to the step's time");
      }
      if (s.question) {
        const a = answers[i];
        // the second question is answered wrong on purpose, the others right
        const wrong = i === 1;
        let response;
        if (s.question.kind === "number") {
          const tol = s.question.tolerance ?? Math.abs(a.value) * s.question.tolerancePercent / 100;
          response = wrong ? +(a.value + 10 * tol + 5).toFixed(2) : +a.value.toFixed(2);
        } else response = wrong ? (a.index + 1) % s.question.options.length : a.index;
        const right = await answerByKeyboard(page, s.question, response);
        eq(right, !wrong, `steps[${i}]: marked ${wrong ? "wrong" : "right"}`);
        marks.push(right);
        const fb = await page.textContent("#lesson-feedback");
        const shown = a.kind === "number" ? a.display : s.question.options[a.index].label;
        assert(fb.includes(shown), `steps[${i}]: the feedback shows the computed answer ${shown}: ${fb}`);
        if (i === 1) {
          await shot(page, "lesson-wrong-answer");
          const v = await axeViolations(page, "a running lesson, 1280×800");
          await page.setViewportSize({ width: 390, height: 844 });
          v.push(...(await axeViolations(page, "a running lesson, 390 px")));
          await page.setViewportSize({ width: 1280, height: 800 });
          eq(v.length, 0, `axe violations:\n  ${v.join("\n  ")}`);
        }
      }
      await waitFocus(page, "lesson-next");
      await page.keyboard.press("Enter");
    }
    await page.locator("#lesson-summary").waitFor();
    const right = marks.filter(Boolean).length;
    eq(await page.textContent("#lesson-summary"), `Lesson complete: ${right} of ${marks.length} answers right.`, "summary");
    eq(await pg(page, () => localStorage.getItem("bioxen.lessons.progress.v1")), null, "a finished lesson leaves no progress behind");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });

  test("a lesson left by reloading resumes at its step; a control step completes when that control changes", async ({ browser, url }) => {
    const { lesson } = await load("lottery-vs-credit");
    const { page, problems, ctx } = await openPage(browser, url);
    await openLesson(page, lesson.id);
    // step 0: answer, next; step 1: play
    await answerByKeyboard(page, lesson.steps[0].question, 75);
    await page.keyboard.press("Enter");
    await waitFocus(page, "lesson-action");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => window.__playground.lessons.where().actionDone, null, { timeout: 15_000 });
    await page.reload();
    await page.waitForFunction(() => window.__playground && window.__playground.ready, null, { timeout: 15_000 });
    const resume = page.locator(`#lesson-list button[data-lesson="${lesson.id}"]`);
    await resume.waitFor(); // visible: the chooser is open when a lesson waits to be resumed
    assert((await resume.textContent()).startsWith("Resume:"), "the list offers to resume");
    await openLesson(page, lesson.id);
    const w = await where(page);
    eq(w.step, 1, "resumed at step 2");
    eq(w.actionDone, true, "its action stays done");
    eq(await pg(page, () => window.__playground.nowMs()), lesson.steps[1].action.untilMs, "the playground shows the lesson's run at that step");
    // on to the control step (the last), answering on the way
    while ((await where(page)).step < lesson.steps.length - 1) {
      if (await page.locator("#lesson-check:not([disabled])").count()) {
        const q = lesson.steps[(await where(page)).step].question;
        await answerByKeyboard(page, q, q.kind === "number" ? 0 : 0);
      }
      await page.locator("#lesson-next").focus();
      await page.keyboard.press("Enter");
    }
    await page.locator("#lesson-wait").waitFor();
    await page.selectOption("#scheduler", "credit");
    await page.waitForFunction(() => window.__playground.lessons.where().actionDone, null, { timeout: 10_000 });
    eq(await pg(page, () => window.__playground.scheduler()), "credit", "the learner's change is live");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });

  test("a share link carries the lesson and its step; a fresh context opens the lesson there", async ({ browser, url }) => {
    const { lesson } = await load("lottery-vs-credit");
    const a = await openPage(browser, url);
    await openLesson(a.page, lesson.id);
    await answerByKeyboard(a.page, lesson.steps[0].question, 75);
    await a.page.keyboard.press("Enter"); // next: step 1, whose action plays the clock
    await waitFocus(a.page, "lesson-action");
    await a.page.keyboard.press("Enter");
    await a.page.waitForFunction(() => window.__playground.lessons.where().actionDone, null, { timeout: 15_000 });
    await a.page.click("#share");
    await a.page.waitForSelector("#share-field:not([hidden])");
    const link = await a.page.inputValue("#share-url");
    const env = JSON.parse(zlib.inflateSync(Buffer.from(link.slice(link.indexOf("#s=") + 3), "base64url")).toString("utf8"));
    eq(JSON.stringify(env.lesson), JSON.stringify({ id: lesson.id, step: 1 }), "the envelope names the lesson and the step on screen");
    const session = JSON.stringify(await pg(a.page, () => window.__playground.session()));
    const b = await openPage(browser, link);
    await b.page.waitForFunction((i) => document.querySelector("[data-panel=lessons]").dataset.lesson === i, lesson.id, { timeout: 15_000 });
    eq((await where(b.page)).step, 1, "the fresh context shows the same step");
    assert((await b.page.textContent("#lesson-progress-text")).startsWith(`Step 2 of ${lesson.steps.length}`), "its progress says so");
    eq(JSON.stringify(await pg(b.page, () => window.__playground.session())), session, "and the same session");
    // leaving the lesson takes it out of the next link
    await b.page.click("#lesson-leave");
    await b.page.click("#share");
    await b.page.waitForSelector("#share-field:not([hidden])");
    const link2 = await b.page.inputValue("#share-url");
    const env2 = JSON.parse(zlib.inflateSync(Buffer.from(link2.slice(link2.indexOf("#s=") + 3), "base64url")).toString("utf8"));
    eq(env2.lesson, undefined, "no lesson once it is left");
    eq(a.problems.length + b.problems.length, 0, [...a.problems, ...b.problems].join(" | "));
    await a.ctx.close();
    await b.ctx.close();
  });

  test("the kinetic lesson switches to the full build and plays its first step", async ({ browser, url }) => {
    const { lesson, answers } = await load("burden-orthogonal");
    const { page, problems, ctx } = await openPage(browser, url);
    await openLesson(page, lesson.id);
    eq(await pg(page, () => window.__playground.engine()), "full", "the kinetic machinery needs the full build");
    const right = await answerByKeyboard(page, lesson.steps[0].question, answers[0].index);
    eq(right, true, "the prediction is marked right");
    await page.keyboard.press("Enter");
    await waitFocus(page, "lesson-action");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => window.__playground.lessons.where().actionDone, null, { timeout: 30_000 });
    eq(await pg(page, () => window.__playground.nowMs()), lesson.steps[1].action.untilMs, "played to 2 h");
    await answerByKeyboard(page, lesson.steps[1].question, answers[1].value);
    await shot(page, "lesson-kinetic");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });

  test("the teacher notes page computes every lesson's answers, as Node does", async ({ browser, url }) => {
    const ids = JSON.parse(fs.readFileSync(path.join(ROOT, "www/lessons/index.json"), "utf8")).lessons.map((f) => f.replace(/\.json$/, ""));
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await ctx.newPage();
    const problems = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
    await page.goto(`${url}teacher.html`);
    await page.waitForFunction(() => document.body.dataset.ready === "true", null, { timeout: 40_000 });
    for (const id of ids) {
      const { lesson, answers } = await load(id);
      const sec = page.locator(`section[data-lesson="${id}"]`);
      assert((await sec.textContent()).includes(lesson.goal), `${id}: goal shown`);
      for (let i = 0; i < lesson.steps.length; i++) {
        if (!answers[i]) continue;
        const a = answers[i], q = lesson.steps[i].question;
        const shown = a.kind === "number" ? a.display : q.options[a.index].label;
        const cell = await page.textContent(`[data-answer="${id}:${i}"]`);
        assert(cell.includes(shown), `${id} steps[${i}]: page shows ${cell}, Node computes ${shown}`);
      }
    }
    assert((await page.textContent("#simplifications")).length > 500, "the model's simplifications are stated");
    await shot(page, "teacher-notes");
    const v = await axeViolations(page, "teacher notes, 1280×800");
    await page.setViewportSize({ width: 390, height: 844 });
    v.push(...(await axeViolations(page, "teacher notes, 390 px")));
    eq(v.length, 0, `axe violations:\n  ${v.join("\n  ")}`);
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });
}
