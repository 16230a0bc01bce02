// chassis.mjs: end-to-end tests of a session's custom chassis (a chassis object) in the page:
// an imported session on one replays on a chassis of kind "custom", the chassis panel offers it
// as "custom: name" above the presets with its facts, the machinery heading names it, a share
// link carries it, a bad one is refused naming the path of the bad field, and picking a preset
// replaces it. tests/e2e/run.mjs registers them with its helpers.

const CUSTOM = { base: "textbook", name: "Lean textbook cell", ribosomes: 6000, maxVms: 4, hostReserve: { atp: 0.3 } };

const session = (chassis) => JSON.stringify({
  format: "bioxen-session", version: 1, chassis, scheduler: "credit", options: { seed: 3 },
  ops: [
    { atMs: 0, op: "createVm", vmId: "small", biologicalType: "syn3a", config: { ribosomes: 400 } },
    { atMs: 0, op: "startVm", vmId: "small" },
  ],
  endMs: 600_000,
});

export function register({ test, openPage, assert, eq, pg, shot }) {
  const importText = (page, text, name = "custom.json") =>
    page.setInputFiles("#import", { name, mimeType: "application/json", buffer: Buffer.from(text) });

  test("a session on a custom chassis imports, shows in the chassis panel, and a preset replaces it", async ({ browser, url }) => {
    const { page, problems, ctx } = await openPage(browser, url);
    await importText(page, session(CUSTOM));
    await page.waitForFunction(() => window.__playground.nowMs() === 600_000, null, { timeout: 10_000 });
    const s = await pg(page, () => window.__playground.session());
    eq(JSON.stringify(s.chassis), JSON.stringify(CUSTOM), "the session keeps the chassis object");
    eq(await page.inputValue("#chassis"), "custom", "the select shows the custom chassis");
    const label = await page.locator('#chassis option[value="custom"]').textContent();
    assert(label.includes("Lean textbook cell") && label.includes("on textbook"), `custom option: ${label}`);
    eq(await page.locator("#chassis option").count(), 6, "the five presets and the custom chassis");
    const info = await page.textContent("#chassis-info");
    assert(info.includes("Lean textbook cell") && info.includes("custom chassis") && info.includes("6,000 ribosomes"), `facts: ${info}`);
    eq(await page.textContent("#chassis-name"), "Lean textbook cell", "the machinery heading names it");
    await shot(page, "chassis-custom");
    // a share link carries the chassis object
    const link = await page.evaluate(async () => {
      const share = await import("/js/share.js");
      return share.encodeLink(share.envelope(window.__playground.session()));
    });
    const opened = await page.evaluate(async (l) => {
      const share = await import("/js/share.js");
      const api = await import("/pkg/web/bioxen.js");
      await api.default();
      return (await share.openLinkBody(share.linkBody(l), api)).session.chassis;
    }, link);
    eq(JSON.stringify(opened), JSON.stringify(CUSTOM), "the link's chassis");
    // picking a preset replays the session there; the custom choice goes
    await page.selectOption("#chassis", "ecoli");
    await page.waitForFunction(() => window.__playground.session().chassis === "ecoli", null, { timeout: 10_000 });
    eq(await page.locator('#chassis option[value="custom"]').count(), 0, "no custom choice on a preset");
    eq(await page.inputValue("#chassis"), "ecoli", "the select shows the preset");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });

  test("a bad chassis object is refused naming the bad field's path; the session is untouched", async ({ browser, url }) => {
    const { page, problems, ctx } = await openPage(browser, url);
    const before = await pg(page, () => JSON.stringify(window.__playground.session()));
    await importText(page, session({ base: "textbook", hostReserve: { atp: 1 } }), "bad.json");
    await page.waitForFunction(() => !document.querySelector("#session-error").hidden);
    const msg = await page.textContent("#session-error");
    assert(msg.includes("chassis.hostReserve.atp: 1 is out of range") && msg.includes("unchanged"), msg);
    eq(await pg(page, () => JSON.stringify(window.__playground.session())), before, "session untouched");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  });
}
