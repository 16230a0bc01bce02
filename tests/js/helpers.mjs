// Shared helpers of the node:test suites in tests/js/*.test.mjs. They test the BUILT package
// (pkg/, made by scripts/build-pkg.sh), never the sources.
import assert from "node:assert/strict";

/** Every `code` a BioXen error may carry (src/error.rs BioxenError::CODES). */
export const CODES = Object.freeze([
  "UNSUPPORTED_BIOLOGICAL_TYPE",
  "UNSUPPORTED_VM_TYPE",
  "INVALID_ID",
  "DUPLICATE_VM",
  "CAPACITY_REACHED",
  "INSUFFICIENT_RESOURCES",
  "INVALID_TRANSITION",
  "NOT_FOUND",
  "INVALID_CONFIG",
  "INVALID_ARGUMENT",
  "BACKEND_UNAVAILABLE",
  "INVALID_SNAPSHOT",
  "INVALID_GENOME",
  "INPUT_TOO_LARGE",
  "FEATURE_UNAVAILABLE",
]);

/** Assert `e` is what BioXen throws: a real Error (never a wasm trap) with a known code. */
export function assertBioxenError(e, code) {
  assert.ok(!(e instanceof WebAssembly.RuntimeError), `wasm trap: ${e?.stack ?? e}`);
  assert.ok(e instanceof Error, `thrown value is not an Error: ${String(e)}`);
  assert.equal(Object.getPrototypeOf(e), Error.prototype, `thrown ${e.constructor?.name}, not a plain Error: ${e.stack}`);
  assert.ok(CODES.includes(e.code), `unknown code ${e.code} on: ${e.message}`);
  if (code !== undefined) assert.equal(e.code, code, `expected ${code}, got ${e.code}: ${e.message}`);
  assert.equal(typeof e.message, "string");
  // Bounded by the input: some messages echo a whole offending name (an unknown chassis or
  // config key), so a 10 000-character name gives a message of about that length.
  assert.ok(e.message.length > 0 && e.message.length < 20_000, `message length ${e.message.length}`);
}

/**
 * Call `fn`, which must throw a BioXen error with `code` whose message contains every string in
 * `mentions`. Returns the error.
 */
export function expectCode(fn, code, mentions = []) {
  let thrown;
  let threw = false;
  try {
    fn();
  } catch (e) {
    threw = true;
    thrown = e;
  }
  assert.ok(threw, `expected ${code}, but nothing was thrown`);
  assertBioxenError(thrown, code);
  for (const m of [mentions].flat()) {
    assert.ok(thrown.message.includes(m), `message ${JSON.stringify(thrown.message)} does not mention ${JSON.stringify(m)}`);
  }
  return thrown;
}

/** Everything observable about a hypervisor, for before/after comparisons. */
export function observe(h) {
  return {
    snapshot: h.snapshot(),
    listVms: h.listVms(),
    systemResources: h.systemResources(),
    nowMs: h.nowMs,
    events: h.events(),
  };
}

/** `fn` must be refused with `code` (message mentioning `mentions`) and change nothing. */
export function expectRefusedUnchanged(h, fn, code, mentions = []) {
  const before = observe(h);
  const e = expectCode(fn, code, mentions);
  assert.deepEqual(observe(h), before, `state changed by a refused call (${code}: ${e.message})`);
  return e;
}

/** Ledger invariants of a ResourceSummary; ATP is compared in exact hundredths of a percent. */
export function assertLedger(s, listVms) {
  const pools = [
    ["ribosomes", "ribosomes", 1],
    ["rnaPolymerase", "rnaPolymerase", 1],
    ["atp", "atpPercent", 100],
    ["memoryKb", "memoryKb", 1],
  ];
  for (const [pool, key, scale] of pools) {
    const p = s[pool];
    const int = (x) => {
      const n = Math.round(x * scale);
      assert.ok(Math.abs(n - x * scale) < 1e-6, `${pool}: ${x} is not a whole number of units`);
      return n;
    };
    const [total, reserved, allocated, free] = [p.total, p.reserved, p.allocated, p.free].map(int);
    assert.ok(allocated + reserved <= total, `${pool}: allocated ${allocated} + reserved ${reserved} > total ${total}`);
    assert.equal(free, total - reserved - allocated, `${pool}: free`);
    const sum = s.perVm.reduce((a, v) => a + int(v[key]), 0);
    assert.equal(sum, allocated, `${pool}: sum over perVm`);
  }
  if (listVms) {
    assert.equal(s.vmCount, listVms.length, "vmCount");
    assert.deepEqual(
      s.perVm.map((v) => v.vmId),
      listVms.map((v) => v.vmId),
      "perVm lists the VMs in creation order",
    );
    assert.equal(s.activeVms, listVms.filter((v) => v.state === "running").length, "activeVms");
  }
}

/** A VM that never finishes: no reservation, an endless workload (as tests/common hog()). */
export function hog(weight = 256, extra = {}) {
  return { ribosomes: 0, rnaPolymerase: 0, atpPercent: 0, memoryKb: 1, workloadAa: 1e12, weight, ...extra };
}

/** The trace as plain segments: [{vm, start, end, kind}] from a TraceChunk. */
export function segments(chunk) {
  const out = [];
  for (let i = 0; i < chunk.vmIndex.length; i++) {
    out.push({ vm: chunk.names[chunk.vmIndex[i]], start: chunk.start[i], end: chunk.end[i], kind: chunk.kind[i] });
  }
  return out;
}
