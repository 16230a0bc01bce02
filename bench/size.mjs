#!/usr/bin/env node
// Sizes of the package's two builds in pkg/ (scripts/build-pkg.sh): the wasm and the browser glue
// of `bioxen` (full) and `bioxen/lite`, raw, gzip -9 and brotli at its highest quality, against
// the size targets of issue 14. Run: node bench/size.mjs (node bench/ prints it as part (c);
// build-pkg.sh prints it at the end). Reports; asserts nothing. KB = 1000 bytes.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import zlib from "node:zlib";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const KB = 1000;

/** The builds: folder in pkg/ and the wasm size targets ({ raw, gzip } in bytes). */
export const BUILDS = [
  // The full build may not grow past its size before the lite build existed (issue 14): main's
  // build at 194958c measured here, 1,046,052 B raw and 418,606 B gzip -9 (418,621 B with the file
  // name gzip writes into the header when given a file, as build-pkg.sh printed before).
  { name: "full", dir: ".", targets: { raw: 1_046_052, gzip: 418_606 } },
  { name: "lite", dir: "lite", targets: { gzip: 150 * KB } },
];

/**
 * Bytes of `bytes` after `gzip -9` (the gzip program: its deflate packs this wasm about 1 % tighter
 * than node's zlib at level 9, 418,621 vs 423,393 B for the full build before lite existed, and
 * the size targets were measured with it); node's zlib at level 9 where there is no gzip.
 */
function gzipSize(bytes) {
  const r = spawnSync("gzip", ["-9", "-c"], { input: bytes, maxBuffer: 4 * bytes.length + 1024 });
  if (!r.error && r.status === 0) return r.stdout.length;
  return zlib.gzipSync(bytes, { level: 9 }).length;
}

/** Raw, gzip -9 and brotli (quality 11, the maximum) byte counts of `bytes`. */
export function compressedSizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSize(bytes),
    brotli: zlib.brotliCompressSync(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }).length,
  };
}

/** Sizes of each build's wasm and web glue: [{ build, file, raw, gzip, brotli, targets? }]. */
export function packageSizes(pkgDir = path.join(REPO, "pkg")) {
  const rows = [];
  for (const b of BUILDS) {
    for (const file of ["bioxen_bg.wasm", "web/bioxen.js"]) {
      const p = path.join(pkgDir, b.dir, file);
      if (!fs.existsSync(p)) throw new Error(`${p} not found: run scripts/build-pkg.sh`);
      rows.push({ build: b.name, file: path.posix.join(b.dir, file), ...compressedSizes(fs.readFileSync(p)), ...(file.endsWith(".wasm") && { targets: b.targets }) });
    }
  }
  return rows;
}

const kb = (n) => `${(n / KB).toLocaleString("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 })} KB`;

/** The size table as lines of text, with each wasm target and whether it is met. */
export function sizeReport(rows = packageSizes()) {
  const lines = [`  ${"build".padEnd(5)} ${"file".padEnd(20)} ${"raw".padStart(11)} ${"gzip -9".padStart(10)} ${"brotli".padStart(10)}`];
  for (const r of rows) {
    let note = "";
    if (r.targets) {
      const parts = Object.entries(r.targets).map(([k, t]) => `${k} <= ${kb(t)}: ${r[k] <= t ? "met" : "NOT met"}`);
      note = `  (target ${parts.join(", ")})`;
    }
    lines.push(`  ${r.build.padEnd(5)} ${r.file.padEnd(20)} ${kb(r.raw).padStart(11)} ${kb(r.gzip).padStart(10)} ${kb(r.brotli).padStart(10)}${note}`);
  }
  return lines;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log("size of pkg/ (KB = 1000 B; gzip -9, brotli quality 11)");
  for (const line of sizeReport()) console.log(line);
}
