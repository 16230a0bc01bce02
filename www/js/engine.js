// engine.js: owns loading the bioxen package, for the page (store.js) and the genome worker.
//
// The package ships two builds with the same API: the lite build (no kinetic model, no genome
// parsing; those operations throw an Error with code "FEATURE_UNAVAILABLE") and the full build.
// The page loads lite first and asks for the full build the first time it needs a kinetic or
// genome feature. Each build is loaded at most once per realm; its compiled WebAssembly.Module is
// kept so a worker can be handed it instead of fetching the wasm again.
//
// Which builds exist is read from the package's own package.json ("exports" has "./lite/web"
// when the lite build is there); an older package without it is loaded as the full build.

export const BUILDS = Object.freeze({
  lite: Object.freeze({ glue: "/pkg/lite/web/bioxen.js", wasm: "/pkg/lite/bioxen_bg.wasm" }),
  full: Object.freeze({ glue: "/pkg/web/bioxen.js", wasm: "/pkg/bioxen_bg.wasm" }),
});
const MANIFEST = "/pkg/package.json";

const loads = new Map(); // "lite" | "full" -> Promise<{ kind, api, module }>

/**
 * Load one build: `{ kind, api, module }` (api = the initialised module namespace). `module`
 * may be a compiled WebAssembly.Module of that build's wasm (from another realm).
 */
export function loadEngine(kind, { module } = {}) {
  if (!BUILDS[kind]) throw new TypeError(`unknown build ${JSON.stringify(kind)} (expected "lite" or "full")`);
  if (!loads.has(kind)) {
    const p = load(kind, module);
    loads.set(kind, p);
    p.catch(() => loads.delete(kind)); // a failed load may be retried
  }
  return loads.get(kind);
}

async function load(kind, given) {
  const { glue, wasm } = BUILDS[kind];
  const api = await import(glue);
  const module = given ?? (await compile(wasm));
  await api.default({ module_or_path: module });
  return { kind, api, module };
}

async function compile(url) {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  const type = res.headers.get("content-type") || "";
  return type.startsWith("application/wasm") ? WebAssembly.compileStreaming(res) : WebAssembly.compile(await res.arrayBuffer());
}

/** True when the package declares a lite build (its exports map has "./lite/web"). */
export async function hasLite() {
  try {
    const res = await fetch(MANIFEST);
    if (!res.ok) return false;
    const pkg = await res.json();
    return !!(pkg && pkg.exports && pkg.exports["./lite/web"]);
  } catch {
    return false;
  }
}

/** The first build of the page: lite when the package has one, else full. */
export async function loadFirst() {
  return loadEngine((await hasLite()) ? "lite" : "full");
}

/** An error of an operation the loaded build leaves out (also when wrapped by session.js). */
export function isFeatureUnavailable(e) {
  return !!e && (e.code === "FEATURE_UNAVAILABLE" || (e.cause && e.cause.code === "FEATURE_UNAVAILABLE"));
}

/**
 * Whether a session (or a raw, unvalidated session object, or just `{ options }`) needs the full
 * build: the kinetic machinery, a VM whose workload comes from a genome, or a circuit VM or an
 * inducer (both kinetic only: the full build names the refusal on the simple machinery).
 */
export function needsFull(s) {
  if (!s || typeof s !== "object") return false;
  if (s.options && s.options.machinery === "kinetic") return true;
  return Array.isArray(s.ops) && s.ops.some((op) => !!op && (op.op === "setInducer" ||
    (!!op.config && typeof op.config === "object" && ("genome" in op.config || "circuit" in op.config))));
}
