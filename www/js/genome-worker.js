// genome-worker.js: parse a genome file off the main thread (a module worker). It loads the
// package's full build through engine.js, as the page does: from the compiled WebAssembly.Module
// the page sends with the first message (no second download), or else by fetching it. The
// same CSP ('self' + 'wasm-unsafe-eval') covers it.
//
// In:  { id, bytes: ArrayBuffer, table: ArrayBuffer | null, module?: WebAssembly.Module }
// Out: { id, progress } now and then, then { id, summary } or { id, error: { code, message } }.
import { loadEngine } from "./engine.js";

self.onmessage = async (ev) => {
  const { id, bytes, table, module } = ev.data;
  try {
    const { api } = await loadEngine("full", { module: module ?? undefined });
    let last = 0;
    const options = {
      onProgress: (f) => {
        // At most ~50 messages per file.
        if (f - last >= 0.02 || f === 1) {
          last = f;
          self.postMessage({ id, progress: f });
        }
      },
    };
    if (table) options.geneTable = new Uint8Array(table);
    const summary = api.parseGenome(new Uint8Array(bytes), options);
    self.postMessage({ id, summary });
  } catch (e) {
    self.postMessage({ id, error: { code: e && e.code ? e.code : "ERROR", message: e && e.message ? e.message : String(e) } });
  }
};
