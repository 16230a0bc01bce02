// Wrong JS types and out-of-range values: every one is a real `Error` with a code
// (INVALID_ARGUMENT / INVALID_ID / INVALID_SNAPSHOT / INVALID_CONFIG), never a
// WebAssembly.RuntimeError or a bare TypeError, nothing changes, and the hypervisor still works.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as bx from "../../pkg/index.mjs";
import { expectCode, expectRefusedUnchanged, hog, observe } from "./helpers.mjs";

const MAX_MS = 2 ** 53;

function setup() {
  const h = new bx.Hypervisor({ seed: 11 });
  h.createVm("a", "syn3a", "basic", hog(256)).start();
  h.createVm("b", "ecoli");
  h.step(1000);
  return h;
}

/** The hypervisor still runs: stepping works and produces. */
function stillWorks(h) {
  const before = h.vmStatus("a").aaProduced;
  const t = h.nowMs;
  h.step(60_000);
  assert.equal(h.nowMs, t + 60_000);
  assert.ok(h.vmStatus("a").aaProduced > before);
  const v = h.createVm("still-ok", "syn3a", "basic", { ribosomes: 0, memoryKb: 1 });
  v.destroy();
  v.free();
}

const NOT_STRINGS = [5, 0, -1, NaN, true, null, undefined, {}, [], ["a"], () => "a", Symbol("a"), 10n, new String("a")];

test("ids that are not strings: INVALID_ARGUMENT naming vmId", () => {
  const h = setup();
  for (const id of NOT_STRINGS) {
    const shown = typeof id === "symbol" ? "symbol" : typeof id === "bigint" ? "bigint" : "";
    expectRefusedUnchanged(h, () => h.createVm(id, "syn3a"), "INVALID_ARGUMENT", ["vmId", shown]);
    for (const m of ["startVm", "pauseVm", "resumeVm", "stopVm", "restartVm", "destroyVm", "vmStatus"]) {
      expectRefusedUnchanged(h, () => h[m](id), "INVALID_ARGUMENT", "vmId");
    }
    expectRefusedUnchanged(h, () => h.setScheduling(id, { weight: 2 }), "INVALID_ARGUMENT", "vmId");
    expectRefusedUnchanged(h, () => new bx.BioResourceManager(h).allocate(id, {}), "INVALID_ARGUMENT", "vmId");
    expectRefusedUnchanged(h, () => new bx.BioResourceManager(h).release(id), "INVALID_ARGUMENT", "vmId");
    assert.equal(h.getVm(id), undefined);
  }
  expectCode(() => h.createVm(5, "syn3a"), "INVALID_ARGUMENT", "the number 5");
  expectCode(() => h.createVm("c", 5), "INVALID_ARGUMENT", "biologicalType");
  expectCode(() => h.createVm("c", "syn3a", 5), "INVALID_ARGUMENT", "vmType");
  expectCode(() => h.createVm("c", "syn3a", {}), "INVALID_ARGUMENT", "vmType");
  stillWorks(h);
});

test("a 10 000-character id: INVALID_ID with a short message", () => {
  const h = setup();
  const long = "a".repeat(10_000);
  for (const fn of [() => h.createVm(long, "syn3a"), () => bx.Hypervisor.prototype.createVm.call(h, long, "yeast")]) {
    const e = expectRefusedUnchanged(h, fn, "INVALID_ID", "got 10000");
    assert.ok(e.message.length < 300, `message is ${e.message.length} chars`);
  }
  // operations on it are NOT_FOUND (it cannot exist), with a bounded message too
  const e = expectRefusedUnchanged(h, () => h.startVm(long), "NOT_FOUND");
  assert.ok(e.message.length < 11_000);
  expectRefusedUnchanged(h, () => h.createVm("é".repeat(10_000), "syn3a"), "INVALID_ID");
  expectRefusedUnchanged(h, () => h.createVm("\u{1F9EC}".repeat(70), "syn3a"), "INVALID_ID", "got 70");
  stillWorks(h);
});

