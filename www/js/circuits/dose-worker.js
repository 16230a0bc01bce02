// circuits/dose-worker.js: runs a dose-response sweep (circuits/dose.js) off the main thread (a
// module worker), so the page stays responsive. It loads the package's full build through
// engine.js as genome-worker.js does: from the compiled WebAssembly.Module the page sends, or
// else by fetching it. The page cancels a sweep by terminating the worker.
//
// In:  { id, spec, module? }   spec as dose.js runSweep takes it
// Out: { id, point, index } after each level, then { id, done: true }, or { id, error: { code, message } }
import { loadEngine } from "../engine.js";
import { runSweep } from "./dose.js";

self.onmessage = async (ev) => {
  const { id, spec, module } = ev.data;
  try {
    const { api } = await loadEngine("full", { module: module ?? undefined });
    runSweep(api, spec, (point, index) => self.postMessage({ id, point, index }));
    self.postMessage({ id, done: true });
  } catch (e) {
    self.postMessage({ id, error: { code: e && e.code ? e.code : "ERROR", message: e && e.message ? e.message : String(e), issues: e && Array.isArray(e.issues) ? e.issues : undefined } });
  }
};
