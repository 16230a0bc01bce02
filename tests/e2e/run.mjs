#!/usr/bin/env node
// End-to-end tests of the browser playground (www/) in headless Debian Chromium through
// playwright-core, against the page served on 127.0.0.1 by scripts/serve.sh.
//
//   node tests/e2e/run.mjs            (needs pkg/ built: scripts/build-pkg.sh)
//
// Prints one line per test and ends with "N passed, N failed"; exits non-zero on failure.
// Screenshots of the main states go to test-results/ (gitignored).
// Env: CHROMIUM=/path/to/chromium (default /usr/bin/chromium), E2E_ONLY=substring to run a subset.
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { register as registerTabs } from "./tabs.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = path.join(ROOT, "test-results");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const HOSTILE = "<img src=x onerror=alert(1)>";

// ------------------------------------------------------------------ setup

if (!fs.existsSync(path.join(ROOT, "pkg/web/bioxen.js"))) {
  console.error("e2e: pkg/ is not built; run scripts/build-pkg.sh first");
  process.exit(1);
}
if (!fs.existsSync(CHROMIUM)) {
  console.error(`e2e: ${CHROMIUM} not found (apt-get install chromium, or scripts/setup.sh)`);
  process.exit(1);
}
execFileSync("bash", [path.join(ROOT, "scripts/build-www.sh")], { stdio: ["ignore", "ignore", "inherit"] });
fs.mkdirSync(OUT, { recursive: true });

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer() {
  const port = await freePort();
  const child = spawn("bash", [path.join(ROOT, "scripts/serve.sh"), String(port)], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  await new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`serve.sh did not start: ${out}`)), 10_000);
    const on = (d) => {
      out += d;
      if (out.includes("Serving")) {
        clearTimeout(t);
        resolve();
      }
    };
    child.stdout.on("data", on);
    child.stderr.on("data", on);
    child.once("exit", (code) => reject(new Error(`serve.sh exited with ${code}: ${out}`)));
  });
  return { child, url: `http://127.0.0.1:${port}/` };
}

// ------------------------------------------------------------------ helpers

