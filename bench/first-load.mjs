#!/usr/bin/env node
// first-load.mjs: the bytes a first visit to the playground transfers, by resource.
//
//   node bench/first-load.mjs                 this tree's www/ (lite build first when pkg/ has one)
//   node bench/first-load.mjs --ref main      also a git ref's www/ (e.g. the playground before
//                                             lite-first loading), served with the same pkg/
//   node bench/first-load.mjs --json          one JSON object instead of the tables
//
// Serves www/ with pkg/ at /pkg/ (scripts/serve.mjs, no compression, no caching) on a free
// 127.0.0.1 port, opens the page in headless Debian Chromium (playwright-core, a fresh profile:
// nothing cached), waits until the playground is ready and the network is idle, and sums every
// response: encoded (bytes on the wire, as served here: uncompressed) and decoded bytes, plus
// what a server compressing with gzip -9 or brotli (quality 11) would send. Grouped by kind:
// wasm, glue (the package's JS), js (the playground's modules), vendor (uPlot), css, html, other.
// It reports; it asserts nothing. Needs pkg/ (scripts/build-pkg.sh) and www/vendor/
// (scripts/build-www.sh, run here).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { startServer } from "../scripts/serve.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];
const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const REF = arg("ref");
const JSON_OUT = process.argv.includes("--json");

if (!fs.existsSync(path.join(ROOT, "pkg/web/bioxen.js"))) {
  console.error("first-load: pkg/ is not built; run scripts/build-pkg.sh first");
  process.exit(1);
}
execFileSync("bash", [path.join(ROOT, "scripts/build-www.sh")], { stdio: ["ignore", "ignore", "inherit"] });

/** A git ref's www/ in a temporary folder, with this tree's vendor files. */
function wwwOf(ref) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bioxen-www-"));
  execFileSync("bash", ["-c", `git -C "${ROOT}" archive "${ref}" www | tar -x -C "${dir}"`]);
  fs.cpSync(path.join(ROOT, "www/vendor"), path.join(dir, "www/vendor"), { recursive: true });
  return path.join(dir, "www");
}

function kindOf(pathname) {
  if (pathname.endsWith(".wasm")) return "wasm";
  if (pathname.startsWith("/pkg/")) return pathname.endsWith(".json") ? "other" : "glue";
  if (pathname.startsWith("/vendor/")) return "vendor";
  if (pathname.endsWith(".js") || pathname.endsWith(".mjs")) return "js";
  if (pathname.endsWith(".css")) return "css";
  if (pathname.endsWith(".html") || pathname === "/") return "html";
  return "other";
}

async function measure(browser, root) {
  const { server, url } = await startServer({ root, mounts: { "/pkg/": path.join(ROOT, "pkg") } });
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const pending = [];
  ctx.on("requestfinished", (req) => pending.push((async () => {
    const res = await req.response();
    const body = res ? await res.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
    const sizes = await req.sizes().catch(() => ({ responseBodySize: body.length }));
    const pathname = new URL(req.url()).pathname;
    return {
      path: pathname, kind: kindOf(pathname), status: res ? res.status() : 0,
      encoded: sizes.responseBodySize, decoded: body.length,
      gzip: zlib.gzipSync(body, { level: 9 }).length,
      brotli: zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  })()));
  await page.goto(url);
  await page.waitForFunction(() => window.__playground && window.__playground.ready, null, { timeout: 30_000 });
  await page.waitForLoadState("networkidle");
  const engine = await page.evaluate(() => (window.__playground.engine ? window.__playground.engine() : "full (no engine hook)"));
  const files = await Promise.all(pending);
  await ctx.close();
  server.close();
  const total = { count: 0, encoded: 0, decoded: 0, gzip: 0, brotli: 0 };
  const byKind = {};
  for (const f of files) {
    const k = (byKind[f.kind] ??= { count: 0, encoded: 0, decoded: 0, gzip: 0, brotli: 0 });
    for (const t of [k, total]) {
      t.count++;
      for (const key of ["encoded", "decoded", "gzip", "brotli"]) t[key] += f[key];
    }
  }
  return { engine, total, byKind, files: files.sort((a, b) => b.decoded - a.decoded) };
}

const kb = (n) => `${(n / 1000).toFixed(1)} KB`; // KB = 1000 bytes, as in the README
function print(name, r) {
  console.log(`\n${name}: first build loaded = ${r.engine}`);
  console.log("kind     files   encoded    decoded    gzip -9    brotli");
  const row = (label, t) => console.log(`${label.padEnd(8)} ${String(t.count).padStart(5)} ${kb(t.encoded).padStart(10)} ${kb(t.decoded).padStart(10)} ${kb(t.gzip).padStart(10)} ${kb(t.brotli).padStart(10)}`);
  for (const [k, t] of Object.entries(r.byKind).sort((a, b) => b[1].decoded - a[1].decoded)) row(k, t);
  row("total", r.total);
  for (const f of r.files.filter((x) => x.kind === "wasm" || x.kind === "glue")) console.log(`  ${f.path}: ${f.decoded} B (gzip ${f.gzip} B)`);
}

const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
const results = {};
try {
  if (REF) results[REF] = await measure(browser, wwwOf(REF));
  results.current = await measure(browser, path.join(ROOT, "www"));
} finally {
  await browser.close();
}
if (JSON_OUT) console.log(JSON.stringify(results, null, 2));
else {
  for (const [name, r] of Object.entries(results)) print(name === "current" ? "this tree" : name, r);
  if (REF) {
    const d = (key) => results.current.total[key] - results[REF].total[key];
    console.log(`\nchange: ${kb(d("decoded"))} decoded, ${kb(d("gzip"))} gzip -9, ${kb(d("brotli"))} brotli`);
  }
}
