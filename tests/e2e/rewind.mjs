// End-to-end tests of rewind (www/js/rewind.js, panels/rewind.js), registered into
// tests/e2e/run.mjs's runner (which builds www/, serves it and drives /usr/bin/chromium):
//   - a preset played, rewound with the scrubber (keyboard and pointer-style) and with Step back
//     (button and the "," key), then played forward, ends with the same operations, Gantt trace,
//     metrics and event log text as a run that never rewound (the session replayed in Node, and
//     imported into a fresh page);
//   - acting after a rewind discards the later operations, and the preset's scripted switch still
//     comes at its time;
//   - axe-core finds no violations with the rewind bar in use, at 1280×800 and at 390 px wide.
import fs from "node:fs";
import path from "node:path";

export function register({ test, openPage, pg, assert, eq, shot, ROOT }) {
  const H = 3_600_000;
  const now = (page) => pg(page, () => window.__playground.nowMs());
  const look = (page) => pg(page, () => ({
    now: window.__playground.nowMs(),
    ops: window.__playground.session().ops,
    trace: window.__playground.trace(),
    metrics: JSON.stringify(window.__playground.metrics()),
    scheduler: window.__playground.scheduler(),
  }));
  const logText = (page) => page.locator("#log li").allTextContents();
  const pause = async (page) => {
    if ((await page.getAttribute("#play", "aria-pressed")) === "true") await page.click("#play");
  };
  /** Play at full speed until the clock passes `ms`, then pause. */
  const playPast = async (page, ms) => {
    await pg(page, () => window.__playground.setSpeedMax());
    if ((await page.getAttribute("#play", "aria-pressed")) !== "true") await page.click("#play");
    await page.waitForFunction((t) => window.__playground.nowMs() > t, ms, { timeout: 20_000 });
    await pause(page);
  };
  /** The scrubber moved as a pointer drag ends: a value, then "change". */
  const scrubTo = (page, seconds) => page.locator("#scrub").evaluate((el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event("input", { bubbles: true }));
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }, seconds);
  /** The preset's session with its script applied up to T, as a run that never rewound has it. */
  const neverRewound = async (T) => {
    const { PRESETS } = await import(path.join(ROOT, "www/js/presets.js"));
    const p = PRESETS.find((x) => x.id === "rr-vs-credit");
    return {
      format: "bioxen-session", version: 1, chassis: p.session.chassis, scheduler: p.session.scheduler,
      options: p.session.options, ops: [...p.session.ops, ...p.script.filter((o) => o.atMs <= T)], endMs: T, meta: {},
    };
  };
  const nodeTrace = async (session) => {
    const bioxen = await import(path.join(ROOT, "pkg/index.mjs"));
    const { replay } = await import(path.join(ROOT, "www/js/session.js"));
    const { h } = replay(bioxen, session);
    const c = h.traceSince(0);
    const t = JSON.stringify([Array.from(c.vmIndex), Array.from(c.start), Array.from(c.end), Array.from(c.kind), c.names, c.open]);
    h.free();
    return t;
  };

  test("rewind: scrubber and Step back restore earlier moments; playing forward gives the same trace, metrics and log as never rewinding", async ({ browser, url }) => {
    const a = await openPage(browser, url);
    const { page } = a;
    await page.click('button.preset[data-preset="rr-vs-credit"]');
    await playPast(page, 5 * H);
    const t1 = await now(page);
    const before = await look(page);
    assert(before.ops.some((o) => o.op === "setScheduler" && o.atMs === 3 * H), "the scripted switch happened");
    eq(await page.getAttribute("#scrub", "max"), String(Math.ceil(t1 / 1000)), "the scrubber spans the time reached");

    // keyboard: Home goes back to the start, End to the furthest time reached
    await page.locator("#scrub").focus();
    await page.keyboard.press("Home");
    await page.waitForFunction(() => window.__playground.nowMs() === 0);
    const atZero = await look(page);
    eq(atZero.ops.length, 6, "at t = 0 only the preset's starting operations are applied");
    eq(atZero.scheduler, "round_robin", "before the switch");
    assert((await page.textContent("#rewind-note")).includes("1 later operation will be replayed"), `the redo is announced: ${await page.textContent("#rewind-note")}`);
    eq(await page.getAttribute("#scrub", "aria-valuetext"), "t = 0 s", "the scrubber says the time in words");
    await page.keyboard.press("End");
    await page.waitForFunction((t) => window.__playground.nowMs() === t, t1);
    const again = await look(page);
    eq(again.trace, before.trace, "back at the furthest time: the same trace");
    eq(again.metrics, before.metrics, "back at the furthest time: the same metrics");
    eq(JSON.stringify(again.ops), JSON.stringify(before.ops), "back at the furthest time: the same operations (redone)");

    // pointer-style scrub to 2 h, then Step back by the button (10 min) and by the "," key
    await scrubTo(page, 7200);
    eq(await now(page), 2 * H, "scrubbed to 2 h");
    eq(await pg(page, () => window.__playground.scheduler()), "round_robin", "before the scripted switch at 3 h");
    await page.selectOption("#step-size", "600000");
    await page.click("#step-back");
    eq(await now(page), 2 * H - 600_000, "Step back went back 10 min");
    await page.locator("#h-timeline").click(); // focus out of any field, for the shortcut
    await page.keyboard.press(",");
    eq(await now(page), 2 * H - 1_200_000, "the , key steps back too");
    assert(await page.isDisabled("#step-back") === false, "Step back is enabled after t = 0");
    await shot(page, "30-rewound", { top: true });

    // play forward past where it was, then one more step back and Steps forward (paused: the
    // log shows every event then, as an imported run's does)
    await playPast(page, t1 + H);
    await page.selectOption("#step-size", "3600000");
    await page.click("#step-back");
    for (let i = 0; i < 2; i++) await page.click("#step");
    const end = await look(page);
    const ref = await neverRewound(end.now);
    eq(JSON.stringify(end.ops), JSON.stringify(ref.ops), "the operations of a run that never rewound");
    eq(end.trace, await nodeTrace(ref), "the Gantt trace of the same run replayed in Node");
    eq(end.scheduler, "credit", "the switch was redone");

    // a fresh page that never rewound: the session imported (replayed to the same time)
    const b = await openPage(browser, url);
    await b.page.setInputFiles("#import", { name: "ref.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(ref)) });
    await b.page.waitForFunction((t) => window.__playground.nowMs() === t, end.now);
    await b.page.waitForTimeout(300); // a paused frame draws every panel
    const other = await look(b.page);
    eq(other.trace, end.trace, "same trace as the page that never rewound");
    eq(other.metrics, end.metrics, "same metrics as the page that never rewound");
    await page.waitForTimeout(300);
    const [la, lb] = [await logText(page), await logText(b.page)];
    assert(la.length > 20, `the event log has events (${la.length})`);
    eq(JSON.stringify(la), JSON.stringify(lb), "same event log text");
    eq(a.problems.length + b.problems.length, 0, [...a.problems, ...b.problems].join(" | "));
    await b.ctx.close();
    await a.ctx.close();
  });

  test("rewind: acting after a rewind discards the later operations; the preset's script still comes", async ({ browser, url }) => {
    const { page, problems, ctx } = await openPage(browser, url);
    await page.click('button.preset[data-preset="rr-vs-credit"]');
    await playPast(page, 4 * H);
    await scrubTo(page, 3600);
    eq(await now(page), H, "rewound to 1 h");
    // the learner acts: a new VM at 1 h
    await page.fill("#vm-id", "late");
    await page.selectOption("#vm-bio", "syn3a");
    await page.fill("#vm-weight", "");
    await page.fill("#vm-ribosomes", "");
    await page.setChecked("#vm-autostart", true);
    await page.click("#create");
    await page.waitForFunction(() => window.__playground.metrics().perVm.some((v) => v.vmId === "late"));
    const s = await look(page);
    assert(!s.ops.some((o) => o.op === "setScheduler"), "the later switch is no longer applied");
    assert(s.ops.slice(-2).every((o) => o.atMs === H && o.vmId === "late"), "the new operations are at 1 h");
    eq(await page.getAttribute("#scrub", "max"), "3600", "the time after 1 h is gone from the scrubber");
    eq(await page.textContent("#rewind-note"), "", "no redo announced any more");
    eq(JSON.stringify(await pg(page, () => window.__playground.script())), JSON.stringify([{ atMs: 3 * H, op: "setScheduler", name: "credit" }]), "the scripted switch is to come again");
    await page.selectOption("#step-size", "3600000");
    for (let i = 0; i < 3; i++) await page.click("#step");
    const t = await look(page);
    eq(t.scheduler, "credit", "the scripted switch happened on the new timeline");
    eq(JSON.stringify(t.ops), JSON.stringify((await neverRewound(4 * H)).ops.filter((o) => o.atMs === 0).concat(s.ops.slice(-2), [{ atMs: 3 * H, op: "setScheduler", name: "credit" }])), "operations of the new timeline");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });

  test("rewind: axe-core finds no violations on the rewind bar in use, at 1280×800 and at 390 px wide", async ({ browser, url }) => {
    const axe = fs.readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
    const { page, problems, ctx } = await openPage(browser, url);
    await page.evaluate(axe);
    await page.click('button.preset[data-preset="greedy-cap"]');
    await playPast(page, H);
    await scrubTo(page, 1200);
    await page.click("#step-back");
    const report = [];
    for (const [w, hgt] of [[1280, 800], [390, 844]]) {
      await page.setViewportSize({ width: w, height: hgt });
      await page.waitForTimeout(150);
      const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      for (const v of r.violations) report.push(`${w} px: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
    }
    await shot(page, "31-rewind-390px", { top: true });
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
    eq(report.length, 0, `axe violations:\n  ${report.join("\n  ")}`);
  });
}