class Failure extends Error {}
function assert(cond, msg) {
  if (!cond) throw new Failure(msg);
}
function eq(a, b, msg) {
  if (a !== b) throw new Failure(`${msg}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
}

/** A fresh context (fresh localStorage) and page that records console errors and dialogs. */
async function openPage(browser, url, { width = 1280, height = 800, context } = {}) {
  const ctx = context ?? (await browser.newContext({ viewport: { width, height }, acceptDownloads: true }));
  const page = await ctx.newPage();
  const problems = [];
  const dialogs = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console error: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", async (d) => { dialogs.push(`${d.type()}: ${d.message()}`); await d.dismiss().catch(() => {}); });
  await page.goto(url);
  await ready(page);
  return { ctx, page, problems, dialogs };
}

async function ready(page) {
  await page.waitForFunction(() => window.__playground && window.__playground.ready, null, { timeout: 15_000 });
}

const pg = (page, fn, arg) => page.evaluate(fn, arg);
const nowMs = (page) => pg(page, () => window.__playground.nowMs());
const opsCount = (page) => pg(page, () => window.__playground.session().ops.length);
const vmList = (page) => pg(page, () => window.__playground.metrics().perVm.map((v) => ({ id: v.vmId, state: v.state })));

async function createVm(page, id, { bio = "syn3a", weight, ribosomes, start = false } = {}) {
  await page.fill("#vm-id", id);
  await page.selectOption("#vm-bio", bio);
  await page.fill("#vm-weight", weight == null ? "" : String(weight));
  await page.fill("#vm-ribosomes", ribosomes == null ? "" : String(ribosomes));
  await page.setChecked("#vm-autostart", start);
  await page.click("#create");
}

function row(page, id) {
  return page.locator(`#vm-rows tr[data-vm="${id}"]`);
}

async function stateOf(page, id) {
  return (await row(page, id).locator(".badge").textContent()).replace(/^\W+/, "").trim();
}

async function waitState(page, id, want) {
  await page.waitForFunction(([i, w]) => {
    const tr = [...document.querySelectorAll("#vm-rows tr")].find((t) => t.dataset.vm === i);
    return tr && tr.dataset.state === w;
  }, [id, want], { timeout: 5000 });
  eq(await stateOf(page, id), want, `state text of ${id}`);
}

async function shot(page, name, { top = false } = {}) {
  if (top) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
}

async function importText(page, text, name = "session.json") {
  await page.setInputFiles("#import", { name, mimeType: "application/json", buffer: Buffer.from(text) });
}

async function play(page, on) {
  const pressed = (await page.getAttribute("#play", "aria-pressed")) === "true";
  if (pressed !== on) await page.click("#play");
}

async function setSpeed(page, id) {
  const idx = ["1s", "5s", "20s", "1m", "5m", "10m", "30m", "1h", "3h", "12h", "1d", "max"].indexOf(id);
  await page.locator("#speed").evaluate((el, v) => { el.value = String(v); el.dispatchEvent(new Event("input", { bubbles: true })); }, idx);
}

// ------------------------------------------------------------------ tests

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test("session.js runs in Node: replaying each preset equals a live run in small steps", async () => {
  const bioxen = await import(path.join(ROOT, "pkg/index.mjs"));
  if (typeof bioxen.default === "function") await bioxen.default();
  const { replay, applyOp, parseSession, serializeSession, newSession } = await import(path.join(ROOT, "www/js/session.js"));
  const { PRESETS } = await import(path.join(ROOT, "www/js/presets.js"));
  const trace = (h) => {
    const c = h.traceSince(0);
    return JSON.stringify([Array.from(c.vmIndex), Array.from(c.start), Array.from(c.end), Array.from(c.kind), c.names, c.open]);
  };
  for (const p of PRESETS) {
    const s = { ...newSession(p.session), ops: [...p.session.ops, ...p.script], endMs: 6 * 3_600_000 };
    const text = serializeSession(s);
    const { h } = replay(bioxen, parseSession(text, bioxen));
    // the same operations applied live while stepping 17 simulated minutes at a time
    const live = new bioxen.Hypervisor({ chassis: s.chassis, scheduler: s.scheduler, ...s.options });
    const pending = [...s.ops];
    while (live.nowMs < s.endMs) {
      while (pending.length && pending[0].atMs <= live.nowMs) applyOp(live, pending.shift());
      const next = Math.min(s.endMs, live.nowMs + 17 * 60_000, pending.length ? pending[0].atMs : Infinity);
      live.step(next - live.nowMs);
    }
    eq(trace(h), trace(live), `${p.id}: same Gantt trace`);
    eq(JSON.stringify(h.listVms().map((v) => [v.vmId, v.state, v.machineryTimeMs, v.contextSwitches, v.cyclesCompleted])),
      JSON.stringify(live.listVms().map((v) => [v.vmId, v.state, v.machineryTimeMs, v.contextSwitches, v.cyclesCompleted])), `${p.id}: same VMs`);
    h.free();
    live.free();
  }
});

test("loads with no console errors, CSP set, gauges and selectors filled", async ({ browser, url }) => {
  const { page, problems, ctx } = await openPage(browser, url);
  await page.waitForTimeout(300);
  eq(problems.length, 0, `console/page errors ${problems.join(" | ")}`);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
  assert(csp && csp.includes("script-src 'self' 'wasm-unsafe-eval'") && !csp.includes("unsafe-inline"), `CSP: ${csp}`);
  assert(await page.isHidden("#loading"), "loading notice still shown");
  eq(await page.locator("#gauges .gauge").count(), 5, "gauges");
  const gaugeText = await page.textContent("#gauges");
  for (const w of ["Ribosomes", "RNA polymerases", "ATP", "Memory", "host", "free"]) assert(gaugeText.includes(w), `gauges mention ${w}`);
  eq(await page.locator("#scheduler option").count(), 9, "scheduler options");
  eq(await page.locator("#chassis option").count(), 5, "chassis options");
  assert((await page.locator("#chassis option").allTextContents()).some((t) => t.includes("textbook")), "the textbook chassis is offered");
  assert((await page.textContent("#scheduler-desc")).length > 20, "scheduler explanation");
  assert((await page.textContent("#chassis-info")).includes("Bremer"), "chassis sources shown");
  eq(await page.locator("script:not([src])").count(), 0, "inline scripts");
  await shot(page, "01-empty-1280x800", { top: true });
  await ctx.close();
});

test("creates VMs through the form", async ({ browser, url }) => {
  const { page, problems, ctx } = await openPage(browser, url);
  const before = await page.textContent('#gauges [data-pool="ribosomes"] .nums');
  await createVm(page, "alpha", { bio: "syn3a" });
  await waitState(page, "alpha", "created");
  await createVm(page, "beta", { bio: "ecoli", weight: 512 });
  await waitState(page, "beta", "created");
  eq(await page.locator("#vm-rows tr").count(), 2, "rows");
  const r = await row(page, "beta").textContent();
  assert(r.includes("ecoli") && r.includes("basic") && r.includes("rib"), `beta row: ${r}`);
  const after = await page.textContent('#gauges [data-pool="ribosomes"] .nums');
  assert(before !== after && after.includes("VMs 77"), `ribosome gauge moved: ${before} -> ${after}`);
  eq(await page.inputValue("#vm-id"), "beta-2", "the next id is suggested");
  // an xcpng VM: its fields appear, the password is a password field and is never stored
  assert(await page.isHidden("#xcpng-fields"), "xcpng fields hidden for basic VMs");
  await page.selectOption("#vm-type", "xcpng");
  assert(await page.isVisible("#xcpng-fields"), "xcpng fields shown");
  eq(await page.getAttribute("#vm-password", "type"), "password", "password field type");
  await page.fill("#vm-id", "xen1");
  await page.fill("#vm-ribosomes", "");
  await page.fill("#vm-weight", "");
  await page.click("#create");
  const missing = await page.textContent("#create-error");
  assert(missing.includes("INVALID_CONFIG") && missing.includes("password"), `xcpng fields required: ${missing}`);
  await page.fill("#vm-xapi", "https://xcp.example");
  await page.fill("#vm-user", "root");
  await page.fill("#vm-password", "s3cret-Passw0rd");
  await page.fill("#vm-ssh", "bioxen");
  await page.click("#create");
  await waitState(page, "xen1", "created");
  assert((await row(page, "xen1").textContent()).includes("xcpng"), "xcpng VM row");
  eq(await page.inputValue("#vm-password"), "", "password field cleared");
  const saved = await page.evaluate(() => Object.keys(localStorage).map((k) => localStorage.getItem(k)).join("\n"));
  assert(saved.includes("xen1") && !saved.includes("s3cret"), "autosave has the VM but not its password");
  await page.selectOption("#vm-type", "basic");
  // tune a VM: weight and reservation change through the package
  await page.click('button[aria-label="Tune alpha"]');
  eq(await page.inputValue("#tune-vm"), "alpha", "Tune selects the VM");
  await page.fill("#tune-weight", "1024");
  await page.click("#tune-sched-form button[type=submit]");
  await page.fill("#tune-ribosomes", "60");
  await page.click("#tune-res-form button[type=submit]");
  await page.waitForFunction(() => window.__playground.metrics().perVm.find((v) => v.vmId === "alpha").ribosomes === 60);
  // The table redraws on the next frame, which a loaded machine may delay: wait for it.
  await row(page, "alpha").filter({ hasText: "60 rib" }).waitFor({ timeout: 10_000 }).catch(() => {});
  assert((await row(page, "alpha").textContent()).includes("60 rib"), "row shows the new reservation");
  const ops = await pg(page, () => window.__playground.session().ops.map((o) => o.op));
  assert(ops.includes("setScheduling") && ops.includes("allocateResources"), `tune ops recorded: ${ops}`);
  eq(problems.length, 0, problems.join(" | "));
  await ctx.close();
});

test("drives each lifecycle action and sees the state change", async ({ browser, url }) => {
  const { page, problems, ctx } = await openPage(browser, url);
  await createVm(page, "life", { bio: "syn3a" });
  await waitState(page, "life", "created");
  const steps = [["Start", "running"], ["Pause", "paused"], ["Resume", "running"], ["Stop", "stopped"], ["Restart", "running"]];
  for (const [label, want] of steps) {
    await page.click(`button[aria-label="${label} life"]`);
    await waitState(page, "life", want);
    if (label === "Pause") {
      assert(await page.locator('.lifecycle .edge.hot[data-from="running"][data-to="paused"]').count() === 1, "pause transition highlighted");
      await shot(page, "03-lifecycle-paused");
    }
  }
  const log = await page.textContent("#log");
  for (const w of ["life started", "life paused", "life resumed", "life stopped", "life restarted"]) assert(log.includes(w), `event log has "${w}"`);
  await page.click('button[aria-label="Destroy life"]');
  await page.waitForFunction(() => !document.querySelector('#vm-rows tr'));
  assert((await page.textContent("#log")).includes("life destroyed"), "destroyed in log");
  eq((await vmList(page)).length, 0, "no VMs after destroy");
  eq(problems.length, 0, problems.join(" | "));
  await ctx.close();
});

test("switches schedulers and quantum while running; the timeline continues", async ({ browser, url }) => {
  const { page, problems, ctx } = await openPage(browser, url);
  for (const [id, w] of [["a", 256], ["b", 512], ["c", 1024]]) await createVm(page, id, { weight: w, start: true });
  await setSpeed(page, "1h");
  await play(page, true);
  await page.waitForFunction(() => window.__playground.nowMs() > 2 * 3600e3, null, { timeout: 10_000 });
  const t1 = await nowMs(page);
  const seg1 = await pg(page, () => window.__playground.traceSegments());
  await page.selectOption("#scheduler", "credit");
  eq(await pg(page, () => window.__playground.scheduler()), "credit", "scheduler switched");
  await page.fill("#quantum", "300");
  await page.click("#sched-apply");
  eq(await pg(page, () => window.__playground.metrics() && window.__playground.session().ops.filter((o) => o.op === "setScheduler").length), 2, "two setScheduler ops recorded");
  await page.waitForFunction((t) => window.__playground.nowMs() > t + 2 * 3600e3, t1, { timeout: 10_000 });
  const seg2 = await pg(page, () => window.__playground.traceSegments());
  assert(seg2 > seg1, `timeline continued: ${seg1} -> ${seg2} segments`);
  const s = await pg(page, () => window.__playground.session());
  const sw = s.ops.find((o) => o.op === "setScheduler");
  assert(sw.atMs >= t1 && sw.name === "credit", "switch recorded with its simulated time");
  assert((await page.textContent("#summary")).includes("credit · quantum 5 min"), "summary shows credit and the new quantum");
  assert((await page.textContent("#log")).includes("scheduler changed to credit"), "log shows the switch");
  const after = await pg(page, (t) => window.__playground.segmentsAfter(t), sw.atMs);
  assert(after >= 3, `segments recorded after the switch: ${after}`);
  // and the canvas shows them: coloured pixels in the lanes
  const painted = await page.locator("#gantt").evaluate((c) => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (Math.abs(d[i] - d[i + 2]) > 60) n++;
    return n;
  });
  assert(painted > 500, `timeline drawn (${painted} coloured pixels)`);
  await shot(page, "04-running-credit-1280x800", { top: true });
  await play(page, false);
  eq(problems.length, 0, problems.join(" | "));
  await ctx.close();
});

