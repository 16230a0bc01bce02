#!/usr/bin/env bash
# build-pkg.sh: build the npm package `bioxen` into pkg/, with its two builds:
#
#   full  `bioxen`       default features (kinetics, genome), cargo profile wasm-release
#   lite  `bioxen/lite`  --no-default-features, cargo profile wasm-lite (smaller; same API, the
#                        kinetic and genome functions throw FEATURE_UNAVAILABLE)
#
# For each build: cargo build (wasm32) -> wasm-bindgen --target web and --target nodejs
#   -> exact-string patches to both glues, plus src/wasm/gene_objects.js appended
#   -> wasm-opt (binaryen from node_modules, never /usr/bin/wasm-opt; -O3 full, -Os lite, functions ordered by
#   name for compression, no producers/target_features sections). Then pkg-config/ files,
#   the version from Cargo.toml into pkg/package.json -> smoke-load both builds -> print sizes.
#
# Layout of pkg/ (see pkg-config/README.md for how users import it):
#   package.json, README.md     from pkg-config/ (version filled in here)
#   index.mjs                   Node ESM entry: re-exports node/bioxen.cjs (no top-level await)
#   index.d.ts                  typings of the browser/bundler entry (wasm-bindgen web typings)
#   index.d.mts, index.d.cts    typings of the Node ESM and CommonJS entries (no DOM types)
#   bioxen_bg.wasm              the one optimised wasm, shared by both glues
#   web/bioxen.js (+ .d.ts)     wasm-bindgen --target web glue: browsers and bundlers, `await init()`
#   node/bioxen.cjs (+ .d.cts)  wasm-bindgen --target nodejs glue, renamed to .cjs; loads the wasm synchronously
#   lite/                       the same files (less package.json and README.md) for the lite build;
#                               its typings are the full build's (the API is the same)
#
# Usage: scripts/build-pkg.sh
# Knobs (environment):
#   WASM_OPT_LEVEL=-O3   full build's wasm-opt flag(s): -O3 (default), -Os, -Oz, "-O3 -g" ...; "none" skips wasm-opt.
#                        -O3 against -Os (Node 20, simulateCircuits at rtol 1e-6, best of 30 after warm-up,
#                        two runs alternating): the repressilator over 10^4 min 4.82-4.94 against 5.25-5.28 ms,
#                        over 2000 min 0.68 against 0.72-0.75 ms; 11 KB larger raw, 1.2 KB gzip. (-O4 and
#                        -O3 --converge were no faster.)
#   LITE_WASM_OPT_LEVEL=-Os  the same for the lite build (-Os: smaller gzip than -Oz; measurements in Cargo.toml at [profile.wasm-lite])
#   LITE_FEATURES="--no-default-features"  cargo feature flags of the lite build ("" builds it with
#                        the default features: only for trying the pipeline, the packaging tests fail on it)
#   WASM_OPT=path        wasm-opt binary to use (default: node_modules/.bin/wasm-opt from npm `binaryen`)
# Needs: scripts/setup.sh done (wasm32 target, wasm-bindgen-cli matching Cargo.lock, npm ci for binaryen).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

WASM_OPT="${WASM_OPT:-$ROOT/node_modules/.bin/wasm-opt}"
# The builds: cargo profile, cargo feature flags, wasm-opt flags, folder inside pkg/ ("." = the root).
VARIANTS=(full lite)
declare -A PROFILE=([full]=wasm-release [lite]=wasm-lite)
declare -A FEATURES=([full]="" [lite]="${LITE_FEATURES---no-default-features}")
declare -A OPT_LEVEL=([full]="${WASM_OPT_LEVEL:--O3}" [lite]="${LITE_WASM_OPT_LEVEL:--Os}")
declare -A DIR=([full]=. [lite]=lite)
# rustc 1.95's wasm32-unknown-unknown emits these features (its default "generic" CPU, plus
# simd128 from .cargo/config.toml) and wasm-bindgen 0.2.130 uses multivalue returns and an
# externref table. binaryen >= 117 also reads
# them from the wasm's target_features section, but we pass them explicitly so the build does not
# depend on that section being kept.
WASM_OPT_FEATURES=(--enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext
  --enable-mutable-globals --enable-reference-types --enable-multivalue)
