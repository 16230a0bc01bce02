// The CommonJS build (pkg/node/bioxen.cjs) through createRequire: the same instance as the ESM
// entry, and a small scenario through it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import * as esm from "../../pkg/index.mjs";
import { expectCode, assertLedger } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const cjs = require("../../pkg/node/bioxen.cjs");

test("require() and import share one wasm instance", async () => {
  assert.equal(cjs.Hypervisor, esm.Hypervisor);
  assert.equal(cjs.version, esm.version);
  assert.equal(cjs.__wasm, await esm.default());
  assert.ok(cjs.__wasm.memory instanceof WebAssembly.Memory);
  // a hypervisor made through one entry is usable through the other
  const h = new cjs.Hypervisor();
  const rm = new esm.BioResourceManager(h);
  h.createVm("shared", "syn3a");
  assert.equal(rm.getResourceSummary().vmCount, 1);
});

test("a small scenario through the CommonJS build", () => {
  const names = Object.keys(cjs).filter((k) => !k.startsWith("__")).sort();
  for (const n of ["BioResourceManager", "BiologicalVM", "ConfigManager", "Hypervisor", "createBioVm", "defaultHypervisor",
    "getSupportedBiologicalTypes", "getSupportedChassis", "getSupportedSchedulers", "getSupportedVmTypes",
    "validateBiologicalType", "validateVmType", "version"]) {
    assert.ok(names.includes(n), `CommonJS build lacks ${n}`);
  }
  const h = new cjs.Hypervisor({ scheduler: "credit", seed: 1 });
  const a = h.createVm("a", "syn3a", "basic", { weight: 512, ribosomes: 0, memoryKb: 1, workloadAa: 1e12 });
  const b = h.createVm("b", "syn3a", "basic", { weight: 256, ribosomes: 0, memoryKb: 1, workloadAa: 1e12 });
  a.start();
  b.start();
  for (let i = 0; i < 50; i++) h.step(3_600_000);
  const m = h.metrics();
  const ratio = m.perVm[0].machineryTimeMs / m.perVm[1].machineryTimeMs;
  assert.ok(Math.abs(ratio - 2) / 2 < 0.05, `ratio ${ratio}`);
  assertLedger(h.systemResources(), h.listVms());
  const e = expectCode(() => h.createVm("a", "syn3a"), "DUPLICATE_VM", '"a"');
  assert.ok(e instanceof Error); // the CJS and ESM realms are the same
  const r = cjs.Hypervisor.restore(h.snapshot());
  assert.ok(r instanceof esm.Hypervisor);
  assert.equal(r.snapshot(), h.snapshot());
  for (const x of [a, b, r, h]) x.free();
});
