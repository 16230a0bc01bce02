// genome-worker.js: parse a genome file off the main thread (a module worker). It loads the
// package exactly as the page does (/pkg/web/bioxen.js, whose init fetches bioxen_bg.wasm next
// to it), so the same CSP ('self' + 'wasm-unsafe-eval') covers it.
//
// In:  { id, bytes: ArrayBuffer, table: ArrayBuffer | null }
// Out: { id, progress } now and then, then { id, summary } or { id, error: { code, message } }.
import init, { parseGenome } from "/pkg/web/bioxen.js";

const ready = init();

self.onmessage = async (ev) => {
  const { id, bytes, table } = ev.data;
  try {
    await ready;
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
    const summary = parseGenome(new Uint8Array(bytes), options);
    self.postMessage({ id, summary });
  } catch (e) {
    self.postMessage({ id, error: { code: e && e.code ? e.code : "ERROR", message: e && e.message ? e.message : String(e) } });
  }
};
