// Node.js ESM entry of `bioxen` and, copied into lite/ by scripts/build-pkg.sh, of `bioxen/lite`
// (package.json exports: node.import). Paths are relative, so the one file serves both builds.
//
// It re-exports the CommonJS glue from wasm-bindgen's nodejs target (node/bioxen.cjs), which reads
// and instantiates the wasm synchronously when first loaded. So `import { version } from "bioxen"`
// needs no top-level await and no init call, and `import` and `require` share one wasm instance.
import { createRequire } from "node:module";

export * from "./node/bioxen.cjs";

const glue = createRequire(import.meta.url)("./node/bioxen.cjs");

/**
 * Same signature as the browser build's default export. On Node the wasm is already instantiated
 * at import, so this only returns its exports (`memory` etc.); it lets code written for the
 * browser (`await init()`) run unchanged on Node.
 */
export default async function init(_moduleOrPath) {
  return glue.__wasm;
}

/** Same as the browser build's initSync(); a no-op on Node (see init). */
export function initSync(_module) {
  return glue.__wasm;
}