MIN_BINARYEN=117 # older binaryen (Debian's 108) writes wasm that fails to load: RangeError Table.grow
# Passes after the optimisation level, for both builds; none changes what the code does.
# --reorder-functions-by-name puts each module's functions side by side, which gzip and brotli
# pack better: full build 419,203 -> 414,556 B gzip -9, lite 216,181 -> 213,894 B (raw -177 and
# -138 B). (--reorder-functions, by use count, made the full build 8.8 KB smaller raw but 2.4 KB
# larger gzip.) The producers and target_features sections are read by no runtime (the features
# are passed above), -225 B gzip.
WASM_OPT_PASSES=(--reorder-functions-by-name --strip-producers --strip-target-features)

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

if [[ "${OPT_LEVEL[full]}" != none || "${OPT_LEVEL[lite]}" != none ]]; then
  [[ -x "$WASM_OPT" ]] || die "$WASM_OPT not found: run scripts/setup.sh (npm ci installs binaryen). Never use /usr/bin/wasm-opt."
  bv="$("$WASM_OPT" --version | sed -n 's/.*version \([0-9][0-9]*\).*/\1/p')"
  [[ "${bv:-0}" -ge $MIN_BINARYEN ]] || die "$WASM_OPT is binaryen ${bv:-?}; need >= $MIN_BINARYEN"
fi

STAGE="$TARGET_DIR/pkg-stage" # swapped into pkg/ only when everything worked
rm -rf "$STAGE"
mkdir -p "$STAGE"
declare -A RAW_UNOPT

for v in "${VARIANTS[@]}"; do
  out="$STAGE/${DIR[$v]}"
  # --- 1. compile. Each build has its own profile, so the two never overwrite each other's
  # artifacts and a rebuild of either is incremental. wasm-release (Cargo.toml): this crate at
  # opt-level 3, dependencies at "s"; wasm-lite: everything at "z". Cargo.toml has the measurements.
  # shellcheck disable=SC2086  # FEATURES holds zero or more flags on purpose
  cargo build --profile "${PROFILE[$v]}" --target wasm32-unknown-unknown --lib --quiet ${FEATURES[$v]}
  wasm_in="$TARGET_DIR/wasm32-unknown-unknown/${PROFILE[$v]}/$CRATE.wasm"
  [[ -f "$wasm_in" ]] || die "cargo produced no $wasm_in"
  step "$v: cargo build (${PROFILE[$v]} ${FEATURES[$v]:-default features})"

  # --- 2. bindgen ---
  wasm-bindgen --target web --out-dir "$out/web" "$wasm_in"
  wasm-bindgen --target nodejs --out-dir "$out/node" "$wasm_in"

  # --- 3. one shared wasm file; node glue to .cjs (it is CommonJS inside a "type": "module" package) ---
  cmp -s "$out/web/${CRATE}_bg.wasm" "$out/node/${CRATE}_bg.wasm" ||
    die "$v: wasm-bindgen wrote different wasm for web and nodejs; pkg/ layout assumes one shared wasm"
  mv "$out/web/${CRATE}_bg.wasm" "$out/${CRATE}_bg.wasm"
  mv "$out/web/${CRATE}_bg.wasm.d.ts" "$out/${CRATE}_bg.wasm.d.ts"
  rm "$out/node/${CRATE}_bg.wasm" "$out/node/${CRATE}_bg.wasm.d.ts"
  mv "$out/node/$CRATE.js" "$out/node/$CRATE.cjs"
  mv "$out/node/$CRATE.d.ts" "$out/node/$CRATE.d.cts"
  step "$v: wasm-bindgen (web, nodejs)"
done

# The lite build has the same API, so it ships the full build's typings: the types and doc
# comments of the kinetic and genome functions stay, and code type-checks the same against both.
for f in "web/$CRATE.d.ts" "node/$CRATE.d.cts"; do
  cmp -s "$STAGE/$f" "$STAGE/lite/$f" ||
    echo "build-pkg: note: wasm-bindgen's lite $f differs from the full build's ($(diff "$STAGE/$f" "$STAGE/lite/$f" | grep -c '^[<>]') lines); lite ships the full build's"
  cp "$STAGE/$f" "$STAGE/lite/$f"
