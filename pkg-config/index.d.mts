// Typings of the Node.js ESM entry of `bioxen` (index.mjs; package.json exports: node.import),
// and of `bioxen/lite` (scripts/build-pkg.sh copies this file into lite/).
// The classes and functions are wasm-bindgen's nodejs typings; init()/initSync() mirror the
// browser build's but are declared without DOM types (RequestInfo, Response, WebAssembly.*), so
// a Node project type-checks without "lib": ["dom"].
export * from "./node/bioxen.cjs";

/** The wasm instance's exports. `memory.buffer` backs zero-copy typed-array views. */
export interface InitOutput {
  readonly memory: { readonly buffer: ArrayBuffer; grow(delta: number): number };
  readonly [name: string]: unknown;
}

/**
 * On Node the wasm is instantiated when the module is imported, so this is a no-op that returns
 * the instance's exports. It exists so code written for the browser (`await init()`) runs unchanged.
 */
export default function init(moduleOrPath?: unknown): Promise<InitOutput>;

/** No-op on Node (see init); returns the instance's exports. */
export function initSync(module?: unknown): InitOutput;
