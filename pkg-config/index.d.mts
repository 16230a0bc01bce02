// Typings of the Node.js ESM entry of `bioxen` (index.mjs; package.json exports: node.import),
// and of `bioxen/lite` (scripts/build-pkg.sh copies this file into lite/).
// The classes and functions are wasm-bindgen's nodejs typings; init()/initSync() mirror the
// browser build's but are declared without DOM types (RequestInfo, Response, WebAssembly.*), so
// a Node project type-checks without "lib": ["dom"].
export * from "./node/bioxen.cjs";

/** The wasm instance's exports. `memory.buffer` backs zero-copy typed-array views. */
export interface InitOutput {
  /** The wasm linear memory. */
  readonly memory: {
    /** The memory's bytes (a new ArrayBuffer after the memory grows). */
    readonly buffer: ArrayBuffer;
    /** Grow by `delta` 64 KiB pages; returns the previous size in pages. */
    grow(delta: number): number;
  };
  /** The wasm module's other exports (internal: call the package's functions instead). */
  readonly [name: string]: unknown;
}

/**
 * On Node the wasm is instantiated when the module is imported, so this is a no-op that returns
 * the instance's exports. It exists so code written for the browser (`await init()`) runs unchanged.
 * In the browser build it must be awaited once before any other call; there it takes
 * `{ module_or_path }` (a URL, `Response`, bytes or `WebAssembly.Module`; default: the package's
 * own `bioxen_bg.wasm`).
 */
export default function init(moduleOrPath?: unknown): Promise<InitOutput>;

/**
 * No-op on Node (see init); returns the instance's exports. In the browser build it
 * instantiates synchronously from `{ module }` (bytes or a `WebAssembly.Module`).
 */
export function initSync(module?: unknown): InitOutput;
