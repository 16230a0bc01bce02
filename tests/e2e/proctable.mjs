// proctable.mjs: end-to-end tests of the Process tables panel (www/js/panels/proctable.js).
// tests/e2e/run.mjs registers them with its helpers and runs them in the one browser it launched.
// The expected answers are worked by hand (Gantt order above each), not taken from the code.
import fs from "node:fs";
import path from "node:path";

/** Silberschatz's staggered set. */
const STAGGERED = [["P1", 0, 8], ["P2", 1, 4], ["P3", 2, 9], ["P4", 3, 5]];
/** Simultaneous arrivals (rows P1 and P3 at 2), an idle gap before P4. */
const TIES = [["P1", 2, 3], ["P2", 0, 2], ["P3", 2, 1], ["P4", 8, 2]];
/** Arrivals at the instants round-robin slices end. */
const AT_SLICE_ENDS = [["P1", 0, 5], ["P2", 2, 3], ["P3", 4, 1]];

// [rows, policy, quantum, start[], finish[], waiting[], segments]
const CASES = [
  // P1 0-8, P2 8-12, P3 12-21, P4 21-26
  [STAGGERED, "fcfs", 2, [0, 8, 12, 21], [8, 12, 21, 26], [0, 7, 10, 18], 4],
  // P1 0-8; at 8 the shortest: P2 8-12, P4 12-17, P3 17-26
  [STAGGERED, "sjf", 2, [0, 8, 17, 12], [8, 12, 26, 17], [0, 7, 15, 9], 4],
  // q=4: P1 0-4, P2 4-8, P3 8-12, P4 12-16, P1 16-20, P3 20-24, P4 24-25, P3 25-26
  [STAGGERED, "round_robin", 4, [0, 4, 8, 12], [20, 8, 26, 25], [12, 3, 15, 17], 8],
  // P2 0-2, P1 2-5 (row before P3), P3 5-6, idle, P4 8-10
  [TIES, "fcfs", 2, [2, 0, 5, 8], [5, 2, 6, 10], [0, 0, 3, 0], 4],
  // P2 0-2, P3 2-3 (shorter), P1 3-6, P4 8-10
  [TIES, "sjf", 2, [3, 0, 2, 8], [6, 2, 3, 10], [1, 0, 0, 0], 4],
  // q=1: P2 0-2 (alone), P1 2-3, P3 3-4, P1 4-6, P4 8-10
  [TIES, "round_robin", 1, [2, 0, 3, 8], [6, 2, 4, 10], [1, 0, 1, 0], 5],
  // q=2: P1 0-2; P2 (arrived at 2) before P1: P2 2-4; P3 (arrived at 4) before P2: P1 4-6,
  // P3 6-7, P2 7-8, P1 8-9
  [AT_SLICE_ENDS, "round_robin", 2, [0, 2, 6], [9, 8, 7], [4, 3, 2], 6],
];

