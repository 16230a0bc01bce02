// tabs.mjs: the end-to-end tests of share links, of two tabs keeping their own sessions, of
// storage that is full or missing, and the axe-core accessibility scans. tests/e2e/run.mjs
// registers them with its helpers and runs them in the one browser it launched.
//
// The share-link tests serve the playground from a sub-path (/play/, the package still at
// /pkg/), so links are checked to follow the page's own address.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { startServer } from "../../scripts/serve.mjs";

/** The JSON envelope inside a share URL (decoded in Node, independently of the page). */
export function linkJson(url) {
  const body = url.slice(url.indexOf("#s=") + 3);
  return zlib.inflateSync(Buffer.from(body, "base64url")).toString("utf8");
}

const b64url = (buf) => Buffer.from(buf).toString("base64url");

export function register(test, h) {
  const { ROOT, OUT, openPage, ready, pg, createVm, play, assert, eq, shot } = h;
  let sub = null; // the sub-path server, started by the first test that needs it
  const subUrl = async () => {
    if (!sub) {
      sub = await startServer({ root: path.join(ROOT, "www"), mounts: { "/play/": path.join(ROOT, "www"), "/pkg/": path.join(ROOT, "pkg") } });
      process.on("exit", () => sub.server.close());
    }
    return `${sub.url}play/`;
  };
  const snapshot = (page) => pg(page, () => ({
    now: window.__playground.nowMs(),
    session: window.__playground.session(),
    trace: window.__playground.trace(),
    script: window.__playground.script(),
    vms: window.__playground.metrics().perVm.map((v) => [v.vmId, v.state, v.machineryTimeMs, v.waitTimeMs, v.contextSwitches, v.cyclesCompleted, v.weight, v.cap]),
  }));
  const copyLink = async (page) => {
    await page.click("#share");
    await page.waitForSelector("#share-field:not([hidden])");
    return page.inputValue("#share-url");
  };
  /** Every bioxen key of localStorage with its value. */
  const stored = (page) => pg(page, () => Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith("bioxen.playground.s")).sort().map((k) => [k, localStorage.getItem(k)])));

  // every preset's link length: tests/js/share.test.mjs (the same code, in Node)
  test("share links: a link round-trips in a fresh context, from a sub-path, under 1,500 characters and without the password", async ({ browser }) => {
    const url = await subUrl();
    const { page, problems, ctx } = await openPage(browser, url);
    // a session with a pending scripted switch and an xcpng VM with a password
    await page.click('button.preset[data-preset="rr-vs-credit"]');
    await play(page, false);
    await page.selectOption("#vm-type", "xcpng");
    await page.fill("#vm-id", "xen1");
    await page.fill("#vm-xapi", "https://xcp.example");
    await page.fill("#vm-user", "root");
    await page.fill("#vm-password", "s3cret-Passw0rd");
    await page.fill("#vm-ssh", "bioxen");
    await page.fill("#vm-ribosomes", "");
    await page.fill("#vm-weight", "");
    await page.click("#create");
    await page.waitForFunction(() => window.__playground.metrics().perVm.some((v) => v.vmId === "xen1"), null, { timeout: 5000 })
      .catch(async () => { throw new Error(`xen1 not created: ${await page.textContent("#create-error")}`); });
    await page.selectOption("#vm-type", "basic");
    await page.selectOption("#step-size", "600000");
    for (let i = 0; i < 3; i++) await page.click("#step");
    const before = await snapshot(page);
    assert(before.script.length === 1 && before.now < before.script[0].atMs, "the scripted switch is still to come");
    const link = await copyLink(page);
    assert(link.startsWith(`${url}#s=`), `the link follows the page's address: ${link.slice(0, 60)}`);
    assert(link.length < 1500, `link of ${link.length} characters`);
    console.log(`     link of rr-vs-credit at t = 30 min with a password VM: ${link.length} characters`);
    const text = linkJson(link);
    assert(text.includes("xen1") && !text.includes("s3cret") && !text.includes("password"), "the link has the VM but no password");

    // a fresh context (no storage of the first) opens it
    const b = await openPage(browser, link);
    const after = await snapshot(b.page);
    eq(JSON.stringify(after.session.ops), JSON.stringify(before.session.ops), "same operations");
    eq(after.now, before.now, "same time");
    eq(after.trace, before.trace, "same Gantt trace");
    eq(JSON.stringify(after.vms), JSON.stringify(before.vms), "same VMs");
    eq(JSON.stringify(after.script), JSON.stringify(before.script), "same scripted operations to come");
    eq(await b.page.evaluate(() => location.hash), "", "the link is taken out of the address");
    assert(await b.page.isVisible("#lesson"), "the preset's lesson is shown");
    assert((await b.page.textContent("#session-status")).includes("Opened a shared link"), "the opening is reported");
    // both go on past the scripted switch the same way
    for (const p of [page, b.page]) {
      await p.selectOption("#step-size", "3600000");
      for (let i = 0; i < 4; i++) await p.click("#step");
    }
    const [x, y] = [await snapshot(page), await snapshot(b.page)];
    eq(y.trace, x.trace, "same trace after the scripted switch");
    eq(JSON.stringify(y.session.ops), JSON.stringify(x.session.ops), "same operations after the scripted switch");
    assert(y.session.ops.some((o) => o.op === "setScheduler" && o.name === "credit"), "the scripted switch happened");
    // a reload of the opened tab restores its autosave, not the link
    await b.page.reload();
    await ready(b.page);
    eq((await snapshot(b.page)).now, y.now, "reload keeps what was done after opening");
    await shot(b.page, "20-share-link-opened", { top: true });
    eq(problems.length + b.problems.length, 0, [...problems, ...b.problems].join(" | "));
    await b.ctx.close();
    await ctx.close();
  });

  test("a tampered or hostile link is refused with a clear error; the autosave survives", async ({ browser }) => {
    const url = await subUrl();
    const a = await openPage(browser, url);
    await createVm(a.page, "keep", { start: true });
    await a.page.click("#step");
    const good = await copyLink(a.page);
    const saved = await stored(a.page);
    const ref = JSON.stringify(await snapshot(a.page));
    const deflated = (text) => "#s=" + b64url(zlib.deflateSync(Buffer.from(text)));
    const env = JSON.parse(linkJson(good));
    const body = good.slice(good.indexOf("#s=") + 3);
    // the codec's every refusal is in tests/js/share.test.mjs; here, each stage once in the page
    const cases = [
      ["bad base64", "#s=ab$cd", /not base64url: character "\$" at position 2/],
      ["cut short", "#s=" + body.slice(0, Math.floor(body.length / 2)), /not deflate data|cut short/],
      ["zip bomb", "#s=" + b64url(zlib.deflateSync(Buffer.alloc(8_000_000, 0x20), { level: 9 })), /expands to more than 1,048,576 bytes/],
      ["not JSON", deflated("{ nope"), /not JSON/],
      ["invalid session", deflated(JSON.stringify({ ...env, session: { ...env.session, chassis: "mars" } })), /session\.chassis/],
      ["refused on replay", deflated(JSON.stringify({ ...env, session: { ...env.session, ops: [...env.session.ops, env.session.ops[0]] } })), /session\.ops\[2\]: createVm was refused on replay: DUPLICATE_VM/],
      ["hostile id", deflated(JSON.stringify({ ...env, session: { ...env.session, ops: [{ atMs: 0, op: "createVm", vmId: "<img src=x onerror=alert(1)>", biologicalType: "syn3a" }] } })), /session\.ops\[0\]: .*INVALID_ID/],
    ];
    // in an open tab (the link pasted into the address bar): nothing changes
    const errText = () => a.page.textContent("#link-error");
    for (const [name, hash, re] of cases) {
      await a.page.evaluate(() => { const e = document.querySelector("#link-error"); e.hidden = true; e.textContent = ""; });
      await a.page.evaluate((x) => { location.hash = x; }, hash);
      await a.page.waitForFunction(() => !document.querySelector("#link-error").hidden, null, { timeout: 10_000 });
      const msg = await errText();
      assert(re.test(msg) && msg.includes("could not be opened") && msg.includes("Nothing was changed"), `${name}: ${msg}`);
      eq(JSON.stringify(await snapshot(a.page)), ref, `${name}: this tab's session is unchanged`);
    }
    eq(await a.page.locator("img").count(), 0, "no element made from the hostile id");
    eq(JSON.stringify(await stored(a.page)), JSON.stringify(saved), "no saved session was touched");
    await shot(a.page, "21-tampered-link-refused", { top: true });
    // on opening a page (a new tab of the same browser): refused, the saved session survives
    const b = await openPage(browser, url + cases[1][1], { context: a.ctx });
    assert((await b.page.textContent("#link-error")).includes("could not be opened"), "refused on opening");
    eq(await pg(b.page, () => window.__playground.session().ops.length), 0, "the new tab starts empty (the saved session is open in the first tab)");
    eq(JSON.stringify(await stored(b.page)), JSON.stringify(saved), "still no saved session touched");
    await b.page.close();
    await a.page.reload();
    await ready(a.page);
    eq(JSON.stringify((await snapshot(a.page)).session.ops), JSON.stringify(JSON.parse(ref).session.ops), "the autosave restores after a reload");
    eq(a.dialogs.length + b.dialogs.length, 0, "no dialogs");
    eq(a.problems.length + b.problems.length, 0, [...a.problems, ...b.problems].join(" | "));
    await a.ctx.close();
  });

  test("two tabs keep their own sessions; a closed tab's session is taken over; a tab asks before saving over a newer version", async ({ browser, url }) => {
    const a = await openPage(browser, url);
    await createVm(a.page, "a1");
    const b = await openPage(browser, url, { context: a.ctx });
    assert((await b.page.textContent("#session-status")).includes("Another tab shows"), "the second tab says it keeps its own session");
    eq(await pg(b.page, () => window.__playground.session().ops.length), 0, "the second tab starts empty");
    await createVm(b.page, "b1");
    await createVm(b.page, "b2");
    const ids = async (p) => pg(p, () => window.__playground.session().ops.filter((o) => o.op === "createVm").map((o) => o.vmId).join(","));
    await b.page.reload();
    await ready(b.page);
    eq(await ids(a.page), "a1", "the first tab's session is its own");
    eq(await ids(b.page), "b1,b2", "the second tab keeps its own over a reload");
    // the other tab's session is listed, and can be opened here as a copy
    await b.page.waitForSelector("#saved-list li");
    assert((await b.page.textContent("#saved-list")).includes("open in another tab"), "the list says the first tab shows it");
    // a tab closed: a new tab takes over its session
    const sidA = await pg(a.page, () => window.__playground.sessionId());
    await a.page.close();
    await b.page.waitForFunction(async (sid) => !(await navigator.locks.query()).held.some((l) => l.name.endsWith(sid)), sidA);
    const c = await openPage(browser, url, { context: a.ctx });
    eq(await ids(c.page), "a1", "a new tab continues the closed tab's session");
    eq(await pg(c.page, () => window.__playground.sessionId()), sidA, "in the same saved slot");
    // another tab saves over b's slot (as a duplicated tab without Web Locks would): b asks first
    const sidB = await pg(b.page, () => window.__playground.sessionId());
    const theirs = await pg(c.page, (sid) => {
      const text = localStorage.getItem(`bioxen.playground.session.v1:${sid}`);
      const stamp = JSON.parse(localStorage.getItem(`bioxen.playground.stamp.v1:${sid}`));
      const other = text.replace(/"b2"/g, "\"b9\"");
      localStorage.setItem(`bioxen.playground.session.v1:${sid}`, other);
      localStorage.setItem(`bioxen.playground.stamp.v1:${sid}`, JSON.stringify({ ...stamp, writer: "another-tab", rev: stamp.rev + 1, savedAt: Date.now() }));
      return other;
    }, sidB);
    await b.page.waitForSelector("#conflict:not([hidden])");
    await b.page.bringToFront(); // a background tab gets few animation frames, which actions wait for
    assert((await b.page.textContent("#conflict")).includes("newer version"), "the conflict is explained");
    await createVm(b.page, "b3");
    const slot = (p, sid) => pg(p, (s) => localStorage.getItem(`bioxen.playground.session.v1:${s}`), sid);
    eq(await slot(b.page, sidB), theirs, "nothing saved over the newer version while the tab asks");
    await shot(b.page, "22-tab-conflict", { top: true });
    await b.page.click("#conflict-both");
    await b.page.waitForSelector("#conflict", { state: "hidden" });
    const sidB2 = await pg(b.page, () => window.__playground.sessionId());
    assert(sidB2 !== sidB, "keep both: this tab goes on in a new slot");
    eq(await slot(b.page, sidB), theirs, "the other version is kept");
    assert((await slot(b.page, sidB2)).includes("b3"), "this tab's version is saved in its new slot");
    // "load the other tab's version" after a second conflict
    await pg(c.page, ([sid, text]) => {
      const stamp = JSON.parse(localStorage.getItem(`bioxen.playground.stamp.v1:${sid}`));
      localStorage.setItem(`bioxen.playground.session.v1:${sid}`, text);
      localStorage.setItem(`bioxen.playground.stamp.v1:${sid}`, JSON.stringify({ ...stamp, writer: "another-tab", rev: stamp.rev + 1, savedAt: Date.now() }));
    }, [sidB2, theirs]);
    await b.page.waitForSelector("#conflict:not([hidden])");
    await b.page.click("#conflict-theirs");
    await b.page.waitForSelector("#conflict", { state: "hidden" });
    eq(await ids(b.page), "b1,b9", "the other tab's version is loaded");
    eq(b.problems.length + c.problems.length, 0, [...b.problems, ...c.problems].join(" | "));
    await a.ctx.close();
  });

  test("storage full or unavailable: the page says so and offers an export", async ({ browser, url }) => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    await ctx.addInitScript(() => {
      const set = Storage.prototype.setItem;
      Storage.prototype.setItem = function (k, v) {
        if (window.__full && this === window.localStorage) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
        return set.call(this, k, v);
      };
    });
    const { page, problems } = await openPage(browser, url, { context: ctx });
    await createVm(page, "s1");
    assert(await page.isHidden("#storage-alert"), "no alert while saving works");
    await page.evaluate(() => { window.__full = true; });
    await createVm(page, "s2");
    await page.waitForSelector("#storage-alert:not([hidden])");
    eq(await page.getAttribute("#storage-alert", "data-code"), "STORAGE_FULL", "the reason");
    assert((await page.textContent("#storage-alert")).includes("full"), "says the storage is full");
    const [dl] = await Promise.all([page.waitForEvent("download"), page.click("#storage-export")]);
    const file = path.join(OUT, "storage-full-export.json");
    await dl.saveAs(file);
    const ex = JSON.parse(fs.readFileSync(file, "utf8"));
    eq(ex.ops.filter((o) => o.op === "createVm").map((o) => o.vmId).join(","), "s1,s2", "the export has the unsaved work");
    await shot(page, "23-storage-full", { top: true });
    await page.evaluate(() => { window.__full = false; });
    await createVm(page, "s3");
    await page.waitForSelector("#storage-alert", { state: "hidden" });
    await ctx.close();
    // no storage at all
    const ctx2 = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await ctx2.addInitScript(() => {
      Object.defineProperty(window, "localStorage", { get() { throw new DOMException("The operation is insecure.", "SecurityError"); } });
    });
    const n = await openPage(browser, url, { context: ctx2 });
    eq(await n.page.getAttribute("#storage-alert", "data-code"), "STORAGE_UNAVAILABLE", "said at once when storage is missing");
    await createVm(n.page, "n1");
    eq(await pg(n.page, () => window.__playground.metrics().perVm.length), 1, "the page works without storage");
    eq(problems.length + n.problems.length, 0, [...problems, ...n.problems].join(" | "));
    await ctx2.close();
  });

  test("axe-core finds no violations at 1280×800 and at 390 px wide", async ({ browser, url }) => {
    const axe = fs.readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
    const report = [];
    const { page, problems, ctx } = await openPage(browser, url, { width: 390, height: 844 });
    await page.evaluate(axe); // through the debugging protocol: the page's CSP allows no inline script
    const scan = async (what) => {
      const r = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
      for (const v of r.violations) report.push(`${what}: ${v.id} (${v.impact}) ${v.help}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("; ")}`);
    };
    await scan("390 px, as a phone opens it (panels folded)");
    await page.click("summary:has(#h-scenarios)");
    await page.click('button.preset[data-preset="greedy-cap"]');
    await page.waitForSelector("#lesson:not([hidden])");
    await page.waitForTimeout(600);
    await play(page, false);
    await page.evaluate(() => { for (const d of document.querySelectorAll("details")) d.open = true; });
    await copyLink(page);
    await page.evaluate(() => { location.hash = "#s=not-a-link"; });
    await page.waitForSelector("#link-error:not([hidden])");
    await scan("390 px, a preset, every panel open, a refused link");
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.waitForTimeout(100);
    await scan("1280×800, the same");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
    eq(report.length, 0, `axe violations:\n  ${report.join("\n  ")}`);
  });
}
