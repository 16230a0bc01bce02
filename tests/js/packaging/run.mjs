#!/usr/bin/env node
// Packaging tests for the npm package built into pkg/ (by scripts/build-pkg.sh), in the style of
// automerge's javascript/packaging_tests: `npm pack` pkg/, then install the tarball into fresh
// temporary projects and run the same scenario (fixtures/scenario.mjs) in each, as a user would
// (every project must return exactly the same result: the simulation is deterministic, and the
// lite build simulates exactly as the full one; only the scenario's `features` differ by build):
//
//   npm-pack     the tarball holds the files the exports map points to, and nothing stray
//   node-esm     import ... from "bioxen" in Node ESM (no init needed; shares require's instance);
//                the .wasm by URL (import.meta.resolve of bioxen/bioxen_bg.wasm) into bioxen/web
//   node-cjs     require("bioxen") in Node CommonJS
//   typescript   tsc --noEmit, strict: Node (nodenext + @types/node), bare (no ambient types), bundler + DOM
//   vite         vite build of a page, served on 127.0.0.1, run in headless Chromium
//   vite-dev     the same page under the vite dev server, with the documented optimizeDeps.exclude
//   vite-url     the .wasm imported by URL (bioxen/bioxen_bg.wasm?url) and passed to init():
//                vite build, then the dev server with no configuration
//   browser-esm  plain <script type="module"> + import map, no bundler, in headless Chromium
//   lite/...     each of the above but npm-pack against `bioxen/lite`: the same fixtures with the
//                package's specifiers and paths pointed at lite (see forBuild)
//   lite-api     bioxen/lite exports the same names and class members as bioxen (ESM and CJS) and
//                ships the same typings
//
// Every scenario run also records what the kinetic and genome operations do (scenario.mjs
// features()): all work in the full build; in lite each throws an Error with code
// FEATURE_UNAVAILABLE naming its feature.
//
// Usage: node tests/js/packaging/run.mjs [project ...]     (default: all; e.g. lite/vite)
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

/**
 * The package's two builds: the specifier users import and what each kinetic and genome
 * operation of the scenario (scenario.mjs features()) must do there.
 */
const FEATURE_PROBES = ["kineticHypervisor", "simulateWeisse", "weisseSteadyState", "simulateCircuits", "getSupportedCircuits", "createVmWithCircuit", "setInducer", "parseGenome", "createVmWithGenome"];
const PROBE_FEATURE = { kineticHypervisor: "kinetics", simulateWeisse: "kinetics", weisseSteadyState: "kinetics", simulateCircuits: "kinetics", getSupportedCircuits: "kinetics", createVmWithCircuit: "kinetics", setInducer: "kinetics", parseGenome: "genome", createVmWithGenome: "genome" };
const BUILDS = {
  full: { entry: "bioxen", features: Object.fromEntries(FEATURE_PROBES.map((p) => [p, "ok"])) },
  lite: { entry: "bioxen/lite", features: Object.fromEntries(FEATURE_PROBES.map((p) => [p, `FEATURE_UNAVAILABLE ${PROBE_FEATURE[p]}`])) },
};

/**
 * A fixture file's text for `build`. Fixtures are written against the full build; for lite every
 * specifier of the package ("bioxen", "bioxen/web", 'bioxen/bioxen_bg.wasm?url', ...) becomes
 * the same under "bioxen/lite", and every path into the installed package (node_modules/bioxen/...,
 * as in an import map or a resolution check) the same under node_modules/bioxen/lite/.
 * Returns [text, number of replacements].
 */
