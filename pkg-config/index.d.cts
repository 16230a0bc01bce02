// Typings of the CommonJS entry (require("bioxen") -> node/bioxen.cjs): the wasm-bindgen
// classes and functions; no init is needed in CommonJS. The same file serves `bioxen/lite`
// (scripts/build-pkg.sh copies it into lite/).
export * from "./node/bioxen.cjs";