test("refused actions show the package's error next to the control and change nothing", async ({ browser, url }) => {
  const { page, problems, ctx } = await openPage(browser, url);
  await createVm(page, "dup", { bio: "syn3a" });
  await waitState(page, "dup", "created");
  const snap = async () => JSON.stringify([await opsCount(page), await nowMs(page), await pg(page, () => window.__playground.metrics().perVm)]);
  const gauges = async () => page.textContent("#gauges");
  const s0 = await snap();
  const g0 = await gauges();

  // duplicate id
  await createVm(page, "dup", { bio: "ecoli" });
  await page.waitForSelector("#create-error:not([hidden])");
  const e1 = await page.textContent("#create-error");
  assert(e1.includes("DUPLICATE_VM") && e1.includes('a VM with id "dup" already exists'), `duplicate error: ${e1}`);
  eq(await snap(), s0, "nothing changed after a duplicate");

  // overcommit
  await createVm(page, "huge", { bio: "ecoli", ribosomes: 100000 });
  const e2 = await page.textContent("#create-error");
  assert(e2.includes("INSUFFICIENT_RESOURCES") && e2.includes("ribosomes"), `overcommit error: ${e2}`);
  eq(await snap(), s0, "nothing changed after an overcommit");
  eq(await gauges(), g0, "gauges unchanged");
  await shot(page, "05-refused-overcommit");

  // illegal transition: pause a created VM
  await page.click('button[aria-label="Pause dup"]');
  const rowErr = row(page, "dup").locator(".row-error");
  await rowErr.waitFor({ state: "visible" });
  const e3 = await rowErr.textContent();
  assert(e3.includes("INVALID_TRANSITION") && e3.includes("cannot pause"), `transition error: ${e3}`);
  eq(await stateOf(page, "dup"), "created", "state unchanged");
  eq(await snap(), s0, "nothing changed after an illegal transition");

  // capacity: E. coli hosts at most 4 VMs
  for (const id of ["c2", "c3", "c4"]) await createVm(page, id);
  await createVm(page, "c5");
  const e4 = await page.textContent("#create-error");
  assert(e4.includes("CAPACITY_REACHED"), `capacity error: ${e4}`);
  eq((await vmList(page)).length, 4, "still 4 VMs");

  // a bad weight in the tune panel
  await page.selectOption("#tune-vm", "dup");
  await page.fill("#tune-weight", "0");
  await page.click("#tune-sched-form button[type=submit]");
  const e5 = await page.textContent("#tune-sched-error");
  assert(/INVALID_(CONFIG|ARGUMENT)/.test(e5), `weight 0 refused: ${e5}`);
  // a successful action clears the row error
  await page.click('button[aria-label="Start dup"]');
  await waitState(page, "dup", "running");
  assert(await rowErr.isHidden(), "row error cleared after success");
  eq(problems.length, 0, problems.join(" | "));
  await ctx.close();
});

