#!/usr/bin/env node
// Packaging tests for the npm package built into pkg/ (by scripts/build-pkg.sh), in the style of
// automerge's javascript/packaging_tests: `npm pack` pkg/, then install the tarball into fresh
// temporary projects and run the same scenario (fixtures/scenario.mjs) in each, as a user would
// (every project must return exactly the same result: the simulation is deterministic):
//
//   npm-pack     the tarball holds the files the exports map points to, and nothing stray
//   node-esm     import ... from "bioxen" in Node ESM (no init needed; shares require's instance)
//   node-cjs     require("bioxen") in Node CommonJS
//   typescript   tsc --noEmit, strict: Node (nodenext + @types/node), bare (no ambient types), bundler + DOM
//   vite         vite build of a page, served on 127.0.0.1, run in headless Chromium
//   vite-dev     the same page under the vite dev server, with the documented optimizeDeps.exclude
//   browser-esm  plain <script type="module"> + import map, no bundler, in headless Chromium
//
// Usage: node tests/js/packaging/run.mjs [project ...]     (default: all)
//   KEEP_TMP=1 keeps the temporary folder (it is always kept when a project fails).
//   TSC=/path/to/tsc type-checks with another TypeScript (default: the repo's devDependency).
// The tarball is installed offline; the only registry dependency is @types/node for typescript/.
// typescript, vite and playwright-core come from the repo's devDependencies (npm ci).
// Chromium: /usr/bin/chromium (Debian package), or CHROMIUM=/path. Prints one line per project
// and ends with "N passed, N failed"; exits 1 on any failure.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer } from "../../../scripts/serve.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "../../..");
const PKG = path.join(REPO, "pkg");
const FIXTURES = path.join(HERE, "fixtures");
const BIN = {
  tsc: process.env.TSC || path.join(REPO, "node_modules/typescript/bin/tsc"), // TSC=... tries another TypeScript
  vite: path.join(REPO, "node_modules/vite/bin/vite.js"),
};
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const CMD_TIMEOUT_MS = 180_000;
const PAGE_TIMEOUT_MS = 20_000;

// ---------- helpers ----------

/** Run a command; resolve {stdout, stderr}; reject with the output on non-zero exit or timeout. */
function run(cmd, args, { cwd, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), CMD_TIMEOUT_MS);
    child.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve({ stdout, stderr });
      const how = signal ? `killed by ${signal}` : `exit ${code}`;
      reject(new Error(`${cmd} ${args.join(" ")} (${how}, in ${cwd})\n${tail(stdout + stderr)}`));
    });
  });
}

const tail = (s, n = 25) => s.trim().split("\n").slice(-n).join("\n");

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** Copy fixture folders (later ones overlay earlier ones) plus the shared scenario into tmp/name. */
function makeProject(name, layers = [name]) {
  const dir = path.join(tmp, name);
  for (const layer of layers) fs.cpSync(path.join(FIXTURES, layer), dir, { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, "scenario.mjs"), path.join(dir, "scenario.mjs"));
  return dir;
}

/** Install the packed tarball; offline unless the fixture declares registry dependencies. */
async function install(dir) {
  const pj = readJson(path.join(dir, "package.json"));
  const hasRegistryDeps = Object.keys({ ...pj.dependencies, ...pj.devDependencies }).length > 0;
  const flags = ["--no-audit", "--no-fund", "--loglevel=error", ...(hasRegistryDeps ? [] : ["--offline"])];
  await run("npm", ["install", ...flags, tarball], { cwd: dir });
}

/** Parse the "RESULT {...}" line a Node project prints and check it against the package. */
function checkResult(stdout) {
  const line = stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`no RESULT line in output:\n${tail(stdout)}`);
  return checkScenario(JSON.parse(line.slice("RESULT ".length)));
}

let firstResult; // [project, JSON]: every project must return exactly the same scenario result
function checkScenario(result) {
  if (result.version !== pkgJson.version)
    throw new Error(`version() = ${JSON.stringify(result.version)}, package.json says ${pkgJson.version}`);
  const json = JSON.stringify(result);
  firstResult ??= [currentProject, json];
  if (json !== firstResult[1])
    throw new Error(`scenario result differs from ${firstResult[0]}'s:\n  ${json}\n  ${firstResult[1]}`);
  return result;
}

