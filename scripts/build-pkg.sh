#!/usr/bin/env bash
# build-pkg.sh: build the npm package `bioxen` into pkg/.
#
#   cargo build (wasm32, release) -> wasm-bindgen --target web and --target nodejs
#   -> exact-string patches to both glues, plus src/wasm/gene_objects.js appended -> wasm-opt (binaryen from node_modules, never /usr/bin/wasm-opt) -> pkg-config/ files
#   -> version from Cargo.toml into pkg/package.json -> smoke-load -> print sizes.
#
# Layout of pkg/ (see pkg-config/README.md for how users import it):
#   package.json, README.md     from pkg-config/ (version filled in here)
#   index.mjs                   Node ESM entry: re-exports node/bioxen.cjs (no top-level await)
#   index.d.ts                  typings of the browser/bundler entry (wasm-bindgen web typings)
#   index.d.mts, index.d.cts    typings of the Node ESM and CommonJS entries (no DOM types)
#   bioxen_bg.wasm              the one optimised wasm, shared by both glues
#   web/bioxen.js (+ .d.ts)     wasm-bindgen --target web glue: browsers and bundlers, `await init()`
#   node/bioxen.cjs (+ .d.cts)  wasm-bindgen --target nodejs glue, renamed to .cjs; loads the wasm synchronously
#
# Usage: scripts/build-pkg.sh
# Knobs (environment):
#   WASM_OPT_LEVEL=-Os   wasm-opt optimisation flag(s): -Os (default; -O3 measured no faster and 8 KB larger), -Oz, -O3, "-O3 -g" ...; "none" skips wasm-opt
#   WASM_OPT=path        wasm-opt binary to use (default: node_modules/.bin/wasm-opt from npm `binaryen`)
# Needs: scripts/setup.sh done (wasm32 target, wasm-bindgen-cli matching Cargo.lock, npm ci for binaryen).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WASM_OPT_LEVEL="${WASM_OPT_LEVEL:--Os}"
WASM_OPT="${WASM_OPT:-$ROOT/node_modules/.bin/wasm-opt}"
# rustc 1.95's wasm32-unknown-unknown emits these features (its default "generic" CPU) and
# wasm-bindgen 0.2.130 uses multivalue returns and an externref table. binaryen >= 117 also reads
# them from the wasm's target_features section, but we pass them explicitly so the build does not
# depend on that section being kept.
WASM_OPT_FEATURES=(--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
MIN_BINARYEN=117 # older binaryen (Debian's 108) writes wasm that fails to load: RangeError Table.grow

die() { echo "build-pkg: error: $*" >&2; exit 1; }
t0=$SECONDS
step() { printf 'build-pkg: %-46s done at +%ss\n' "$1" "$((SECONDS - t0))"; }

command -v node >/dev/null || die "node not found"
command -v wasm-bindgen >/dev/null || die "wasm-bindgen not found: run scripts/setup.sh"

# --- crate facts from cargo metadata: package name, version, target dir, locked wasm-bindgen ---
meta="$(cargo metadata --format-version 1 --no-deps)"
read -r CRATE VERSION TARGET_DIR < <(node -e '
  const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
  const p = m.packages.find(p => p.manifest_path === m.workspace_root + "/Cargo.toml") || m.packages[0];
  const lib = p.targets.find(t => t.kind.includes("cdylib"));
  if (!lib) { console.error("no cdylib target in " + p.name); process.exit(1); }
  console.log(lib.name.replace(/-/g, "_"), p.version, m.target_directory);
' <<<"$meta")
[[ -n "${CRATE:-}" ]] || die "could not read crate metadata"
grep -q "\"./web/$CRATE.js\"" pkg-config/package.json ||
  die "pkg-config/package.json does not point at ./web/$CRATE.js (the lib is named $CRATE)"

locked_wb="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock 2>/dev/null || true)"
have_wb="$(wasm-bindgen --version | awk '{print $2}')"
if [[ -n "$locked_wb" && "$locked_wb" != "$have_wb" ]]; then
  die "Cargo.lock has wasm-bindgen $locked_wb but the CLI is $have_wb (they must match exactly): run scripts/setup.sh"
fi

if [[ "$WASM_OPT_LEVEL" != none ]]; then
  [[ -x "$WASM_OPT" ]] || die "$WASM_OPT not found: run scripts/setup.sh (npm ci installs binaryen). Never use /usr/bin/wasm-opt."
  bv="$("$WASM_OPT" --version | sed -n 's/.*version \([0-9][0-9]*\).*/\1/p')"
  [[ "${bv:-0}" -ge $MIN_BINARYEN ]] || die "$WASM_OPT is binaryen ${bv:-?}; need >= $MIN_BINARYEN"
fi

# --- 1. compile ---
# The wasm-release profile (Cargo.toml): this crate at opt-level 3, dependencies at "s"; Cargo.toml
# has the measurements behind that choice.
cargo build --profile wasm-release --target wasm32-unknown-unknown --lib --quiet
WASM_IN="$TARGET_DIR/wasm32-unknown-unknown/wasm-release/$CRATE.wasm"
[[ -f "$WASM_IN" ]] || die "cargo produced no $WASM_IN"
step "cargo build (wasm32, wasm-release)"

# --- 2. bindgen into a staging dir, swapped into pkg/ only when everything worked ---
STAGE="$TARGET_DIR/pkg-stage"
rm -rf "$STAGE"
mkdir -p "$STAGE"
wasm-bindgen --target web --out-dir "$STAGE/web" "$WASM_IN"
wasm-bindgen --target nodejs --out-dir "$STAGE/node" "$WASM_IN"
step "wasm-bindgen (web, nodejs)"

# --- 3. one shared wasm file; node glue to .cjs (it is CommonJS inside a "type": "module" package) ---
cmp -s "$STAGE/web/${CRATE}_bg.wasm" "$STAGE/node/${CRATE}_bg.wasm" ||
  die "wasm-bindgen wrote different wasm for web and nodejs; pkg/ layout assumes one shared wasm"
mv "$STAGE/web/${CRATE}_bg.wasm" "$STAGE/${CRATE}_bg.wasm"
mv "$STAGE/web/${CRATE}_bg.wasm.d.ts" "$STAGE/${CRATE}_bg.wasm.d.ts"
rm "$STAGE/node/${CRATE}_bg.wasm" "$STAGE/node/${CRATE}_bg.wasm.d.ts"
mv "$STAGE/node/$CRATE.js" "$STAGE/node/$CRATE.cjs"
mv "$STAGE/node/$CRATE.d.ts" "$STAGE/node/$CRATE.d.cts"

# Exact-string rewrites; each must match exactly once, so a wasm-bindgen upgrade that changes the
# glue fails here loudly instead of shipping a package that cannot find its wasm.
node - "$STAGE" "$CRATE" "$ROOT/src/wasm/gene_objects.js" <<'JS'
const fs = require("fs");
const [stage, crate, geneObjects] = process.argv.slice(2);
function patch(file, edits) {
  let src = fs.readFileSync(file, "utf8");
  for (const [from, to] of edits) {
    const n = src.split(from).length - 1;
    if (n !== 1) { console.error(`build-pkg: ${file}: expected 1 occurrence of ${JSON.stringify(from)}, found ${n}`); process.exit(1); }
    src = src.replace(from, () => to);
  }
  fs.writeFileSync(file, src);
}
// wasm-bindgen's own refusals (a method called on an object after free() or after a call that
// took it, a re-entrant call) arrive through its throw import as plain Errors without a `code`;
// give them the package's INVALID_ARGUMENT and say what happened.
const THROW = "throw new Error(getStringFromWasm0(arg0, arg1));";
const CODED_THROW = "{ const m = getStringFromWasm0(arg0, arg1); const e = new Error(m === \"null pointer passed to rust\" ? \"this object has been freed (free() was called, or a call took ownership of it): \" + m : m); e.code = \"INVALID_ARGUMENT\"; throw e; }";
patch(`${stage}/web/${crate}.js`, [
  [`new URL('${crate}_bg.wasm', import.meta.url)`, `new URL('../${crate}_bg.wasm', import.meta.url)`],
  [THROW, CODED_THROW],
]);
patch(`${stage}/node/${crate}.cjs`, [
  [THROW, CODED_THROW],
  ["/* @ts-self-types=\"./" + crate + ".d.ts\" */", "/* @ts-self-types=\"./" + crate + ".d.cts\" */"],
  ["`${__dirname}/" + crate + "_bg.wasm`", "`${__dirname}/../" + crate + "_bg.wasm`"],
  // Expose the instance exports (memory etc.) so the Node ESM entry's init() can return them
  // like the web build's init() does. wasm-bindgen's nodejs glue had this until ~0.2.9x.
  ["let wasm = wasmInstance.exports;", "let wasm = wasmInstance.exports;\nexports.__wasm = wasm;"],
]);
// parseGenome builds its gene objects with bioxenGeneObjects (src/wasm/gene_objects.js), which
// the glue's import shim calls by name: define it in both glue files (a function declaration,
// hoisted, so appending it works in the ES module and the CommonJS file alike).
const helper = fs.readFileSync(geneObjects, "utf8");
for (const file of [`${stage}/web/${crate}.js`, `${stage}/node/${crate}.cjs`]) {
  const src = fs.readFileSync(file, "utf8");
  const calls = src.split("bioxenGeneObjects(").length - 1;
  if (calls !== 1) { console.error(`build-pkg: ${file}: expected 1 call of bioxenGeneObjects, found ${calls}`); process.exit(1); }
  fs.writeFileSync(file, src + "\n" + helper);
}
// wasm-bindgen declares free() and [Symbol.dispose]() on every class without a doc comment; give
// them one (editors and the API reference show it; scripts/build-docs.sh --check requires it).
const FREE = "    free(): void;\n    [Symbol.dispose](): void;\n";
const FREE_DOC = "    /**\n     * Frees this object's memory in the wasm heap now. Calling a method afterwards throws an\n" +
  "     * `Error` with `code: \"INVALID_ARGUMENT\"`. Objects that are garbage-collected are freed too.\n     */\n" +
  "    free(): void;\n    /** The same as `free()`, so that `using` declarations free the object. */\n    [Symbol.dispose](): void;\n";
for (const dts of [`${stage}/web/${crate}.d.ts`, `${stage}/node/${crate}.d.cts`]) {
  let src = fs.readFileSync(dts, "utf8");
  const classes = src.split("\nexport class ").length - 1, frees = src.split(FREE).length - 1;
  if (frees !== classes) { console.error(`build-pkg: ${dts}: ${classes} classes but ${frees} free()/[Symbol.dispose]() pairs in wasm-bindgen's layout`); process.exit(1); }
  src = src.split(FREE).join(FREE_DOC);
  // `[Symbol.dispose](): void` needs TypeScript's esnext.disposable lib; reference it so
  // consumers need neither "lib": ["esnext"] nor skipLibCheck.
  if (src.includes("Symbol.dispose")) src = '/// <reference lib="esnext.disposable" />\n' + src;
  fs.writeFileSync(dts, src);
}
const cjs = fs.readFileSync(`${stage}/node/${crate}.cjs`, "utf8");
const rel = [...cjs.matchAll(/require\(\s*['"](\.[^'"]*)['"]\s*\)/g)].map(m => m[1]);
if (rel.length) { console.error(`build-pkg: node glue requires relative files ${rel}; update the layout`); process.exit(1); }
JS

# --- 4. wasm-opt ---
WASM="$STAGE/${CRATE}_bg.wasm"
raw_unopt=$(wc -c <"$WASM")
if [[ "$WASM_OPT_LEVEL" != none ]]; then
  # shellcheck disable=SC2086  # WASM_OPT_LEVEL may hold several flags on purpose
  "$WASM_OPT" $WASM_OPT_LEVEL "${WASM_OPT_FEATURES[@]}" "$WASM" -o "$WASM.opt"
  mv "$WASM.opt" "$WASM"
  step "wasm-opt $WASM_OPT_LEVEL"
fi

# --- 5. package files from pkg-config/, version from Cargo.toml ---
cp -R pkg-config/. "$STAGE/"
for f in LICENSE LICENSE-MIT LICENSE-APACHE; do
  if [[ -f "$f" ]]; then cp "$f" "$STAGE/"; fi
done
node - "$STAGE/package.json" "$VERSION" <<'JS'
const fs = require("fs");
const [file, version] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(file, "utf8"));
pkg.version = version;
fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + "\n");
JS