test("step(): NaN, negative, fractional, huge, non-numbers are INVALID_ARGUMENT", () => {
  const h = setup();
  const bad = [NaN, -1, -0.5, 1.5, 0.1, Infinity, -Infinity, MAX_MS + 2, 1e300, Number.MAX_VALUE, "1000", "", null, undefined,
    {}, [], [1000], true, 10n, Symbol("ms"), { valueOf: () => 1000 }, new Number(1000)];
  for (const ms of bad) expectRefusedUnchanged(h, () => h.step(ms), "INVALID_ARGUMENT", "ms");
  expectCode(() => h.step(-1), "INVALID_ARGUMENT", "the number -1");
  expectCode(() => h.step(1.5), "INVALID_ARGUMENT", "1.5");
  stillWorks(h);
  // the clock ends at 2^53 ms: reaching it is fine, passing it is refused
  const end = new bx.Hypervisor();
  end.step(MAX_MS - 10);
  expectRefusedUnchanged(end, () => end.step(11), "INVALID_ARGUMENT", "past");
  end.step(10);
  assert.equal(end.nowMs, MAX_MS);
  expectRefusedUnchanged(end, () => end.step(1), "INVALID_ARGUMENT");
  end.step(0);
  assert.equal(end.nowMs, MAX_MS);
  const zero = new bx.Hypervisor();
  zero.step(-0);
  assert.equal(zero.nowMs, 0);
});

test("arrays, strings and numbers where objects are expected: INVALID_ARGUMENT", () => {
  const h = setup();
  const notObjects = [[], [1, 2], "ecoli", "", 5, true, 10n, Symbol("o"), () => ({})];
  for (const o of notObjects) {
    expectCode(() => new bx.Hypervisor(o), "INVALID_ARGUMENT", "options");
    expectRefusedUnchanged(h, () => h.createVm("c", "syn3a", "basic", o), "INVALID_ARGUMENT", "config");
    expectRefusedUnchanged(h, () => h.getVm("a").allocateResources(o), "INVALID_ARGUMENT", "request");
    expectRefusedUnchanged(h, () => h.setScheduling("a", o), "INVALID_ARGUMENT", "request");
    expectRefusedUnchanged(h, () => h.setScheduler("credit", o), "INVALID_ARGUMENT", "options");
    const v = bx.ConfigManager.validate(o);
    assert.equal(v.valid, false);
    assert.deepEqual(v.errors.map((e) => e.path), ["$"]);
    assert.match(v.errors[0].message, /expected an object/);
  }
  stillWorks(h);
});

test("bad Hypervisor options: unknown keys, wrong types and ranges", () => {
  const bad = [
    [{ bogus: 1 }, "bogus"],
    [{ maxVM: 4 }, "maxVM"],
    [{ chassis: "mars" }, "mars"],
    [{ chassis: 5 }, "chassis: expected a preset name or a chassis object, got a number"],
    [{ scheduler: "cfs" }, "cfs"],
    [{ maxVms: 0 }, "max_vms"],
    [{ maxVms: 4097 }, "maxVms"],
    [{ maxVms: "4" }, "options"],
    [{ maxVms: 2.5 }, "maxVms"],
    [{ seed: -1 }, "seed"],
    [{ seed: NaN }, "options"],
    [{ seed: 2 ** 53 }, "seed"],
    [{ quantumMs: 0 }, "quantum"],
    [{ quantumMs: Infinity }, "options"],
    [{ contextSwitchMs: -5 }, "contextSwitchMs"],
    [{ traceCapacity: 0 }, "trace_capacity"],
    [{ eventCapacity: 1e8 }, "eventCapacity"],
  ];
  for (const [o, mention] of bad) expectCode(() => new bx.Hypervisor(o), "INVALID_ARGUMENT", mention);
  // a chassis object: every bad field named by its path, nothing built
  expectCode(() => new bx.Hypervisor({ chassis: { base: "textbook", ribosomes: 0, hostReserve: { atp: 1 } } }), "INVALID_CONFIG", "chassis.hostReserve.atp");
  expectCode(() => new bx.Hypervisor({ chassis: { ribosomes: 0 } }), "INVALID_CONFIG", "chassis.ribosomes: 0 is out of range");
  const custom = new bx.Hypervisor({ chassis: { base: "textbook", ribosomes: 2000, maxVms: 8 } });
  assert.equal(custom.chassis, "custom");
  assert.equal(custom.systemResources().maxVms, 8);
  // absent = default; undefined properties count as absent
  const h = new bx.Hypervisor({ seed: undefined, maxVms: undefined, chassis: "syn3a" });
  assert.equal(h.systemResources().maxVms, 2);
  assert.equal(new bx.Hypervisor(null).chassis, "ecoli");
  assert.equal(new bx.Hypervisor(undefined).scheduler, "round_robin");
});