function forBuild(text, build) {
  if (build === "full") return [text, 0];
  let n = 0;
  const out = text
    .replace(/(["'])bioxen(?=["'/])/g, (_, q) => (n++, `${q}bioxen/lite`))
    .replace(/node_modules\/bioxen\//g, () => (n++, "node_modules/bioxen/lite/"));
  return [out, n];
}

/**
 * Copy fixture folders (later ones overlay earlier ones) plus the shared scenario into
 * tmp/<build>/name, every file rewritten for `build` (forBuild). A lite project whose files name
 * the package nowhere would silently test the full build: that fails here.
 */
function makeProject(name, layers = [name], build = "full") {
  const dir = path.join(tmp, build, name);
  for (const layer of layers) fs.cpSync(path.join(FIXTURES, layer), dir, { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, "scenario.mjs"), path.join(dir, "scenario.mjs"));
  let replaced = 0;
  for (const f of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!f.isFile()) continue;
    const file = path.join(f.parentPath ?? f.path, f.name);
    const [text, n] = forBuild(fs.readFileSync(file, "utf8"), build);
    if (n) fs.writeFileSync(file, text);
    replaced += n;
  }
  if (build !== "full" && replaced === 0) throw new Error(`${name}: no file names the package, so nothing points it at ${BUILDS[build].entry}`);
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
  const { features, ...common } = result;
  const { entry, features: want } = BUILDS[currentBuild];
  const [got, expected] = [JSON.stringify(features), JSON.stringify(want)];
  if (got !== expected) throw new Error(`kinetic and genome operations in ${entry}:\n  got      ${got}\n  expected ${expected}`);
  const json = JSON.stringify(common);
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
 * or a .wasm served without Content-Type application/wasm. A page that passes its own wasm URL
 * to init() names it in #result[data-wasm-url]: then that must be the one .wasm fetched.
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
    const wasmUrls = [];
    page.on("response", (r) => {
      // the fetch of a .wasm; not a script request such as Vite dev's `bioxen_bg.wasm?import&url`
      // (the JS module that exports the URL)
      if (new URL(r.url()).pathname.endsWith(".wasm") && r.request().resourceType() !== "script") {
        wasmType = r.headers()["content-type"];
        wasmUrls.push(r.url());
      }
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
    const ownUrl = await page.getAttribute("#result", "data-wasm-url");
    if (ownUrl !== null && (wasmUrls.length !== 1 || wasmUrls[0] !== ownUrl))
      throw new Error(`the page passed ${ownUrl} to init(), but fetched [${wasmUrls.join(", ")}]`);
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

// The entry files of one build; the lite build has them all again under lite/.
const BUILD_FILES = [
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
const REQUIRED_FILES = ["package.json", "README.md", ...BUILD_FILES, ...BUILD_FILES.map((f) => `lite/${f}`)];

/** Projects run once per build (as `name` for full, `lite/name` for lite). */
const BUILD_PROJECTS = {
  async "node-esm"(build) {
    const dir = makeProject("node-esm", undefined, build);
    await install(dir);
    const { stdout } = await run(process.execPath, ["main.mjs"], { cwd: dir });
    return JSON.stringify(checkResult(stdout));
  },

  async "node-cjs"(build) {
    const dir = makeProject("node-cjs", undefined, build);
    await install(dir);
    const { stdout } = await run(process.execPath, ["main.cjs"], { cwd: dir });
    return JSON.stringify(checkResult(stdout));
  },

  async typescript(build) {
    const dir = makeProject("typescript", undefined, build);
    await install(dir);
    const configs = ["tsconfig.json", "tsconfig.bare.json", "tsconfig.bundler.json"];
    for (const c of configs) await run(BIN.tsc, ["-p", c], { cwd: dir });
    const { stdout } = await run(BIN.tsc, ["--version"], { cwd: dir });
    return `${stdout.trim()}: ${configs.join(", ")} clean`;
  },

  async vite(build) {
    const dir = makeProject("vite", undefined, build);
    await install(dir);
    return JSON.stringify(await viteBuildAndRun(dir));
  },

  async "vite-dev"(build) {
    const dir = makeProject("vite-dev", ["vite", "vite-dev"], build);
    await install(dir);
    return JSON.stringify(await viteDevRun(dir));
  },

  async "vite-url"(build) {
    const dir = makeProject("vite-url", ["vite", "vite-url"], build);
    await install(dir);
    await viteBuildAndRun(dir); // both results are checked against the first project's
    return `build and dev server: ${JSON.stringify(await viteDevRun(dir))}`;
  },

  async "browser-esm"(build) {
    const dir = makeProject("browser-esm", undefined, build);
    await install(dir);
    return JSON.stringify(await runPage(dir));
  },
};

/** `vite build` in dir, then its dist/ served and run in headless Chromium; the scenario result. */
async function viteBuildAndRun(dir) {
  await run(process.execPath, [BIN.vite, "build", "--logLevel", "warn"], { cwd: dir });
  const assets = fs.readdirSync(path.join(dir, "dist/assets"));
  if (!assets.some((f) => f.endsWith(".wasm"))) throw new Error(`vite emitted no .wasm asset: ${assets.join(", ")}`);
  return runPage(path.join(dir, "dist"));
}

/** The vite dev server in dir, its page run in headless Chromium; the scenario result. */
async function viteDevRun(dir) {
  const { url, stop } = await startViteDev(dir);
  try {
    return await openPage(url);
  } finally {
    await stop();
  }
}

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
  ...Object.fromEntries(Object.entries(BUILD_PROJECTS).map(([name, fn]) => [name, () => fn("full")])),
  ...Object.fromEntries(Object.entries(BUILD_PROJECTS).map(([name, fn]) => [`lite/${name}`, () => fn("lite")])),

  async "lite-api"() {
    const dir = makeProject("lite-api");
    await install(dir);
    const { stdout } = await run(process.execPath, ["main.mjs"], { cwd: dir });
    return stdout.trim().split("\n").at(-1);
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
let currentBuild; // the build a project's scenario runs against: "lite" for lite/*, else "full"
for (const name of wanted.length ? wanted : Object.keys(PROJECTS)) {
  currentProject = name;
  currentBuild = name.startsWith("lite/") ? "lite" : "full";
  const t = performance.now();
  const secs = () => ((performance.now() - t) / 1000).toFixed(1) + "s";
  try {
    const detail = await PROJECTS[name]();
    passed++;
    console.log(`ok   ${name.padEnd(17)} ${secs().padStart(6)}  ${detail}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name.padEnd(17)} ${secs().padStart(6)}  ${String(e?.message ?? e).split("\n").join("\n     ")}`);
  }
}

if (browserPromise) await (await browserPromise.catch(() => null))?.close();
if (failed === 0 && !process.env.KEEP_TMP) fs.rmSync(tmp, { recursive: true, force: true });
else console.log(`(temporary projects kept in ${tmp})`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