test("a hostile id is shown as text or refused and never runs", async ({ browser, url }) => {
  const { page, problems, dialogs, ctx } = await openPage(browser, url);
  await page.evaluate(() => { window.__pwned = false; window.alert = () => { window.__pwned = true; }; });
  await createVm(page, HOSTILE);
  await page.waitForSelector("#create-error:not([hidden])");
  const e = await page.textContent("#create-error");
  assert(e.includes("INVALID_ID") && e.includes(HOSTILE), `hostile id refused and echoed as text: ${e}`);
  eq(await page.locator("img").count(), 0, "no <img> element created");
  // the same id (and a hostile title) through an imported file
  const evil = JSON.stringify({
    format: "bioxen-session", version: 1, chassis: "ecoli", scheduler: "round_robin",
    ops: [{ atMs: 0, op: "createVm", vmId: HOSTILE, biologicalType: "syn3a" }], endMs: 0, meta: { title: HOSTILE },
  });
  await importText(page, evil, `${HOSTILE}.json`);
  await page.waitForSelector("#session-error:not([hidden])");
  const e2 = await page.textContent("#session-error");
  assert(e2.includes("INVALID_ID") && e2.includes("<img"), `hostile import refused as text: ${e2}`);
  await page.waitForTimeout(400);
  eq(await page.locator("img").count(), 0, "no <img> element after import");
  eq(dialogs.length, 0, `dialogs: ${dialogs.join(", ")}`);
  eq(await page.evaluate(() => window.__pwned), false, "alert never called");
  eq(problems.length, 0, problems.join(" | "));
  await shot(page, "06-hostile-id-refused");
  await ctx.close();
});

test("export → import round trip replays the same state", async ({ browser, url }) => {
  const { page, problems, ctx } = await openPage(browser, url);
  await page.click('button.preset[data-preset="rr-vs-credit"]');
  await setSpeed(page, "3h");
  await page.waitForFunction(() => window.__playground.nowMs() > 4 * 3600e3, null, { timeout: 15_000 });
  await play(page, false);
  await page.fill("#quantum", "450");
  await page.click("#sched-apply");
  await page.click("#step");
  const before = await pg(page, () => ({ now: window.__playground.nowMs(), m: window.__playground.metrics(), s: window.__playground.session() }));
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export")]);
  const file = path.join(OUT, "exported-session.json");
  await download.saveAs(file);
  const text = fs.readFileSync(file, "utf8");
  const json = JSON.parse(text);
  eq(json.format, "bioxen-session", "format");
  eq(json.endMs, before.now, "endMs = current time");
  assert(json.ops.some((o) => o.op === "setScheduler" && o.name === "credit"), "scripted switch is in the export");
  // change everything, then import
  await page.click("#new-session");
  eq((await vmList(page)).length, 0, "new session is empty");
  await importText(page, text);
  await page.waitForFunction((t) => window.__playground.nowMs() === t, before.now, { timeout: 10_000 });
  const after = await pg(page, () => ({ m: window.__playground.metrics(), s: window.__playground.session() }));
  eq(JSON.stringify(after.s.ops), JSON.stringify(before.s.ops), "same operations");
  const ints = (m) => JSON.stringify([m.contextSwitches, m.decisions, m.completedCycles, m.perVm.map((v) => [v.vmId, v.state, v.machineryTimeMs, v.waitTimeMs, v.contextSwitches, v.cyclesCompleted, v.weight, v.cap])]);
  eq(ints(after.m), ints(before.m), "same integer metrics");
  assert(Math.abs(after.m.fairnessIndex - before.m.fairnessIndex) < 1e-9, `same fairness ${before.m.fairnessIndex} vs ${after.m.fairnessIndex}`);
  assert(Math.abs(after.m.overheadPercent - before.m.overheadPercent) < 1e-9, "same overhead");
  eq(await pg(page, () => window.__playground.scheduler()), "credit", "scheduler after import");
  assert(await page.isHidden("#session-error"), "no import error");
  eq(problems.length, 0, problems.join(" | "));
  await ctx.close();
});

test("reload restores the autosaved session", async ({ browser, url }) => {
  const { page, problems, ctx } = await openPage(browser, url);
  await createVm(page, "keep1", { start: true });
  await createVm(page, "keep2", { bio: "yeast" });
  for (let i = 0; i < 3; i++) await page.click("#step");
  await page.click('button[aria-label="Pause keep1"]');
  const before = { now: await nowMs(page), vms: await vmList(page), ops: await opsCount(page) };
  await page.reload();
  await ready(page);
  const after = { now: await nowMs(page), vms: await vmList(page), ops: await opsCount(page) };
  eq(JSON.stringify(after), JSON.stringify(before), "restored state");
  assert((await page.textContent("#session-status")).includes("Restored"), "restore reported");
  await waitState(page, "keep1", "paused");
  eq(problems.length, 0, problems.join(" | "));
  await ctx.close();
});

