// circuits.mjs: end-to-end tests of the Circuits panel (www/js/panels/circuits.js). tests/e2e/run.mjs
// registers them with its helpers and runs them in the one browser it launched. The numbers
// read from the page are checked against simulateCircuits run here, in Node, on the same inputs.
import fs from "node:fs";
import path from "node:path";

export function register({ test, openPage, assert, eq, shot, pg, ROOT }) {
  const P = "[data-panel=circuits]";
  const bx = () => import(path.join(ROOT, "pkg/index.mjs"));
  const dose = () => import(path.join(ROOT, "www/js/circuits/dose.js"));
  /** The host's steady state without circuits, which the panel's runs start from. */
  const steady = async () => (await dose()).hostSteady(await bx());
  const num = (v, d = 4) => Number(v.toPrecision(d)).toString(); // as the panel formats

  async function openLibrary(page) {
    await page.locator(P).scrollIntoViewIfNeeded();
    await page.focus("#circuits-open");
    await page.keyboard.press("Enter");
    await page.waitForSelector(`${P}[data-ready="true"]`, { timeout: 20_000 });
  }

  async function axeScan(page, what) {
    if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(fs.readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8"));
    const r = await page.evaluate((sel) => window.axe.run({ include: [[sel]] }, { resultTypes: ["violations"] }), P);
    const report = r.violations.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    eq(report.length, 0, `axe violations:\n  ${report.join("\n  ")}`);
  }

  test("circuits: the toggle's diagram, a run on the bare host matching simulateCircuits in Node, SBML", async ({ browser, url }) => {
    const { ctx, page, problems } = await openPage(browser, url);
    await openLibrary(page);
    const api = await bx();
    const lib = Object.fromEntries(api.getSupportedCircuits().map((c) => [c.id, c]));
    const ids = await page.$$eval("#circuit-pick option", (os) => os.map((o) => o.value));
    for (const id of Object.keys(lib)) assert(ids.includes(id), `${id} offered`);
    await page.selectOption("#circuit-pick", "toggle");
    assert((await page.textContent("#circuit-teaches")).includes(lib.toggle.teaches), "teaches sentence shown");
    eq(await page.locator("#circuit-sources li").count(), lib.toggle.sources.length, "sources listed");
    // the diagram: one edge per regulation (3), all repressions drawn with a bar, IPTG on two
    const svg = "#circuit-svg";
    eq(await page.locator(`${svg} g[data-edge]`).count(), 3, "edges of the toggle");
    eq(await page.locator(`${svg} [data-glyph="bar"]`).count(), 3, "bar ends");
    eq(await page.locator(`${svg} [data-glyph="arrow"]`).count(), 0, "arrow ends");
    eq(await page.locator(`${svg} g[data-gene]`).count(), 3, "gene arrows");
    eq(await page.locator(`${svg} g[data-inducer="IPTG"]`).count(), 2, "IPTG acts on LacI's two edges");
    const label = await page.getAttribute(svg, "aria-label");
    assert(label.includes("lacI represses tetR") && label.includes("IPTG inactivates lacI") && label.includes("aTc inactivates tetR"), `described in words: ${label}`);
    // inducer controls: one row per inducer the toggle uses
    const rows = await page.$$eval("#circuit-inducers .circuit-inducer", (rs) => rs.map((r) => r.dataset.inducer));
    eq(JSON.stringify(rows.sort()), JSON.stringify(["IPTG", "aTc"]), "inducer controls");
    const fill = async (name, field, v) => page.fill(`#circuit-inducers input[data-inducer="${name}"][data-field="${field}"]`, String(v));
    await fill("IPTG", "level", 1000);
    await fill("IPTG", "from", 120);
    await fill("IPTG", "until", 300);
    await fill("aTc", "level", 0);
    await page.fill("#circuit-tend", "900");
    await page.fill("#circuit-points", "91");
    await page.focus("#circuit-run");
    await page.keyboard.press("Enter");
    await page.waitForSelector("#circuit-table");
    eq(await page.locator("#circuit-protein-chart canvas").count(), 1, "protein chart drawn");
    eq(await page.locator("#circuit-activity-chart canvas").count(), 1, "activity chart drawn");
    const ref = api.simulateCircuits({ circuits: [lib.toggle.circuit], inducers: { IPTG: [[120, 1000], [300, 0]] }, tEndMin: 900, points: 91, initial: await steady() });
    const last = ref.t.length - 1;
    for (const g of ref.circuits[0].genes) {
      for (const [field, v] of [["protein", g.protein[last]], ["mrna", g.mrna[last]], ["activity", g.activity[last]]]) {
        const cell = page.locator(`#circuit-table tr[data-gene="${g.name}"] td[data-field="${field}"]`);
        eq(Number(await cell.getAttribute("data-value")), v, `${g.name} ${field} (value)`);
        eq((await cell.textContent()).trim(), num(v), `${g.name} ${field} (shown)`);
      }
    }
    eq(Number(await page.getAttribute("#circuit-growth", "data-value")), ref.growthRate[last], "growth");
    // the pulse flipped the toggle and it stayed flipped after IPTG was washed out at 300 min
    const gfp = ref.circuits[0].genes.find((g) => g.name === "gfp");
    assert(gfp.protein[last] > 10 * ref.circuits[0].genes.find((g) => g.name === "lacI").protein[last], "the toggle holds the TetR/GFP state");
    assert((await page.textContent("#circuit-table caption")).includes("IPTG 1000 µM from 120 min, then 0 µM from 300 min"), "the protocol is in the caption");
    // SBML download
    const [d] = await Promise.all([page.waitForEvent("download"), page.click("#circuit-sbml")]);
    const xml = fs.readFileSync(await d.path(), "utf8");
    eq(xml, api.toSbml({ circuits: [lib.toggle.circuit], inducers: { IPTG: [[120, 1000], [300, 0]] }, tEndMin: 900, points: 91, initial: await steady() }), "SBML is the package's for the same run");
    assert(d.suggestedFilename().endsWith(".sbml.xml"), d.suggestedFilename());
    await page.locator("#circuit-diagram").screenshot({ path: path.join(ROOT, "test-results/circuits-toggle-diagram.png") });
    await page.selectOption("#circuit-pick", "repressilator");
    eq(await page.getAttribute(svg, "data-shape"), "ring", "the repressilator is a ring");
    eq(await page.locator(`${svg} g[data-edge]`).count(), 3, "edges of the repressilator");
    await page.locator("#circuit-diagram").screenshot({ path: path.join(ROOT, "test-results/circuits-repressilator-diagram.png") });
    await page.selectOption("#circuit-pick", "self-activator");
    eq(await page.locator(`${svg} g[data-edge][data-self="true"] [data-glyph="arrow"]`).count(), 1, "a self-activation loop with an arrow end");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });

  test("circuits: presets that teach: toggle memory holds after the pulse, hidden coupling, the tipping point peaks", async ({ browser, url }) => {
    const { ctx, page, problems } = await openPage(browser, url);
    await openLibrary(page);
    const api = await bx();
    const lib = Object.fromEntries(api.getSupportedCircuits().map((c) => [c.id, c]));
    await page.click('button[data-circuit-preset="toggle-memory"]');
    await page.waitForSelector("#circuit-table");
    eq(await page.inputValue("#circuit-pick"), "toggle", "the preset picked the toggle");
    const ref = api.simulateCircuits({ circuits: [lib.toggle.circuit], inducers: { IPTG: [[200, 1000], [560, 0]] }, tEndMin: 1400, points: 201, initial: await steady() });
    const value = async (gene) => Number(await page.getAttribute(`#circuit-table tr[data-gene="${gene}"] td[data-field="protein"]`, "data-value"));
    const gfp = ref.circuits[0].genes.find((g) => g.name === "gfp").protein;
    eq(await value("gfp"), gfp[200], "gfp at 1400 min");
    assert(gfp[200] > 10_000 && (await value("lacI")) < 100, `on after the pulse: gfp ${gfp[200]}`);
    assert(Math.abs(gfp[200] / gfp[120] - 1) < 1e-3, "and not drifting (840 → 1400 min)");
    assert((await page.textContent("#circuit-preset-note")).includes("remembers"), "what to look for is said");
    // hidden coupling: the reporter (circuit 2) makes less once IPTG induces lac (circuit 1)
    await page.click('button[data-circuit-preset="hidden-coupling"]');
    await page.waitForSelector('#circuit-table tr[data-circuit="1"]');
    eq(await page.locator("#circuit-companion-svg g[data-gene]").count(), 1, "the reporter's diagram beside lac's");
    const both = { circuits: [lib.lac.circuit, lib.reporter.circuit], tEndMin: 900, points: 201, initial: await steady() };
    const induced = api.simulateCircuits({ ...both, inducers: { IPTG: [[300, 1000]] } });
    const plain = api.simulateCircuits({ ...both, inducers: {} });
    const shown = Number(await page.getAttribute('#circuit-table tr[data-circuit="1"][data-gene="gfp"] td[data-field="protein"]', "data-value"));
    eq(shown, induced.circuits[1].genes[0].protein[200], "the reporter's protein as simulateCircuits gives it");
    assert(shown < 0.95 * plain.circuits[1].genes[0].protein[200], `silenced: ${shown} vs ${plain.circuits[1].genes[0].protein[200]} without IPTG`);
    await page.locator(P).screenshot({ path: path.join(ROOT, "test-results/circuits-hidden-coupling.png") });
    await axeScan(page, "two circuits sharing the host");
    await page.selectOption("#circuit-companion", "");
    eq(await page.locator('#circuit-table').count(), 0, "results cleared when the host's company changes");
    await page.click('button[data-circuit-preset="tipping-point"]');
    await page.waitForFunction(() => document.querySelector("#circuit-dose").dataset.running === "false" && document.querySelectorAll("#cd-table tbody tr").length === 12, null, { timeout: 30_000 });
    const out = await page.$$eval("#cd-table tbody tr", (trs) => trs.map((t) => Number(t.querySelectorAll("td")[1].dataset.value)));
    const growth = await page.$$eval("#cd-table tbody tr", (trs) => trs.map((t) => Number(t.querySelectorAll("td")[2].dataset.value)));
    const peak = out.indexOf(Math.max(...out));
    assert(peak > 0 && peak < out.length - 1, `output peaks inside the range: ${out.map((v) => v.toFixed(0))}`);
    for (let i = 1; i < growth.length; i++) assert(growth[i] < growth[i - 1], `growth falls at level ${i}`);
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });

  test("circuits: a pasted circuit's error names its path; a good one is drawn and runs", async ({ browser, url }) => {
    const { ctx, page, problems } = await openPage(browser, url);
    await openLibrary(page);
    await page.click("summary:has-text('The circuit as JSON')");
    const bad = { name: "mine", genes: [{ name: "a", w: 5, length: 200, regulation: [{ by: "ghost", mode: "repress", K: 10, n: 2 }] }] };
    await page.fill("#circuit-json", JSON.stringify(bad));
    await page.click("#circuit-use");
    await page.waitForSelector("#circuit-error:not([hidden])");
    const err = await page.textContent("#circuit-error");
    assert(err.includes("INVALID_ARGUMENT") && err.includes("genes[0].regulation[0].by"), `error with its path: ${err}`);
    await page.fill("#circuit-json", "{ not json");
    await page.click("#circuit-use");
    assert((await page.textContent("#circuit-error")).includes("not JSON"), "a JSON syntax error");
    const good = { name: "mine", genes: [{ name: "a", w: 5, length: 200 }, { name: "b", w: 8, length: 250, regulation: [{ by: "a", mode: "activate", K: 100, n: 2 }] }] };
    await page.fill("#circuit-json", JSON.stringify(good));
    await page.click("#circuit-use");
    assert(await page.isHidden("#circuit-error"), "error cleared");
    eq(await page.inputValue("#circuit-pick"), "custom", "now a custom circuit");
    eq(await page.locator("#circuit-svg [data-glyph='arrow']").count(), 1, "one activation");
    await page.click("#circuit-run");
    await page.waitForSelector("#circuit-table");
    const api = await bx();
    const ref = api.simulateCircuits({ circuits: [good], inducers: {}, tEndMin: 600, points: 201, initial: await steady() });
    const b = ref.circuits[0].genes[1];
    eq(Number(await page.getAttribute('#circuit-table tr[data-gene="b"] td[data-field="protein"]', "data-value")), b.protein[200], "b's protein");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });

  test("circuits: the dose response runs in a worker, the page stays responsive, Cancel stops it; axe at 1280 and 390 px", async ({ browser, url }) => {
    for (const [w, h] of [[1280, 800], [390, 844]]) {
      const { ctx, page, problems } = await openPage(browser, url, { width: w, height: h });
      await openLibrary(page);
      await page.selectOption("#circuit-pick", "lac");
      await page.click("#circuit-run");
      await page.waitForSelector("#circuit-table");
      await page.selectOption("#cd-what", "inducer:IPTG");
      await page.fill("#cd-lo", "1");
      await page.fill("#cd-hi", "10000");
      await page.fill("#cd-n", "5");
      await page.click("#cd-start");
      // while it runs the main thread answers at once
      const t0 = Date.now();
      await pg(page, () => window.__playground.nowMs());
      assert(Date.now() - t0 < 1000, "the page answered while the sweep ran");
      await page.waitForFunction(() => document.querySelector("#circuit-dose").dataset.done, null, { timeout: 30_000 });
      eq(await page.locator("#cd-table tbody tr").count(), 5, "a row per level");
      const api = await bx();
      const lib = Object.fromEntries(api.getSupportedCircuits().map((c) => [c.id, c]));
      const { logLevels } = await dose();
      const level = logLevels(1, 10000, 5)[2];
      const r = api.simulateCircuits({ circuits: [lib.lac.circuit], inducers: { IPTG: [[0, level]] }, tEndMin: 3000, points: 2, initial: await steady() });
      const g = r.circuits[0].genes.find((x) => x.name === "gfp");
      const out = await page.$$eval("#cd-table tbody tr", (trs) => trs.map((t) => Number(t.querySelectorAll("td")[1].dataset.value)));
      eq(out[2], r.growthRate[1] * g.protein[1], "output λ·p at 100 µM (level 3 of 1..10000)");
      eq(await page.locator("#circuit-dose-chart canvas").count(), 1, "dose chart drawn");
      if (w < 800) {
        const sw = await page.evaluate(() => document.documentElement.scrollWidth);
        assert(sw <= w, `page is ${sw} px wide at ${w}`);
      }
      await page.locator(P).screenshot({ path: path.join(ROOT, `test-results/circuits-panel-${w}.png`) });
      await axeScan(page, `${w} px`);
      // a long sweep (the repressilator oscillates: every level takes many steps), cancelled
      await page.selectOption("#circuit-pick", "repressilator");
      await page.selectOption("#cd-what", "w:lacI");
      await page.fill("#cd-n", "200");
      await page.fill("#cd-settle", "200000");
      await page.click("#cd-start");
      eq(await page.getAttribute("#circuit-dose", "data-running"), "true", "running");
      await page.click("#cd-cancel");
      eq(await page.getAttribute("#circuit-dose", "data-running"), "false", "cancelled");
      assert((await page.textContent("#cd-status")).startsWith("Cancelled"), await page.textContent("#cd-status"));
      await page.waitForTimeout(300);
      assert((await page.textContent("#cd-status")).startsWith("Cancelled"), "nothing arrives after Cancel");
      eq(problems.length, 0, problems.join(" | "));
      await ctx.close();
    }
  });
}

export function registerVms({ test, openPage, assert, eq, pg, ROOT }) {
  const P = "[data-panel=circuits]";
  const bx = () => import(path.join(ROOT, "pkg/index.mjs"));
  const session = () => import(path.join(ROOT, "www/js/session.js"));

  async function axeScan(page, what) {
    if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(fs.readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8"));
    const r = await page.evaluate((sel) => window.axe.run({ include: [[sel]] }, { resultTypes: ["violations"] }), P);
    const report = r.violations.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    eq(report.length, 0, `axe violations:\n  ${report.join("\n  ")}`);
  }
  const press = async (page, sel) => { await page.focus(sel); await page.keyboard.press("Enter"); };
  const stepHours = async (page, n) => {
    await page.selectOption("#step-size", "3600000");
    for (let i = 0; i < n; i++) await page.click("#step");
  };
  const cell = (page, vm, gene, field) => page.getAttribute(`.circuit-vm-table[data-vm="${vm}"] tr[data-gene="${gene}"] td[data-field="${field}"]`, "data-value").then(Number);
  /** A gene's protein once the VM table has caught up with the clock: the package's replay of
   * the page's session gives the value, and the table (redrawn on a later frame) must show it. */
  const settledProtein = async (page, vm, gene) => {
    const api = await bx();
    const { replay, parseSession } = await session();
    const { h } = replay(api, parseSession(JSON.stringify(await pg(page, () => window.__playground.session())), api));
    const v = h.metrics().kinetic.perVm.find((x) => x.vmId === vm).geneClasses.find((g) => g.group === gene).protein;
    h.free();
    await page.waitForFunction(
      ([vm, gene, v]) => Number(document.querySelector(`.circuit-vm-table[data-vm="${vm}"] tr[data-gene="${gene}"] td[data-field="protein"]`)?.dataset.value) === v,
      [vm, gene, v],
      { timeout: 30_000 },
    );
    return v;
  };

  test("circuits: a toggle VM from the panel, an inducer control, the medium and chart, the recorded op, a share link, a rewind and redo; axe at 1280 and 390 px", async ({ browser, url }) => {
    const { ctx, page, problems } = await openPage(browser, url);
    await page.locator(P).scrollIntoViewIfNeeded();
    await press(page, "#circuits-open");
    await page.waitForSelector(`${P}[data-ready="true"]`, { timeout: 20_000 });
    await page.selectOption("#circuit-pick", "toggle");
    // the page starts on the simple machinery: the panel says so and offers the switch
    assert((await page.textContent("#circuit-vm-note")).includes("simple machinery"), "the simple machinery is named");
    assert(await page.isDisabled("#circuit-vm-create"), "no circuit VM on the simple machinery");
    await press(page, "#circuit-vm-switch");
    await page.waitForFunction(() => window.__playground.session().options.machinery === "kinetic", null, { timeout: 20_000 });
    await page.waitForSelector("#circuit-vm-create:not([disabled])");
    eq(await page.inputValue("#circuit-vm-id"), "toggle1", "an id after the circuit");
    await press(page, "#circuit-vm-create");
    await page.waitForSelector("#circuit-vms:not([hidden])");
    const ops0 = (await pg(page, () => window.__playground.session())).ops;
    eq(JSON.stringify(ops0.slice(-2).map((o) => [o.op, o.vmId, o.config?.circuit ?? null])), JSON.stringify([["createVm", "toggle1", "toggle"], ["startVm", "toggle1", null]]), "createVm with the library id, then startVm");
    await stepHours(page, 2);
    await page.waitForFunction(() => Number(document.querySelector('.circuit-vm-chart[data-vm="toggle1"]')?.dataset.points) > 100);
    eq(await page.locator('.circuit-vm-chart[data-vm="toggle1"] canvas').count(), 1, "the VM's protein chart");
    const points2h = Number(await page.getAttribute('.circuit-vm-chart[data-vm="toggle1"]', "data-points"));
    const gfp2h = await settledProtein(page, "toggle1", "gfp");
    // one control per inducer the toggle uses
    const names = await page.$$eval("#circuit-vm-inducers form", (fs) => fs.map((f) => f.dataset.inducer).sort());
    eq(JSON.stringify(names), JSON.stringify(["IPTG", "aTc"]), "inducer controls");
    assert((await page.textContent("#circuit-medium")).includes("nothing added"), "an empty medium");
    const input = '#circuit-vm-inducers form[data-inducer="IPTG"] input';
    await page.fill(input, "1000");
    await page.focus(input);
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector("#circuit-medium").textContent.includes("IPTG 1000 µM"));
    eq(JSON.stringify(await pg(page, () => window.__playground.medium())), JSON.stringify({ IPTG: 1000 }), "the package's medium");
    const s1 = await pg(page, () => window.__playground.session());
    eq(JSON.stringify(s1.ops.at(-1)), JSON.stringify({ atMs: 2 * 3_600_000, op: "setInducer", name: "IPTG", value: 1000 }), "recorded as a setInducer op");
    await stepHours(page, 4);
    await page.waitForFunction((n) => Number(document.querySelector('.circuit-vm-chart[data-vm="toggle1"]').dataset.points) > n, points2h);
    const gfp6h = await settledProtein(page, "toggle1", "gfp");
    assert(gfp6h > 20 * Math.max(1, gfp2h), `IPTG flipped the toggle: gfp ${gfp2h} → ${gfp6h}`);
    // the numbers are the package's replay of the recorded session
    const api = await bx();
    const { replay, parseSession } = await session();
    const s6 = await pg(page, () => window.__playground.session());
    const { h } = replay(api, parseSession(JSON.stringify(s6), api));
    const want = h.metrics().kinetic.perVm.find((v) => v.vmId === "toggle1").geneClasses;
    h.free();
    for (const g of want) {
      eq(await cell(page, "toggle1", g.group, "protein"), g.protein, `${g.group} protein`);
      eq(await cell(page, "toggle1", g.group, "activity"), g.activity, `${g.group} activity`);
      eq(await cell(page, "toggle1", g.group, "production"), g.productionPerMin, `${g.group} production`);
    }
    // a share link carries the circuit VM and the inducer step
    await page.click("#share");
    await page.waitForSelector("#share-field:not([hidden])");
    const link = await page.inputValue("#share-url");
    const b = await openPage(browser, link);
    await b.page.waitForSelector("#circuit-vms:not([hidden])", { timeout: 20_000 });
    const sb = await pg(b.page, () => window.__playground.session());
    eq(JSON.stringify(sb.ops), JSON.stringify(s6.ops), "the same operations");
    eq(JSON.stringify(await pg(b.page, () => window.__playground.medium())), JSON.stringify({ IPTG: 1000 }), "the same medium");
    // The opened page replays the session to its end (it does not play on), then its table
    // redraws on a later frame: wait for both, without swallowing a timeout, then compare with
    // the page the link came from and with the package's replay of the opened page's session.
    eq(sb.endMs, s6.endMs, "the link's session ends where the page stood");
    await b.page.waitForFunction((t) => window.__playground.nowMs() === t, s6.endMs, { timeout: 30_000 });
    const hb = replay(api, parseSession(JSON.stringify(sb), api)).h;
    const wantB = hb.metrics().kinetic.perVm.find((v) => v.vmId === "toggle1").geneClasses.find((g) => g.group === "gfp").protein;
    hb.free();
    eq(wantB, gfp6h, "the link's session replays to the gfp the page showed");
    await b.page.waitForFunction(
      (v) => Number(document.querySelector('.circuit-vm-table[data-vm="toggle1"] tr[data-gene="gfp"] td[data-field="protein"]')?.dataset.value) === v,
      gfp6h,
      { timeout: 30_000 },
    );
    eq(await pg(b.page, () => window.__playground.nowMs()), s6.endMs, "the opened page is still at the link's time");
    eq(b.problems.length, 0, b.problems.join(" | "));
    await b.ctx.close();
    // rewind to before the inducer step: no IPTG; playing on redoes the recorded op
    for (let i = 0; i < 5; i++) await page.click("#step-back");
    eq(await pg(page, () => window.__playground.nowMs()), 3_600_000, "rewound to 1 h");
    eq(JSON.stringify(await pg(page, () => window.__playground.medium())), "{}", "no IPTG before 2 h");
    await page.waitForFunction(() => document.querySelector("#circuit-medium").textContent.includes("nothing added"));
    for (let i = 0; i < 5; i++) await page.click("#step");
    eq(JSON.stringify(await pg(page, () => window.__playground.medium())), JSON.stringify({ IPTG: 1000 }), "the inducer step redone");
    eq(JSON.stringify((await pg(page, () => window.__playground.session())).ops), JSON.stringify(s6.ops), "the same operations after the redo");
    await page.waitForFunction((v) => Number(document.querySelector('.circuit-vm-table[data-vm="toggle1"] tr[data-gene="gfp"] td[data-field="protein"]').dataset.value) === v, gfp6h);
    await axeScan(page, "1280 px");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(300);
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(sw <= 390, `page is ${sw} px wide at 390`);
    await page.locator("#circuit-vms").screenshot({ path: path.join(ROOT, "test-results/circuits-vm-390.png") });
    await axeScan(page, "390 px");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });

  test("circuits: a VM preset from the panel loads its session, plays it, and its medium controls show", async ({ browser, url }) => {
    const { ctx, page, problems } = await openPage(browser, url);
    await page.locator(P).scrollIntoViewIfNeeded();
    await press(page, 'button[data-circuit-vm-preset="circuit-winner-takes-all"]');
    await page.waitForSelector("#circuit-vms:not([hidden])", { timeout: 20_000 });
    eq(await pg(page, () => window.__playground.engine()), "full", "the kinetic machinery on the full build");
    const s = await pg(page, () => window.__playground.session());
    eq(s.meta.preset, "circuit-winner-takes-all", "the preset's session");
    eq(JSON.stringify(s.ops.filter((o) => o.op === "setInducer")), JSON.stringify([{ atMs: 0, op: "setInducer", name: "inducer", value: 1500 }]), "inducer from t = 0");
    eq(await page.locator(".circuit-vm-chart").count(), 2, "a chart per circuit VM");
    assert((await page.textContent("#circuit-medium")).includes("inducer 1500 µM"), "the medium shown");
    await page.waitForFunction(() => window.__playground.nowMs() > 3_600_000, null, { timeout: 20_000 });
    await pg(page, () => window.__playground.play(false));
    assert((await page.textContent("#h-lesson")).includes("Winner takes all"), "the lesson is the preset's");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });
}