test("getters and proxies that throw, cyclic and deep objects: INVALID_ARGUMENT, no trap", () => {
  const h = setup();
  const cyclic = {};
  cyclic.self = cyclic;
  const cyclicX = { ribosomes: 1 };
  cyclicX.xcpng = cyclicX;
  let deep = {};
  for (let i = 0; i < 100_000; i++) deep = { x: deep };
  let deepArr = [];
  for (let i = 0; i < 100_000; i++) deepArr = [deepArr];
  const throwingGetter = { get ribosomes() { throw new TypeError("getter says no"); } };
  const throwingKeys = new Proxy({}, { ownKeys() { throw new RangeError("ownKeys says no"); } });
  const throwingGet = new Proxy({ ribosomes: 1 }, { get() { throw new Error("get says no"); } });
  const throwingString = { get ribosomes() { throw "a string"; } };
  const huge = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]));
  const cases = [
    [cyclic, "nested"], [cyclicX, "nested"], [deep, "nested"], [{ ribosomes: deepArr }, "nested"],
    [throwingGetter, "getter says no"], [throwingKeys, "ownKeys says no"], [throwingGet, "get says no"],
    [throwingString, "a string"], [huge, "too big"], [{ ribosomes: new Array(20_000).fill(1) }, "too long"],
  ];
  for (const [o, mention] of cases) {
    expectRefusedUnchanged(h, () => h.createVm("c", "syn3a", "basic", o), "INVALID_ARGUMENT", mention);
    expectRefusedUnchanged(h, () => h.getVm("a").allocateResources(o), "INVALID_ARGUMENT", mention);
    expectRefusedUnchanged(h, () => new bx.BioResourceManager(h).allocate("a", o), "INVALID_ARGUMENT", mention);
    expectRefusedUnchanged(h, () => h.setScheduling("a", o), "INVALID_ARGUMENT", mention);
    expectRefusedUnchanged(h, () => h.setScheduler("credit", o), "INVALID_ARGUMENT", mention);
    expectCode(() => new bx.Hypervisor(o), "INVALID_ARGUMENT", mention);
    const v = bx.ConfigManager.validate(o);
    assert.equal(v.valid, false);
    assert.ok(v.errors[0].message.includes(mention), v.errors[0].message);
  }
  // a nesting that is merely a bit deep but legal is fine
  assert.deepEqual(bx.ConfigManager.validate({ xcpng_config: { xapiUrl: "https://h", username: "u", password: "p", sshUser: "u" } }, "xcpng"),
    { valid: true, errors: [] });
  stillWorks(h);
});