test("a malformed or hostile import is refused with a clear error; the session is untouched", async ({ browser, url }) => {
  const { page, problems, dialogs, ctx } = await openPage(browser, url);
  await createVm(page, "safe", { start: true });
  await page.click("#step");
  const snap = async () => JSON.stringify([await nowMs(page), await vmList(page), await opsCount(page)]);
  const s0 = await snap();
  const base = { format: "bioxen-session", version: 1, chassis: "ecoli", scheduler: "credit", ops: [], endMs: 0 };
  const cases = [
    ["not JSON", "{ this is not json", /not JSON/],
    ["wrong format", JSON.stringify({ ...base, format: "something-else" }), /format/],
    ["future version", JSON.stringify({ ...base, version: 99 }), /unsupported version/],
    ["unknown chassis", JSON.stringify({ ...base, chassis: "mars" }), /chassis/],
    ["unknown op", JSON.stringify({ ...base, ops: [{ atMs: 0, op: "formatDisk" }] }), /ops\[0\]\.op/],
    ["ops out of order", JSON.stringify({ ...base, ops: [{ atMs: 5, op: "startVm", vmId: "a" }, { atMs: 1, op: "startVm", vmId: "a" }] }), /time order/],
    ["endMs far in the future", JSON.stringify({ ...base, endMs: 1e15 }), /endMs/],
    ["prototype pollution", '{"format":"bioxen-session","version":1,"chassis":"ecoli","scheduler":"credit","ops":[],"__proto__":{"polluted":1}}', /unknown key/],
    ["op refused on replay", JSON.stringify({ ...base, ops: [{ atMs: 0, op: "createVm", vmId: "x", biologicalType: "syn3a" }, { atMs: 0, op: "createVm", vmId: "x", biologicalType: "syn3a" }] }), /DUPLICATE_VM/],
    ["array instead of object", "[1,2,3]", /expected an object/],
    ["fractional time", JSON.stringify({ ...base, ops: [{ atMs: 0.5, op: "startVm", vmId: "a" }] }), /atMs/],
  ];
  for (const [name, text, re] of cases) {
    await importText(page, text, `${name}.json`);
    await page.waitForFunction(() => !document.querySelector("#session-error").hidden);
    const msg = await page.textContent("#session-error");
    assert(re.test(msg) && msg.includes("unchanged"), `${name}: ${msg}`);
    eq(await snap(), s0, `${name}: session untouched`);
    await page.evaluate(() => { const e = document.querySelector("#session-error"); e.hidden = true; e.textContent = ""; });
  }
  eq(await page.evaluate(() => ({}).polluted), undefined, "Object.prototype not polluted");
  await importText(page, "{ broken", "broken.json");
  await shot(page, "09-malformed-import-refused");
  eq(dialogs.length, 0, "no dialogs");
  eq(problems.length, 0, problems.join(" | "));
  await ctx.close();
});