export function register({ test, openPage, assert, eq, pg, shot, ROOT }) {
  const P = "[data-panel=proctable]";

  /** Type the rows into the editor with the keyboard alone (Tab between cells). */
  async function typeRows(page, rows) {
    const have = () => page.locator(`${P} .pt-editor tbody tr`).count();
    while ((await have()) < rows.length) {
      await page.focus("#pt-add");
      await page.keyboard.press("Enter");
    }
    while ((await have()) > rows.length) {
      await page.locator(`${P} .pt-editor tbody tr`).last().locator("button").focus();
      await page.keyboard.press("Enter");
    }
    await page.focus(`${P} input[data-row="0"][data-field="name"]`);
    for (const [name, arrival, burst] of rows) {
      for (const v of [name, arrival, burst, 5, 256]) {
        await page.keyboard.press("Control+A");
        await page.keyboard.type(String(v));
        await page.keyboard.press("Tab");
      }
      await page.keyboard.press("Tab"); // past the row's Remove button
    }
  }

  async function run(page, policy, quantum) {
    await page.selectOption("#pt-policy", policy);
    await page.fill("#pt-quantum", String(quantum));
    await page.click("#pt-run");
    await page.waitForSelector("#pt-answers");
  }

  const column = (page, col) => page.$$eval(`#pt-answers tbody tr[data-job] td[data-col="${col}"]`, (tds) => tds.map((t) => Number(t.textContent)));

  test("process tables: FCFS, SJF and RR typed by keyboard match hand-worked answers", async ({ browser, url }) => {
    const { ctx, page, problems } = await openPage(browser, url);
    let lastRows = null;
    for (const [rows, policy, q, start, finish, waiting, segs] of CASES) {
      if (lastRows !== rows) await typeRows(page, rows);
      lastRows = rows;
      await run(page, policy, q);
      const label = `${policy} q=${q} on ${rows.map((r) => r.join(":")).join(" ")}`;
      eq(JSON.stringify(await column(page, "start")), JSON.stringify(start), `${label}: start`);
      eq(JSON.stringify(await column(page, "finish")), JSON.stringify(finish), `${label}: finish`);
      eq(JSON.stringify(await column(page, "waiting")), JSON.stringify(waiting), `${label}: waiting`);
      const arr = rows.map((r) => r[1]), burst = rows.map((r) => r[2]);
      eq(JSON.stringify(await column(page, "turnaround")), JSON.stringify(finish.map((f, i) => f - arr[i])), `${label}: turnaround`);
      eq(JSON.stringify(await column(page, "response")), JSON.stringify(start.map((s, i) => s - arr[i])), `${label}: response`);
      const avgW = waiting.reduce((a, b) => a + b, 0) / waiting.length;
      eq(Number(await page.textContent('#pt-answers [data-avg="waiting"]')), Number(avgW.toFixed(2)), `${label}: average waiting`);
      eq(await page.locator(`${P} svg.pt-gantt rect[data-segment]`).count(), segs, `${label}: Gantt segments`);
      void burst;
    }
    // the rules are on the page
    const rules = await page.textContent(`${P} .pt-rules`);
    assert(rules.includes("enters the queue before the job whose slice ended at t"), "RR rule stated");
    assert(rules.includes("earlier arrival, then to the earlier row"), "tie rule stated");
    // a bad cell is refused with its path; the last answers stay
    await page.fill(`${P} input[data-row="0"][data-field="burst"]`, "-3");
    await page.click("#pt-run");
    const err = await page.textContent("#pt-error");
    assert(err.includes("rows[0].burst") && err.includes("-3"), `bad burst named: ${err}`);
    // random rows are the same for the same seed and differ for another
    const values = () => page.$$eval(`${P} .pt-editor input`, (is) => is.map((i) => i.value).join(","));
    await page.fill("#pt-seed", "7");
    await page.click("#pt-random");
    const a = await values();
    await page.fill("#pt-seed", "8");
    await page.click("#pt-random");
    const b = await values();
    await page.fill("#pt-seed", "7");
    await page.click("#pt-random");
    eq(await values(), a, "the same seed gives the same rows");
    assert(a !== b, "another seed gives other rows");
    await shot(page, "proctable");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });

  test("process tables: MLFQ with mlfq.py's -Q/-A/-B matches hand-worked answers and states its rules", async ({ browser, url }) => {
    const { ctx, page, problems } = await openPage(browser, url);
    // Hand-worked in tests/mlfq_ostep.rs: -Q 10,10 -A 1,1. A 0-10, C 10-20 at the top; bottom
    // [A, C]; A runs from 20, B arrives at 25 and preempts it; A keeps the head with 5 ms left:
    // B 25-35, A 35-40, C 40-50, A 50-60, C 60-70, A 70-80, C 80-90.
    await typeRows(page, [["A", 0, 40], ["C", 0, 40], ["B", 25, 10]]);
    await page.selectOption("#pt-policy", "mlfq");
    assert(await page.isVisible("#pt-mlfq-quanta"), "the -Q input shows for MLFQ");
    await page.fill("#pt-mlfq-levels", "2");
    await page.fill("#pt-mlfq-quanta", "10,10");
    await page.fill("#pt-mlfq-allotments", "1,1");
    await run(page, "mlfq", 10);
    eq(JSON.stringify(await column(page, "start")), JSON.stringify([0, 10, 25]), "mlfq: start");
    eq(JSON.stringify(await column(page, "finish")), JSON.stringify([80, 90, 35]), "mlfq: finish");
    // With -B 30: as above to 30, B at the top from 25. Boost at 30: B (mid-quantum, the top's
    // head) keeps its place, then the bottom's A, C; every quantum becomes allotment[top] = 1:
    // B 30-31, A 31-32, C 32-33, all drop: bottom [B, A, C]. B 33-37 done, A 37-47, C 47-57,
    // A 57-60; boost at 60: A 60-61, C 61-62 (1 tick each), A 62-72 done, C 72-90 done.
    await page.fill("#pt-mlfq-boost", "30");
    await run(page, "mlfq", 10);
    eq(JSON.stringify(await column(page, "finish")), JSON.stringify([72, 90, 37]), "mlfq -B 30: finish");
    const rules = await page.textContent("#pt-mlfq-rules");
    for (const phrase of ["keeps the head of its queue", "then come the bottom queue's jobs", "bottom queue keeps it", "paused and resumed VM stands for a job blocking for I/O"]) {
      assert(rules.includes(phrase), `MLFQ rule stated: ${phrase}`);
    }
    // A bad list entry is refused naming it; the answers stay.
    await page.fill("#pt-mlfq-quanta", "10,x");
    await page.click("#pt-run");
    const err = await page.textContent("#pt-error");
    assert(err.includes("mlfqQuantaMs[1]"), `bad quantum named: ${err}`);
    eq(JSON.stringify(await column(page, "finish")), JSON.stringify([72, 90, 37]), "answers unchanged");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });

  test("process tables: predict mode marks a wrong cell wrong and a right cell right", async ({ browser, url }) => {
    const { ctx, page, problems } = await openPage(browser, url);
    await typeRows(page, STAGGERED);
    await page.check("#pt-predict");
    await run(page, "round_robin", 4);
    const shown = await page.$$eval("#pt-answers tbody td[data-col=finish]", (tds) => tds.map((t) => t.textContent));
    assert(shown.every((s) => !/\d/.test(s)), `answers hidden: ${shown}`);
    assert(await page.isHidden(`${P} figure`), "the Gantt chart is hidden while predicting");
    // the hand-worked RR q=4 answers, with P3's finish deliberately wrong (25 instead of 26)
    const mine = { start: [0, 4, 8, 12], finish: [20, 8, 25, 25], waiting: [12, 3, 15, 17] };
    for (const [col, vals] of Object.entries(mine)) {
      for (let i = 0; i < vals.length; i++) await page.fill(`#pt-cell-${i}-${col} input`, String(vals[i]));
    }
    await page.click("#pt-check");
    const mark = (i, col) => page.$eval(`#pt-cell-${i}-${col}`, (td) => ({ mark: td.dataset.mark, cls: td.className, text: td.textContent }));
    const wrong = await mark(2, "finish");
    eq(wrong.mark, "wrong", "P3 finish marked");
    assert(wrong.cls.includes("wrong") && wrong.text.includes("wrong") && wrong.text.includes("26"), `wrong cell says so in words: ${JSON.stringify(wrong)}`);
    const right = await mark(3, "finish");
    eq(right.mark, "right", "P4 finish marked");
    assert(right.cls.includes("right") && right.text.includes("right"), `right cell says so in words: ${JSON.stringify(right)}`);
    eq((await page.textContent("#pt-score")).trim(), "11 of 12 cells right.", "score");
    await shot(page, "proctable-predict");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });

  test("process tables: CSV, SVG and PNG downloads happen and parse; axe finds no violations", async ({ browser, url }) => {
    const { ctx, page, problems } = await openPage(browser, url);
    await typeRows(page, STAGGERED);
    await run(page, "round_robin", 4);
    const save = async (sel) => {
      const [d] = await Promise.all([page.waitForEvent("download"), page.click(sel)]);
      return { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
    };
    const csv = await save("#pt-csv");
    const lines = csv.bytes.toString("utf8").trim().split(/\r\n/);
    eq(lines.length, 1 + STAGGERED.length + 1, "CSV lines: header, jobs, average");
    eq(lines[0], "name,arrival,burst,start,finish,response,turnaround,waiting", "CSV header");
    eq(lines[3], "P3,2,9,8,26,6,24,15", "CSV row of P3 (hand-worked)");
    eq(lines[5].split(",")[7], "11.75", "CSV average waiting (47/4)");
    const svgFile = await save("#pt-svg");
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, "image/svg+xml");
      return { err: doc.getElementsByTagName("parsererror").length, root: doc.documentElement.nodeName, segs: doc.querySelectorAll("rect[data-segment]").length };
    }, svgFile.bytes.toString("utf8"));
    eq(parsed.err, 0, "SVG parses");
    eq(parsed.root, "svg", "SVG root");
    eq(parsed.segs, 8, "one rect per segment (RR q=4 has 8)");
    const png = await save("#pt-png");
    eq(png.bytes.subarray(0, 8).toString("hex"), "89504e470d0a1a0a", "PNG signature");
    eq(png.bytes.subarray(12, 16).toString("latin1"), "IHDR", "PNG IHDR");
    const w = png.bytes.readUInt32BE(16), h = png.bytes.readUInt32BE(20);
    const svgW = Number(await page.getAttribute(`${P} svg.pt-gantt`, "width"));
    eq(w, svgW * 2, "PNG width = 2 × the SVG's");
    const decoded = await page.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bytes], { type: "image/png" }));
      return [bmp.width, bmp.height];
    }, png.bytes.toString("base64"));
    eq(JSON.stringify(decoded), JSON.stringify([w, h]), "PNG decodes with its dimensions");
    // axe on the panel, with answers, and in predict mode after a check
    const axe = fs.readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
    await page.evaluate(axe);
    const scan = async (what) => {
      const r = await page.evaluate((sel) => window.axe.run({ include: [[sel]] }, { resultTypes: ["violations"] }), P);
      const report = r.violations.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
      eq(report.length, 0, `axe violations:\n  ${report.join("\n  ")}`);
    };
    await scan("answers");
    await page.check("#pt-predict");
    await page.click("#pt-check");
    await scan("predict");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });
}
