// The factory API of the built package: version, getSupported*, validate*, chassisInfo,
// createBioVm / defaultHypervisor / BioResourceManager() on the process-wide default
// hypervisor. This is the ONLY test file that touches the default hypervisor (node --test runs
// each file in its own process, so the default hypervisor starts empty here).
import { test } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import init, * as bx from "../../pkg/index.mjs";
import { assertLedger, expectCode, expectRefusedUnchanged } from "./helpers.mjs";

const pkgJson = JSON.parse(fs.readFileSync(new URL("../../pkg/package.json", import.meta.url), "utf8"));
const cargoVersion = fs
  .readFileSync(new URL("../../Cargo.toml", import.meta.url), "utf8")
  .match(/^version\s*=\s*"([^"]+)"/m)[1];

test("version() is the crate version and the package version", () => {
  assert.equal(bx.version(), cargoVersion);
  assert.equal(bx.version(), pkgJson.version);
  assert.match(bx.version(), /^\d+\.\d+\.\d+/);
});

test("init() on Node returns the wasm exports with its memory", async () => {
  const wasm = await init();
  assert.ok(wasm.memory instanceof WebAssembly.Memory);
  assert.equal(bx.initSync(), wasm);
});

test("getSupported* list exactly the supported names, as fresh arrays", () => {
  assert.deepEqual(bx.getSupportedBiologicalTypes(), ["syn3a", "ecoli", "minimal_cell", "yeast"]);
  assert.deepEqual(bx.getSupportedVmTypes(), ["basic", "xcpng"]);
  assert.deepEqual(bx.getSupportedChassis(), ["ecoli", "yeast", "syn3a", "orthogonal", "textbook"]);
  assert.deepEqual(bx.getSupportedSchedulers(), [
    "fcfs", "sjf", "srtf", "round_robin", "priority", "mlfq", "lottery", "credit", "eevdf",
  ]);
  const a = bx.getSupportedVmTypes();
  assert.ok(Array.isArray(a));
  a.push("mutated");
  assert.deepEqual(bx.getSupportedVmTypes(), ["basic", "xcpng"], "a caller's mutation leaks into the next call");
});

test("validateBiologicalType / validateVmType accept exactly the supported names", () => {
  for (const t of bx.getSupportedBiologicalTypes()) assert.equal(bx.validateBiologicalType(t), true, t);
  for (const t of bx.getSupportedVmTypes()) assert.equal(bx.validateVmType(t), true, t);
  const bad = ["SYN3A", "Ecoli", "syn3a ", "", "minimal-cell", "basic", "human", undefined, null, 5, {}, ["ecoli"], true];
  for (const t of bad) assert.equal(bx.validateBiologicalType(t), false, String(t));
  for (const t of ["BASIC", "xcp-ng", "", "ecoli", undefined, null, 0, {}, ["basic"]]) {
    assert.equal(bx.validateVmType(t), false, String(t));
  }
  // every biological type is refused as a VM type and vice versa
  for (const t of bx.getSupportedBiologicalTypes()) assert.equal(bx.validateVmType(t), false, t);
  for (const t of bx.getSupportedVmTypes()) assert.equal(bx.validateBiologicalType(t), false, t);
});

test("chassisInfo and describeScheduler give sourced facts and refuse unknown names", () => {
  const e = bx.chassisInfo("ecoli");
  assert.equal(e.kind, "ecoli");
  assert.equal(e.ribosomes, 45100);
  assert.equal(e.rnaPolymerases, 8000);
  assert.equal(e.elongationAaPerS, 15);
  assert.equal(e.maxVms, 4);
  assert.equal(e.switchCostMs, 20000, "300 aa / 15 aa/s ribosome run-off");
  assert.equal(e.defaultQuantumMs, 600000);
  assert.ok(e.sources.length > 0 && e.sources.every((s) => typeof s === "string" && s.length > 0));
  assert.equal(bx.chassisInfo("syn3a").ribosomes, 503);
  assert.equal(bx.chassisInfo("yeast").maxVms, 2);
  assert.ok(Math.abs(bx.chassisInfo("orthogonal").orthogonalFraction - 50 / 980) < 1e-12);
  expectCode(() => bx.chassisInfo("mars"), "INVALID_ARGUMENT", "mars");
  expectCode(() => bx.chassisInfo(7), "INVALID_ARGUMENT", "the number 7");
  for (const s of bx.getSupportedSchedulers()) {
    const d = bx.describeScheduler(s);
    assert.equal(typeof d, "string");
    assert.ok(d.length > 10, s);
  }
  expectCode(() => bx.describeScheduler("cfs"), "INVALID_ARGUMENT", "cfs");
});