test("config values of the wrong type: INVALID_CONFIG with the path", () => {
  const h = setup();
  for (const [config, path] of [
    [{ ribosomes: "10" }, "ribosomes"],
    [{ ribosomes: NaN }, "ribosomes"],
    [{ ribosomes: -1 }, "ribosomes"],
    [{ ribosomes: 1e300 }, "ribosomes"],
    [{ weight: [256] }, "weight"],
    [{ priority: { n: 5 } }, "priority"],
    [{ atpPercent: "5%" }, "atpPercent"],
    [{ cycles: 1.5 }, "cycles"],
    [{ workloadAa: 0 }, "workloadAa"],
    [{ memoryKb: true }, "memoryKb"],
  ]) {
    const e = expectRefusedUnchanged(h, () => h.createVm("c", "syn3a", "basic", config), "INVALID_CONFIG", path);
    assert.deepEqual(e.issues.map((i) => i.path), [path]);
  }
  // undefined values count as absent, null cycles means endless
  h.createVm("c", "syn3a", "basic", { ribosomes: undefined, cycles: null }).free();
  assert.equal(h.vmStatus("c").ribosomes, 46);
  stillWorks(h);
});

test("other methods: setAtpSupply, traceSince, events, restore, BioResourceManager, ConfigManager", () => {
  const h = setup();
  for (const p of [NaN, -1, 100.5, Infinity, "50", null, undefined, {}, 50n]) {
    expectRefusedUnchanged(h, () => h.setAtpSupply(p), "INVALID_ARGUMENT");
  }
  for (const c of [-1, 0.5, NaN, "0", {}, 2 ** 60]) {
    expectRefusedUnchanged(h, () => h.traceSince(c), "INVALID_ARGUMENT", "cursor");
    expectRefusedUnchanged(h, () => h.events(c), "INVALID_ARGUMENT", "sinceId");
  }
  for (const s of [5, {}, [], null, undefined]) expectCode(() => bx.Hypervisor.restore(s), "INVALID_SNAPSHOT");
  for (const s of ["", "{", "[1,2]", "{\"a\":1}"]) expectCode(() => bx.Hypervisor.restore(s), "INVALID_SNAPSHOT");
  for (const x of [5, "h", {}, [], { handleId: 999_999 }, { handleId: "1" }, { handleId: -1 }, { handleId: NaN }]) {
    expectCode(() => new bx.BioResourceManager(x), "INVALID_ARGUMENT", "hypervisor");
  }
  const gone = new bx.Hypervisor();
  const id = gone.handleId;
  gone.free();
  expectCode(() => new bx.BioResourceManager({ handleId: id }), "INVALID_ARGUMENT", "freed");
  // Methods on a freed object: a coded Error saying so (wasm-bindgen's own check), twice over.
  expectCode(() => gone.step(1), "INVALID_ARGUMENT", "has been freed");
  expectCode(() => gone.listVms(), "INVALID_ARGUMENT", "has been freed");
  const vm = h.createVm("short-lived", "syn3a");
  vm.free();
  expectCode(() => vm.status(), "INVALID_ARGUMENT", "has been freed");
  h.destroyVm("short-lived");
  for (const t of [5, null, undefined, {}, "human"]) {
    expectCode(() => bx.ConfigManager.defaults(t), t === "human" ? "UNSUPPORTED_BIOLOGICAL_TYPE" : "INVALID_ARGUMENT");
  }
  expectCode(() => bx.ConfigManager.validate({}, "kvm"), "UNSUPPORTED_VM_TYPE", "kvm");
  expectCode(() => bx.ConfigManager.validate({}, 5), "INVALID_ARGUMENT", "vmType");
  for (const t of [5, null, {}, "cfs"]) expectCode(() => bx.describeScheduler(t), "INVALID_ARGUMENT");
  stillWorks(h);
});

test("thousands of bad calls in a row leave the instance healthy (no leaked wasm stack)", () => {
  const h = setup();
  const snap = observe(h);
  for (let i = 0; i < 5000; i++) {
    expectCode(() => h.step(-i - 1), "INVALID_ARGUMENT");
    expectCode(() => h.createVm(i, "syn3a"), "INVALID_ARGUMENT");
    expectCode(() => h.getVm("a").allocateResources({ get ribosomes() { throw new Error("x"); } }), "INVALID_ARGUMENT");
  }
  assert.deepEqual(observe(h), snap);
  stillWorks(h);
});