test("keyboard only: create and start a VM, play/pause shortcut, visible focus", async ({ browser, url }) => {
  const { page, problems, ctx } = await openPage(browser, url);
  await page.keyboard.press("n");
  eq(await page.evaluate(() => document.activeElement.id), "vm-id", "n focuses the VM id field");
  await page.keyboard.press("Control+A");
  await page.keyboard.type("kb1");
  // Tab to the biological type select and pick yeast with the keyboard
  await page.keyboard.press("Tab");
  eq(await page.evaluate(() => document.activeElement.id), "vm-bio", "Tab reaches the biological type");
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert(outline !== "none", `visible focus outline (${outline})`);
  // walk to the Create button with Tab, then press Enter
  let id = "";
  for (let i = 0; i < 30 && id !== "create"; i++) {
    await page.keyboard.press("Tab");
    id = await page.evaluate(() => document.activeElement.id);
  }
  eq(id, "create", "Tab reaches the Create button");
  await page.keyboard.press("Enter");
  await waitState(page, "kb1", "created");
  // "g" jumps to the VM table (the first row's Start button), Enter starts it
  await page.keyboard.press("Escape");
  await page.evaluate(() => document.activeElement.blur());
  await page.keyboard.press("g");
  eq(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Start kb1", "g focuses Start kb1");
  await page.keyboard.press("Enter");
  await waitState(page, "kb1", "running");
  await shot(page, "10-keyboard-focus");
  // play/pause and step shortcuts
  await page.evaluate(() => document.activeElement.blur());
  const t0 = await nowMs(page);
  await page.keyboard.press(".");
  assert((await nowMs(page)) > t0, "'.' steps the clock");
  await page.keyboard.press("k");
  eq(await page.getAttribute("#play", "aria-pressed"), "true", "k plays");
  await page.keyboard.press("k");
  eq(await page.getAttribute("#play", "aria-pressed"), "false", "k pauses");
  const label = await page.textContent("#speed-label");
  await page.keyboard.press("]");
  assert((await page.textContent("#speed-label")) !== label, "] changes the speed");
  // every form control has an accessible name
  const unnamed = await page.evaluate(() => [...document.querySelectorAll("input, select, button")].filter((e) => {
    if (e.type === "hidden") return false;
    const name = e.getAttribute("aria-label") || (e.labels && [...e.labels].map((l) => l.textContent).join("")) || e.textContent || e.getAttribute("aria-labelledby");
    return !name || !name.trim();
  }).map((e) => e.id || e.outerHTML.slice(0, 60)));
  eq(unnamed.length, 0, `controls without a name: ${unnamed.join(", ")}`);
  eq(problems.length, 0, problems.join(" | "));
  await ctx.close();
});

test("every preset loads and teaches; overcommit preset shows its refusal", async ({ browser, url }) => {
  const { page, problems, ctx } = await openPage(browser, url);
  const ids = await page.$$eval("button.preset", (bs) => bs.map((b) => b.dataset.preset));
  assert(ids.length >= 5, `presets: ${ids}`);
  for (const id of ids) {
    await page.click(`button.preset[data-preset="${id}"]`);
    await page.waitForSelector("#lesson:not([hidden])");
    const t = await page.textContent("#lesson");
    assert(t.length > 100, `${id} has a lesson`);
    assert((await vmList(page)).length >= 1, `${id} created VMs`); // the toggle-memory preset has one VM
    if (id === "overcommit") {
      const e = await page.textContent("#create-error");
      assert(e.includes("INSUFFICIENT_RESOURCES"), `overcommit preset refused: ${e}`);
      eq((await vmList(page)).length, 2, "overcommit preset: still 2 VMs");
      await shot(page, "11-preset-overcommit");
    }
    if (id === "atp-shift") {
      await setSpeed(page, "1h");
      await play(page, true);
      await page.waitForFunction(() => window.__playground.metrics().perVm.some((v) => v.state === "error"), null, { timeout: 10_000 });
      await play(page, false);
      await waitState(page, "low", "error");
      await page.click('button[aria-label="Restart low"]');
      const e = await row(page, "low").locator(".row-error").textContent();
      assert(e.includes("INSUFFICIENT_RESOURCES"), `restart refused while ATP is short: ${e}`);
      await shot(page, "11-preset-atp-fault");
    }
    if (id === "orthogonal") {
      await page.selectOption("#chassis", "ecoli");
      eq(await page.evaluate(() => window.__playground.session().chassis), "ecoli", "chassis switched");
      eq((await vmList(page)).length, 3, "the same VMs replayed on ecoli");
    }
  }
  eq(problems.length, 0, problems.join(" | "));
  await ctx.close();
});

test("kinetic machinery: the burden preset lowers growth, the gauge drops, export → import replays it", async ({ browser, url }) => {
  const { page, problems, ctx } = await openPage(browser, url);
  await page.click('button.preset[data-preset="kinetic-burden"]');
  await page.waitForSelector("#kinetic:not([hidden])");
  await play(page, false);
  eq(await page.inputValue("#machinery"), "kinetic", "machinery selector follows the session");
  const kin = () => pg(page, () => window.__playground.metrics().kinetic);
  await page.selectOption("#step-size", "quantum");
  await page.click("#step");
  await page.waitForFunction(() => document.querySelector("#capacity-gauge").dataset.value !== "");
  const g1 = Number(await page.getAttribute("#capacity-gauge", "data-value"));
  const k1 = await kin();
  assert(k1.growthRatePerMin < k1.baselineGrowthRatePerMin, `two guests burden the host: ${k1.growthRatePerMin} vs ${k1.baselineGrowthRatePerMin}`);
  for (let i = 0; i < 4; i++) await page.click("#step");
  const k2 = await kin();
  const g2 = Number(await page.getAttribute("#capacity-gauge", "data-value"));
  eq(k2.perVm.length, 4, "the scripted guests joined");
  assert(k2.growthRatePerMin < k1.growthRatePerMin, `more guests, slower growth: ${k2.growthRatePerMin} vs ${k1.growthRatePerMin}`);
  assert(g2 < g1 && g2 > 0, `capacity gauge dropped: ${g1} → ${g2}`);
  assert((await page.textContent("#kinetic-numbers")).includes("doublings/h"), "host numbers shown");
  eq(await page.locator("#kinetic canvas").count() > 0, true, "growth chart drawn");
  await shot(page, "13-kinetic-burden");
  // export → import replays the kinetic session identically
  const s = await pg(page, () => window.__playground.session());
  eq(s.options.machinery, "kinetic", "the session carries the machinery option");
  await page.click("#new-session");
  await importText(page, JSON.stringify(s));
  await page.waitForFunction((t) => window.__playground.nowMs() === t, s.endMs, { timeout: 10_000 });
  const k3 = await kin();
  eq(JSON.stringify(k3), JSON.stringify(k2), "imported session has the same kinetic state");
  // back to the simple model: the panel hides, the VMs replay
  await page.selectOption("#machinery", "simple");
  await page.waitForSelector("#kinetic", { state: "hidden" });
  eq(await kin(), null, "no kinetic metrics under the simple machinery");
  eq((await vmList(page)).length, 4, "the same VMs replayed");
  eq(problems.length, 0, problems.join(" | "));
  await ctx.close();
});

/** The package's lite build is there (the playground then loads it first). */
function liteBuilt() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "pkg/package.json"), "utf8"));
  return !!(pkg.exports && pkg.exports["./lite/web"]) && fs.existsSync(path.join(ROOT, "pkg/lite/web/bioxen.js"));
}

/** A fresh context that counts the wasm files fetched: { lite, full, order }. */
async function wasmCounter(browser) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const seen = { lite: 0, full: 0, order: [] };
  ctx.on("request", (r) => {
    const p = new URL(r.url()).pathname;
    const kind = p === "/pkg/lite/bioxen_bg.wasm" ? "lite" : p === "/pkg/bioxen_bg.wasm" ? "full" : null;
    if (kind) {
      seen[kind]++;
      seen.order.push(kind);
    }
  });
  return { ctx, seen };
}