done

# Exact-string rewrites; each must match exactly once, so a wasm-bindgen upgrade that changes the
# glue fails here loudly instead of shipping a package that cannot find its wasm.
node - "$CRATE" "$ROOT/src/wasm/gene_objects.js" "$STAGE" "$STAGE/lite" <<'JS'
const fs = require("fs");
const [crate, geneObjects, ...outs] = process.argv.slice(2);
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
const helper = fs.readFileSync(geneObjects, "utf8");
// wasm-bindgen declares free() and [Symbol.dispose]() on every class without a doc comment; give
// them one (editors and the API reference show it; scripts/build-docs.sh --check requires it).
const FREE = "    free(): void;\n    [Symbol.dispose](): void;\n";
const FREE_DOC = "    /**\n     * Frees this object's memory in the wasm heap now. Calling a method afterwards throws an\n" +
  "     * `Error` with `code: \"INVALID_ARGUMENT\"`. Objects that are garbage-collected are freed too.\n     */\n" +
  "    free(): void;\n    /** The same as `free()`, so that `using` declarations free the object. */\n    [Symbol.dispose](): void;\n";
for (const out of outs) {
  patch(`${out}/web/${crate}.js`, [
    [`new URL('${crate}_bg.wasm', import.meta.url)`, `new URL('../${crate}_bg.wasm', import.meta.url)`],
    [THROW, CODED_THROW],
  ]);
  patch(`${out}/node/${crate}.cjs`, [
    [THROW, CODED_THROW],
    ["/* @ts-self-types=\"./" + crate + ".d.ts\" */", "/* @ts-self-types=\"./" + crate + ".d.cts\" */"],
    ["`${__dirname}/" + crate + "_bg.wasm`", "`${__dirname}/../" + crate + "_bg.wasm`"],
    // Expose the instance exports (memory etc.) so the Node ESM entry's init() can return them
    // like the web build's init() does. wasm-bindgen's nodejs glue had this until ~0.2.9x.
    ["let wasm = wasmInstance.exports;", "let wasm = wasmInstance.exports;\nexports.__wasm = wasm;"],
  ]);
  // parseGenome builds its gene objects with bioxenGeneObjects (src/wasm/gene_objects.js), which
  // the glue's import shim calls by name: define it in both glue files (a function declaration,
  // hoisted, so appending it works in the ES module and the CommonJS file alike). The lite build
  // may not import it (no genome parser); then it is not appended.
  for (const file of [`${out}/web/${crate}.js`, `${out}/node/${crate}.cjs`]) {
    const src = fs.readFileSync(file, "utf8");
    const calls = src.split("bioxenGeneObjects(").length - 1;
    if (calls > 1) { console.error(`build-pkg: ${file}: expected at most 1 call of bioxenGeneObjects, found ${calls}`); process.exit(1); }
    if (calls === 1) fs.writeFileSync(file, src + "\n" + helper);
  }
  for (const dts of [`${out}/web/${crate}.d.ts`, `${out}/node/${crate}.d.cts`]) {
    let src = fs.readFileSync(dts, "utf8");
    const classes = src.split("\nexport class ").length - 1, frees = src.split(FREE).length - 1;
    if (frees !== classes) { console.error(`build-pkg: ${dts}: ${classes} classes but ${frees} free()/[Symbol.dispose]() pairs in wasm-bindgen's layout`); process.exit(1); }
    src = src.split(FREE).join(FREE_DOC);
    // `[Symbol.dispose](): void` needs TypeScript's esnext.disposable lib; reference it so
    // consumers need neither "lib": ["esnext"] nor skipLibCheck.
    if (src.includes("Symbol.dispose")) src = '/// <reference lib="esnext.disposable" />\n' + src;
    fs.writeFileSync(dts, src);
  }
  const cjs = fs.readFileSync(`${out}/node/${crate}.cjs`, "utf8");
  const rel = [...cjs.matchAll(/require\(\s*['"](\.[^'"]*)['"]\s*\)/g)].map(m => m[1]);
  if (rel.length) { console.error(`build-pkg: node glue requires relative files ${rel}; update the layout`); process.exit(1); }
}
if (!fs.readFileSync(`${outs[0]}/web/${crate}.js`, "utf8").includes("function bioxenGeneObjects(")) {
  console.error(`build-pkg: the full build's glue does not call bioxenGeneObjects (src/wasm/gene_objects.js): parseGenome would fail`);
  process.exit(1);
}
JS
step "glue patches (full, lite)"