# --- 6. smoke test: both glues load the optimised wasm; ESM entry exports what CJS exports ---
node --input-type=module - "$STAGE" "$CRATE" <<'JS' || die "smoke test of the built package failed (see above)"
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
const [stage, crate] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const cjs = require(`${stage}/node/${crate}.cjs`);
const esm = await import(`${stage}/index.mjs`);
const web = await import(`${stage}/web/${crate}.js`);
web.initSync({ module: readFileSync(`${stage}/${crate}_bg.wasm`) });
const names = (o) => Object.keys(o).filter((k) => k !== "default" && k !== "initSync").sort().join(",");
if (names(cjs) !== names(esm)) throw new Error(`ESM entry exports [${names(esm)}] but CJS exports [${names(cjs)}]`);
if ((await esm.default()) !== cjs.__wasm || !(cjs.__wasm.memory instanceof WebAssembly.Memory))
  throw new Error("index.mjs init() does not return the wasm exports");
for (const m of [cjs, web]) if (typeof m.version === "function" && typeof m.version() !== "string") throw new Error("version() is not a string");
JS
step "smoke test (node cjs, node esm, web initSync)"

# --- 7. swap into place and report sizes ---
rm -rf "$ROOT/pkg"
mv "$STAGE" "$ROOT/pkg"
wasm="$ROOT/pkg/${CRATE}_bg.wasm"
raw=$(wc -c <"$wasm")
gz=$(gzip -9 -c "$wasm" | wc -c)
glue=$(wc -c <"$ROOT/pkg/web/$CRATE.js")
glue_gz=$(gzip -9 -c "$ROOT/pkg/web/$CRATE.js" | wc -c)
echo "build-pkg: pkg/ = $CRATE@$VERSION in $((SECONDS - t0))s"
echo "build-pkg: wasm ${raw} B raw (${raw_unopt} B before wasm-opt $WASM_OPT_LEVEL), ${gz} B gzip -9; web glue ${glue} B, ${glue_gz} B gzip -9"