let browserPromise;
function browser() {
  browserPromise ??= (async () => {
    if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: run scripts/setup.sh as root (apt-get install chromium)`);
    const { chromium } = await import("playwright-core");
    return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  })();
  return browserPromise;
}

/** Serve `root` with scripts/serve.mjs on 127.0.0.1 and run its index page (see openPage). */
async function runPage(root) {
  const { server, url } = await startServer({ root });
  try {
    return await openPage(url);
  } finally {
    server.close();
  }
}

/**
 * Open `url` in headless Chromium, wait for #result[data-status], and fail on
 * data-status="error", console errors or warnings, page errors, failed requests, HTTP errors,
 * or a .wasm served without Content-Type application/wasm.
 */
async function openPage(url) {
  const context = await (await browser()).newContext();
  try {
    const page = await context.newPage();
    const problems = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`console.${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    let wasmType;
    page.on("response", (r) => {
      if (r.url().endsWith(".wasm")) wasmType = r.headers()["content-type"];
    });
    await page.goto(url);
    await page.waitForSelector("#result[data-status]", { timeout: PAGE_TIMEOUT_MS }).catch(() => {
      throw new Error(`page never finished (#result has no data-status)\n${problems.join("\n")}`);
    });
    const status = await page.getAttribute("#result", "data-status");
    const text = await page.textContent("#result");
    if (status !== "ok") throw new Error(`page reported ${status}: ${text}\n${problems.join("\n")}`);
    if (problems.length) throw new Error(problems.join("\n"));
    if (wasmType !== "application/wasm") throw new Error(`wasm fetched with Content-Type ${wasmType}`);
    return checkScenario(JSON.parse(text));
  } finally {
    await context.close();
  }
}

/** Start `vite` (dev server) in dir on a free 127.0.0.1 port; resolves { url, stop }. */
async function startViteDev(dir) {
  const port = await new Promise((resolve, reject) => {
    const s = net.createServer().once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
  // Vite colours its banner whenever CI is set (picocolors), which splits the URL with ANSI
  // codes: ask for plain text, and strip escapes anyway before matching.
  const { CI: _ci, FORCE_COLOR: _fc, ...plainEnv } = process.env;
  const child = spawn(process.execPath, [BIN.vite, "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    cwd: dir,
    env: { ...plainEnv, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const stop = () => new Promise((r) => (child.exitCode !== null ? r() : (child.once("close", r), child.kill())));
  const url = `http://127.0.0.1:${port}/`;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vite dev did not start:\n${tail(out)}`)), 30_000);
    const onData = (d) => {
      out += d;
      // eslint-disable-next-line no-control-regex
      if (out.replace(/\x1b\[[0-9;]*m/g, "").includes(url)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("close", (code) => {
      clearTimeout(timer);
      reject(new Error(`vite dev exited (${code}):\n${tail(out)}`));
    });
  }).catch(async (e) => {
    await stop();
    throw e;
  });
  return { url, stop };
}

// ---------- projects ----------

const REQUIRED_FILES = [
  "package.json",
  "README.md",
  "index.mjs",
  "index.d.ts",
  "index.d.mts",
  "index.d.cts",
  "bioxen_bg.wasm",
  "web/bioxen.js",
  "web/bioxen.d.ts",
  "node/bioxen.cjs",
  "node/bioxen.d.cts",
];

const PROJECTS = {
  async "npm-pack"() {
    const files = packInfo.files.map((f) => f.path);
    const missing = REQUIRED_FILES.filter((f) => !files.includes(f));
    if (missing.length) throw new Error(`tarball lacks ${missing.join(", ")}`);
    const stray = files.filter((f) => /(^|\/)(\.|node_modules\/)|\.(tgz|log)$|\.test\./.test(f));
    if (stray.length) throw new Error(`stray files in tarball: ${stray.join(", ")}`);
    // every file the exports map names must be in the tarball
    const targets = [];
    const walk = (v) => (typeof v === "string" ? targets.push(v.replace(/^\.\//, "")) : Object.values(v).forEach(walk));
    walk(pkgJson.exports);
    const dangling = targets.filter((t) => !files.includes(t));
    if (dangling.length) throw new Error(`exports map points at missing files: ${dangling.join(", ")}`);
    return `${files.length} files, ${(packInfo.size / 1024).toFixed(1)} KiB packed`;
  },

  async "node-esm"() {
    const dir = makeProject("node-esm");
    await install(dir);
    const { stdout } = await run(process.execPath, ["main.mjs"], { cwd: dir });
    return JSON.stringify(checkResult(stdout));
  },

  async "node-cjs"() {
    const dir = makeProject("node-cjs");
    await install(dir);
    const { stdout } = await run(process.execPath, ["main.cjs"], { cwd: dir });
    return JSON.stringify(checkResult(stdout));
  },

  async typescript() {
    const dir = makeProject("typescript");
    await install(dir);
    const configs = ["tsconfig.json", "tsconfig.bare.json", "tsconfig.bundler.json"];
    for (const c of configs) await run(BIN.tsc, ["-p", c], { cwd: dir });
    const { stdout } = await run(BIN.tsc, ["--version"], { cwd: dir });
    return `${stdout.trim()}: ${configs.join(", ")} clean`;
  },

  async vite() {
    const dir = makeProject("vite");
    await install(dir);
    await run(process.execPath, [BIN.vite, "build", "--logLevel", "warn"], { cwd: dir });
    const assets = fs.readdirSync(path.join(dir, "dist/assets"));
    if (!assets.some((f) => f.endsWith(".wasm"))) throw new Error(`vite emitted no .wasm asset: ${assets.join(", ")}`);
    return JSON.stringify(await runPage(path.join(dir, "dist")));
  },

  async "vite-dev"() {
    const dir = makeProject("vite-dev", ["vite", "vite-dev"]);
    await install(dir);
    const { url, stop } = await startViteDev(dir);
    try {
      return JSON.stringify(await openPage(url));
    } finally {
      await stop();
    }
  },

  async "browser-esm"() {
    const dir = makeProject("browser-esm");
    await install(dir);
    return JSON.stringify(await runPage(dir));
  },
};

// ---------- main ----------

const wanted = process.argv.slice(2);
for (const w of wanted) {
  if (!(w in PROJECTS)) {
    console.error(`unknown project ${w}; known: ${Object.keys(PROJECTS).join(", ")}`);
    process.exit(2);
  }
}
if (!fs.existsSync(path.join(PKG, "package.json"))) {
  console.error("pkg/ is not built: run scripts/build-pkg.sh first");
  console.log("0 passed, 1 failed");
  process.exit(1);
}
for (const [name, bin] of Object.entries(BIN)) {
  if (!fs.existsSync(bin)) {
    console.error(`${name} not installed at ${bin}: run scripts/setup.sh (npm ci)`);
    console.log("0 passed, 1 failed");
    process.exit(1);
  }
}

const pkgJson = readJson(path.join(PKG, "package.json"));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bioxen-packaging-"));
const { stdout: packOut } = await run("npm", ["pack", PKG, "--pack-destination", tmp, "--json", "--loglevel=error"], { cwd: tmp });
const packInfo = JSON.parse(packOut)[0];
const tarball = path.join(tmp, packInfo.filename);

let passed = 0;
let failed = 0;
process.on("uncaughtException", (e) => {
  // a bug in this runner or a callback that threw: still end with the summary line
  console.log(`FAIL runner: ${e?.stack ?? e}`);
  console.log(`(temporary projects kept in ${tmp})`);
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
});
let currentProject;
for (const name of wanted.length ? wanted : Object.keys(PROJECTS)) {
  currentProject = name;
  const t = performance.now();
  const secs = () => ((performance.now() - t) / 1000).toFixed(1) + "s";
  try {
    const detail = await PROJECTS[name]();
    passed++;
    console.log(`ok   ${name.padEnd(12)} ${secs().padStart(6)}  ${detail}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name.padEnd(12)} ${secs().padStart(6)}  ${String(e?.message ?? e).split("\n").join("\n     ")}`);
  }
}

if (browserPromise) await (await browserPromise.catch(() => null))?.close();
if (failed === 0 && !process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
else console.log(`(temporary projects kept in ${tmp})`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
