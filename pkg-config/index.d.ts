// Typings of the browser/bundler entry of `bioxen` (web/bioxen.js; package.json exports:
// browser/default), and of `bioxen/lite` (scripts/build-pkg.sh copies this file into lite/):
// the wasm-bindgen classes and functions plus the default export `init()` (must be awaited
// before any other call) and `initSync()`. Uses DOM types (Response, URL,
// WebAssembly.*), as browser projects have "lib": ["dom"]. Node resolves index.d.mts/.d.cts instead.
// For now these are wasm-bindgen's generated typings; hand-written typings can replace this file.
export * from "./web/bioxen.js";
export { default } from "./web/bioxen.js";