# --- 4. wasm-opt ---
for v in "${VARIANTS[@]}"; do
  wasm="$STAGE/${DIR[$v]}/${CRATE}_bg.wasm"
  RAW_UNOPT[$v]=$(wc -c <"$wasm")
  if [[ "${OPT_LEVEL[$v]}" != none ]]; then
    # shellcheck disable=SC2086  # OPT_LEVEL may hold several flags on purpose
    "$WASM_OPT" ${OPT_LEVEL[$v]} "${WASM_OPT_PASSES[@]}" "${WASM_OPT_FEATURES[@]}" "$wasm" -o "$wasm.opt"
    mv "$wasm.opt" "$wasm"
    step "$v: wasm-opt ${OPT_LEVEL[$v]}"
  fi
done

# --- 5. package files from pkg-config/ (the entries index.* in both builds), version from Cargo.toml ---
cp -R pkg-config/. "$STAGE/"
cp pkg-config/index.* "$STAGE/lite/"
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

# --- 6. smoke test: in each build both glues load the optimised wasm and the ESM entry exports
# what CJS exports; lite exports the same names (and class members) as full ---
node --input-type=module - "$STAGE" "$CRATE" <<'JS' || die "smoke test of the built package failed (see above)"
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
const [stage, crate] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const names = (o) => Object.keys(o).filter((k) => k !== "default" && k !== "initSync").sort().join(",");
/** Export names plus each class's static and prototype members: what "the same API" means at run time. */
const api = (o) =>
  Object.keys(o).sort().map((k) => typeof o[k] !== "function" || !o[k].prototype ? k
    : `${k}{${Object.getOwnPropertyNames(o[k]).sort()};${Object.getOwnPropertyNames(o[k].prototype).sort()}}`).join("\n");
const apis = [];
for (const dir of [stage, `${stage}/lite`]) {
  const cjs = require(`${dir}/node/${crate}.cjs`);
  const esm = await import(`${dir}/index.mjs`);
  const web = await import(`${dir}/web/${crate}.js`);
  web.initSync({ module: readFileSync(`${dir}/${crate}_bg.wasm`) });
  if (names(cjs) !== names(esm)) throw new Error(`${dir}: ESM entry exports [${names(esm)}] but CJS exports [${names(cjs)}]`);
  if ((await esm.default()) !== cjs.__wasm || !(cjs.__wasm.memory instanceof WebAssembly.Memory))
    throw new Error(`${dir}: index.mjs init() does not return the wasm exports`);
  for (const m of [cjs, web]) if (typeof m.version === "function" && typeof m.version() !== "string") throw new Error(`${dir}: version() is not a string`);
  apis.push([dir, api(cjs), api(web)]);
}
const [[, fullCjs, fullWeb], [, liteCjs, liteWeb]] = apis;
for (const [what, full, lite] of [["node", fullCjs, liteCjs], ["web", fullWeb, liteWeb]]) {
  if (full === lite) continue;
  const f = new Set(full.split("\n")), l = new Set(lite.split("\n"));
  throw new Error(`lite's ${what} glue differs from full's API: only in full [${[...f].filter((x) => !l.has(x))}], only in lite [${[...l].filter((x) => !f.has(x))}]`);
}
JS
step "smoke test (full, lite: node cjs, node esm, web)"

# --- 7. swap into place and report sizes ---
rm -rf "$ROOT/pkg"
mv "$STAGE" "$ROOT/pkg"
echo "build-pkg: pkg/ = $CRATE@$VERSION in $((SECONDS - t0))s"
for v in "${VARIANTS[@]}"; do
  echo "build-pkg: $v wasm ${RAW_UNOPT[$v]} B before wasm-opt ${OPT_LEVEL[$v]}"
done
node bench/size.mjs