test("loads the lite build first; the first kinetic or genome use switches to the full build, session intact", async ({ browser, url }) => {
  const lite = liteBuilt();
  if (!lite) console.log("     (pkg/ has no lite build: checking the fallback to the full build instead)");
  const first = lite ? "lite" : "full";
  const engine = (page) => pg(page, () => window.__playground.engine());
  const snapshot = async (page) => JSON.stringify([await nowMs(page), await vmList(page), await pg(page, () => window.__playground.session().ops)]);

  // 1. kinetic machinery chosen in the chassis panel
  {
    const { ctx, seen } = await wasmCounter(browser);
    const { page, problems } = await openPage(browser, url, { context: ctx });
    eq(await engine(page), first, "the first build");
    eq(JSON.stringify(seen), JSON.stringify(lite ? { lite: 1, full: 0, order: ["lite"] } : { lite: 0, full: 1, order: ["full"] }), "wasm fetched on the first load");
    await createVm(page, "k1", { start: true });
    await createVm(page, "k2", { bio: "ecoli" });
    for (let i = 0; i < 3; i++) await page.click("#step");
    const before = await snapshot(page);
    eq(seen.full, lite ? 0 : 1, "creating and stepping VMs needs no full build");
    await page.selectOption("#machinery", "kinetic");
    await page.waitForSelector("#kinetic:not([hidden])");
    eq(await engine(page), "full", "the full build after choosing the kinetic machinery");
    eq(seen.full, 1, "the full wasm fetched once");
    eq(seen.order[0], first, "the first wasm fetched");
    const after = JSON.parse(await snapshot(page));
    const b = JSON.parse(before);
    eq(after[0], b[0], "same simulated time");
    eq(JSON.stringify(after[1].map((v) => v.id)), JSON.stringify(b[1].map((v) => v.id)), "same VMs");
    eq(JSON.stringify(after[2]), JSON.stringify(b[2]), "same operations");
    eq(await pg(page, () => window.__playground.session().options.machinery), "kinetic", "the session is on the kinetic machinery");
    await page.selectOption("#machinery", "simple");
    await page.waitForSelector("#kinetic", { state: "hidden" });
    eq(seen.full, 1, "no further wasm loads");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  }
  // 2. a genome file picked in the genome panel (the worker gets the page's compiled module)
  {
    const { ctx, seen } = await wasmCounter(browser);
    const { page, problems } = await openPage(browser, url, { context: ctx });
    await createVm(page, "g1", { start: true });
    await page.click("#step");
    const before = await snapshot(page);
    const tiny = "LOCUS       T 12 bp DNA circular\nFEATURES             Location/Qualifiers\n     CDS             1..9\n                     /product=\"x\"\nORIGIN\n        1 atgaaataac cc\n//\n";
    await page.setInputFiles("#genome-file", { name: "tiny.gb", mimeType: "text/plain", buffer: Buffer.from(tiny) });
    await page.waitForFunction(() => window.__playground.genome() !== null, null, { timeout: 20_000 });
    eq(await engine(page), "full", "the full build after picking a genome file");
    eq(seen.full, 1, "the full wasm fetched once for the page and the worker");
    eq(await snapshot(page), before, "the session is intact");
    await page.click("#genome-create");
    await page.waitForFunction(() => window.__playground.metrics().perVm.some((v) => v.vmId === "genome-1"));
    // a reload: the autosave has a genome VM, so the page goes on to the full build to restore it
    seen.lite = seen.full = 0;
    seen.order = [];
    await page.reload();
    await ready(page);
    eq(await engine(page), "full", "the full build restores a session with a genome VM");
    assert(await pg(page, () => window.__playground.metrics().perVm.some((v) => v.vmId === "genome-1")), "genome VM restored");
    eq(seen.order.join(","), lite ? "lite,full" : "full", "wasm fetched on the reload");
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  }
  // 3. importing a session on the kinetic machinery, and a kinetic preset
  for (const how of ["import", "preset"]) {
    const { ctx, seen } = await wasmCounter(browser);
    const { page, problems } = await openPage(browser, url, { context: ctx });
    if (how === "import") {
      const s = { format: "bioxen-session", version: 1, chassis: "ecoli", scheduler: "credit", options: { seed: 3, machinery: "kinetic" },
        ops: [{ atMs: 0, op: "createVm", vmId: "imp", biologicalType: "syn3a" }, { atMs: 0, op: "startVm", vmId: "imp" }], endMs: 600_000 };
      await importText(page, JSON.stringify(s));
      await page.waitForFunction(() => window.__playground.nowMs() === 600_000, null, { timeout: 10_000 });
    } else {
      await page.click('button.preset[data-preset="kinetic-burden"]');
      await page.waitForSelector("#lesson:not([hidden])");
    }
    await page.waitForSelector("#kinetic:not([hidden])");
    eq(await engine(page), "full", `the full build after a kinetic ${how}`);
    eq(seen.order.join(","), lite ? "lite,full" : "full", `wasm fetched (${how})`);
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  }
});

test("compares two schedulers side by side on the same scenario and seed", async ({ browser, url }) => {
  const { page, problems, ctx } = await openPage(browser, url);
  await page.click('button.preset[data-preset="rr-vs-credit"]');
  await play(page, false);
  await page.selectOption("#cmp-until", "21600000");
  await page.click("#cmp-run");
  await page.waitForSelector("#compare-out table.cmp");
  const head = await page.$$eval("#compare-out thead th", (ths) => ths.map((t) => t.textContent));
  eq(JSON.stringify(head), JSON.stringify(["Measure", "round_robin", "credit"]), "columns");
  const jain = await page.$$eval("#compare-out tbody tr", (trs) => trs.find((t) => t.textContent.startsWith("Fairness")).innerText);
  assert(/\d\.\d{3}.*\d\.\d{3}/s.test(jain), `Jain values: ${jain}`);
  const shares = await page.$$eval("#compare-out tbody tr", (trs) => trs.filter((t) => t.textContent.includes(": share")).map((t) => t.innerText));
  eq(shares.length, 3, "a share row per VM");
  const heavy = shares.find((s) => s.startsWith("heavy"));
  const pcts = [...heavy.matchAll(/(\d+\.\d) %/g)].map((m) => Number(m[1]));
  assert(pcts[2] > pcts[0] + 10, `credit gives heavy (weight 1024) more than round robin: ${heavy}`);
  eq(await page.locator("#compare-out canvas").count(), 2, "two timelines");
  await page.locator("section[aria-labelledby=h-compare]").scrollIntoViewIfNeeded();
  await shot(page, "12-compare");
  eq(problems.length, 0, problems.join(" | "));
  await ctx.close();
});

test("fits 1280×800 and a 390 px phone without horizontal scrolling", async ({ browser, url }) => {
  for (const [w, hgt, name] of [[1280, 800, "13-desktop-1280x800"], [390, 844, "13-phone-390x844"]]) {
    const { page, problems, ctx } = await openPage(browser, url, { width: w, height: hgt });
    if (w < 800) await page.click("summary:has(#h-scenarios)");
    await page.click('button.preset[data-preset="greedy-cap"]');
    await page.waitForTimeout(1200);
    await play(page, false);
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(sw <= w, `${name}: page is ${sw} px wide`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, name);
    if (w < 800) {
      await page.locator("section[aria-labelledby=h-vms]").screenshot({ path: path.join(OUT, "13-phone-vm-cards.png") });
      await page.locator("section[aria-labelledby=h-timeline]").screenshot({ path: path.join(OUT, "13-phone-timeline.png") });
    } else {
      await page.screenshot({ path: path.join(OUT, "13-desktop-full.png"), fullPage: true });
    }
    eq(problems.length, 0, problems.join(" | "));
    await ctx.close();
  }
});