test("createBioVm creates VMs on the one default hypervisor", () => {
  const d1 = bx.defaultHypervisor();
  const d2 = bx.defaultHypervisor();
  assert.equal(d1.handleId, d2.handleId, "defaultHypervisor() returns the same hypervisor");
  assert.equal(d1.chassis, "ecoli");
  assert.equal(d1.scheduler, "round_robin");
  assert.equal(d1.nowMs, 0);
  assert.deepEqual(d1.listVms(), []);

  const vm = bx.createBioVm("factory-a", "syn3a");
  assert.ok(vm instanceof bx.BiologicalVM);
  assert.equal(vm.vmId, "factory-a");
  assert.equal(vm.biologicalType, "syn3a");
  assert.equal(vm.vmType, "basic", "vmType defaults to basic");
  assert.equal(vm.state, "created");
  const b = bx.createBioVm("factory-b", "ecoli", "basic", { ribosomes: 100, weight: 512, priority: 9 });
  assert.deepEqual(
    d2.listVms().map((v) => [v.vmId, v.state, v.biologicalType, v.vmType, v.ribosomes, v.weight, v.priority]),
    [
      ["factory-a", "created", "syn3a", "basic", 46, 256, 5],
      ["factory-b", "created", "ecoli", "basic", 100, 512, 9],
    ],
  );
  // The default hypervisor's handles see the same VMs.
  const again = d1.getVm("factory-b");
  assert.equal(again.vmId, "factory-b");
  assert.equal(again.biologicalType, "ecoli");
  b.start();
  assert.equal(again.state, "running");
  assert.equal(d1.vmStatus("factory-b").state, "running");
  d1.step(60_000);
  assert.equal(d2.nowMs, 60_000);
  assert.ok(d2.vmStatus("factory-b").aaProduced > 0);
  // Status keys promised by the issue.
  const st = vm.status();
  for (const k of [
    "vmId", "state", "biologicalType", "vmType", "ribosomes", "rnaPolymerase", "atpPercent", "memoryKb",
    "priority", "weight", "machineryTimeMs", "waitTimeMs", "contextSwitches", "aaProduced",
  ]) {
    assert.ok(k in st, `VmStatus lacks ${k}`);
  }
  const m = d1.metrics().perVm[1];
  for (const k of ["responseTimeMs", "turnaroundTimeMs", "fairShare", "shareReceived"]) assert.ok(k in m, k);
  vm.free();
  b.free();
  again.free();
});

test("createBioVm refusals carry codes and change nothing", () => {
  const d = bx.defaultHypervisor();
  expectRefusedUnchanged(d, () => bx.createBioVm("factory-c", "human"), "UNSUPPORTED_BIOLOGICAL_TYPE", "human");
  expectRefusedUnchanged(d, () => bx.createBioVm("factory-c", "syn3a", "kvm"), "UNSUPPORTED_VM_TYPE", "kvm");
  expectRefusedUnchanged(d, () => bx.createBioVm("factory a", "syn3a"), "INVALID_ID", "factory a");
  expectRefusedUnchanged(d, () => bx.createBioVm("factory-a", "ecoli"), "DUPLICATE_VM", "factory-a");
  expectRefusedUnchanged(d, () => bx.createBioVm("factory-c", "syn3a", "basic", { weight: 0 }), "INVALID_CONFIG", "weight");
  expectRefusedUnchanged(d, () => bx.createBioVm("factory-c", "syn3a", "basic", { ribosomes: 1e6 }), "INSUFFICIENT_RESOURCES", "ribosomes");
  expectRefusedUnchanged(d, () => bx.createBioVm(42, "syn3a"), "INVALID_ARGUMENT", "vmId");
  // E. coli hosts at most 4 VMs.
  bx.createBioVm("factory-c", "minimal_cell").free();
  bx.createBioVm("factory-d", "syn3a").free();
  assert.equal(d.listVms().length, 4);
  expectRefusedUnchanged(d, () => bx.createBioVm("factory-e", "syn3a"), "CAPACITY_REACHED", ["factory-e", "4"]);
  // Duplicate is checked before the VM limit.
  expectRefusedUnchanged(d, () => bx.createBioVm("factory-d", "syn3a"), "DUPLICATE_VM");
});

test("BioResourceManager() without a hypervisor manages the default one", () => {
  const d = bx.defaultHypervisor();
  const rm = new bx.BioResourceManager();
  const rm2 = new bx.BioResourceManager(d);
  assert.deepEqual(rm.getResourceSummary(), d.systemResources());
  assert.deepEqual(rm2.getResourceSummary(), d.systemResources());
  rm.allocate("factory-a", { ribosomes: 200 });
  assert.equal(d.vmStatus("factory-a").ribosomes, 200);
  assert.equal(rm2.getResourceSummary().perVm.find((v) => v.vmId === "factory-a").ribosomes, 200);
  rm.release("factory-a");
  assert.deepEqual(bx.defaultHypervisor().getVm("factory-a").resourceUsage(), {
    vmId: "factory-a", ribosomes: 0, rnaPolymerase: 0, atpPercent: 0, memoryKb: 0,
  });
  expectRefusedUnchanged(d, () => rm.allocate("factory-zz", { ribosomes: 1 }), "NOT_FOUND", "factory-zz");
  assertLedger(rm.getResourceSummary(), d.listVms());
  rm.free();
  rm2.free();
});

test("destroying every factory VM returns the default hypervisor's resources", () => {
  const d = bx.defaultHypervisor();
  const total = d.systemResources();
  for (const v of d.listVms()) d.destroyVm(v.vmId);
  const s = d.systemResources();
  assert.equal(s.vmCount, 0);
  for (const p of ["ribosomes", "rnaPolymerase", "atp", "memoryKb"]) {
    assert.equal(s[p].allocated, 0, p);
    assert.equal(s[p].free, total[p].total - total[p].reserved, p);
  }
  assert.deepEqual(s.perVm, []);
  // the ids are free again
  const vm = bx.createBioVm("factory-a", "yeast");
  assert.equal(vm.state, "created");
  vm.destroy();
  assert.equal(vm.state, "destroyed");
  vm.free();
});
