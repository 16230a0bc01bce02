// Typings of the CommonJS entry of `bioxen` (require("bioxen") -> node/bioxen.cjs): the
// wasm-bindgen classes and functions; no init is needed in CommonJS.
export * from "./node/bioxen.cjs";