test("loads syn3A.gb through the file input, shows its counts, creates a VM from it", async ({ browser, url }) => {
  const gb = path.join(ROOT, "..", "shared", "data", "syn3A.gb");
  if (!fs.existsSync(gb)) {
    console.log(`     (REAL GENOME FILES MISSING: ${gb} not found; this test checks a small synthetic GenBank file instead)`);
  }
  const fixture = JSON.parse(fs.readFileSync(path.join(ROOT, "tests/fixtures/genome/biopython.json"), "utf8"))["syn3A.gb"];
  const { page, ctx, problems } = await openPage(browser, url);
  // A bad file first: the package's coded error, no VM, page still responsive.
  await page.setInputFiles("#genome-file", { name: "bad.gff3", mimeType: "text/plain", buffer: Buffer.from("##gff-version 3\nc\ts\tgene\tx\t9\t.\t+\t.\tID=a\n") });
  await page.waitForSelector("#genome-error:not([hidden])");
  const errText = await page.textContent("#genome-error");
  assert(errText.includes("INVALID_GENOME") && errText.includes("line 2, column 10"), `error shown: ${errText}`);
  if (fs.existsSync(gb)) {
    await page.setInputFiles("#genome-file", gb);
  } else {
    const tiny = "LOCUS       T 12 bp DNA circular\nFEATURES             Location/Qualifiers\n     CDS             1..9\n                     /product=\"x\"\nORIGIN\n        1 atgaaataac cc\n//\n";
    await page.setInputFiles("#genome-file", { name: "tiny.gb", mimeType: "text/plain", buffer: Buffer.from(tiny) });
  }
  await page.waitForFunction(() => window.__playground.genome() !== null, null, { timeout: 20_000 });
  const s = await pg(page, () => window.__playground.genome());
  const dd = async (key) => page.textContent(`#genome-summary dd[data-key="${key}"]`);
  if (fs.existsSync(gb)) {
    eq(s.geneCounts.total, fixture.genes, "genes");
    eq(s.featureCounts.CDS, fixture.features.CDS, "CDS");
    eq(await dd("Genes"), "496", "genes shown");
    eq(await dd("Protein-coding"), String(fixture.gene_counts.protein_coding), "protein-coding shown");
    assert((await dd("Length")).startsWith("543,379 bp, circular"), `length shown: ${await dd("Length")}`);
    assert((await dd("Essential genes")).includes("heuristic"), "essential genes reported as a heuristic");
  }
  assert(await page.isHidden("#genome-error"), "the error is cleared");
  // The gene map was drawn (some non-transparent pixels).
  const inked = await page.locator("#genome-map").evaluate((c) => {
    const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
    return n;
  });
  assert(inked > 100, `gene map pixels: ${inked}`);
  const before = await opsCount(page);
  await page.click("#genome-create");
  await page.waitForFunction(() => window.__playground.metrics().perVm.some((v) => v.vmId === "genome-1"));
  const vm = await pg(page, () => window.__playground.metrics().perVm.find((v) => v.vmId === "genome-1"));
  eq(vm.memoryKb, Math.ceil(s.length / 1000), "memory = genome length");
  eq(vm.workloadAa, s.totalCodingAa, "workload = coded proteins");
  eq(await opsCount(page), before + 1, "the creation is a session operation");
  await row(page, "genome-1").waitFor();
  await shot(page, "genome-syn3a");
  // The session (with the genome VM) survives a reload through autosave.
  await page.reload();
  await ready(page);
  const again = await pg(page, () => window.__playground.metrics().perVm.find((v) => v.vmId === "genome-1"));
  assert(again && again.workloadAa === s.totalCodingAa, "genome VM restored from the autosave");
  eq(problems.length, 0, problems.join(" | "));
  await ctx.close();
});

// share links, two tabs, storage full or missing, axe-core (tests/e2e/tabs.mjs)
registerTabs(test, { ROOT, OUT, openPage, ready, pg, createVm, play, assert, eq, shot });
(await import("./lessons.mjs")).register({ test, openPage, assert, eq, shot, pg, ROOT }); // guided lessons, teacher notes
(await import("./rewind.mjs")).register({ test, openPage, pg, assert, eq, shot, ROOT }); // rewind, step back
(await import("./proctable.mjs")).register({ test, openPage, assert, eq, shot, pg, ROOT }); // process tables
(await import("./chassis.mjs")).register({ test, openPage, assert, eq, shot, pg }); // custom chassis in sessions
(await import("./circuits.mjs")).register({ test, openPage, assert, eq, shot, pg, ROOT }); // gene circuits panel
(await import("./circuits.mjs")).registerVms({ test, openPage, assert, eq, pg, ROOT }); // circuits in the page's VMs

// ------------------------------------------------------------------ runner

const only = process.env.E2E_ONLY;
const t0 = Date.now();
const server = await startServer();
// never leave the server behind (Ctrl-C, a closed pipe such as `| head`, a crash)
process.on("exit", () => server.child.kill("SIGTERM"));
for (const sig of ["SIGINT", "SIGTERM", "SIGPIPE"]) process.on(sig, () => process.exit(1));
process.stdout.on("error", () => process.exit(1));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
let passed = 0, failed = 0;
try {
  for (const t of tests) {
    if (only && !t.name.includes(only)) continue;
    const start = Date.now();
    try {
      await Promise.race([
        t.fn({ browser, url: server.url }),
        new Promise((_, rej) => setTimeout(() => rej(new Failure("timed out after 45 s")), 45_000)),
      ]);
      passed++;
      console.log(`ok   ${t.name} (${Date.now() - start} ms)`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${t.name} (${Date.now() - start} ms): ${e instanceof Failure ? e.message : e.stack}`);
    }
  }
} finally {
  await browser.close().catch(() => {});
  server.child.kill("SIGTERM");
}
console.log(`e2e: ${((Date.now() - t0) / 1000).toFixed(1)} s, screenshots in test-results/`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
